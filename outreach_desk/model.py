"""Domain model: what each record holds and the rules a value must keep.

Two kinds of record:

* **Mutable entities** (世帯, 対象者, ケース, 関係づくりメモ, 支援プラン, 会議, 関係機関, 支援員,
  担当チーム). Every field is a multi-value register in the change log; the store shows the
  winner and keeps concurrent values as an open conflict. Deleting is a tombstone (the
  ``_alive`` register), never a row removal.
* **Records** (訪問・連絡記録, 訂正, 同意の記録, 提供の記録, アクセス記録). Immutable once
  written and grow-only: a visit is corrected by an amendment that keeps the original;
  consent changes by a new event; a disclosure (case information leaving the app) is
  recorded with its legal basis; a supervisor opening a case leaves an access record.

Validation happens here, at the boundary: :func:`clean_fields` refuses a value that breaks a rule
with a :class:`~outreach_desk.errors.ValidationError` naming the field, before anything is written.
The cleaner of each kind of value lives in :mod:`outreach_desk.cleaners`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .cleaners import (
    MAX_FUTURE,  # noqa: F401  (re-exported: it was defined here)
    _birth_year,
    _choice,
    _date,
    _datetime,
    _flag,
    _follow_up,
    _kana,
    _met_with,
    _minutes,
    _ref,
    _ref_list,
    _roles,
    _stage,
    _text,
    _text_list,
    _vocab,
)
from .errors import ValidationError
from .vocab import (
    CaseStage,
    ConsentAction,
    ConsentMethod,
    ConsentStatus,
    LegalBasis,
    MeetingKind,
    MetWith,
    ReferralSource,
    RelationshipStage,
    Role,
    VisitKind,
)

ALIVE = "_alive"  # the lifecycle register of every mutable entity (tombstone when False)
ACCESS_ACTIONS = ("open_case",)  # what an access event records
COMMENT_TARGETS = ("visit", "note", "plan")  # what a supervision comment may be attached to


@dataclass(frozen=True)
class FieldSpec:
    name: str
    clean: Callable[[str, Any], Any]
    required: bool = False
    ref: str | None = None  # entity kind an id must point at
    searchable: bool = False


@dataclass(frozen=True)
class EntitySpec:
    """One kind of record: its table and fields. ``mutable`` selects register vs record."""

    name: str
    table: str
    fields: tuple[FieldSpec, ...]
    mutable: bool = True
    required_one_of: tuple[str, ...] = ()

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise ValidationError(name, "unknown_field", f"is not a field of {self.name}")

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.fields)


F = FieldSpec
ENTITIES: dict[str, EntitySpec] = {
    spec.name: spec
    for spec in (
        EntitySpec("team", "teams", (F("name", _text(100), required=True),)),
        EntitySpec(
            "worker",
            "workers",
            (
                F("name", _text(100), required=True),
                F("team_id", _ref, ref="team"),
                F("role", _vocab(Role), required=True),
            ),
        ),
        EntitySpec(
            "agency",
            "agencies",
            (F("name", _text(100), required=True), F("kind", _text(100))),
        ),
        EntitySpec(
            "household",
            "households",
            (
                F("name", _text(100), required=True, searchable=True),
                F("district", _text(40), required=True),
                F("address_note", _text(500), searchable=True),
            ),
        ),
        EntitySpec(
            "person",
            "persons",
            (
                F("household_id", _ref, ref="household"),
                F("name", _text(100), required=True, searchable=True),
                F("kana", _kana, required=True, searchable=True),
                F("birth_year", _birth_year),
                F("district", _text(40), required=True),
            ),
        ),
        EntitySpec(
            "case",
            "cases",
            (
                F("person_id", _ref, ref="person"),
                F("household_id", _ref, ref="household"),
                F("team_id", _ref, ref="team"),
                F("worker_id", _ref, ref="worker"),
                F("referral_source", _vocab(ReferralSource), required=True),
                F("referral_note", _text(1000), searchable=True),
                F("district", _text(40), required=True),
                F("stage", _stage, required=True),
                F("opened_on", _date, required=True),
                # 次回の予定 of the case: set by a visit that names one, or by the worker; it
                # stays until replaced, marked 完了 or cleared (records.case_follow_up)
                F("follow_up", _follow_up),
            ),
            required_one_of=("person_id", "household_id"),
        ),
        EntitySpec(
            "note",
            "notes",
            (
                F("case_id", _ref, required=True, ref="case"),
                F("text", _text(10000), required=True, searchable=True),
            ),
        ),
        EntitySpec(
            "plan",
            "plans",
            (
                F("case_id", _ref, required=True, ref="case"),
                F("goals", _text_list, required=True),
                F("roles", _roles, ref="agency"),
                F("monitoring_date", _date, required=True),
            ),
        ),
        EntitySpec(
            "meeting",
            "meetings",
            (
                F("kind", _vocab(MeetingKind), required=True),
                F("held_on", _date, required=True),
                F("attendees", _ref_list, ref="agency"),
                F("case_ids", _ref_list, ref="case"),
                F("decisions", _text(5000), searchable=True),
                F("next_monitoring_date", _date),
            ),
        ),
        EntitySpec(  # スーパービジョン: a supervisor's comment on a visit, note or plan
            "comment",
            "comments",
            (
                F("case_id", _ref, required=True, ref="case"),
                F("target_kind", _choice(*COMMENT_TARGETS), required=True),
                F("target_id", _ref, required=True),
                F("text", _text(2000), required=True),
                F("written_by", _ref, required=True, ref="worker"),
                F("written_at", _datetime, required=True),
                F("read_at", _datetime),
                F("read_by", _ref, ref="worker"),
            ),
        ),
        EntitySpec(  # 外出・帰所予定: today's planned visits and the expected return
            "field_checkin",
            "field_checkins",
            (
                F("worker_id", _ref, required=True, ref="worker"),
                F("date", _date, required=True),
                F("case_ids", _ref_list, ref="case"),
                F("expected_return", _datetime, required=True),
                F("returned_at", _datetime),
            ),
        ),
        EntitySpec(
            "visit",
            "visits",
            (
                F("case_id", _ref, required=True, ref="case"),
                F("occurred_at", _datetime, required=True),
                F("kind", _vocab(VisitKind), required=True),
                F("met_with", _met_with, required=True),  # a set (会えた人)
                F("narrative", _text(10000), searchable=True),
                F("reaction", _text(2000), searchable=True),
                F("relationship_stage", _vocab(RelationshipStage), required=True),
                F("next_action", _text(500), searchable=True),
                F("next_action_due", _date),
                F("companion_workers", _ref_list, ref="worker"),  # 同行者: colleagues
                F("companion_agencies", _ref_list, ref="agency"),  # 同行者: agencies
                F("place", _text(200)),  # 場所
                F("duration_minutes", _minutes),  # 所要時間
                # 古い記録の後日入力: the worker confirmed a date before the case was opened
                F("late_entry_confirmed", _flag),
            ),
            mutable=False,
        ),
        EntitySpec(
            "visit_amendment",
            "visit_amendments",
            (
                F("visit_id", _ref, required=True, ref="visit"),
                F("changes", lambda n, v: v, required=True),  # cleaned by clean_amendment
                F("reason", _text(1000), required=True),
            ),
            mutable=False,
        ),
        EntitySpec(
            "consent_event",
            "consent_events",
            (
                F("person_id", _ref, required=True, ref="person"),
                F("action", _vocab(ConsentAction), required=True),
                F("agencies", _ref_list, ref="agency"),
                F("method", _vocab(ConsentMethod), required=True),
                F("given_on", _date, required=True),
                F("recorded_by", _ref, required=True, ref="worker"),
                F("note", _text(1000)),
            ),
            mutable=False,
        ),
        EntitySpec(
            "disclosure",  # 提供の記録: case information that left the app, and on what basis
            "disclosures",
            (
                F("case_ids", _ref_list, required=True, ref="case"),
                F("meeting_kind", _vocab(MeetingKind), required=True),
                F("meeting_date", _date, required=True),
                F("basis", _vocab(LegalBasis), required=True),
                F("reason", _text(1000)),
                F("agencies", _ref_list, ref="agency"),
                F("output", _text(40), required=True),
                F("produced_at", _datetime, required=True),
                F("produced_by", _ref, required=True),
                F("digest", _text(64)),
            ),
            mutable=False,
        ),
        EntitySpec(  # 決裁: a supervisor approved one version of a support plan
            "plan_approval",
            "plan_approvals",
            (
                F("case_id", _ref, required=True, ref="case"),
                F("plan_id", _ref, required=True, ref="plan"),
                F("version", _ref, required=True),  # op id of the plan's latest change
                F("approved_by", _ref, required=True, ref="worker"),
                F("approved_at", _datetime, required=True),
                F("note", _text(1000)),
            ),
            mutable=False,
        ),
        EntitySpec(  # アクセス記録: a supervisor opened a case (synced to the server's audit log)
            "access_event",
            "access_events",
            (
                F("case_id", _ref, required=True, ref="case"),
                F("action", _choice(*ACCESS_ACTIONS), required=True),
                F("at", _datetime, required=True),
                F("by_worker", _ref, required=True, ref="worker"),
            ),
            mutable=False,
        ),
    )
}
AMENDABLE_VISIT_FIELDS = tuple(
    name for name in ENTITIES["visit"].field_names if name != "case_id"
)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def clean_fields(entity: str, values: dict[str, Any], *, complete: bool) -> dict[str, Any]:
    """Validate ``values`` for ``entity``; return them cleaned.

    ``complete`` means a whole new record: required fields must be present. An update
    (``complete=False``) may name any subset, but cannot blank a required field.
    """
    spec = ENTITIES[entity]
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        fspec = spec.field(name)
        if _empty(value):
            if fspec.required:
                raise ValidationError(name, "required", "is required")
            cleaned[name] = None
            continue
        cleaned[name] = fspec.clean(name, value)
        if fspec.required and _empty(cleaned[name]):
            raise ValidationError(name, "required", "is required")
    if complete:
        for fspec in spec.fields:
            if fspec.required and _empty(cleaned.get(fspec.name)):
                raise ValidationError(fspec.name, "required", "is required")
        if spec.required_one_of and all(
            _empty(cleaned.get(name)) for name in spec.required_one_of
        ):
            raise ValidationError(
                spec.required_one_of[0], "required", "a person or a household is required"
            )
    if entity == "visit" and complete:
        _check_visit(cleaned)
    if entity == "consent_event" and complete:
        _check_consent(cleaned)
    if entity == "disclosure" and complete:
        _check_disclosure(cleaned)
    return cleaned


def _check_visit(visit: dict[str, Any]) -> None:
    if visit.get("next_action_due") and not visit.get("next_action"):
        raise ValidationError("next_action", "required", "a due date needs the action it is for")
    if visit["met_with"] == [MetWith.NOBODY.value] \
            and visit["kind"] == VisitKind.ACCOMPANY.value:
        raise ValidationError("met_with", "inconsistent", "an accompanied visit met someone")


def _check_consent(event: dict[str, Any]) -> None:
    if event["action"] == ConsentAction.GRANT.value and not event.get("agencies"):
        raise ValidationError("agencies", "required", "a grant must name the agencies it covers")


def _check_disclosure(record: dict[str, Any]) -> None:
    if record["basis"] == LegalBasis.EMERGENCY.value and not record.get("reason"):
        raise ValidationError("reason", "required", "an emergency disclosure needs its reason")
    if record["basis"] == LegalBasis.SUPPORT_COUNCIL.value \
            and record["meeting_kind"] != MeetingKind.SUPPORT_COUNCIL.value:
        raise ValidationError("basis", "inconsistent", "法106条の6 covers a 支援会議 only")


def clean_amendment(changes: dict[str, Any]) -> dict[str, Any]:
    """Validate the corrected fields of a visit amendment."""
    if not isinstance(changes, dict) or not changes:
        raise ValidationError("changes", "required", "an amendment must correct something")
    for name in changes:
        if name not in AMENDABLE_VISIT_FIELDS:
            raise ValidationError(name, "not_amendable", "cannot be corrected by an amendment")
    return clean_fields("visit", changes, complete=False)


# --- read models: what the store returns ---------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """競合: a field with more than one surviving value, until a person resolves it."""

    entity: str
    entity_id: str
    field: str
    values: tuple[FieldValue, ...]


@dataclass(frozen=True)
class FieldValue:
    """One surviving value of a field and who wrote it, where and when."""

    op_id: str
    value: Any
    author: str
    site: str
    hlc: int


@dataclass(frozen=True)
class Entity:
    """Current state of a mutable entity: winners, tombstone and conflicting field names."""

    kind: str
    id: str
    values: dict[str, Any]
    deleted: bool = False
    conflicts: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name)


@dataclass(frozen=True)
class Visit:
    """訪問・連絡記録: the original as written, the amendments, and the effective values."""

    id: str
    original: dict[str, Any]
    effective: dict[str, Any]
    author: str
    recorded_hlc: int
    amendments: tuple[dict[str, Any], ...] = ()
    conflicts: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> Any:
        return self.effective.get(name)


@dataclass(frozen=True)
class StageChange:
    stage: CaseStage
    date: str
    reason: str
    author: str
    hlc: int


@dataclass(frozen=True)
class ConsentState:
    """同意状況 derived from the consent event log."""

    status: ConsentStatus
    granted: frozenset[str] = frozenset()
    withdrawn: frozenset[str] = frozenset()
    withdrawn_all: bool = False
    flagged: frozenset[str] = frozenset()  # agencies with a concurrent grant and withdrawal
    ever_granted: frozenset[str] = frozenset()  # agencies some grant named (consented once)

    def covers(self, agency_ids: set[str] | frozenset[str]) -> bool:
        """True when every agency named may receive the information."""
        return set(agency_ids) <= self.granted

    def missing(self, agency_ids: set[str] | frozenset[str]) -> set[str]:
        return set(agency_ids) - self.granted


__all__ = [
    "ACCESS_ACTIONS",
    "ALIVE",
    "AMENDABLE_VISIT_FIELDS",
    "COMMENT_TARGETS",
    "ENTITIES",
    "Conflict",
    "ConsentState",
    "Entity",
    "EntitySpec",
    "FieldSpec",
    "FieldValue",
    "StageChange",
    "Visit",
    "clean_amendment",
    "clean_fields",
]
