"""Reference model for tests/test_replication.py: the state a set of changes should produce.

Written from the spec, not from outreach_desk.merge / engine, so that a bug shared by every
replica (they all run the same code) still shows up. Only lists of names are taken from the
package: entity kinds and their fields (outreach_desk.model) and a visit's columns
(outreach_desk.records).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from outreach_desk.changes import Change
from outreach_desk.model import ALIVE, ENTITIES
from outreach_desk.records import VISIT_COLUMNS


def same(a: Any, b: Any) -> bool:
    """Value equality as replicas must agree on it (JSON form, key order ignored)."""
    return json.dumps(a, sort_keys=True, ensure_ascii=False) == json.dumps(
        b, sort_keys=True, ensure_ascii=False
    )


def order_key(change: Change) -> tuple[int, str]:
    return change.hlc, change.site


@dataclass(frozen=True)
class Register:
    """One field: the ops nobody has replaced, and the value shown."""

    survivors: tuple[Change, ...]  # greatest (hlc, site) first

    @property
    def value(self) -> Any:
        return self.survivors[0].value if self.survivors else None

    @property
    def conflict(self) -> bool:
        distinct = []
        for op in self.survivors:
            if not any(same(op.value, seen) for seen in distinct):
                distinct.append(op.value)
        return len(distinct) > 1


def register(ops: Iterable[Change], *, by_record_id: bool = False) -> Register:
    """Survivors of ``ops``: those not named in the context of another of them. Field writes
    are named by op id ("site:seq"); amendments by their record id (``by_record_id``)."""
    ident = (lambda op: op.entity_id) if by_record_id else (lambda op: op.op_id)
    ops = {ident(op): op for op in ops}
    named = {name for op in ops.values() for name in op.ctx}
    alive = [op for key, op in ops.items() if key not in named]
    return Register(tuple(sorted(alive, key=order_key, reverse=True)))


@dataclass
class Expected:
    entities: dict[str, dict[str, dict[str, Any]]]  # kind -> id -> {values, deleted, conflicts}
    conflicts: set[tuple[str, str, str, frozenset[str]]]
    visits: dict[str, dict[str, Any]]  # visit id -> {effective, conflicts, hlc}
    consent: dict[str, dict[str, Any]]  # person id -> expected consent


def expected_state(changes: Iterable[Change]) -> Expected:
    changes = list({(c.site, c.seq): c for c in changes}.values())
    by_field: dict[tuple[str, str], dict[str, list[Change]]] = defaultdict(
        lambda: defaultdict(list)
    )
    visits: dict[str, Change] = {}
    amendments: dict[str, list[Change]] = defaultdict(list)
    consent_events: dict[str, list[Change]] = defaultdict(list)
    for c in changes:
        if c.entity not in ENTITIES:
            continue
        if not c.is_record:
            by_field[(c.entity, c.entity_id)][c.field].append(c)
        elif c.entity == "visit":
            visits[c.entity_id] = c
        elif c.entity == "visit_amendment":
            amendments[c.value["visit_id"]].append(c)
        elif c.entity == "consent_event":
            consent_events[c.value["person_id"]].append(c)

    conflicts: set[tuple[str, str, str, frozenset[str]]] = set()

    consent = {}
    for person_id, events in consent_events.items():
        consent[person_id] = expected_consent(events)
        for agency in consent[person_id]["flagged"]:
            conflicts.add(("person", person_id, f"consent:{agency}", frozenset()))

    entities: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for (kind, entity_id), fields in by_field.items():
        spec = ENTITIES[kind]
        registers = {name: register(ops) for name, ops in fields.items()}
        values = {
            name: registers[name].value if name in registers else None
            for name in spec.field_names
        }
        alive = registers.get(ALIVE, Register(()))
        deleted = any(op.value is False for op in alive.survivors)
        conflicted = [
            name
            for name, reg in registers.items()
            if (name in spec.field_names or name == ALIVE) and reg.conflict
        ]
        for name in conflicted:
            ids = frozenset(op.op_id for op in registers[name].survivors)
            conflicts.add((kind, entity_id, name, ids))
        if kind == "person":
            conflicted += [f"consent:{a}" for a in consent.get(entity_id, {}).get("flagged", ())]
        entities[kind][entity_id] = {
            "values": values,
            "deleted": deleted,
            "conflicts": tuple(sorted(conflicted)),
        }

    expected_visits = {}
    for visit_id, record in visits.items():
        effective = {name: record.value.get(name) for name in VISIT_COLUMNS}
        visit_conflicts = []
        ops = amendments.get(visit_id, [])
        for name in sorted({n for op in ops for n in op.value["changes"]}):
            touching = [
                Change(op.site, op.seq, op.hlc, op.entity, op.entity_id, name,
                       op.value["changes"][name], op.ctx, op.author)
                for op in ops
                if name in op.value["changes"]
            ]
            reg = register(touching, by_record_id=True)
            effective[name] = reg.value
            if reg.conflict:
                visit_conflicts.append(name)
                conflicts.add(("visit", visit_id, name, frozenset()))
        expected_visits[visit_id] = {
            "effective": effective,
            "conflicts": tuple(visit_conflicts),
            "hlc": record.hlc,
        }
    return Expected(dict(entities), conflicts, expected_visits, consent)


def expected_consent(events: list[Change]) -> dict[str, Any]:
    """Per agency: a withdrawal is in force until a grant covering that agency has the
    withdrawal in its causal context; a concurrent grant and withdrawal is withdrawn and
    flagged. A withdrawal naming no agency covers every agency."""

    def agencies(e: Change) -> set[str]:
        return set(e.value.get("agencies") or [])

    def covers(e: Change, agency: str) -> bool:
        return (e.value["action"] == "withdraw" and not agencies(e)) or agency in agencies(e)

    named = set().union(*(agencies(e) for e in events))
    withdrawn, flagged = set(), set()
    for agency in named:
        covering = [e for e in events if covers(e, agency)]
        grants = [e for e in covering if e.value["action"] == "grant"]
        # a consent event's causal context names other events by their record id
        in_force = [
            w
            for w in covering
            if w.value["action"] == "withdraw" and not any(w.entity_id in g.ctx for g in grants)
        ]
        if in_force:
            withdrawn.add(agency)
            if any(not any(g.entity_id in e.ctx for e in covering) for g in grants):
                flagged.add(agency)
    granted = named - withdrawn
    any_withdrawal = any(e.value["action"] == "withdraw" for e in events)
    if not granted:
        status = "withdrawn" if any_withdrawal else "none"
    elif withdrawn:
        status = "partial"
    else:
        status = "granted"
    return {
        "status": status,
        "granted": frozenset(granted),
        "withdrawn": frozenset(withdrawn),
        "flagged": frozenset(flagged),
        "named": frozenset(named),
    }


def latest_visit(visits: dict[str, dict[str, Any]], case_id: str) -> tuple[str | None, int]:
    """The visit a case's row shows as its latest (None: no visit), and how many visits tie
    for it on (effective date-time, recording hlc). Among those the greatest visit id wins,
    so that every replica picks the same one whatever order the visits arrived in."""
    keyed = [
        (datetime.fromisoformat(v["effective"]["occurred_at"]), v["hlc"], visit_id)
        for visit_id, v in visits.items()
        if v["effective"]["case_id"] == case_id
    ]
    if not keyed:
        return None, 0
    top = max(keyed)
    return top[2], sum(1 for key in keyed if key[:2] == top[:2])
