"""The monthly activity report (事業報告) of one team, or of every team, for one month.

Figures (cases archived by mistake are left out; a visit counts on its effective local day):

* 実人数: cases with at least one visit or contact in the month; of them, cases where the person
  or the family was met (reached), and cases where the person was met;
* 延べ件数: every visit and contact, by 種別; of them the attempts without contact (会えず),
  counted the same whatever the kind (a 不在 home visit and a letter left at the door alike);
  and by 会えた人 (a visit may meet several: it counts once under each);
* new cases (opened in the month) by 把握の経路（入口）;
* stage transitions dated in the month (from → to), and of them 終結 (closings) and
  中断 (suspensions).

The report is official printed material, so its CSV and printable HTML are in Japanese whatever
the interface language. The CSV is UTF-8 with a byte-order mark, so Excel opens it as UTF-8.
"""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .activity import stage_transitions, visit_facts
from .atomic import write_atomic
from .vocab import CaseStage, MetWith, ReferralSource, VisitKind, contact_made
from .wareki import wareki_month

ALL_TEAMS = "全チーム"


@dataclass(frozen=True)
class MonthlyReport:
    year: int
    month: int
    team_id: str | None
    team_name: str
    cases_contacted: int
    cases_reached: int  # the person or the family (親族 included) was met
    persons_met: int
    visits: dict[tuple[VisitKind, MetWith], int]  # visits of a kind where someone was met
    by_kind: dict[VisitKind, int]  # every visit once
    new_cases: dict[ReferralSource, int]
    transitions: dict[tuple[CaseStage | None, CaseStage], int]

    @property
    def visits_total(self) -> int:
        return sum(self.by_kind.values())

    def visits_of(self, *, kind: VisitKind | None = None, met: MetWith | None = None) -> int:
        """Visits (of ``kind``) — where ``met`` was among those met, when given."""
        if met is None:
            return sum(n for k, n in self.by_kind.items() if kind is None or k == kind)
        return sum(n for (k, m), n in self.visits.items()
                   if (kind is None or k == kind) and m == met)

    def without_contact(self, kind: VisitKind | None = None) -> int:
        """会えず: attempts that reached nobody, whatever their kind."""
        return self.visits_of(kind=kind, met=MetWith.NOBODY)

    def with_contact(self, kind: VisitKind | None = None) -> int:
        return self.visits_of(kind=kind) - self.without_contact(kind)

    def entered(self, stage: CaseStage) -> int:
        """Transitions into ``stage`` in the month."""
        return sum(n for (_, after), n in self.transitions.items() if after == stage)

    @property
    def title(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def document_title(self) -> str:
        return f"事業報告 {self.title} {self.team_name}"


def month_bounds(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def monthly_report(store, year: int, month: int, *, team_id: str | None = None) -> MonthlyReport:
    db = store.db
    start, end = month_bounds(year, month)
    cases = {case_id: (source, opened) for case_id, source, opened, team in db.execute(
        "SELECT id, referral_source, opened_on, team_id FROM cases WHERE deleted = 0")
        if team_id is None or team == team_id}
    contacted: set[str] = set()
    reached: set[str] = set()
    met_person: set[str] = set()
    visits: dict[tuple[VisitKind, MetWith], int] = {}
    by_kind: dict[VisitKind, int] = {}
    for fact in visit_facts(db, start, end):
        if fact.case_id not in cases:
            continue
        contacted.add(fact.case_id)
        if {MetWith.PERSON, MetWith.FAMILY, MetWith.RELATIVE} & set(fact.met_with):
            reached.add(fact.case_id)
        if MetWith.PERSON in fact.met_with:
            met_person.add(fact.case_id)
        by_kind[fact.kind] = by_kind.get(fact.kind, 0) + 1
        met = fact.met_with if contact_made(fact.met_with) else (MetWith.NOBODY,)
        for member in met:
            visits[(fact.kind, member)] = visits.get((fact.kind, member), 0) + 1
    new_cases: dict[ReferralSource, int] = {}
    for source, opened in cases.values():
        if opened and start.isoformat() <= opened < end.isoformat():
            try:
                referral = ReferralSource(source)
            except ValueError:
                referral = ReferralSource.OTHER
            new_cases[referral] = new_cases.get(referral, 0) + 1
    transitions: dict[tuple[CaseStage | None, CaseStage], int] = {}
    for change in stage_transitions(db, cases):
        if change.before is not None and start <= change.day < end:
            key = (change.before, change.after)
            transitions[key] = transitions.get(key, 0) + 1
    team_name = ALL_TEAMS
    if team_id is not None:
        team_name = store.get("team", team_id, include_deleted=True)["name"] or ""
    return MonthlyReport(year, month, team_id, team_name, len(contacted), len(reached),
                         len(met_person), visits, by_kind, new_cases, transitions)


# -- CSV and printable HTML (Japanese: official material) ------------------------------------

SECTION_PEOPLE = "実人数"
SECTION_VISITS = "訪問・連絡（延べ件数）"
SECTION_NEW = "新規ケース（把握の経路）"
SECTION_STAGES = "支援段階の移行"
PEOPLE_ROWS = ("訪問・連絡を行ったケース", "本人または家族に会えたケース", "本人に会えたケース")
MET_ORDER = tuple(MetWith)  # 本人, 家族, 親族, 近隣の人, 関係機関, 会えず
CONTACT_ROWS = ("会えた", "会えず（会えなかった試み）")


def _transition_label(before: CaseStage | None, after: CaseStage) -> str:
    return f"{before.label if before else '（開始）'} → {after.label}"


def report_rows(report: MonthlyReport) -> list[tuple[str, str, int | str]]:
    """(区分, 項目, 件数) rows: what the CSV holds, in the order it is printed."""
    rows: list[tuple[str, str, int | str]] = [
        ("対象月", report.title, ""), ("チーム", report.team_name, "")]
    people = (report.cases_contacted, report.cases_reached, report.persons_met)
    rows += [(SECTION_PEOPLE, text, n) for text, n in zip(PEOPLE_ROWS, people, strict=True)]
    rows.append((SECTION_VISITS, "合計", report.visits_total))
    rows.append((SECTION_VISITS, CONTACT_ROWS[0], report.with_contact()))
    rows.append((SECTION_VISITS, CONTACT_ROWS[1], report.without_contact()))
    rows += [(SECTION_VISITS, f"会えた人: {met.label}", report.visits_of(met=met))
             for met in MET_ORDER]
    for kind in VisitKind:
        rows.append((SECTION_VISITS, f"種別: {kind.label}", report.visits_of(kind=kind)))
        rows += [(SECTION_VISITS, f"{kind.label}／{met.label}",
                  report.visits.get((kind, met), 0)) for met in MET_ORDER]
    rows.append((SECTION_NEW, "合計", sum(report.new_cases.values())))
    rows += [(SECTION_NEW, source.label, report.new_cases.get(source, 0))
             for source in ReferralSource]
    rows.append((SECTION_STAGES, "合計", sum(report.transitions.values())))
    rows.append((SECTION_STAGES, "終結", report.entered(CaseStage.CLOSED)))
    rows.append((SECTION_STAGES, "中断", report.entered(CaseStage.SUSPENDED)))
    for (before, after), n in sorted(report.transitions.items(), key=_transition_order):
        rows.append((SECTION_STAGES, _transition_label(before, after), n))
    return rows


def _transition_order(item) -> tuple[int, int]:
    (before, after), _ = item
    stages = list(CaseStage)
    return (stages.index(before) if before else -1, stages.index(after))


def report_csv(report: MonthlyReport) -> bytes:
    """The report as CSV: UTF-8 with a byte-order mark, CRLF line ends (what Excel expects)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("区分", "項目", "件数"))
    writer.writerows(report_rows(report))
    return out.getvalue().encode("utf-8-sig")


def write_csv(report: MonthlyReport, path: Path | str) -> None:
    write_atomic(Path(path), report_csv(report))


def _table(head: tuple[str, ...], rows: list[tuple]) -> str:
    cells = "".join(f"<th>{html.escape(str(h))}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(
            f"<td{' align=right' if isinstance(v, int) else ''}>{html.escape(str(v))}</td>"
            for v in row) + "</tr>"
        for row in rows)
    return (f"<table border=1 cellspacing=0 cellpadding=4 width=100%><tr>{cells}</tr>"
            f"{body}</table>")


def report_html(report: MonthlyReport, *, wareki: bool = False) -> str:
    """A printable page (for the PDF): headings and tables, Japanese; the month in 和暦
    (令和8年12月) with ``wareki``."""
    title = wareki_month(report.year, report.month) if wareki else report.title
    people = (report.cases_contacted, report.cases_reached, report.persons_met)
    visit_rows = [
        (kind.label, report.visits_of(kind=kind), report.with_contact(kind),
         report.without_contact(kind)) for kind in VisitKind]
    visit_rows.append(("合計", report.visits_total, report.with_contact(),
                       report.without_contact()))
    met_rows = [(met.label, report.visits_of(met=met)) for met in MET_ORDER]
    new_rows = [(s.label, report.new_cases.get(s, 0)) for s in ReferralSource]
    new_rows.append(("合計", sum(report.new_cases.values())))
    stage_rows = [(_transition_label(b, a), n)
                  for (b, a), n in sorted(report.transitions.items(), key=_transition_order)]
    stage_rows += [("うち終結", report.entered(CaseStage.CLOSED)),
                   ("うち中断", report.entered(CaseStage.SUSPENDED))]
    return "".join((
        f"<h1>事業報告 {title}</h1>",
        "<p>アウトリーチ等を通じた継続的支援事業（重層的支援体制整備事業）<br>",
        f"チーム: {html.escape(report.team_name)}</p>",
        f"<h2>{SECTION_PEOPLE}</h2>",
        _table(("項目", "件数"), list(zip(PEOPLE_ROWS, people, strict=True))),
        f"<h2>{SECTION_VISITS}</h2>",
        _table(("種別", "件数", *CONTACT_ROWS), visit_rows),
        "<p>会えた人（延べ件数。一度に複数の人に会えた訪問は、それぞれに数えます）</p>",
        _table(("会えた人", "件数"), met_rows),
        f"<h2>{SECTION_NEW}</h2>",
        _table(("把握の経路", "件数"), new_rows),
        f"<h2>{SECTION_STAGES}</h2>",
        _table(("移行", "件数"), stage_rows),
    ))


__all__ = ["ALL_TEAMS", "MonthlyReport", "month_bounds", "monthly_report", "report_csv",
           "report_html", "report_rows", "write_csv"]
