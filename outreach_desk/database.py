"""The SQLCipher connection: opening with a raw key, pragmas, transactions, damage reports.

Settings, and why:

* ``journal_mode=WAL``: readers never block the writer, and a crash never tears a page.
* ``synchronous=FULL``: every commit is fsynced before it returns, so a visit whose save
  returned survives a power cut. NORMAL would be faster but may drop the last commits on power
  loss, and an official record that the worker saw saved must not vanish.
* ``foreign_keys=ON``: used for local-only integrity (the outbox must point at its change).
  References between domain records are checked by the store for local writes but cannot be
  foreign keys, because sync may deliver a visit before the case it belongs to.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence, Sized
from pathlib import Path
from typing import Any, TypeVar

import sqlcipher3

from .atomic import write_atomic
from .errors import DiskFull, OutreachDeskError, StoreCorrupt
from .keystore import raw_key_pragma

log = logging.getLogger(__name__)

CHUNK = 500  # ids per ``IN (?, …)`` list (SQLite allows 32,766 parameters; this stays small)
T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """``items`` in slices small enough for one ``IN (?, …)`` list."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(items: Sized) -> str:
    return ",".join("?" * len(items))


# SQLite's words for a damaged file. "vtable constructor failed" is what a full-text index
# (search_fts, search_grams) says when the page holding its configuration does not decrypt: the
# constructor fails with SQLITE_CORRUPT but no message of its own.
_DAMAGE_MARKERS = ("file is not a database", "malformed", "disk image", "corrupt",
                   "vtable constructor failed")
_FULL_MARKERS = ("database or disk is full",)
# A write that fails for want of space may also surface as a plain I/O error (growing the
# shared-memory file at open, truncating the WAL): it is a full disk when the disk is (nearly)
# full, or when the process's file-size limit is what stopped it.
_IO_MARKER = "disk i/o error"
_LOW_SPACE = 1 << 20


