"""Backing up and restoring the server's database (``outreach-sync-server admin backup`` and
``admin restore``).

SQLite: ``backup`` is a consistent online copy made with SQLite's backup API (one step, under a
read transaction: the copy is the database as of one moment, also while the server runs and
writes), written to a temporary file (0600), checked (``PRAGMA integrity_check``), made a single
self-contained file (no WAL) and moved into place atomically. A plain file copy of a live
database in WAL mode is not a backup: the WAL holds what the main file lacks. ``restore`` checks
the file is a server database and copies it into the server's file with the same API (which
takes care of the WAL), then migrates it. Stop the server before restoring.

PostgreSQL: ``backup`` runs ``pg_dump --format=custom`` (one snapshot: consistent while the
server runs) and ``restore`` runs ``pg_restore --clean --if-exists --no-owner
--single-transaction`` into the server's database, then migrates it. The client programs come
from ``--pg-bin DIR`` or the ``PATH``; they must be of the server's major version or newer. The
connection's password, if any, goes to them in the environment (``PGPASSWORD``), never on a
command line.

What a restore does to the laptops: the history digests (``history.py``) are part of the
database, so the restored server goes on from the digest of its last number; the numbers it
gives from then on get digests that differ from those the laptops kept for the numbers given
after the backup, and every laptop that pulled past the backup pulls again from its newest
checkpoint that still matches. Laptops re-send what the restored server lacks of theirs
(``acked_through`` went down). Enrollments made after the backup are lost with it.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL

from .db import Database, changes
from .history import digest_at
from .redelivery import latest_seq

log = logging.getLogger(__name__)


class BackupError(Exception):
    """A backup or restore that could not be made; the message is one line for the admin."""


@dataclass(frozen=True)
class Summary:
    changes: int  # stored changes in the database
    latest: int  # its latest server_seq
    digest: str | None  # the history's digest there

    def describe(self) -> str:
        return (f"{self.changes} changes, through server_seq {self.latest}, "
                f"history {(self.digest or '-')[:16]}")


def summary(db: Database) -> Summary:
    with db.reading() as conn:
        count = conn.scalar(sa.select(sa.func.count()).select_from(changes)) or 0
        latest = latest_seq(conn)
        return Summary(count, latest, digest_at(conn, latest))


def backup(db: Database, target: Path, *, pg_bin: Path | None = None) -> Summary:
    """Write a consistent copy of the server's database to ``target`` (replaced atomically)."""
    target = Path(target).expanduser().resolve()
    if not target.parent.is_dir():
        raise BackupError(f"no such folder: {target.parent}")
    if db.backend == "sqlite":
        _sqlite_backup(Path(db.url.database), target)
    else:
        _pg(db.url, pg_bin, "pg_dump", "--format=custom", "--no-owner", "--file", str(target),
            target=target)
    return summary(db)


def restore(db: Database, source: Path, *, pg_bin: Path | None = None) -> Summary:
    """Replace the server's database with the backup ``source``, then migrate it. The server
    must not be running."""
    source = Path(source).expanduser().resolve()
    if not source.is_file():
        raise BackupError(f"no such file: {source}")
    db.close()  # no pooled connection of this process in the way
    if db.backend == "sqlite":
        _sqlite_restore(source, Path(db.url.database))
    else:
        _pg(db.url, pg_bin, "pg_restore", "--clean", "--if-exists", "--no-owner",
            "--single-transaction", "--exit-on-error", str(source))
    db.migrate()
    return summary(db)


# -- SQLite -------------------------------------------------------------------------------------


def _sqlite_backup(live: Path, target: Path) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}.partial")
    temporary.unlink(missing_ok=True)
    os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        source = sqlite3.connect(live, timeout=30)
        copy = sqlite3.connect(temporary)
        try:
            source.backup(copy)  # all pages in one step: one consistent snapshot
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            copy.close()
            source.close()
        if verdict != "ok":
            raise BackupError(f"the copy does not verify: {verdict[:200]}")
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, target)
        _fsync_folder(target.parent)
    finally:
        temporary.unlink(missing_ok=True)


def _sqlite_restore(source: Path, live: Path) -> None:
    try:
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open {source.name}: {exc}") from None
    try:
        try:
            verdict = backup.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {row[0] for row in backup.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source.name} is not an SQLite database ({exc})") from None
        if verdict != "ok":
            raise BackupError(f"{source.name} does not verify: {verdict[:200]}")
        if not {"alembic_version", "changes", "devices"} <= tables:
            raise BackupError(f"{source.name} is not a backup of this server's database")
        if not live.exists():
            live.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.close(os.open(live, os.O_CREAT | os.O_WRONLY, 0o600))
        target = sqlite3.connect(live, timeout=30)
        try:
            backup.backup(target)  # under the live file's write lock, WAL included
        finally:
            target.close()
    finally:
        backup.close()


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


# -- PostgreSQL ---------------------------------------------------------------------------------


def _pg(url: URL, pg_bin: Path | None, program: str, *args: str,
        target: Path | None = None) -> None:
    executable = Path(pg_bin) / program if pg_bin else shutil.which(program)
    if executable is None or not Path(executable).exists():
        raise BackupError(f"{program} not found (give --pg-bin DIR, the PostgreSQL client "
                          f"programs' folder)")
    env = {**os.environ, **_libpq_env(url)}
    temporary = None
    if target is not None:  # pg_dump: into a 0600 temporary file, moved into place when done
        temporary = target.with_name(f".{target.name}.{os.getpid()}.partial")
        temporary.unlink(missing_ok=True)
        os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        args = tuple(str(temporary) if arg == str(target) else arg for arg in args)
    try:
        done = subprocess.run([str(executable), *args, "--dbname", env["PGDATABASE"]],
                              env=env, capture_output=True, text=True, timeout=3600)
        if done.returncode != 0:
            lines = (done.stderr or done.stdout).strip().splitlines() or ["failed"]
            raise BackupError(f"{program}: {lines[0][:300]}")
        if temporary is not None and target is not None:
            with open(temporary, "rb") as written:
                os.fsync(written.fileno())
            os.replace(temporary, target)
            _fsync_folder(target.parent)
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def _libpq_env(url: URL) -> dict[str, str]:
    """The connection of an SQLAlchemy URL as libpq's environment variables."""
    query = dict(url.query)
    env = {"PGDATABASE": url.database or "",
           "PGHOST": str(url.host or query.get("host") or ""),
           "PGPORT": str(url.port or query.get("port") or ""),
           "PGUSER": url.username or "",
           "PGPASSWORD": url.password or ""}
    return {key: value for key, value in env.items() if value}


__all__ = ["BackupError", "Summary", "backup", "restore", "summary"]
