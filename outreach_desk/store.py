"""The encrypted local store: the one way into a worker's data.

``Store.create`` makes a new store in a folder (key file + SQLCipher database, owner-only);
``Store.open`` unlocks it with the passphrase. Every write method validates its input, then in a
single transaction updates the current state and appends field-level changes to the outbox (see
:mod:`outreach_desk.engine`). Reads return plain dataclasses from :mod:`outreach_desk.model`.

A ``Store`` is not thread-safe; the desktop client drives it from one serialised worker thread.

The class is put together from mixins, each in its own module: the lifecycle
(:mod:`~outreach_desk.store_lifecycle`), the domain writes (:mod:`~outreach_desk.store_domain`),
sync (:mod:`~outreach_desk.store_sync`), supervision (:mod:`~outreach_desk.store_supervision`)
and access (:mod:`~outreach_desk.store_security`). This module keeps the connection, the write
path, the generic entity writes, the reads and the drafts.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from . import caseload, matching, queries, search
from .caseload import CaseRow
from .changes import Change
from .database import Database
from .engine import ChangeSummary, Engine
from .errors import NotFound, StoreLocked, ValidationError
from .hlc import wall_clock_ms
from .ids import new_id
from .merge import consent_state
from .model import ALIVE, ENTITIES, ConsentState, Visit, clean_fields
from .paths import DB_FILE, KEY_FILE
from .records import load_consent_ops, load_visits
from .store_domain import DomainWritesMixin
from .store_lifecycle import LifecycleMixin
from .store_security import SecurityMixin
from .store_supervision import SupervisionAPI
from .store_sync import SyncStateMixin

log = logging.getLogger(__name__)


class Store(LifecycleMixin, DomainWritesMixin, SyncStateMixin, SupervisionAPI, SecurityMixin):
    def __init__(self, data_dir: Path, *, wall: Callable[[], int] = wall_clock_ms):
        self.data_dir = Path(data_dir)
        self.key_path = self.data_dir / KEY_FILE
        self.db_path = self.data_dir / DB_FILE
        self._wall = wall
        self._db: Database | None = None
        self._engine: Engine | None = None
        self._listeners: list[Callable[[ChangeSummary], None]] = []

    @property
    def db(self) -> Database:
        if self._db is None:
            raise StoreLocked("the store is locked")
        return self._db

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise StoreLocked("the store is locked")
        return self._engine

    @property
    def site(self) -> str:
        return self.engine.site

    @property
    def author(self) -> str:
        return self.engine.author

    def set_author(self, worker_id: str) -> None:
        """Whose name goes on the changes this replica makes from now on."""
        self._require("worker", worker_id)
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO meta (key, value) VALUES ('author', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (worker_id,),
            )
        self.engine.author = worker_id

    # -- change notification ----------------------------------------------------------------

    def subscribe(self, listener: Callable[[ChangeSummary], None]) -> None:
        """Call ``listener`` after every committed write with what it changed."""
        self._listeners.append(listener)

    def _notify(self, summary: ChangeSummary) -> None:
        # The data is already committed: a failing screen must not make it look unsaved.
        for listener in list(self._listeners):
            try:
                listener(summary)
            except Exception:
                log.exception("a change listener failed")

    def _write(self, work: Callable[[], Any]) -> Any:
        outermost = not self.db.in_transaction
        with self.db.transaction():
            result = work()
            self.engine.materialize_pending()
        if outermost:
            self._notify(self.engine.last_summary)
        return result

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group many writes into one transaction (demo data, imports); all or nothing."""
        outermost = not self.db.in_transaction
        with self.db.transaction():
            yield
        if outermost:
            self._notify(self.engine.last_summary)

    # -- generic entity writes --------------------------------------------------------------

    @staticmethod
    def _mutable(entity: str) -> None:
        if not ENTITIES[entity].mutable:
            raise ValueError(f"{entity} is a record: never edited or deleted, only amended")

    def _require(self, entity: str, entity_id: str) -> None:
        table = ENTITIES[entity].table
        extra = "" if not ENTITIES[entity].mutable else " AND deleted = 0"
        found = self.db.execute(f"SELECT 1 FROM {table} WHERE id = ?{extra}", (entity_id,))
        if not found.fetchone():
            raise NotFound(entity, entity_id)

    def _check_refs(self, entity: str, values: dict[str, Any]) -> None:
        for fspec in ENTITIES[entity].fields:
            value = values.get(fspec.name)
            if fspec.ref is None or value is None:
                continue
            items = value if isinstance(value, list) else [value]
            for item in items:
                ref_id = item["agency_id"] if isinstance(item, dict) else item
                try:
                    self._require(fspec.ref, ref_id)
                except NotFound:
                    raise ValidationError(
                        fspec.name, "ref", f"names a {fspec.ref} that does not exist"
                    ) from None

    def create_entity(
        self, entity: str, values: dict[str, Any], *, entity_id: str | None = None
    ) -> str:
        """Create a mutable entity; returns its new id."""
        self._mutable(entity)
        cleaned = clean_fields(entity, values, complete=True)
        self._check_refs(entity, cleaned)
        entity_id = entity_id or new_id()
        self._write(lambda: self.engine.write_fields(entity, entity_id, cleaned, new=True))
        return entity_id

    def update(self, entity: str, entity_id: str, values: dict[str, Any]) -> list[Change]:
        """Change some fields. Each write replaces exactly the values this replica sees, so
        writing a field that is in conflict resolves that conflict."""
        self._mutable(entity)
        self._require(entity, entity_id)
        cleaned = clean_fields(entity, values, complete=False)
        self._check_refs(entity, cleaned)
        return self._write(lambda: self.engine.write_fields(entity, entity_id, cleaned, new=False))

    def archive(self, entity: str, entity_id: str) -> None:
        """Tombstone a mutable entity (削除・アーカイブ); its history stays in the log."""
        self._mutable(entity)
        self._require(entity, entity_id)
        self._write(lambda: self.engine.write_fields(entity, entity_id, {ALIVE: False}, new=False))

    def restore(self, entity: str, entity_id: str) -> None:
        """Undelete: a write that has seen the tombstone and replaces it."""
        self._mutable(entity)
        if not self.db.execute(
            f"SELECT 1 FROM {ENTITIES[entity].table} WHERE id = ?", (entity_id,)
        ).fetchone():
            raise NotFound(entity, entity_id)
        self._write(lambda: self.engine.write_fields(entity, entity_id, {ALIVE: True}, new=False))

    def resolve_conflict(self, entity: str, entity_id: str, field: str, value: Any) -> None:
        """Settle a conflict with a chosen or merged value; it replaces every value seen."""
        if field == ALIVE:
            # settling an edit-vs-delete conflict: the entity is shown deleted meanwhile, so
            # write the chosen lifecycle value directly instead of going through archive()
            self._mutable(entity)
            self.get(entity, entity_id, include_deleted=True)
            value = bool(value)
            self._write(
                lambda: self.engine.write_fields(entity, entity_id, {ALIVE: value}, new=False)
            )
            return
        self.update(entity, entity_id, {field: value})

    # -- reads ------------------------------------------------------------------------------

    def get(self, entity: str, entity_id: str, *, include_deleted: bool = False):
        found = queries.entity(self.db, entity, entity_id)
        if found is None or (found.deleted and not include_deleted):
            raise NotFound(entity, entity_id)
        return found

    def list_entities(self, entity: str, *, include_deleted: bool = False):
        return queries.entities(self.db, entity, include_deleted=include_deleted)

    def field_values(self, entity: str, entity_id: str, field: str):
        """Every surviving value of a field: one normally, several during a conflict."""
        return queries.field_values(self.engine, entity, entity_id, field)

    def open_conflicts(self):
        return queries.open_conflicts(self.engine)

    def visits(self, case_id: str) -> list[Visit]:
        return load_visits(self.db, case_id=case_id)

    def visit(self, visit_id: str) -> Visit:
        found = load_visits(self.db, visit_id=visit_id)
        if not found:
            raise NotFound("visit", visit_id)
        return found[0]

    def consent(self, person_id: str) -> ConsentState:
        return consent_state(load_consent_ops(self.db, person_id))

    def consent_events(self, person_id: str) -> list[dict[str, Any]]:
        return queries.consent_events(self.db, person_id)

    def stage_history(self, case_id: str):
        return queries.stage_history(self.engine, case_id)

    def note_revisions(self, note_id: str):
        return queries.revisions(self.engine, "note", note_id, "text")

    def case_history(self, case_id: str) -> queries.CaseHistory:
        return queries.case_history(self, case_id)

    def search(self, query: str, limit: int = 50):
        return queries.search(self.db, query, limit)

    def counts(self) -> dict[str, int]:
        return queries.counts(self.db)

    def integrity_check(self) -> list[str]:
        """``["ok"]`` when the file is sound and the search indexes agree with what they index
        (``PRAGMA integrity_check`` does not look inside FTS5 indexes); else one line per
        problem."""
        problems = self.db.integrity_check()
        if problems != ["ok"]:
            return problems
        return search.check_indexes(self.db) or ["ok"]

    def worker(self):
        """The worker this replica writes as (``None`` before one is set)."""
        author = self.author
        found = queries.entity(self.db, "worker", author) if author else None
        return None if found is None or found.deleted else found

    def caseload(self, case_ids: Iterable[str] | None = None) -> list[CaseRow]:
        """Rows for the caseload screen: every case (or only ``case_ids``)."""
        return caseload.caseload(self.db, case_ids=case_ids)

    def cases_of(self, person_id: str) -> list[CaseRow]:
        """The cases (not archived) of one person, open ones first."""
        ids = [row[0] for row in self.db.execute(
            "SELECT id FROM cases WHERE person_id = ? AND deleted = 0", (person_id,))]
        return sorted(self.caseload(ids), key=lambda row: (not row.is_open, row.case_id))

    def follow_ups(self, today: date | None = None) -> caseload.FollowUps:
        return caseload.follow_ups(self.caseload(), today or date.today())

    def person_candidates(self, **person: Any) -> list[matching.Candidate]:
        """名寄せ: people already in the store who may be the one about to be entered."""
        return matching.candidates(self.db, **person)

    # -- drafts (local only: never synced, never in the change log) -------------------------

    def save_draft(self, key: str, kind: str, payload: dict[str, Any]) -> None:
        """Keep what was typed into an unsaved form, encrypted in the store."""
        text = json.dumps(payload, ensure_ascii=False, default=str)
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO drafts (key, kind, payload, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, "
                "payload = excluded.payload, updated_at = excluded.updated_at",
                (key, kind, text, self._wall()),
            )

    def draft(self, key: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT payload FROM drafts WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def drafts(self, kind: str | None = None) -> list[tuple[str, str, dict[str, Any]]]:
        """(key, kind, payload) of every draft, newest first."""
        rows = self.db.execute(
            "SELECT key, kind, payload FROM drafts WHERE ? IS NULL OR kind = ? "
            "ORDER BY updated_at DESC", (kind, kind)).fetchall()
        return [(key, k, json.loads(payload)) for key, k, payload in rows]

    def discard_draft(self, key: str) -> None:
        with self.db.transaction():
            self.db.execute("DELETE FROM drafts WHERE key = ?", (key,))
