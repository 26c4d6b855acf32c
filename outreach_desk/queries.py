"""Read-side queries behind :class:`~outreach_desk.store.Store` (no writes here)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from . import search as search_index
from .changes import Change
from .model import ENTITIES, Conflict, ConsentState, Entity, FieldValue, StageChange, Visit
from .vocab import CaseStage

_JSON_KINDS = {"goals", "roles", "attendees", "case_ids", "stage", "follow_up"}


def _row_to_entity(entity: str, row: tuple, conflicts: tuple[str, ...]) -> Entity:
    spec = ENTITIES[entity]
    entity_id, *values, deleted = row
    decoded = {
        name: json.loads(value) if name in _JSON_KINDS and value is not None else value
        for name, value in zip(spec.field_names, values, strict=True)
    }
    return Entity(entity, entity_id, decoded, bool(deleted), conflicts)


def _select(entity: str) -> str:
    spec = ENTITIES[entity]
    return f"SELECT id, {', '.join(spec.field_names)}, deleted FROM {spec.table}"


def _conflicts_of(db, entity: str) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for entity_id, fld in db.execute(
        "SELECT entity_id, field FROM open_conflicts WHERE entity = ? ORDER BY field", (entity,)
    ):
        found.setdefault(entity_id, []).append(fld)
    return {key: tuple(value) for key, value in found.items()}


def entity(db, kind: str, entity_id: str) -> Entity | None:
    row = db.execute(f"{_select(kind)} WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        return None
    conflicts = tuple(
        r[0] for r in db.execute(
            "SELECT field FROM open_conflicts WHERE entity = ? AND entity_id = ? ORDER BY field",
            (kind, entity_id),
        )
    )
    return _row_to_entity(kind, row, conflicts)


def entities(db, kind: str, *, include_deleted: bool = False) -> list[Entity]:
    where = "" if include_deleted else " WHERE deleted = 0"
    conflicts = _conflicts_of(db, kind)
    return [
        _row_to_entity(kind, row, conflicts.get(row[0], ()))
        for row in db.execute(f"{_select(kind)}{where} ORDER BY id")
    ]


def field_values(engine, kind: str, entity_id: str, fld: str) -> list[FieldValue]:
    return [
        FieldValue(op.id, op.value, op.author, op.site, op.hlc)
        for op in engine.surviving(kind, entity_id, fld)
    ]


def open_conflicts(engine) -> list[Conflict]:
    found = []
    for kind, entity_id, fld in engine.db.execute(
        "SELECT entity, entity_id, field FROM open_conflicts ORDER BY entity, entity_id, field"
    ).fetchall():
        if kind == "visit" or fld.startswith("consent:"):
            values: tuple[FieldValue, ...] = ()  # amendments / consent events carry the detail
        else:
            values = tuple(field_values(engine, kind, entity_id, fld))
        found.append(Conflict(kind, entity_id, fld, values))
    return found


def revisions(engine, kind: str, entity_id: str, fld: str) -> list[FieldValue]:
    """Every value a field ever had, oldest first (e.g. the revisions of a note)."""
    ops = [op for _, op in engine.ops(kind, entity_id, fld)]
    return [
        FieldValue(op.id, op.value, op.author, op.site, op.hlc)
        for op in sorted(ops, key=lambda op: (op.hlc, op.site))
    ]


def stage_history(engine, case_id: str) -> list[StageChange]:
    return [
        StageChange(
            CaseStage(v.value["stage"]), v.value["date"], v.value["reason"], v.author, v.hlc
        )
        for v in revisions(engine, "case", case_id, "stage")
    ]


def consent_events(db, person_id: str) -> list[dict[str, Any]]:
    columns = ("id", "action", "agencies", "method", "given_on", "recorded_by", "note",
               "author", "hlc", "site")
    rows = db.execute(
        f"SELECT {', '.join(columns)} FROM consent_events WHERE person_id = ? ORDER BY hlc, site",
        (person_id,),
    )
    events = [dict(zip(columns, row, strict=True)) for row in rows]
    for event in events:
        event["agencies"] = json.loads(event["agencies"])
    return events


@dataclass(frozen=True)
class CaseHistory:
    """Everything about one case, for the case view and supervision."""

    case: Entity
    person: Entity | None
    household: Entity | None
    members: list[Entity]
    stages: list[StageChange]
    visits: list[Visit]
    notes: list[Entity]
    plans: list[Entity]
    meetings: list[Entity]
    consent: ConsentState | None
    consent_events: list[dict[str, Any]] = field(default_factory=list)
    disclosures: list[dict[str, Any]] = field(default_factory=list)  # 提供の記録, newest first


def case_history(store, case_id: str) -> CaseHistory:
    db = store.db
    case = store.get("case", case_id)
    person = entity(db, "person", case["person_id"]) if case["person_id"] else None
    household_id = case["household_id"] or (person["household_id"] if person else None)
    household = entity(db, "household", household_id) if household_id else None
    members = []
    if household_id:
        members = [
            _row_to_entity("person", row, ())
            for row in db.execute(
                f"{_select('person')} WHERE household_id = ? AND deleted = 0", (household_id,)
            )
        ]

    def of_case(kind: str) -> list[Entity]:
        return [
            _row_to_entity(kind, row, ())
            for row in db.execute(
                f"{_select(kind)} WHERE case_id = ? AND deleted = 0 ORDER BY id", (case_id,)
            )
        ]

    meetings = [
        _row_to_entity("meeting", row, ())
        for row in db.execute(
            f"{_select('meeting')} WHERE deleted = 0 AND id IN "
            "(SELECT meeting_id FROM meeting_cases WHERE case_id = ?) ORDER BY held_on",
            (case_id,),
        )
    ]
    return CaseHistory(
        case=case,
        person=person,
        household=household,
        members=members,
        stages=store.stage_history(case_id),
        visits=store.visits(case_id),
        notes=of_case("note"),
        plans=of_case("plan"),
        meetings=meetings,
        consent=store.consent(person.id) if person else None,
        consent_events=consent_events(db, person.id) if person else [],
        disclosures=store.disclosures(case_id),
    )


@dataclass(frozen=True)
class SearchHit:
    entity: str
    entity_id: str
    case_ids: tuple[str, ...]
    snippet: str


def _hit_text(db, kind: str, entity_id: str) -> tuple[str, tuple[str, ...]]:
    columns = search_index.SEARCHABLE[kind]
    table = ENTITIES[kind].table
    case_column = {"visit": "case_id", "note": "case_id", "case": "id"}.get(kind)
    select = ", ".join(columns) + (f", {case_column}" if case_column else "")
    row = db.execute(f"SELECT {select} FROM {table} WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        return "", ()
    text = search_index.document_text(row[: len(columns)])
    if case_column:
        case_ids: tuple[str, ...] = (row[-1],)
    elif kind == "person":
        case_ids = tuple(r[0] for r in db.execute(
            "SELECT id FROM cases WHERE person_id = ? AND deleted = 0", (entity_id,)))
    elif kind == "household":
        case_ids = tuple(r[0] for r in db.execute(
            "SELECT id FROM cases WHERE deleted = 0 AND (household_id = ? OR person_id IN "
            "(SELECT id FROM persons WHERE household_id = ?))", (entity_id, entity_id)))
    else:
        case_ids = tuple(json.loads(db.execute(
            "SELECT case_ids FROM meetings WHERE id = ?", (entity_id,)).fetchone()[0] or "[]"))
    return text, case_ids


def search(db, query: str, limit: int) -> list[SearchHit]:
    hits = []
    for hit in search_index.find(db, query, limit):
        if hit.entity == "visit":
            # the index holds the effective (amended) text; show that, not the original
            from .records import load_visits

            visit = load_visits(db, visit_id=hit.entity_id)[0]
            text = search_index.document_text(
                visit.effective.get(n) for n in search_index.SEARCHABLE["visit"]
            )
            case_ids: tuple[str, ...] = (visit.effective["case_id"],)
        else:
            text, case_ids = _hit_text(db, hit.entity, hit.entity_id)
        hits.append(SearchHit(hit.entity, hit.entity_id, case_ids,
                              search_index.snippet(text, query)))
    return hits


def counts(db) -> dict[str, int]:
    result = {}
    for kind, spec in ENTITIES.items():
        where = " WHERE deleted = 0" if spec.mutable else ""
        result[kind] = db.execute(f"SELECT count(*) FROM {spec.table}{where}").fetchone()[0]
    result["changes"] = db.execute("SELECT count(*) FROM changes").fetchone()[0]
    result["outbox"] = db.execute("SELECT count(*) FROM outbox").fetchone()[0]
    result["held_changes"] = db.execute("SELECT count(*) FROM held_changes").fetchone()[0]
    result["open_conflicts"] = db.execute("SELECT count(*) FROM open_conflicts").fetchone()[0]
    return result


def _change(row: tuple) -> Change:
    site, seq, hlc, kind, entity_id, fld, value, ctx, author, schema, extra = row
    return Change(site, seq, hlc, kind, entity_id, fld, json.loads(value), tuple(json.loads(ctx)),
                  author, schema, json.loads(extra) if extra else {})


_CHANGE_COLUMNS = "c.site, c.seq, c.hlc, c.entity, c.entity_id, c.field, c.value, c.ctx, " \
    "c.author, c.schema, c.extra"


def changes(db, after: dict[str, int]) -> list[Change]:
    """Every change in the log, per site after the given sequence numbers."""
    rows = db.execute(f"SELECT {_CHANGE_COLUMNS} FROM changes c ORDER BY c.site, c.seq")
    return [_change(row) for row in rows if row[1] > after.get(row[0], 0)]


def outbox(db, limit: int | None) -> list[Change]:
    sql = (f"SELECT {_CHANGE_COLUMNS} FROM outbox o JOIN changes c "
           "ON c.site = o.site AND c.seq = o.seq ORDER BY c.seq")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [_change(row) for row in db.execute(sql)]


def held(db) -> list[tuple[str, str]]:
    return [(f"{site}:{seq}", reason) for site, seq, reason in
            db.execute("SELECT site, seq, reason FROM held_changes ORDER BY site, seq")]


