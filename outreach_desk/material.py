"""What goes on a meeting's material (会議資料): per case one sheet in the spirit of
Kobayashi's 相談つなぐシート, holding only what the legal basis allows.

Content selection only; the layout (PDF) is the desktop client's. The rules:

* **Never**: visit narratives and the person's reactions (経過の記述), relationship notes
  (関係づくりメモ), addresses, and tax information. Tax information (地方税法第22条: what tax
  officials hold about a taxpayer) is never shared, not even in a 支援会議; the store has no tax
  field, so a sentence of any free text that goes on the sheet (referral note, next action,
  plan goals and roles) is left out when it mentions tax (:data:`TAX_WORDS`).
* **Always** (every basis): the case's stage, the referral source and date, the dates, kinds and
  outcome of the latest visits with the relationship stage reached, the next action.
* **Basis 本人同意** (consent covering every attending agency): the person's own information,
  and agencies only where the consent covers them — a plan role of an agency the consent does
  not cover is left out (only counted), and so is its name anywhere on the sheet; other
  household members appear only as birth years, without names (their own consent is not
  recorded here).
* **Basis 支援会議（法106条の6）or 緊急**: as above, plus the names of the household members and
  every agency's plan role (the members are bound to confidentiality; the point of a 支援会議 is
  to see the household and the agencies around it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from .meetings import MeetingPlan
from .vocab import (
    CaseStage,
    ConsentStatus,
    LegalBasis,
    MeetingKind,
    ReferralSource,
    RelationshipStage,
    VisitKind,
    met_with_set,
)
from .wareki import wareki_date

RECENT_VISITS = 5
# 税 covers 住民税, 固定資産税, 納税, 課税, 税務課 …; arrears of a utility bill (ガス料金の滞納) are
# not tax information and stay
TAX_WORDS = ("税", "確定申告", "所得")
TAX_OMITTED = "（税に関する記載のため省略）"
CONFIDENTIAL = "取扱注意／Confidential"
_SENTENCE = re.compile(r"[^。\n]+[。]?")


def without_tax(text: str | None) -> str:
    """``text`` with every sentence that mentions tax replaced by a note that it was left out."""
    if not text:
        return ""
    kept = []
    for sentence in _SENTENCE.findall(text):
        if any(word in sentence for word in TAX_WORDS):
            if not kept or kept[-1] != TAX_OMITTED:
                kept.append(TAX_OMITTED)
        elif sentence.strip():
            kept.append(sentence.strip())
    return "".join(kept)


@dataclass(frozen=True)
class VisitLine:
    day: str
    kind: str
    met_with: str
    relationship: str


@dataclass(frozen=True)
class CaseSheet:
    """One case's page. Every text is Japanese (official material)."""

    case_id: str
    name: str
    kana: str
    birth_year: int | None
    district: str
    household: str  # the household's name and district, or ""
    members: tuple[str, ...]  # other household members (names only where the basis allows)
    referral: str  # 把握の経路 and the date the case was opened
    referral_note: str
    stage: str
    stage_since: str
    relationship: str
    consent: str  # 同意状況, naming only agencies the material may name
    visits: tuple[VisitLine, ...]
    next_action: str
    goals: tuple[str, ...]
    roles: tuple[tuple[str, str], ...]  # (agency, role)
    monitoring_date: str
    plan_state: str = ""  # 決裁済み, or a draft awaiting 決裁
    omitted: tuple[str, ...] = ()  # what was left out, said plainly


@dataclass(frozen=True)
class MeetingMaterial:
    kind: MeetingKind
    held_on: date
    basis: LegalBasis
    reason: str
    agencies: tuple[str, ...]  # attending agencies' names
    sheets: tuple[CaseSheet, ...]
    produced_at: str
    extra: dict = field(default_factory=dict)
    wareki: bool = False  # dates written 令和8年12月8日 (the 日付の書き方 setting)

    @property
    def marking(self) -> str:
        return f"{CONFIDENTIAL}　{self.kind.label}　{jp_date(self.held_on, self.wareki)}"

    @property
    def document_title(self) -> str:
        return f"{self.kind.label} 資料 {jp_date(self.held_on, self.wareki)}"

    @property
    def basis_text(self) -> str:
        text = f"提供の根拠: {self.basis.label}"
        return f"{text}（理由: {self.reason}）" if self.basis is LegalBasis.EMERGENCY else text


def jp_date(value: date | str | None, wareki: bool = False) -> str:
    """2026年12月8日, or 令和8年12月8日 with ``wareki`` (the worker's 日付の書き方 setting)."""
    if not value:
        return ""
    day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return wareki_date(day) if wareki else f"{day.year}年{day.month}月{day.day}日"


def jp_datetime(value: str, wareki: bool = False) -> str:
    """2026年12月8日 14:05 (an ISO time stamp, in the time zone it was written in)."""
    if not value:
        return ""
    return f"{jp_date(value, wareki)} {datetime.fromisoformat(value):%H:%M}"


def _label(kind, value, default: str = "") -> str:
    try:
        return kind(value).label
    except ValueError:
        return default


