"""Storage of the sync server: SQLAlchemy 2 Core over an SQLite file or PostgreSQL.

Two tables (created by the Alembic migrations in ``migrations/``):

- ``changes``: one row per stored change. ``server_seq`` is the server's order (1, 2, 3 … with
  no repeats; the numbers a moved case's redeliveries take, ``redelivery.py``, are the only
  holes), ``(site, seq)`` is unique, ``body`` is the change's JSON text as it arrived (unknown
  fields included) sealed with the server's data key (``data_key.py``: AES-256-GCM bound to
  ``(site, seq)``), ``received_at`` when it arrived, ``team_id`` and ``case_id`` what the team
  scoping decided, ``entity`` and ``entity_id`` the record it changes (ids, in the clear, so a
  case move finds its person's changes without opening every body). The changes of one push are
  numbered consecutively.
- ``devices``: per device (``site``), ``acked_through`` = the highest sequence number such that
  the server holds every change 1 … acked_through of that device.

Writes are serialized: one process-level lock, and inside the transaction a database-level one
(``BEGIN IMMEDIATE`` on SQLite, a transaction-scoped advisory lock on PostgreSQL, so that several
processes on one database stay correct too). ``server_seq`` is the previous maximum plus one,
taken under that lock (the maximum over changes and redeliveries), so numbers become visible in
the order they were given: a reader that has seen ``server_seq`` N has seen every change below N,
and a puller's cursor never skips one.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url

from .data_key import (SEALING, DataKey, DataKeyError, KeySource, change_aad, create_dek,
                       data_keys_table, key_source, load_dek)

log = logging.getLogger("sync.server")
metadata = sa.MetaData()

# INTEGER PRIMARY KEY is SQLite's rowid; BIGINT everywhere else.
SERVER_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

changes = sa.Table(
    "changes",
    metadata,
    sa.Column("server_seq", SERVER_SEQ, primary_key=True, autoincrement=False),
    sa.Column("site", sa.String(80), nullable=False),
    sa.Column("seq", sa.BigInteger(), nullable=False),
    sa.Column("body", sa.LargeBinary(), nullable=False),  # sealed (data_key.change_aad)
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    # the team the change belongs to (None: shared reference data), decided by the server
    sa.Column("team_id", sa.String(40), nullable=True),
    sa.Column("refused", sa.Text(), nullable=True),  # why, when refused (stored, never served)
    # the case the change belongs to (a case, a record under it), decided with the team
    sa.Column("case_id", sa.String(80), nullable=True),
    sa.Column("entity", sa.String(64), nullable=True),  # the record changed (ids only)
    sa.Column("entity_id", sa.String(80), nullable=True),
    sa.UniqueConstraint("site", "seq", name="uq_changes_site_seq"),
    sa.Index("ix_changes_team_seq", "team_id", "server_seq"),
    sa.Index("ix_changes_case", "case_id"),
    sa.Index("ix_changes_entity", "entity", "entity_id"),
)

devices = sa.Table(
    "devices",
    metadata,
    sa.Column("site", sa.String(80), primary_key=True),
    sa.Column("acked_through", sa.BigInteger(), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

data_keys = data_keys_table(metadata)  # the data key, wrapped under each key-encryption key

PG_WRITE_LOCK = 0x6F75_7472_6561_6368  # pg_advisory_xact_lock key ("outreach")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class DatabaseURLError(ValueError):
    pass


def database_url(text: str) -> URL:
    """``sqlite:///path``, ``postgresql+psycopg://…`` (``postgresql://`` means psycopg 3), or a
    bare file path (an SQLite file)."""
    if "://" not in text:
        if not text.strip():
            raise DatabaseURLError("empty database URL")
        return URL.create("sqlite", database=str(Path(text).expanduser().resolve()))
    try:
        url = make_url(text)
    except Exception as exc:  # noqa: BLE001 (any parse failure is the user's URL)
        raise DatabaseURLError(f"not a database URL: {text!r}") from exc
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:") or url.database.startswith("file:"):
            raise DatabaseURLError("the server needs an SQLite *file* (sqlite:///path/to/file.db)")
        return url
    if url.get_backend_name() in ("postgresql", "postgres"):
        if url.get_driver_name() in ("", "psycopg2", "postgres", "postgresql"):
            url = url.set(drivername="postgresql+psycopg")
        return url
    raise DatabaseURLError(
        f"unsupported database {url.get_backend_name()!r} (sqlite or postgresql)")


def create_db_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        path = Path(url.database)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not path.exists():  # personal data: readable by the server's user only (SQLite gives
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # -wal/-shm the same mode)
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=8,
            max_overflow=24,
            pool_timeout=60,
            hide_parameters=True,  # an error's message never quotes a record
        )

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection, _record) -> None:
            # The driver's own transaction handling is switched off; "begin" below issues BEGIN.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged change survives power loss
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            # what is deleted or overwritten (the plaintext an upgrade replaces) is zeroed
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Connection) -> None:
            mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
            connection.exec_driver_sql(f"BEGIN {mode}")

        return engine
    return sa.create_engine(url, pool_size=10, max_overflow=30, pool_timeout=60,
                            pool_pre_ping=True,
                            hide_parameters=True)  # an error's message never quotes a record


@dataclass(frozen=True)
class Incoming:
    seq: int
    body: str  # the change's JSON text
    withdrawal: bool  # a withdrawal of consent: stored even when its batch is refused
    change: dict | None = None  # entity, entity_id, field, value: for the team scoping
    # why the change is stored as refused before any scoping (it does not match the protocol:
    # ``push_body.parse_push_verdicts``); its body is then a placeholder, never served
    refused: str | None = None


@dataclass(frozen=True)
class PushOutcome:
    acked_through: int
    stored: int
    cursor: int
    gap: bool  # the batch was refused (only withdrawals of it were stored)
    refused: tuple[tuple[int, str], ...] = ()  # (seq, why) stored as refused by this push
    history: str | None = None  # the history's digest at ``cursor`` (``history.py``)


@dataclass(frozen=True)
class Page:
    rows: list[tuple[int, bytes]]  # (server_seq, the change's JSON in UTF-8)
    more: bool
    case_ids: frozenset[str] = frozenset()  # the cases the page's changes belong to
    history: str | None = None  # the history's digest at the page's last number


def contiguous_from(start: int, held: Iterable[int]) -> int:
    present = set(held)
    run = start
    while run + 1 in present:
        run += 1
    return run


class Database:
    """``key_file``: where the key-encryption key is (``data_key.key_source``: default
    ``$OUTREACH_SYNC_KEK``, else ``<name>.kek`` beside an SQLite database)."""

    def __init__(self, url: str | URL, key_file: str | Path | None = None) -> None:
        self.url = url if isinstance(url, URL) else database_url(url)
        self.backend = self.url.get_backend_name()
        self.key_file = key_file
        self.engine = create_db_engine(self.url)
        self._write_lock = threading.Lock()
        self._key: DataKey | None = None

    @property
    def key_source(self) -> KeySource:
        return key_source(self.url, self.key_file)

    @property
    def data_key(self) -> DataKey:
        """The data key (read and unwrapped once), or :class:`DataKeyError`."""
        if self._key is None:
            source = self.key_source
            try:
                with self.reading() as conn:
                    dek = load_dek(conn, data_keys, source)
            except sa.exc.DBAPIError:
                dek = None  # not migrated yet
            if dek is None:
                raise DataKeyError(f"{self.describe()} has no data key yet: run "
                                   "outreach-sync-server admin init")
            self._key = DataKey(dek)
        return self._key

    def has_data_key(self) -> bool:
        """Whether the database holds a (wrapped) data key."""
        try:
            with self.reading() as conn:
                return bool(conn.scalar(sa.select(sa.func.count()).select_from(data_keys)))
        except sa.exc.DBAPIError:
            return False  # not migrated that far yet

    def migration_key(self, conn: Connection) -> DataKey:
        """The data key inside a migration's transaction: made (with its key file, unless one
        is there) for a database that has none yet."""
        if self._key is None:
            dek = load_dek(conn, data_keys, self.key_source)
            if dek is None:
                dek, _ = create_dek(conn, data_keys, self.key_source)
            self._key = DataKey(dek)
        return self._key

    def describe(self) -> str:
        return self.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    # -- transactions -------------------------------------------------------------------------

    @contextmanager
    def writing(self, *, rebuilding: bool = False) -> Iterator[Connection]:
        """One write transaction at a time (in this process and across processes).
        ``rebuilding`` (migrations): SQLite's foreign keys are off for the transaction, so that
        a table others reference can be rebuilt, and checked as a whole before it commits."""
        with self._write_lock, self.engine.connect() as conn:
            off = rebuilding and self.backend == "sqlite"
            if self.backend == "sqlite":
                conn.execution_options(sqlite_begin="IMMEDIATE")
            if off:  # outside a transaction (there the pragma does nothing)
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
            try:
                with conn.begin():
                    if self.backend == "postgresql":
                        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"),
                                     {"key": PG_WRITE_LOCK})
                    yield conn
                    if off and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                        raise sa.exc.IntegrityError("PRAGMA foreign_key_check", None,
                                                    Exception("a reference is broken"))
            finally:
                if off:
                    conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    # -- schema --------------------------------------------------------------------------------

    def migrate(self) -> None:
        """``alembic upgrade head``, under the write lock (two servers starting at once on one
        database do not both migrate)."""
        from alembic import command
        from alembic.runtime.migration import MigrationContext

        with self.writing(rebuilding=True) as conn:
            before = MigrationContext.configure(conn).get_current_revision()
            config = alembic_config(conn)
            config.attributes["data_key"] = lambda: self.migration_key(conn)
            command.upgrade(config, "head")
            after = MigrationContext.configure(conn).get_current_revision()
            _history.extend(conn)  # the numbers an older server (or a restored copy) gave
            self.migration_key(conn)  # the key opens the database, or the server stops here
        if before != after:
            log.info("migrated %s from revision %s to %s", self.describe(), before, after)

    def revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.reading() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    # -- the protocol's operations ---------------------------------------------------------------

    def push(self, device: str, batch: list[Incoming],
             audit_entry: dict | None = None, principal=None,
             on_stored: Callable[[Connection, list[Incoming]], None] | None = None
             ) -> PushOutcome:
        """Store a device's batch (distinct seqs), or refuse it if it would leave a gap.
        ``audit_entry`` (``audit.append``'s arguments) is recorded in the same transaction, its
        case ids completed with the cases the team scoping found for the stored changes, and
        ``on_stored(conn, items)`` is called there too with the changes stored now and not
        refused (the audit entries of records that are audit events)."""
        seqs = sorted(item.seq for item in batch)
        now = datetime.now(UTC)
        seal = self.data_key.seal_text
        with self.writing() as conn:
            acked = conn.scalar(
                sa.select(devices.c.acked_through).where(devices.c.site == device))
            known = acked is not None
            acked = acked or 0
            held: set[int] = set()
            if seqs:
                held = set(conn.scalars(sa.select(changes.c.seq).where(
                    changes.c.site == device, changes.c.seq.between(seqs[0], seqs[-1]))))
            # held above the contiguous run: withdrawals stored ahead of a gap
            ahead = set(conn.scalars(sa.select(changes.c.seq).where(
                changes.c.site == device, changes.c.seq > acked)))
            new = sorted((item for item in batch if item.seq not in held), key=lambda i: i.seq)
            run = contiguous_from(acked, ahead.union(seqs))
            gap = bool(seqs) and seqs[-1] > run
            if gap:
                new = [item for item in new if item.withdrawal]
                run = contiguous_from(acked, ahead.union(item.seq for item in new))
            cursor = latest_seq(conn)
            decisions, moves = self._scope(
                conn, principal, [item for item in new if item.refused is None])
            if audit_entry is not None:  # with the cases the scoping found (a note's edit …)
                from .audit import append

                found = {case for _, _, case in decisions.values() if case}
                append(conn, **{**audit_entry, "case_ids": sorted(
                    found.union(audit_entry.get("case_ids", ())))})
            rows, refused = [], []
            for item in new:
                cursor += 1
                team, why, case_id = decisions.get(item.seq, (None, None, None))
                why = item.refused or why
                about = item.change or {}
                rows.append({"server_seq": cursor, "site": device, "seq": item.seq,
                             "body": seal(item.body, change_aad(device, item.seq)),
                             "received_at": now, "team_id": team, "refused": why,
                             "case_id": case_id, "entity": _id_or_none(about.get("entity"), 64),
                             "entity_id": _id_or_none(about.get("entity_id"), 80)})
                if why:
                    refused.append((item.seq, why))
            if rows:
                conn.execute(changes.insert(), rows)
            if on_stored is not None and rows:
                refused_seqs = {seq for seq, _ in refused}
                on_stored(conn, [item for item in new if item.seq not in refused_seqs])
            for case_id, old_team, team in moves:  # numbered after the batch: its range
                move_case(conn, case_id, team, old_team, self.data_key)  # stays whole
            _history.extend(conn)  # the digests of the numbers this push gave
            if not known and run > 0:
                conn.execute(devices.insert().values(site=device, acked_through=run,
                                                     updated_at=now))
            elif run != acked:
                conn.execute(devices.update().where(devices.c.site == device)
                             .values(acked_through=run, updated_at=now))
            return PushOutcome(acked_through=run, stored=len(rows), cursor=cursor, gap=gap,
                               refused=tuple(refused), history=_history.digest_at(conn, cursor))

    def refused_of(self, device: str, after: int, limit: int = 1000) -> list[tuple[int, str]]:
        """(seq, why) of a device's changes above ``after`` that were stored as refused."""
        with self.reading() as conn:
            rows = conn.execute(
                sa.select(changes.c.seq, changes.c.refused)
                .where(changes.c.site == device, changes.c.seq > after,
                       changes.c.refused.is_not(None))
                .order_by(changes.c.seq).limit(limit))
            return [(row.seq, row.refused) for row in rows]

    @staticmethod
    def _scope(conn, principal, items: list[Incoming]
               ) -> tuple[dict[int, tuple[str | None, str | None, str | None]],
                          list[tuple[str, str, str]]]:
        """seq → (team, why refused, case) for the changes about to be stored (in seq order),
        and the cases this batch moves to another team (case id, old team, new team)."""
        if principal is None or not items:
            return {}, []
        from .scopes import Resolver

        resolver = Resolver(conn, principal)
        wanted: set[tuple[str, str]] = set()
        for item in items:
            wanted |= Resolver.wanted(item.change or {})
        resolver.load(wanted)
        decided = {}
        for item in items:
            decision = resolver.decide(item.change or {})
            decided[item.seq] = (decision.team_id, decision.refused,
                                 None if decision.refused else decision.case_id)
        resolver.save()
        return decided, resolver.moves

    def pull(self, since: int, limit: int, max_bytes: int,
             teams: frozenset[str] | None = None) -> Page:
        """Changes after ``since`` in server order: at most ``limit`` of them, and no more than
        ``max_bytes`` of JSON unless the first change alone is larger. With ``teams``: only
        those teams' changes and shared reference data; refused changes never."""
        rows: list[tuple[int, bytes]] = []
        case_ids: set[str] = set()
        size = 0
        more = False
        query = served_query(since, limit + 1, teams)
        open_sealed = self.data_key.open
        with self.reading() as conn:
            for server_seq, site, seq, sealed, case_id in conn.execution_options(
                    stream_results=True).execute(query):
                if len(rows) == limit or (rows and size + len(sealed) - SEALING > max_bytes):
                    more = True
                    break
                body = open_sealed(sealed, change_aad(site, seq))
                rows.append((server_seq, body))
                if case_id is not None:
                    case_ids.add(case_id)
                size += len(body) + 1
            digest = _history.digest_at(conn, rows[-1][0]) if rows else None
        return Page(rows, more, frozenset(case_ids), digest)

    def device_state(self, device: str) -> tuple[int, int]:
        """(acked_through, the server's latest server_seq)"""
        with self.reading() as conn:
            acked = conn.scalar(
                sa.select(devices.c.acked_through).where(devices.c.site == device))
            cursor = latest_seq(conn)
        return acked or 0, cursor

    def history_digests(self, seqs: list[int]) -> dict[int, str]:
        """The history's digests at these numbers (``history.py``); unknown ones left out."""
        with self.reading() as conn:
            return _history.digests_at(conn, seqs)

    def change_body(self, device: str, seq: int) -> str | None:
        """The stored JSON of a device's change ``seq`` (None: not held)."""
        with self.reading() as conn:
            sealed = conn.scalar(sa.select(changes.c.body).where(
                changes.c.site == device, changes.c.seq == seq))
        return None if sealed is None else self.data_key.open_text(sealed, change_aad(device, seq))


def _id_or_none(value, longest: int) -> str | None:
    return value if isinstance(value, str) and len(value) <= longest else None


def alembic_config(connection: Connection):
    """Alembic's configuration, built in code (no alembic.ini needed at run time); the
    migrations run on ``connection``, inside its transaction."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


__all__ = ["Database", "DataKeyError", "DatabaseURLError", "Incoming", "Page", "PushOutcome",
           "changes",
           "data_keys", "database_url", "devices", "metadata"]

# The account and audit tables belong to the same metadata (the migrations create them all).
from . import accounts as _accounts  # noqa: E402,F401
from . import audit as _audit  # noqa: E402,F401
from . import offline_policy as _offline_policy  # noqa: E402,F401
from . import scopes as _scopes  # noqa: E402,F401
from .redelivery import latest_seq, move_case, served_query  # noqa: E402
from . import history as _history  # noqa: E402 (its table refers to changes above)