def _out_of_room(path: Path) -> bool:
    """Whether writes next to ``path`` fail for want of room: little space left on its disk,
    or a file-size limit (RLIMIT_FSIZE) the files are at."""
    with contextlib.suppress(OSError):
        if shutil.disk_usage(path.parent).free < _LOW_SPACE:
            return True
    try:
        import resource
    except ImportError:  # not on Windows
        return False
    soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    if soft == resource.RLIM_INFINITY:
        return False
    sizes = [candidate.stat().st_size for candidate in
             (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
             if candidate.exists()]
    return max(sizes, default=0) + _LOW_SPACE > soft


def _damage(exc: sqlcipher3.DatabaseError, path: Path) -> OutreachDeskError | None:
    """Our error for a damaged file or a full disk; None for anything else."""
    text = str(exc).lower()
    if any(marker in text for marker in _FULL_MARKERS) or (
            _IO_MARKER in text and _out_of_room(path)):
        return DiskFull(f"the disk holding {path.name} is full; nothing was written "
                        "(free some space and try again)")
    if any(marker in text for marker in _DAMAGE_MARKERS):
        return StoreCorrupt(
            f"the data file {path.name} is damaged or truncated and cannot be read "
            f"({exc}); restore it from a backup or re-sync from the server"
        )
    return None


def engine_versions() -> str:
    """SQLCipher, its SQLite and its crypto library, as the bundled library reports them."""
    conn = sqlcipher3.connect(":memory:")
    try:
        cipher = conn.execute("PRAGMA cipher_version").fetchone()[0]
        conn.execute("PRAGMA key = 'version probe'")  # the provider answers once keyed
        provider = conn.execute("PRAGMA cipher_provider_version").fetchone()[0]
    finally:
        conn.close()
    return f"SQLCipher {cipher} (SQLite {sqlcipher3.sqlite_version}, {provider})"


@contextlib.contextmanager
def _closed_on_error(path: Path, close: Callable[[], None]) -> Iterator[None]:
    """Setting up a connection: on failure close it, and report damage as StoreCorrupt."""
    try:
        yield
    except sqlcipher3.DatabaseError as exc:
        close()
        raise (_damage(exc, path) or exc) from None
    except BaseException:
        close()
        raise


def _keyed_connection(path: Path, data_key: bytearray) -> sqlcipher3.Connection:
    """A connection to ``path`` opened with the raw data key (and checked to decrypt)."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    with _closed_on_error(path, conn.close):
        # damage is reported through our own errors, not SQLCipher's log on stderr
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(raw_key_pragma(data_key))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA busy_timeout = 5000")
    return conn


class Result:
    """The rows of one statement, already fetched."""

    def __init__(self, rows: list[tuple], rowcount: int):
        self._rows = rows
        self.rowcount = rowcount

    def fetchone(self) -> tuple | None:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[tuple]:
        return self._rows

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._rows)


class Database:
    """One open, keyed SQLCipher connection, shared by threads one at a time.

    The desktop client runs slow reads (search, the caseload of 10,000 cases) on a worker thread
    and quick writes on the GUI thread. A re-entrant lock serialises statements, and a
    transaction holds it from BEGIN to COMMIT, so no other thread ever runs a statement inside
    someone else's transaction or sees its uncommitted rows. (A second connection, idle but for
    backups, makes consistent copies without holding up this one: see ``export_to``.)
    """

    def __init__(self, path: Path, data_key: bytearray):
        self.path = path
        self._depth = 0
        self._owner: int | None = None
        self._lock = threading.RLock()
        self._before_commit: list[Callable[[], None]] = []
        self._after_rollback: list[Callable[[], None]] = []
        self._conn = _keyed_connection(path, data_key)
        self._export_conn: sqlcipher3.Connection | None = None
        with _closed_on_error(path, self._close_connections):
            mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise StoreCorrupt(f"could not switch {path.name} to WAL mode (got {mode})")
            self._conn.execute("PRAGMA synchronous = FULL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            # A second connection, only for consistent copies (export_to): the key is at hand
            # only now, and a copy made on it leaves the main connection free meanwhile.
            self._export_conn = _keyed_connection(path, data_key)
        self._export_lock = threading.Lock()

    # -- statements -------------------------------------------------------------------------

    def execute(self, sql: str, params: Any = ()) -> Result:
        """Run one statement and fetch its rows at once, so damage found while reading is
        reported as :class:`StoreCorrupt` here rather than later from a cursor."""
        try:
            with self._lock:
                cursor = self._conn.execute(sql, params)
                return Result(cursor.fetchall(), cursor.rowcount)
        except sqlcipher3.DatabaseError as exc:
            raise (_damage(exc, self.path) or exc) from None

    def executemany(self, sql: str, rows: Any) -> Result:
        try:
            with self._lock:
                cursor = self._conn.executemany(sql, rows)
                return Result([], cursor.rowcount)
        except sqlcipher3.DatabaseError as exc:
            raise (_damage(exc, self.path) or exc) from None

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Hold the connection for several reads that must see one state (no writer between)."""
        with self._lock:
            yield

    def executescript_in_tx(self, script: str) -> None:
        """Run a multi-statement script inside the current transaction.

        (``executescript`` would COMMIT first; this splits on complete statements instead.)
        """
        buffer = ""
        for line in script.splitlines(keepends=True):
            buffer += line
            if sqlcipher3.complete_statement(buffer):
                self.execute(buffer)
                buffer = ""
        if buffer.strip():
            raise ValueError("script ends with an incomplete statement")

    # -- transactions -----------------------------------------------------------------------

    def before_commit(self, hook: Callable[[], None]) -> None:
        """Run ``hook`` inside every outermost transaction, just before COMMIT."""
        self._before_commit.append(hook)

    def after_rollback(self, hook: Callable[[], None]) -> None:
        """Run ``hook`` after an outermost transaction is rolled back."""
        self._after_rollback.append(hook)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE … COMMIT; nested calls join the outer transaction."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self.execute("BEGIN IMMEDIATE")
            self._depth = 1
            self._owner = threading.get_ident()
            try:
                yield
                for hook in self._before_commit:
                    hook()
                self.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlcipher3.Error):
                    self._conn.execute("ROLLBACK")
                for hook in self._after_rollback:
                    hook()
                raise
            finally:
                self._depth = 0
                self._owner = None

    @property
    def in_transaction(self) -> bool:
        """True inside a transaction this thread opened."""
        return self._depth > 0 and self._owner == threading.get_ident()

    # -- maintenance ------------------------------------------------------------------------

    def integrity_check(self) -> list[str]:
        """``PRAGMA integrity_check`` lines; ``["ok"]`` when the file is sound."""
        return [row[0] for row in self.execute("PRAGMA integrity_check").fetchall()]

    def checkpoint(self) -> None:
        self.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def backup_to(self, target: Path) -> None:
        """Copy the (still encrypted) file after folding the WAL into it.

        Only consistent while no other connection writes: used before migrating, when the
        store has the file to itself.
        """
        self.checkpoint()
        write_atomic(target, self.path.read_bytes())

    def export_to(self, target: Path) -> None:
        """Write a consistent, still encrypted copy of the database to the new file ``target``
        while this or other connections keep writing.

        SQLCipher's ``sqlcipher_export`` copies schema and rows into an attached database; an
        attachment without a KEY clause is keyed with its connection's own (raw) key, so the
        copy opens with the same key file. It runs on a second connection of this database
        inside one read transaction: in WAL mode that is one snapshot however many tables it
        copies, and the main connection goes on reading and writing meanwhile (only commits
        made before the snapshot are in the copy). ``sqlcipher_export`` does not copy
        ``user_version``: it is set here, in the same transaction.
        """
        if target.exists():
            raise FileExistsError(f"{target.name} already exists")
        conn = self._export_conn
        if conn is None:
            raise RuntimeError("the database is closed")
        try:
            with self._export_lock:
                conn.execute("ATTACH DATABASE ? AS export", (str(target),))
                try:
                    conn.execute("BEGIN")
                    try:
                        version = conn.execute("PRAGMA main.user_version").fetchone()[0]
                        conn.execute("SELECT sqlcipher_export('export')").fetchall()
                        conn.execute(f"PRAGMA export.user_version = {int(version)}")
                        conn.execute("COMMIT")
                    except BaseException:
                        with contextlib.suppress(sqlcipher3.Error):
                            conn.execute("ROLLBACK")
                        raise
                finally:
                    conn.execute("DETACH DATABASE export")
        except sqlcipher3.DatabaseError as exc:
            raise (_damage(exc, self.path) or exc) from None

    def _close_connections(self) -> None:
        for conn in (self._export_conn, self._conn):
            if conn is not None:
                conn.close()
        self._export_conn = None

    def close(self) -> None:
        with self._lock, self._export_lock:
            self._close_connections()