def case_sheet(store, case_id: str, basis: LegalBasis, agency_names: dict[str, str], *,
               wareki: bool = False) -> CaseSheet:
    """The sheet of one case under ``basis`` (read from the store now); dates in 和暦 with
    ``wareki``."""
    history = store.case_history(case_id)
    case, person, household = history.case, history.person, history.household
    by_consent = basis is LegalBasis.CONSENT
    consent = history.consent
    nameable = set(consent.granted) if (by_consent and consent) else set(agency_names)
    omitted: list[str] = []

    members = []
    for member in sorted(history.members, key=lambda p: p["birth_year"] or 0):
        if person is not None and member.id == person.id:
            continue
        year = f"{member['birth_year']}年生" if member["birth_year"] else "生年不明"
        members.append(year if by_consent else f"{member['name'] or ''}（{year}）")
    if by_consent and members:
        omitted.append("世帯員の氏名（本人同意の範囲外）")

    stage = case["stage"] or {}
    visits = tuple(
        VisitLine(jp_date(v.effective["occurred_at"], wareki), _label(VisitKind, v["kind"]),
                  "・".join(member.label for member in met_with_set(v["met_with"])),
                  _label(RelationshipStage, v["relationship_stage"]))
        for v in history.visits[:RECENT_VISITS])
    latest = history.visits[0] if history.visits else None
    next_action = ""
    if latest is not None and latest["next_action"]:
        due = (f"（期限 {jp_date(latest['next_action_due'], wareki)}）"
               if latest["next_action_due"] else "")
        next_action = without_tax(latest["next_action"]) + due

    if consent is None:
        consent_text = "世帯のケース（本人の同意の記録なし）"
    else:
        covered = [agency_names.get(a, "") for a in sorted(consent.granted)
                   if a in agency_names]
        status = consent.status
        if status is ConsentStatus.WITHDRAWN and not consent.ever_granted:
            status = ConsentStatus.NONE  # a withdrawal of what was never consented: 同意なし
        consent_text = status.label
        if status in (ConsentStatus.GRANTED, ConsentStatus.PARTIAL) and covered:
            consent_text += "（" + "、".join(covered) + "）"

    # the current plan is the newest approved version (決裁済み); before any approval the
    # newest draft, said to be awaiting 決裁
    current = store.current_plan(case_id)
    if current is not None:
        plan, plan_state = current.values, "決裁済み"
        if current.pending:
            plan_state += "（変更案が決裁待ち）"
    else:
        plans = sorted(history.plans, key=lambda p: p["monitoring_date"] or "")
        plan = plans[-1] if plans else None
        plan_state = "案（決裁待ち）" if plan is not None else ""
    goals, roles, left_out = (), [], 0
    if plan is not None:
        goals = tuple(without_tax(g) for g in plan["goals"] or [])
        for role in plan["roles"] or []:
            if role["agency_id"] in nameable and role["agency_id"] in agency_names:
                roles.append((agency_names[role["agency_id"]], without_tax(role["role"])))
            else:
                left_out += 1
    if left_out:
        omitted.append(f"本人同意の範囲外の機関の役割 {left_out} 件")
    omitted.append("訪問記録の記述・関係づくりメモ・税に関する情報（この資料には載せません）")
    source = _label(ReferralSource, case["referral_source"], "その他")
    return CaseSheet(
        case_id=case_id,
        name=(person["name"] if person else (household["name"] if household else "")) or "",
        kana=(person["kana"] or "") if person else "",
        birth_year=person["birth_year"] if person else None,
        district=case["district"] or "",
        household=f"{household['name'] or ''}（{household['district'] or ''}）"
        if household else "",
        members=tuple(members),
        referral=f"{source}（{jp_date(case['opened_on'], wareki)} 把握）",
        referral_note=without_tax(case["referral_note"]),
        stage=_label(CaseStage, stage.get("stage")),
        stage_since=jp_date(stage.get("date"), wareki),
        relationship=_label(RelationshipStage, latest["relationship_stage"]) if latest else "",
        consent=consent_text,
        visits=visits,
        next_action=next_action,
        goals=goals,
        roles=tuple(roles),
        monitoring_date=jp_date(plan["monitoring_date"], wareki) if plan else "",
        plan_state=plan_state,
        omitted=tuple(omitted),
    )


def meeting_material(store, plan: MeetingPlan, basis: LegalBasis, reason: str = "",
                     produced_at: datetime | None = None, *,
                     wareki: bool = False) -> MeetingMaterial:
    """The material of ``plan`` under ``basis``. Call it only through
    :func:`outreach_desk.disclosure.disclose_meeting_material`, which checks the basis and
    records the disclosure in the same transaction."""
    names = {a.id: a["name"] or "" for a in store.list_entities("agency", include_deleted=True)}
    produced_at = produced_at or datetime.now().astimezone()
    return MeetingMaterial(
        kind=MeetingKind(plan.kind), held_on=plan.held_on, basis=LegalBasis(basis),
        reason=reason.strip(), agencies=tuple(names.get(a, "") for a in plan.agencies),
        sheets=tuple(case_sheet(store, case_id, LegalBasis(basis), names, wareki=wareki)
                     for case_id in plan.case_ids),
        produced_at=produced_at.isoformat(timespec="minutes"), wareki=wareki)


__all__ = ["CONFIDENTIAL", "CaseSheet", "MeetingMaterial", "TAX_WORDS", "VisitLine",
           "case_sheet", "jp_date", "jp_datetime", "meeting_material", "without_tax"]
