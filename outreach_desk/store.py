"""The encrypted local store: the one way into a worker's data.

``Store.create`` makes a new store in a folder (key file + SQLCipher database, owner-only);
``Store.open`` unlocks it with the passphrase. Every write method validates its input, then in a
single transaction updates the current state and appends field-level changes to the outbox (see
:mod:`outreach_desk.engine`). Reads return plain dataclasses from :mod:`outreach_desk.model`.

A ``Store`` is not thread-safe; the desktop client drives it from one serialised worker thread.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from uuid6 import uuid7

from . import caseload, keystore, matching, queries, refusals, search
from .atomic import create_private_file, ensure_private_dir
from .caseload import CaseRow
from .changes import Change
from .database import Database
from .engine import ApplyResult, ChangeSummary, Engine
from .errors import (
    NotFound,
    StoreCorrupt,
    StoreExists,
    StoreLocked,
    StoreNotFound,
    StoreTooNew,
    ValidationError,
)
from .hlc import wall_clock_ms
from .merge import consent_state
from .migrations import LATEST_VERSION, migrate
from .model import ALIVE, ENTITIES, ConsentState, Visit, clean_amendment, clean_fields
from .paths import DB_FILE, KEY_FILE
from .records import load_consent_ops, load_disclosures, load_visits
from .store_security import SecurityMixin
from .store_supervision import SupervisionAPI
from .vocab import CaseStage, ConsentAction, Role

log = logging.getLogger(__name__)


def new_id() -> str:
    """A client-made, time-ordered id (UUIDv7)."""
    return str(uuid7())


class Store(SupervisionAPI, SecurityMixin):
    def __init__(self, data_dir: Path, *, wall: Callable[[], int] = wall_clock_ms):
        self.data_dir = Path(data_dir)
        self.key_path = self.data_dir / KEY_FILE
        self.db_path = self.data_dir / DB_FILE
        self._wall = wall
        self._db: Database | None = None
        self._engine: Engine | None = None
        self._listeners: list[Callable[[ChangeSummary], None]] = []

    # -- lifecycle --------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        data_dir: Path | str,
        passphrase: str,
        *,
        worker_name: str | None = None,
        team_name: str | None = None,
        kdf: keystore.KdfParams = keystore.DEFAULT_KDF,
        wall: Callable[[], int] = wall_clock_ms,
    ) -> Store:
        """Make a new, empty store in ``data_dir`` and return it unlocked."""
        store = cls(Path(data_dir), wall=wall)
        if store.key_path.exists() or store.db_path.exists():
            raise StoreExists(f"a store already exists in {store.data_dir}")
        keystore.check_passphrase(passphrase)
        ensure_private_dir(store.data_dir)
        try:
            create_private_file(store.db_path)
            data_key = keystore.create_key_file(store.key_path, passphrase, kdf)
            try:
                db = Database(store.db_path, data_key)
                migrate(db)
                with db.transaction():
                    db.executemany(
                        "INSERT INTO meta (key, value) VALUES (?, ?)",
                        [("site", secrets.token_hex(8)), ("next_seq", "1"), ("hlc", "0")],
                    )
                db.close()
                store._open_with_key(data_key)
            finally:
                keystore.wipe(data_key)
            if worker_name:
                worker_id = new_id()
                store.engine.author = worker_id  # the worker's own record is signed by them too
                with store.batch():
                    team_id = store.add_team(team_name) if team_name else None
                    store.create_entity(
                        "worker", {"name": worker_name, "role": Role.WORKER, "team_id": team_id},
                        entity_id=worker_id,
                    )
                    store.set_author(worker_id)
        except BaseException:
            # a half-made store would ask for a passphrase that opens nothing: remove it
            store.lock()
            for leftover in (store.key_path, store.db_path,
                             *store.data_dir.glob(f"{DB_FILE}-*")):
                leftover.unlink(missing_ok=True)
            raise
        return store

    @classmethod
    def open(
        cls, data_dir: Path | str, passphrase: str, *, wall: Callable[[], int] = wall_clock_ms
    ) -> Store:
        store = cls(Path(data_dir), wall=wall)
        store.unlock(passphrase)
        return store

    def unlock(self, passphrase: str) -> None:
        """Open the database with the passphrase. A wrong one touches no file."""
        if not self.key_path.exists():
            raise StoreNotFound(f"no store in {self.data_dir} (run 'outreach-desk init' first)")
        data_key = keystore.unwrap_data_key(self.key_path, passphrase)
        try:
            self._open_with_key(data_key)
        finally:
            keystore.wipe(data_key)

    def _open_with_key(self, data_key: bytearray) -> None:
        if not self.db_path.exists():
            raise StoreCorrupt(f"the data file {DB_FILE} is missing from {self.data_dir}")
        db = Database(self.db_path, data_key)
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                raise StoreCorrupt(
                    f"the data file {DB_FILE} is empty or was never finished; "
                    "restore it from a backup or re-sync from the server"
                )
            if version > LATEST_VERSION:
                raise StoreTooNew(
                    f"the data file was written by a newer Outreach Desk (schema {version}; "
                    f"this version reads up to {LATEST_VERSION}); please update the app"
                )
            if 0 < version < LATEST_VERSION:
                backup = self.db_path.with_name(f"{DB_FILE}.before-v{LATEST_VERSION}")
                db.backup_to(backup)
                migrate(db)
            if db.execute("SELECT count(*) FROM meta WHERE key = 'site'").fetchone()[0] != 1:
                raise StoreCorrupt(f"the data file {DB_FILE} has no replica identity")
            self._engine = Engine(db, self._wall)
            self._db = db
        except BaseException:
            db.close()
            raise
        self._engine.retry_held()

    def lock(self) -> None:
        """Close the database; the data key is gone from this object until ``unlock``."""
        if self._db is not None:
            self._db.close()
        self._db = None
        self._engine = None

    close = lock

    @property
    def locked(self) -> bool:
        return self._db is None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock()

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-wrap the data key under a new passphrase (atomic; the database is untouched)."""
        if not self.key_path.exists():
            raise StoreNotFound(f"no store in {self.data_dir}")
        keystore.change_passphrase(self.key_path, old, new)

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

    # -- domain writes ----------------------------------------------------------------------

    def add_team(self, name: str) -> str:
        return self.create_entity("team", {"name": name})

    def add_worker(self, name: str, *, team_id: str | None = None, role: Role = Role.WORKER) -> str:
        return self.create_entity("worker", {"name": name, "team_id": team_id, "role": role})

    def add_agency(self, name: str, kind: str | None = None) -> str:
        return self.create_entity("agency", {"name": name, "kind": kind})

    def create_household(self, name: str, district: str, address_note: str | None = None) -> str:
        return self.create_entity(
            "household", {"name": name, "district": district, "address_note": address_note}
        )

    def add_person(
        self,
        name: str,
        kana: str,
        district: str,
        *,
        household_id: str | None = None,
        birth_year: int | None = None,
    ) -> str:
        return self.create_entity(
            "person",
            {"name": name, "kana": kana, "district": district,
             "household_id": household_id, "birth_year": birth_year},
        )

    def open_case(
        self,
        *,
        referral_source: Any,
        district: str,
        person_id: str | None = None,
        household_id: str | None = None,
        opened_on: date | str | None = None,
        referral_note: str | None = None,
        team_id: str | None = None,
        worker_id: str | None = None,
    ) -> str:
        """Open a case at 把握 (identified), dated ``opened_on`` (today by default)."""
        opened_on = opened_on or date.today()
        return self.create_entity(
            "case",
            {
                "person_id": person_id, "household_id": household_id, "team_id": team_id,
                "worker_id": worker_id, "referral_source": referral_source,
                "referral_note": referral_note, "district": district, "opened_on": opened_on,
                "stage": {"stage": CaseStage.IDENTIFIED, "date": opened_on, "reason": ""},
            },
        )

    def change_case_stage(
        self, case_id: str, stage: Any, *, on: date | str | None = None, reason: str = ""
    ) -> None:
        value = {"stage": stage, "date": on or date.today(), "reason": reason}
        self.update("case", case_id, {"stage": value})

    def add_note(self, case_id: str, text: str) -> str:
        """A new 関係づくりメモ on a case."""
        return self.create_entity("note", {"case_id": case_id, "text": text})

    def revise_note(self, note_id: str, text: str) -> None:
        """A new revision that supersedes the revisions this replica sees."""
        self.update("note", note_id, {"text": text})

    def save_plan(
        self,
        case_id: str,
        *,
        goals: list[str],
        monitoring_date: date | str,
        roles: list[dict[str, str]] | None = None,
        plan_id: str | None = None,
    ) -> str:
        values = {"case_id": case_id, "goals": goals, "roles": roles or [],
                  "monitoring_date": monitoring_date}
        if plan_id is None:
            return self.create_entity("plan", values)
        self.update("plan", plan_id, values)
        return plan_id

    def record_meeting(
        self,
        *,
        kind: Any,
        held_on: date | str,
        attendees: list[str],
        case_ids: list[str],
        decisions: str = "",
        next_monitoring_date: date | str | None = None,
    ) -> str:
        return self.create_entity(
            "meeting",
            {"kind": kind, "held_on": held_on, "attendees": attendees, "case_ids": case_ids,
             "decisions": decisions, "next_monitoring_date": next_monitoring_date},
        )

    def record_visit(self, case_id: str, **fields: Any) -> str:
        """Write a 訪問・連絡記録. It can never be edited or deleted afterwards, only amended."""
        cleaned = clean_fields("visit", {"case_id": case_id, **fields}, complete=True)
        self._check_refs("visit", cleaned)
        visit_id = new_id()
        self._write(lambda: self.engine.write_record("visit", visit_id, cleaned))
        return visit_id

    def amend_visit(self, visit_id: str, changes: dict[str, Any], reason: str) -> str:
        """A correction (訂正) that keeps the original visit as written."""
        self._require("visit", visit_id)
        cleaned = clean_fields(
            "visit_amendment",
            {"visit_id": visit_id, "changes": clean_amendment(changes), "reason": reason},
            complete=True,
        )
        seen = [row[0] for row in self.db.execute(
            "SELECT id FROM visit_amendments WHERE visit_id = ?", (visit_id,))]
        amendment_id = new_id()
        self._write(
            lambda: self.engine.write_record("visit_amendment", amendment_id, cleaned, seen)
        )
        return amendment_id

    def record_consent(self, person_id: str, *, agencies: Iterable[str], **fields: Any) -> str:
        """同意: the person agreed their information may go to ``agencies``."""
        return self._consent(person_id, ConsentAction.GRANT, list(agencies), fields)

    def record_withdrawal(
        self, person_id: str, *, agencies: Iterable[str] = (), **fields: Any
    ) -> str:
        """撤回: withdraw consent for ``agencies`` (none named = every agency)."""
        return self._consent(person_id, ConsentAction.WITHDRAW, list(agencies), fields)

    def _consent(self, person_id: str, action: ConsentAction, agencies: list[str], fields) -> str:
        fields.setdefault("given_on", date.today())
        fields.setdefault("recorded_by", self.author)
        cleaned = clean_fields(
            "consent_event",
            {"person_id": person_id, "action": action, "agencies": agencies, **fields},
            complete=True,
        )
        self._check_refs("consent_event", {k: v for k, v in cleaned.items() if k != "recorded_by"})
        ops = load_consent_ops(self.db, person_id)
        seen = {op.id for op in ops}.union(*(op.ctx for op in ops))
        event_id = new_id()
        self._write(lambda: self.engine.write_record("consent_event", event_id, cleaned, seen))
        return event_id

    def record_disclosure(self, **fields: Any) -> str:
        """提供の記録: case information left the app, on a legal basis. Immutable. Called by
        :func:`outreach_desk.disclosure.disclose_meeting_material` inside the transaction that
        decides the output; ``produced_at``/``produced_by`` default to now and this worker."""
        fields.setdefault("produced_at", datetime.now().astimezone())
        fields.setdefault("produced_by", self.author)
        cleaned = clean_fields("disclosure", fields, complete=True)
        self._check_refs("disclosure", cleaned)
        record_id = new_id()
        self._write(lambda: self.engine.write_record("disclosure", record_id, cleaned))
        return record_id

    def disclosures(self, case_id: str | None = None) -> list[dict[str, Any]]:
        """Disclosure records, newest first (those naming ``case_id`` when given)."""
        return load_disclosures(self.db, case_id)

    # -- remote changes (sync) --------------------------------------------------------------

    def apply_remote(self, changes: Iterable[Change]) -> ApplyResult:
        result = self.engine.apply_remote(changes)
        self._notify(result.summary)
        return result

    def retry_held(self) -> ApplyResult:
        return self.apply_remote(())

    def changes(self, *, after_site_seq: dict[str, int] | None = None) -> list[Change]:
        return queries.changes(self.db, after_site_seq or {})

    def outbox(self, limit: int | None = None) -> list[Change]:
        return queries.outbox(self.db, limit)

    def acknowledge(self, through_seq: int) -> int:
        """The server holds every local change up to ``through_seq``: drop them from the outbox."""
        with self.db.transaction():
            return self.db.execute(
                "DELETE FROM outbox WHERE site = ? AND seq <= ?", (self.site, through_seq)
            ).rowcount

    def held_changes(self) -> list[tuple[str, str]]:
        return queries.held(self.db)

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



    # -- sync state ---------------------------------------------------------------------------
    # Where this replica stands with the sync server, kept in ``meta`` (same encrypted file):
    # ``sync.pull_cursor`` (the server_seq applied through), ``sync.pull_marker`` (the op id of
    # the change at that server_seq: if the server later shows another change there, it is not
    # the history we pulled from, e.g. restored from a backup or another server) and
    # ``sync.acked_through`` (this device's highest seq the server last acknowledged). The
    # server's address is not stored here: it comes from the settings or the command line.

    _SYNC_KEYS = ("sync.pull_cursor", "sync.pull_marker", "sync.acked_through")

    def sync_state(self) -> dict[str, Any]:
        """``pull_cursor``, ``pull_marker`` (or None), ``acked_through``, ``last_seq`` (this
        device's newest change) and ``pending`` (changes in the outbox)."""
        rows = dict(self.db.execute(
            "SELECT key, value FROM meta WHERE key IN (?, ?, ?)", self._SYNC_KEYS).fetchall())
        return {
            "pull_cursor": int(rows.get("sync.pull_cursor", 0)),
            "pull_marker": rows.get("sync.pull_marker") or None,
            "acked_through": int(rows.get("sync.acked_through", 0)),
            "last_seq": self.engine.next_seq - 1,
            "pending": self.pending_count(),
        }

    def pending_count(self) -> int:
        """Local changes the server has not acknowledged yet."""
        return self.db.execute("SELECT count(*) FROM outbox").fetchone()[0]

    def _set_meta(self, values: dict[str, str]) -> None:
        self.db.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            list(values.items()),
        )

    def apply_pulled(
        self, changes: Iterable[Change], cursor: int, marker: str | None = None
    ) -> ApplyResult:
        """Apply one page of pulled changes and move the pull cursor to ``cursor`` in one
        transaction: after a crash either both happened or neither. ``marker`` is the op id of
        the change at ``cursor`` (None when unknown)."""
        with self.batch():
            result = self.engine.apply_remote(changes)  # joins this transaction
            self._set_meta({"sync.pull_cursor": str(int(cursor)),
                            "sync.pull_marker": marker or ""})
        result.summary = self.engine.last_summary
        return result

    def restart_pull(self) -> None:
        """Pull everything again from the start (the server's history is not the one pulled
        from). Nothing local is dropped: changes already held come back as duplicates."""
        with self.db.transaction():
            self._set_meta({"sync.pull_cursor": "0", "sync.pull_marker": ""})

    def record_ack(self, acked_through: int,
                   refused: Iterable[tuple[int, str]] = ()) -> int:
        """The server holds this device's changes through ``acked_through``: drop them from the
        outbox and remember the figure, in one transaction. Returns how many were dropped.
        ``refused``: ``(seq, reason)`` of changes the server stored as refused, kept in the
        same transaction for the worker to see (送信できなかった変更, :mod:`refusals`).

        The figure is stored as the server said it, even when lower than before (a server
        restored from a backup): the changes it lost are re-sent from the change log."""
        with self.db.transaction():
            dropped = self.db.execute(
                "DELETE FROM outbox WHERE site = ? AND seq <= ?", (self.site, int(acked_through))
            ).rowcount
            self._set_meta({"sync.acked_through": str(int(acked_through))})
            refusals.record(self.db, self.site, refused, self._wall())
        return dropped

    def own_changes_after(self, seq: int, limit: int) -> list[Change]:
        """This device's changes with a sequence number above ``seq``, oldest first, read from
        the change log (the outbox may no longer hold changes a server has lost)."""
        rows = self.db.execute(
            f"SELECT {queries._CHANGE_COLUMNS} FROM changes c WHERE c.site = ? AND c.seq > ? "
            "ORDER BY c.seq LIMIT ?",
            (self.site, int(seq), int(limit)),
        )
        return [queries._change(row) for row in rows]

    def own_changes_count(self, after_seq: int) -> int:
        return self.db.execute(
            "SELECT count(*) FROM changes WHERE site = ? AND seq > ?", (self.site, int(after_seq))
        ).fetchone()[0]

    # The device's enrollment with the sync server (issued once by the server for this laptop):
    # its credential and who it was enrolled for. Inside the encrypted file only.

    _ENROLLMENT_KEYS = ("sync.server", "sync.token", "sync.login", "sync.role", "sync.teams",
                        "sync.team_ids")

    def set_enrollment(self, server: str, token: str, login: str, role: str,
                       teams: list[str], team_ids: list[str] | None = None, *,
                       unlock_secret: str | None = None, max_offline_days: int | None = None,
                       server_ms: int | None = None) -> None:
        """Keep the enrollment; with it, the offline policy the server sent (its limit, its
        time, and the secret its one-time unlock codes are made with)."""
        with self.db.transaction():
            self._set_meta(dict(zip(self._ENROLLMENT_KEYS, (
                server, token, login, role, json.dumps(teams, ensure_ascii=False),
                json.dumps(team_ids or [])), strict=True)))
            self._set_meta({"offline.secret": unlock_secret or "", "offline.used": "[]",
                            "offline.unlocked_ms": ""})
            self._server_contact(server_ms, max_offline_days)

    def adopt_teams(self, teams: list[tuple[str, str]]) -> bool:
        """The server's teams this laptop was enrolled into, as ``team`` records under the
        server's ids (so a case's ``team_id`` names a team the server knows), and the worker
        of this laptop moved into the first of them if it is in none. A team this laptop made
        itself under the same name (at first run, before it was enrolled) is linked to the
        server's: its cases and workers move to the server's team and it is archived. Says
        whether it wrote anything (after a pull, usually nothing: the team's first laptop
        wrote them)."""
        before = self.engine.next_seq
        with self.batch():
            for team_id, name in teams:
                found = queries.entity(self.db, "team", team_id)
                if found is None:
                    self.create_entity("team", {"name": name}, entity_id=team_id)
                else:
                    if found.deleted:
                        self.restore("team", team_id)
                    if found["name"] != name:
                        self.update("team", team_id, {"name": name})
                self._link_local_team(team_id, name)
            worker = self.worker()
            ids = [team_id for team_id, _ in teams]
            if worker is not None and ids and worker["team_id"] not in ids:
                self.update("worker", worker.id, {"team_id": ids[0]})
        return self.engine.next_seq != before

    def _link_local_team(self, team_id: str, name: str) -> None:
        """Move what belongs to a local team named ``name`` into the server's ``team_id``."""
        local = [row[0] for row in self.db.execute(
            "SELECT id FROM teams WHERE name = ? AND id != ? AND deleted = 0", (name, team_id))]
        for local_id in local:
            for table, entity in (("cases", "case"), ("workers", "worker")):
                for (entity_id,) in self.db.execute(
                        f"SELECT id FROM {table} WHERE team_id = ? AND deleted = 0",
                        (local_id,)).fetchall():
                    self.update(entity, entity_id, {"team_id": team_id})
            self.archive("team", local_id)

    def set_server_ca(self, pem: str | None) -> None:
        """The certificate authority the server's certificate must come from (PEM), or None
        for the system's certificate store."""
        with self.db.transaction():
            self._set_meta({"sync.ca_pem": pem or ""})

    def server_ca(self) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'sync.ca_pem'").fetchone()
        return (row[0] or None) if row else None

    def wipe(self) -> None:
        """Delete this store for good: the database (with its WAL) and the key file. Used when
        the server says this laptop was revoked. Unsynced changes are lost, by design."""
        self.lock()
        for path in (self.db_path, *self.data_dir.glob(f"{DB_FILE}-*"),
                     *self.data_dir.glob(f"{DB_FILE}.*"), self.key_path):
            path.unlink(missing_ok=True)
        log.warning("store in %s wiped", self.data_dir)

    # -- end of sync state --------------------------------------------------------------------
