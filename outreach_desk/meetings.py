"""Who may be discussed in which meeting (会議): the consent rule, as pure logic.

The rule, per case, for a meeting of one kind with a set of attending agencies (出席機関):

* **支援会議** (社会福祉法第106条の6): always allowed. Its members are bound by law to
  confidentiality, so a case may be discussed without the person's consent; the legal basis of
  what is shared is 支援会議（法106条の6）.
* **重層的支援会議**: allowed only when the person's *current* consent (同意の記録, a withdrawal
  counts, a concurrent grant and withdrawal counts as withdrawn) covers **every** attending
  agency. Otherwise refused, naming the agencies not covered, and 支援会議 is suggested.
* **定例会議**: the same rule as 重層的支援会議. A regular meeting is not a body under
  法106条の6 and its members have no statutory duty of confidentiality for what is said there,
  so the only lawful basis for personal information is the person's consent; a case without
  consent covering every attending agency goes to a 支援会議 instead (or is discussed in the
  regular meeting without its personal information, which is outside this app).
* A household case without a person (世帯のケース) has nobody whose consent could cover it:
  refused for 重層的支援会議 and 定例会議, suggesting 支援会議.

The emergency basis (緊急: a reason typed by a supervisor) is not a meeting rule; it is checked
by :func:`basis_problem` when material is produced.

The rule is applied twice: while the meeting is prepared, and again inside the transaction that
produces the material (see :mod:`outreach_desk.disclosure`), so a withdrawal that arrived by sync
after the meeting was planned is never missed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .model import ConsentState
from .vocab import LegalBasis, MeetingKind, Role

CONSENT_KINDS = frozenset({MeetingKind.MULTI_AGENCY, MeetingKind.REGULAR})


class Verdict(StrEnum):
    ALLOWED_CONSENT = "allowed_consent"  # consent covers every attending agency
    ALLOWED_COUNCIL = "allowed_council"  # 支援会議: no consent needed
    NOT_COVERED = "not_covered"  # consent misses some attending agencies
    NO_CONSENT = "no_consent"  # no current consent to any agency, none attending withdrawn
    WITHDRAWN = "withdrawn"  # consent to an attending agency was given, then withdrawn
    NO_PERSON = "no_person"  # a household case: nobody to consent


class Problem(StrEnum):
    """Why material may not be produced or a meeting not recorded; ``message`` is the Japanese
    text (the desktop client shows its own translated text for each code)."""

    NO_CASES = "no_cases"
    NO_AGENCIES = "no_agencies"
    NO_BASIS = "no_basis"
    BAD_BASIS = "bad_basis"
    NO_REASON = "no_reason"
    NOT_SUPERVISOR = "not_supervisor"
    COUNCIL_ONLY = "council_only"
    COUNCIL_BASIS = "council_basis"
    NOT_ALLOWED = "not_allowed"
    NOT_HELD_YET = "not_held_yet"
    NO_DECISIONS = "no_decisions"

    @property
    def message(self) -> str:
        return PROBLEMS_JA[self]


PROBLEMS_JA = {
    Problem.NO_CASES: "ケースが選ばれていません。",
    Problem.NO_AGENCIES: "出席する関係機関が選ばれていません。",
    Problem.NO_BASIS: "提供の根拠が選ばれていません。根拠のない資料は作成できません。",
    Problem.BAD_BASIS: "提供の根拠が正しくありません。",
    Problem.NO_REASON: "緊急の提供には理由の入力が必要です。",
    Problem.NOT_SUPERVISOR: "緊急の提供はスーパーバイザーだけが行えます。",
    Problem.COUNCIL_ONLY: "法106条の6 を根拠にできるのは支援会議だけです。",
    Problem.COUNCIL_BASIS: "支援会議の資料は 法106条の6 を根拠に作成します。",
    Problem.NOT_ALLOWED: ("本人同意の範囲外のケースがあります。"
                          "支援会議に切り替えるか、ケースを外してください。"),
    Problem.NOT_HELD_YET: "開催日がまだ来ていません。会議が終わってから記録してください。",
    Problem.NO_DECISIONS: "決定事項を入力してください。",
}


@dataclass(frozen=True)
class CaseCheck:
    """可 / 不可 for one case: ``missing`` are the attending agencies the consent does not
    cover, ``withdrawn`` those of them that were consented once and withdrawn since (撤回; the
    others have no consent: 同意なし); a refused case always suggests 支援会議."""

    case_id: str
    verdict: Verdict
    missing: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()

    @property
    def never_consented(self) -> tuple[str, ...]:
        """The missing agencies that were never consented (同意なし)."""
        return tuple(a for a in self.missing if a not in self.withdrawn)

    @property
    def allowed(self) -> bool:
        return self.verdict in (Verdict.ALLOWED_CONSENT, Verdict.ALLOWED_COUNCIL)

    @property
    def suggests_support_council(self) -> bool:
        return not self.allowed


def check_case(case_id: str, kind: MeetingKind | str, consent: ConsentState | None,
               agencies: Iterable[str]) -> CaseCheck:
    """The rule for one case. ``consent`` is the person's current consent, or None for a
    household case without a person. Pure: no store, no clock."""
    kind = MeetingKind(kind)
    attending = list(dict.fromkeys(agencies))
    if kind is MeetingKind.SUPPORT_COUNCIL:
        return CaseCheck(case_id, Verdict.ALLOWED_COUNCIL)
    if consent is None:
        return CaseCheck(case_id, Verdict.NO_PERSON, tuple(attending))
    missing = tuple(a for a in attending if a not in consent.granted)
    if not missing:
        return CaseCheck(case_id, Verdict.ALLOWED_CONSENT)
    # 撤回 only for an agency that was consented and withdrawn since; one named in a withdrawal
    # without ever being consented has no consent (同意なし), like one never named at all
    withdrawn = tuple(a for a in missing if a in consent.withdrawn and a in consent.ever_granted)
    if withdrawn:
        return CaseCheck(case_id, Verdict.WITHDRAWN, missing, withdrawn)
    if not consent.granted:
        return CaseCheck(case_id, Verdict.NO_CONSENT, missing)
    return CaseCheck(case_id, Verdict.NOT_COVERED, missing)


@dataclass(frozen=True)
class MeetingPlan:
    """A meeting being prepared: kind, date, attending agencies and the cases to discuss."""

    kind: MeetingKind
    held_on: date
    agencies: tuple[str, ...]
    case_ids: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", MeetingKind(self.kind))
        object.__setattr__(self, "agencies", tuple(self.agencies))
        object.__setattr__(self, "case_ids", tuple(self.case_ids))

    def with_kind(self, kind: MeetingKind) -> MeetingPlan:
        return MeetingPlan(kind, self.held_on, self.agencies, self.case_ids)


def case_consent(store, case_id: str) -> ConsentState | None:
    """The current consent of the person of a case (None for a household case)."""
    case = store.get("case", case_id)
    return store.consent(case["person_id"]) if case["person_id"] else None


def check_meeting(store, plan: MeetingPlan) -> list[CaseCheck]:
    """The rule for every case of ``plan``, read from the store now."""
    return [check_case(case_id, plan.kind, case_consent(store, case_id), plan.agencies)
            for case_id in plan.case_ids]


def default_basis(kind: MeetingKind | str) -> LegalBasis:
    """The basis a meeting of this kind normally rests on."""
    return LegalBasis.SUPPORT_COUNCIL if MeetingKind(kind) is MeetingKind.SUPPORT_COUNCIL \
        else LegalBasis.CONSENT


EMERGENCY_ROLES = frozenset({Role.SUPERVISOR.value, Role.ADMINISTRATOR.value})


def basis_problem(plan: MeetingPlan, checks: list[CaseCheck], basis: LegalBasis | str | None,
                  reason: str = "", role: str | None = None) -> Problem | None:
    """Why material for ``plan`` may not be produced on ``basis``, or None when it may.
    ``role`` is the producing worker's role (緊急 needs a supervisor)."""
    if not plan.case_ids:
        return Problem.NO_CASES
    if not plan.agencies:
        return Problem.NO_AGENCIES
    if basis is None or basis == "":
        return Problem.NO_BASIS
    try:
        basis = LegalBasis(basis)
    except ValueError:
        return Problem.BAD_BASIS
    if basis is LegalBasis.EMERGENCY:
        if not reason.strip():
            return Problem.NO_REASON
        if role not in EMERGENCY_ROLES:
            return Problem.NOT_SUPERVISOR
        return None
    if basis is LegalBasis.SUPPORT_COUNCIL and plan.kind is not MeetingKind.SUPPORT_COUNCIL:
        return Problem.COUNCIL_ONLY
    if basis is LegalBasis.CONSENT and plan.kind is MeetingKind.SUPPORT_COUNCIL:
        return Problem.COUNCIL_BASIS
    if any(not check.allowed for check in checks):
        return Problem.NOT_ALLOWED
    return None


def record_problem(plan: MeetingPlan, checks: list[CaseCheck], decisions: str,
                   today: date) -> Problem | None:
    """Why a held meeting may not be recorded, or None. A meeting is recorded after it was
    held, with what it decided, and only with cases the rule allows for its kind now."""
    if not plan.case_ids:
        return Problem.NO_CASES
    if plan.held_on > today:
        return Problem.NOT_HELD_YET
    if not decisions.strip():
        return Problem.NO_DECISIONS
    if any(not check.allowed for check in checks):
        return Problem.NOT_ALLOWED
    return None


__all__ = ["CONSENT_KINDS", "CaseCheck", "MeetingPlan", "Problem", "Verdict", "basis_problem",
           "case_consent", "check_case", "check_meeting", "default_basis", "record_problem"]
