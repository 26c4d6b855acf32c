"""What the 競合 (conflicts) screen reads in the background, without Qt.

``load_conflicts(store)`` turns every open conflict of the store into a ``ConflictItem``: the
record it belongs to (kind, a readable name, a visit's time or a meeting's date and kind), the case
to open for context, and every surviving value (``ConflictValue``) with who wrote it, where and
when, plus the names of the records those values point at. ``ui.conflicts_view`` shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from outreach_desk.errors import NotFound
from outreach_desk.hlc import physical_ms
from outreach_desk.model import ENTITIES

CONSENT_PREFIX = "consent:"

# Free text a worker may rewrite by combining the values (the rest are choices, dates, links).
TEXT_FIELDS = frozenset({
    ("team", "name"), ("worker", "name"), ("agency", "name"), ("agency", "kind"),
    ("household", "name"), ("household", "address_note"), ("person", "name"),
    ("person", "kana"), ("case", "referral_note"), ("note", "text"), ("meeting", "decisions"),
})
LONG_TEXT_FIELDS = frozenset({
    ("household", "address_note"), ("case", "referral_note"), ("note", "text"),
    ("meeting", "decisions"),
})
_REF_KINDS = {"person_id": "person", "household_id": "household", "team_id": "team",
              "worker_id": "worker", "case_id": "case", "read_by": "worker"}


@dataclass(frozen=True)
class ConflictValue:
    """One surviving value: who wrote it (``author_name`` empty when unknown), where, when."""

    op_id: str
    value: Any
    author: str
    author_name: str
    site: str
    hlc: int

    @property
    def written_at(self) -> datetime:
        return datetime.fromtimestamp(physical_ms(self.hlc) / 1000).astimezone()


@dataclass(frozen=True)
class ConflictItem:
    entity: str
    entity_id: str
    field: str
    values: tuple[ConflictValue, ...]  # greatest (hlc, site) first: the one shown meanwhile
    record_name: str  # the person's or household's name, the team's name … ("" if unknown)
    record_date: str | None = None  # a visit's time or a meeting's date
    record_kind: str | None = None  # a meeting's kind
    case_id: str | None = None  # the case to open for context (None when there is none)
    own_site: str = ""
    names: dict[str, str] = field(default_factory=dict, compare=False)  # ids in the values

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.entity, self.entity_id, self.field)

    @property
    def signature(self) -> tuple:
        """Changes when the conflict's values change (a card is rebuilt then)."""
        return (self.key, tuple(v.op_id for v in self.values), self.record_name,
                self.record_date, self.case_id)

    @property
    def is_consent(self) -> bool:
        return self.field.startswith(CONSENT_PREFIX)

    @property
    def agency_id(self) -> str | None:
        return self.field[len(CONSENT_PREFIX):] if self.is_consent else None

    @property
    def resolvable(self) -> bool:
        """Settled here by choosing a value (not consent, not a visit's corrections)."""
        return not self.is_consent and self.entity != "visit" and len(self.values) > 1

    @property
    def mergeable(self) -> bool:
        return self.resolvable and (self.entity, self.field) in TEXT_FIELDS and all(
            isinstance(v.value, str) or v.value is None for v in self.values)


def _name(store, kind: str, entity_id: str) -> str:
    """A readable name for a record (a case is named after its person or household)."""
    try:
        found = store.get(kind, entity_id, include_deleted=True)
    except NotFound:
        return ""
    if kind == "case":
        for ref, ref_kind in (("person_id", "person"), ("household_id", "household")):
            if found[ref]:
                name = _name(store, ref_kind, found[ref])
                if name:
                    return name
        return ""
    if kind in ("note", "plan", "comment"):
        return _name(store, "case", found["case_id"]) if found["case_id"] else ""
    if "name" not in ENTITIES[kind].field_names:
        return ""
    return found["name"] or ""


def _first_case(store, person_id: str) -> str | None:
    cases = store.cases_of(person_id)
    return cases[0].case_id if cases else None


def _value_names(store, entity: str, fld: str, values) -> dict[str, str]:
    """Names of the records a value points at (people, agencies, cases …)."""
    names: dict[str, str] = {}
    for value in values:
        if fld in _REF_KINDS and isinstance(value, str):
            names[value] = _name(store, _REF_KINDS[fld], value)
        elif fld == "attendees" and isinstance(value, list):
            names.update({i: _name(store, "agency", i) for i in value if isinstance(i, str)})
        elif fld == "case_ids" and isinstance(value, list):
            names.update({i: _name(store, "case", i) for i in value if isinstance(i, str)})
        elif fld == "roles" and isinstance(value, list):
            names.update({r["agency_id"]: _name(store, "agency", r["agency_id"])
                          for r in value if isinstance(r, dict) and "agency_id" in r})
    return names


def _item(store, conflict, workers: dict[str, str]) -> ConflictItem:
    kind, entity_id, fld = conflict.entity, conflict.entity_id, conflict.field
    values = tuple(
        ConflictValue(v.op_id, v.value, v.author, workers.get(v.author, ""), v.site, v.hlc)
        for v in conflict.values)
    record_date = record_kind = case_id = None
    names = _value_names(store, kind, fld, [v.value for v in values])
    if kind == "visit":
        visit = store.visit(entity_id)
        case_id = visit["case_id"]
        record_name = _name(store, "case", case_id)
        record_date = visit["occurred_at"]
    else:
        found = store.get(kind, entity_id, include_deleted=True)
        record_name = _name(store, kind, entity_id)
        if kind == "case":
            case_id = entity_id
        elif kind in ("note", "plan", "comment"):
            case_id = found["case_id"]
        elif kind == "person":
            case_id = _first_case(store, entity_id)
        elif kind == "household":
            members = [p.id for p in store.list_entities("person") if p["household_id"] ==
                       entity_id]
            case_id = next((c for c in (_first_case(store, m) for m in members) if c), None)
        elif kind == "meeting":
            record_date, record_kind = found["held_on"], found["kind"]
            record_name = ""
            case_id = next(iter(found["case_ids"] or ()), None)
    if fld.startswith(CONSENT_PREFIX):
        agency = fld[len(CONSENT_PREFIX):]
        names[agency] = _name(store, "agency", agency)
    return ConflictItem(kind, entity_id, fld, values, record_name, record_date, record_kind,
                        case_id, store.site, names)


def load_conflicts(store) -> list[ConflictItem]:
    """Every open conflict with what the screen shows about it (runs in the background)."""
    conflicts = store.open_conflicts()
    if not conflicts:
        return []
    workers = {w.id: w["name"] or "" for w in store.list_entities("worker", include_deleted=True)}
    items = []
    for conflict in conflicts:
        try:
            items.append(_item(store, conflict, workers))
        except NotFound:
            continue  # the record is not here (yet): nothing a worker could look at
    return items
