"""The change-log engine: the one place every write goes through.

A local write and a remote change take the same path: the change is appended to the log
(``changes``), local ones also to the ``outbox``, and — in the same transaction, just before
COMMIT — every entity they touched is re-derived from the log: materialised row, open
conflicts, search document, case summary. The derived state is therefore always a function of
the set of changes in the log, whatever order they arrived in.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from . import matching, search
from .changes import RECORD, SCHEMA_VERSION, Change, canonical
from .database import Database, chunks, marks
from .errors import ValidationError
from .hlc import HybridClock
from .merge import Op, is_alive, is_conflict, survivors, winner
from .model import ALIVE, ENTITIES, clean_amendment, clean_fields
from .records import (
    disclosure_row,
    index_visit_order,
    load_visits,
    refresh_case_summaries,
    refresh_consent_summary,
)
from .supervision_records import approval_row, insert_approvals
from .visit_dates import visit_date_problem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChangeSummary:
    """What one committed transaction changed, so each screen can decide whether to refresh."""

    entities: frozenset[tuple[str, str]] = frozenset()
    cases: frozenset[str] = frozenset()
    held: int = 0

    def touches(self, entity: str) -> bool:
        return any(kind == entity for kind, _ in self.entities)


@dataclass
class ApplyResult:
    applied: int = 0
    duplicates: int = 0
    held: list[tuple[str, str]] = field(default_factory=list)  # (op id, reason)
    summary: ChangeSummary = ChangeSummary()


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _column(value: Any) -> Any:
    return _dump(value) if isinstance(value, (list, dict)) else value


class Engine:
    """Applies changes and keeps the derived state; used by :class:`~outreach_desk.store.Store`."""

    def __init__(self, db: Database, wall: Callable[[], int]):
        self.db = db
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        self.site: str = meta["site"]
        self.next_seq = int(meta["next_seq"])
        self.author: str = meta.get("author", self.site)
        self.clock = HybridClock(int(meta["hlc"]), wall)
        self._dirty: set[tuple[str, str]] = set()
        self._dirty_visits: set[str] = set()
        self._dirty_cases: set[str] = set()
        self._dirty_consent: set[str] = set()
        self._held = 0
        self._meta_dirty = False
        self._touched: set[tuple[str, str]] = set()
        self.last_summary = ChangeSummary()
        db.before_commit(self._flush)
        db.after_rollback(self._discard)

    # -- reading the log --------------------------------------------------------------------

    def ops(self, entity: str, entity_id: str, fld: str | None = None) -> list[tuple[str, Op]]:
        sql = (
            "SELECT field, site, seq, hlc, value, ctx, author FROM changes "
            "WHERE entity = ? AND entity_id = ?"
        )
        params: tuple = (entity, entity_id)
        if fld is not None:
            sql += " AND field = ?"
            params += (fld,)
        rows = self.db.execute(sql, params)
        return [
            (f, Op(f"{site}:{seq}", frozenset(json.loads(ctx)), hlc, site, json.loads(value), who))
            for f, site, seq, hlc, value, ctx, who in rows
        ]

    def surviving(self, entity: str, entity_id: str, fld: str) -> list[Op]:
        return survivors(op for _, op in self.ops(entity, entity_id, fld))

    # -- local writes -----------------------------------------------------------------------

    def _local(
        self, entity: str, entity_id: str, fld: str, value: Any, ctx: Iterable[str]
    ) -> Change:
        change = Change(
            site=self.site,
            seq=self.next_seq,
            hlc=self.clock.tick(),
            entity=entity,
            entity_id=entity_id,
            field=fld,
            value=value,
            ctx=tuple(sorted(ctx)),
            author=self.author,
            schema=SCHEMA_VERSION,
        )
        self.next_seq += 1
        self._meta_dirty = True
        self._insert([change], local=True)
        return change

    def write_fields(
        self, entity: str, entity_id: str, values: dict[str, Any], *, new: bool
    ) -> list[Change]:
        """Field writes for a mutable entity, each replacing the values this replica sees.

        Every write also touches the ``_alive`` register, so an edit made concurrently with a
        deletion elsewhere surfaces as a conflict instead of vanishing under the tombstone.
        """
        assert self.db.in_transaction
        values = dict(values)
        values.setdefault(ALIVE, True)
        changes = []
        for fld, value in values.items():
            ctx = () if new else [op.id for op in self.surviving(entity, entity_id, fld)]
            changes.append(self._local(entity, entity_id, fld, value, ctx))
        return changes

    def write_record(
        self, entity: str, record_id: str, value: dict[str, Any], ctx: Iterable[str] = ()
    ) -> Change:
        assert self.db.in_transaction
        return self._local(entity, record_id, RECORD, value, ctx)

    # -- remote changes ---------------------------------------------------------------------

    def apply_remote(self, changes: Iterable[Change]) -> ApplyResult:
        result = ApplyResult()
        with self.db.transaction():
            self._retry_held(result)
            self._receive(list(changes), result)
        result.summary = self.last_summary
        return result

    def _known(self, changes: list[Change]) -> set[tuple[str, int]]:
        """The (site, seq) of ``changes`` already in the log: one query per site and chunk."""
        by_site: dict[str, list[int]] = {}
        for change in changes:
            by_site.setdefault(change.site, []).append(change.seq)
        known: set[tuple[str, int]] = set()
        for site, seqs in by_site.items():
            for chunk in chunks(seqs):
                known.update((site, seq) for (seq,) in self.db.execute(
                    f"SELECT seq FROM changes WHERE site = ? AND seq IN ({marks(chunk)})",
                    (site, *chunk)))
        return known

    def _receive(self, changes: list[Change], result: ApplyResult) -> None:
        """Append remote changes to the log, in order, skipping duplicates and holding aside the
        implausible ones; the rows are written in batches."""
        if not changes:
            return
        known = self._known(changes)
        accepted: list[Change] = []
        held = []
        for change in changes:
            key = (change.site, change.seq)
            if key in known:
                result.duplicates += 1
                continue
            reason = self._hold_reason(change)
            if reason:
                held.append((change.site, change.seq, _dump(change.to_wire()), reason,
                             int(time.time())))
                result.held.append((change.op_id, reason))
                self._held += 1
                continue
            known.add(key)  # the same change twice in one batch
            self.clock.observe(change.hlc)
            if change.site == self.site and change.seq >= self.next_seq:
                # our own change coming back (e.g. after restoring an old backup): never reuse
                self.next_seq = change.seq + 1
            accepted.append(change)
        self.db.executemany(
            "INSERT OR IGNORE INTO held_changes (site, seq, wire, reason, held_at) "
            "VALUES (?, ?, ?, ?, ?)", held)
        if accepted:
            self._meta_dirty = True
            self._insert(accepted, local=False)
            result.applied += len(accepted)

    def _hold_reason(self, change: Change) -> str | None:
        ahead = self.clock.ahead_by_ms(change.hlc)
        if not self.clock.is_plausible(change.hlc):
            return f"clock ahead of this laptop by {ahead // 60000} minutes"
        if change.schema > SCHEMA_VERSION:
            return f"written by a newer version (change format {change.schema})"
        spec = ENTITIES.get(change.entity)
        if spec is None:
            return None  # an entity from a newer version: kept in the log, not shown
        try:
            if change.is_record:
                if spec.mutable:
                    raise ValidationError("field", "record", "a mutable entity has no record")
                value = dict(change.value)
                if change.entity == "visit_amendment":
                    clean_amendment(value.get("changes"))
                cleaned = clean_fields(change.entity, value, complete=True)
                if change.entity == "visit":
                    problem = visit_date_problem(self.db, cleaned)
                    if problem is not None:
                        return f"date out of bounds ({problem.rule}): {problem.message}"
            elif change.field == ALIVE:
                if not isinstance(change.value, bool):
                    raise ValidationError(ALIVE, "type", "must be true or false")
            elif change.field in spec.field_names:
                clean_fields(change.entity, {change.field: change.value}, complete=False)
        except (ValidationError, TypeError, ValueError) as exc:
            return f"invalid value: {exc}"
        return None

    def _retry_held(self, result: ApplyResult) -> None:
        released = []
        for site, seq, wire in self.db.execute("SELECT site, seq, wire FROM held_changes"):
            change = Change.from_wire(json.loads(wire))
            if self._hold_reason(change) is None:
                self.db.execute(
                    "DELETE FROM held_changes WHERE site = ? AND seq = ?", (site, seq)
                )
                released.append(change)
        self._receive(released, result)

    def retry_held(self) -> ApplyResult:
        """Apply held changes that have become plausible (e.g. the local clock caught up)."""
        return self.apply_remote(())

    # -- the one insert path ----------------------------------------------------------------

    def _insert(self, changes: list[Change], *, local: bool) -> None:
        now = int(time.time())
        self.db.executemany(
            "INSERT INTO changes (site, seq, hlc, entity, entity_id, field, value, ctx, author, "
            "schema, extra, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(change.site, change.seq, change.hlc, change.entity, change.entity_id, change.field,
              _dump(change.value), _dump(list(change.ctx)), change.author, change.schema,
              _dump(change.extra) if change.extra else None, now) for change in changes],
        )
        if local:
            self.db.executemany("INSERT INTO outbox (site, seq) VALUES (?, ?)",
                                [(change.site, change.seq) for change in changes])
        visits, amendments, consent, disclosures, approvals, access = [], [], [], [], [], []
        for change in changes:
            if change.entity not in ENTITIES:
                continue  # an entity from a newer version: kept in the log only
            if not change.is_record:
                self._dirty.add((change.entity, change.entity_id))
                continue
            value = change.value
            if change.entity == "visit":
                visits.append((
                    change.entity_id, value["case_id"], value["occurred_at"], value["kind"],
                    _column(value["met_with"]), value.get("narrative"), value.get("reaction"),
                    value["relationship_stage"], value.get("next_action"),
                    value.get("next_action_due"), _column(value.get("companion_workers")),
                    _column(value.get("companion_agencies")), value.get("place"),
                    value.get("duration_minutes"),
                    None if value.get("late_entry_confirmed") is None
                    else int(bool(value["late_entry_confirmed"])),
                    change.author, change.hlc, change.site,
                ))
                self._dirty_visits.add(change.entity_id)
                self._dirty_cases.add(value["case_id"])
            elif change.entity == "visit_amendment":
                amendments.append((
                    change.entity_id, value["visit_id"], _dump(value["changes"]),
                    value["reason"], _dump(list(change.ctx)), change.author, change.hlc,
                    change.site,
                ))
                self._dirty_visits.add(value["visit_id"])
            elif change.entity == "consent_event":
                consent.append((
                    change.entity_id, value["person_id"], value["action"],
                    _dump(value.get("agencies") or []), value["method"], value["given_on"],
                    value["recorded_by"], value.get("note"), _dump(list(change.ctx)),
                    change.author, change.hlc, change.site,
                ))
                self._dirty_consent.add(value["person_id"])
            elif change.entity == "disclosure":
                disclosures.append(disclosure_row(change.entity_id, value, change.author,
                                                  change.hlc, change.site))
                self._touched.add(("disclosure", change.entity_id))
            elif change.entity == "plan_approval":
                approvals.append(approval_row(change.entity_id, value, change.ctx,
                                              change.author, change.hlc, change.site))
                self._touched.add(("plan", value["plan_id"]))
                self._dirty_cases.add(value["case_id"])
            elif change.entity == "access_event":
                access.append((change.entity_id, value["case_id"], value["action"],
                               value["at"], value["by_worker"], change.author, change.hlc,
                               change.site))
                self._touched.add(("access_event", change.entity_id))
        if disclosures:
            self.db.executemany(
                "INSERT OR IGNORE INTO disclosures (id, case_ids, meeting_kind, meeting_date, "
                "basis, reason, agencies, output, produced_at, produced_by, digest, author, hlc, "
                "site) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", disclosures)
        insert_approvals(self.db, approvals)
        if access:
            self.db.executemany(
                "INSERT OR IGNORE INTO access_events (id, case_id, action, at, by_worker, "
                "author, hlc, site) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", access)
        if visits:
            self.db.executemany(
                "INSERT OR IGNORE INTO visits (id, case_id, occurred_at, kind, met_with, "
                "narrative, reaction, relationship_stage, next_action, next_action_due, "
                "companion_workers, companion_agencies, place, duration_minutes, "
                "late_entry_confirmed, author, hlc, site) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", visits)
        if amendments:
            self.db.executemany(
                "INSERT OR IGNORE INTO visit_amendments (id, visit_id, changes, reason, ctx, "
                "author, hlc, site) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", amendments)
        if consent:
            self.db.executemany(
                "INSERT OR IGNORE INTO consent_events (id, person_id, action, agencies, method, "
                "given_on, recorded_by, note, ctx, author, hlc, site) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", consent)

    # -- derived state, just before COMMIT --------------------------------------------------

    def materialize_pending(self) -> None:
        """Bring the rows of entities written so far in this transaction up to date, so later
        writes in the same transaction can refer to them. Visits, consent and case summaries
        wait for the commit (they are read by nothing inside a transaction)."""
        by_entity: dict[str, list[str]] = {}
        for entity, entity_id in sorted(self._dirty):
            by_entity.setdefault(entity, []).append(entity_id)
        for entity, ids in by_entity.items():
            self._materialize(entity, ids)
        self._touched |= self._dirty
        self._dirty.clear()

    def _discard(self) -> None:
        """After a rollback: forget what the rolled-back transaction had pending."""
        for pending in (self._dirty, self._dirty_visits, self._dirty_cases, self._dirty_consent,
                        self._touched):
            pending.clear()
        self._held = 0
        self._meta_dirty = False
        self.next_seq = int(
            self.db.execute("SELECT value FROM meta WHERE key = 'next_seq'").fetchone()[0]
        )

    def _flush(self) -> None:
        self.materialize_pending()
        touched = set(self._touched)
        visit_ids = sorted(self._dirty_visits)
        touched.update(("visit", visit_id) for visit_id in visit_ids)
        self._refresh_visits(visit_ids)
        for person_id in sorted(self._dirty_consent):
            touched.add(("person", person_id))
            self._refresh_consent(person_id)
        refresh_case_summaries(self.db, sorted(self._dirty_cases))
        if self._meta_dirty:
            self.db.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [("next_seq", str(self.next_seq)), ("hlc", str(self.clock.last))],
            )
        self.last_summary = ChangeSummary(
            frozenset(touched), frozenset(self._dirty_cases), self._held
        )
        self._touched.clear()
        self._dirty_visits.clear()
        self._dirty_cases.clear()
        self._dirty_consent.clear()
        self._held = 0
        self._meta_dirty = False

    def _set_conflicts(self, entity: str, fields_by_id: dict[str, Iterable[str]]) -> None:
        """Replace the open conflicts of these records (consent flags are kept apart)."""
        ids = list(fields_by_id)
        for chunk in chunks(ids):
            self.db.execute(
                f"DELETE FROM open_conflicts WHERE entity = ? AND entity_id IN ({marks(chunk)}) "
                "AND field NOT LIKE 'consent:%'",
                (entity, *chunk),
            )
        self.db.executemany(
            "INSERT INTO open_conflicts (entity, entity_id, field) VALUES (?, ?, ?)",
            [(entity, entity_id, fld) for entity_id in ids
             for fld in sorted(fields_by_id[entity_id])],
        )

    def _ops_of(self, entity: str, ids: list[str]) -> dict[str, dict[str, list[Op]]]:
        """Every change to these entities, by id and field: one query per chunk of ids."""
        found: dict[str, dict[str, list[Op]]] = {entity_id: {} for entity_id in ids}
        for chunk in chunks(ids):
            for entity_id, fld, site, seq, hlc, value, ctx, who in self.db.execute(
                "SELECT entity_id, field, site, seq, hlc, value, ctx, author FROM changes "
                f"WHERE entity = ? AND entity_id IN ({marks(chunk)})", (entity, *chunk)
            ):
                found[entity_id].setdefault(fld, []).append(Op(
                    f"{site}:{seq}", frozenset(json.loads(ctx)), hlc, site, json.loads(value),
                    who))
        return found

    def _materialize(self, entity: str, ids: list[str]) -> None:
        """Re-derive the rows of these records of one mutable entity from the log."""
        spec = ENTITIES[entity]
        columns = ("id", *spec.field_names, "deleted", "updated_hlc")
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
        rows, conflicts, documents = [], {}, []
        current_values: dict[str, dict[str, Any] | None] = {}
        for entity_id, by_field in self._ops_of(entity, ids).items():
            current = {fld: survivors(ops) for fld, ops in by_field.items()}
            values = {
                name: winner(current[name]).value if current.get(name) else None
                for name in spec.field_names
            }
            deleted = not is_alive(current.get(ALIVE, []))
            latest = max((op.hlc for ops in by_field.values() for op in ops), default=0)
            rows.append((entity_id, *(_column(values[n]) for n in spec.field_names),
                         int(deleted), latest))
            conflicts[entity_id] = [
                fld for fld, ops in current.items()
                if (fld in spec.field_names or fld == ALIVE) and is_conflict(ops)
            ]
            current_values[entity_id] = None if deleted else values
            if entity in search.SEARCHABLE:
                documents.append((entity_id, None if deleted else
                                  [values[n] for n in search.SEARCHABLE[entity]]))
        self.db.executemany(
            f"INSERT INTO {spec.table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))}) ON CONFLICT (id) DO UPDATE SET {updates}",
            rows,
        )
        self._set_conflicts(entity, conflicts)
        if documents:
            search.index_documents(self.db, entity, documents)
        if entity == "case":
            self._dirty_cases.update(ids)  # the summary columns, at commit
        elif entity == "person":
            matching.index_persons(self.db, current_values)
        elif entity == "meeting":
            for entity_id, values in current_values.items():
                self.db.execute("DELETE FROM meeting_cases WHERE meeting_id = ?", (entity_id,))
                if values is not None:
                    self.db.executemany(
                        "INSERT OR IGNORE INTO meeting_cases (case_id, meeting_id) "
                        "VALUES (?, ?)",
                        [(case_id, entity_id) for case_id in values.get("case_ids") or []
                         if isinstance(case_id, str)],
                    )

    def _refresh_visits(self, visit_ids: list[str]) -> None:
        """Visit order, open conflicts and search documents of visits that are new or amended.
        An amendment that arrived before its visit waits for the visit."""
        visits = load_visits(self.db, visit_ids=visit_ids) if visit_ids else []
        if not visits:
            return
        for visit in visits:
            self._dirty_cases.add(visit.effective["case_id"])
        index_visit_order(self.db, *visits)
        self._set_conflicts("visit", {visit.id: visit.conflicts for visit in visits})
        search.index_documents(self.db, "visit", [
            (visit.id, [visit.effective.get(n) for n in search.SEARCHABLE["visit"]])
            for visit in visits])

    def _refresh_consent(self, person_id: str) -> None:
        state = refresh_consent_summary(self.db, person_id)
        flagged = sorted(f"consent:{agency}" for agency in state.flagged)
        self.db.execute(
            "DELETE FROM open_conflicts WHERE entity = 'person' AND entity_id = ? "
            "AND field LIKE 'consent:%'",
            (person_id,),
        )
        self.db.executemany(
            "INSERT INTO open_conflicts (entity, entity_id, field) VALUES ('person', ?, ?)",
            [(person_id, fld) for fld in flagged],
        )


__all__ = ["ApplyResult", "ChangeSummary", "Engine", "canonical"]
