"""The meeting material (会議資料) as printable HTML: a cover page and one page per case.

Official paper, so Japanese whatever the interface language (like the monthly report's HTML).
The desktop client prints these pages with Qt's PDF writer and adds the 取扱注意 marking, the
legal basis and the page number to every page. Everything shown comes from
:mod:`outreach_desk.material`, which decided what the legal basis allows.
"""

from __future__ import annotations

import html

from .material import CaseSheet, MeetingMaterial, jp_date, jp_datetime


def _e(text: object) -> str:
    return html.escape(str(text or ""))


def _rows(pairs: list[tuple[str, str]]) -> str:
    return "".join(f"<tr><th align=left width=22%>{_e(k)}</th><td>{_e(v)}</td></tr>"
                   for k, v in pairs)


def _table(body: str) -> str:
    return f"<table border=1 cellspacing=0 cellpadding=4 width=100%>{body}</table>"


def cover_html(material: MeetingMaterial) -> str:
    names = "".join(f"<li>{_e(sheet.name)}（{_e(sheet.district)}）</li>"
                    for sheet in material.sheets)
    return "".join((
        f"<h1>{_e(material.kind.label)} 資料</h1>",
        _table(_rows([
            ("開催日", jp_date(material.held_on, material.wareki)),
            ("会議の種別", material.kind.label),
            ("出席機関", "、".join(material.agencies)),
            ("提供の根拠", material.basis_text.removeprefix("提供の根拠: ")),
            ("作成日時", jp_datetime(material.produced_at, material.wareki)),
            ("件数", f"{len(material.sheets)} 件"),
        ])),
        f"<h2>検討するケース</h2><ol>{names}</ol>",
        "<p>この資料には個人情報が含まれます。会議の出席者以外に渡さず、"
        "会議の終了後は回収してください。税に関する情報は記載していません。</p>",
    ))


def sheet_html(sheet: CaseSheet) -> str:
    person = sheet.name + (f"（{sheet.kana}）" if sheet.kana else "")
    if sheet.birth_year:
        person += f"　{sheet.birth_year}年生"
    visits = "".join(
        f"<tr><td>{_e(v.day)}</td><td>{_e(v.kind)}</td><td>{_e(v.met_with)}</td>"
        f"<td>{_e(v.relationship)}</td></tr>" for v in sheet.visits)
    visits_table = _table("<tr><th>日付</th><th>種別</th><th>会えた人</th><th>関係の段階</th></tr>"
                          + visits) if visits else "<p>訪問・連絡の記録はありません。</p>"
    goals = "".join(f"<li>{_e(goal)}</li>" for goal in sheet.goals)
    roles = "".join(f"<tr><td width=35%>{_e(a)}</td><td>{_e(r)}</td></tr>"
                    for a, r in sheet.roles)
    plan = ("<p>支援プランはまだありません。</p>" if not (goals or roles) else
            (f"<p>{_e(sheet.plan_state)}</p>" if sheet.plan_state else "")
            + f"<p>目標:</p><ul>{goals}</ul>"
            + (_table("<tr><th>関係機関</th><th>役割分担</th></tr>" + roles) if roles else "")
            + f"<p>モニタリング時期: {_e(sheet.monitoring_date)}</p>")
    omitted = "".join(f"<li>{_e(item)}</li>" for item in sheet.omitted)
    return "".join((
        f"<h2>{_e(sheet.name)}</h2>",
        "<h3>世帯・本人</h3>",
        _table(_rows([
            ("本人", person), ("地区", sheet.district), ("世帯", sheet.household or "（登録なし）"),
            ("世帯員", "、".join(sheet.members) or "（本人のみ）")])),
        "<h3>背景（把握の経路）</h3>",
        _table(_rows([("把握の経路", sheet.referral), ("把握時の状況", sheet.referral_note)])),
        "<h3>現在の状況</h3>",
        _table(_rows([
            ("支援段階", f"{sheet.stage}（{sheet.stage_since}から）"),
            ("関係の段階", sheet.relationship or "（訪問なし）"),
            ("同意状況", sheet.consent), ("次回の予定", sheet.next_action)])),
        "<h3>最近の訪問・連絡</h3>", visits_table,
        "<h3>支援プランと役割分担</h3>", plan,
        f"<p><small>この資料に載せていないもの:</small></p><ul><small>{omitted}</small></ul>",
    ))


def material_pages(material: MeetingMaterial) -> list[str]:
    """The HTML of each page-group: the cover, then one per case."""
    return [cover_html(material), *(sheet_html(sheet) for sheet in material.sheets)]


__all__ = ["cover_html", "material_pages", "sheet_html"]
