"""The store's lifecycle: making a new store, opening and unlocking it, locking it, and changing
its passphrase.

A mixin of :class:`~outreach_desk.store.Store`, kept apart so the store stays readable; it sets up
the connection and engine that every other store method uses.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import keystore
from .atomic import create_private_file, ensure_private_dir
from .database import Database
from .engine import Engine
from .errors import StoreCorrupt, StoreExists, StoreNotFound, StoreTooNew
from .hlc import wall_clock_ms
from .ids import new_id
from .migrations import LATEST_VERSION, migrate
from .paths import DB_FILE
from .vocab import Role

if TYPE_CHECKING:
    from .store import Store


class LifecycleMixin:
    """Create, open, unlock, lock and re-key a store (see the module's note)."""

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
        keystore.check_passphrase(passphrase, (worker_name or "", team_name or ""))
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

    def change_passphrase(self, old: str, new: str, *, user_inputs=()) -> None:
        """Re-wrap the data key under a new passphrase (atomic; the database is untouched).
        ``new`` must pass the passphrase rule; ``user_inputs`` (the worker's name, team) count
        as easy to guess."""
        if not self.key_path.exists():
            raise StoreNotFound(f"no store in {self.data_dir}")
        keystore.change_passphrase(self.key_path, old, new, user_inputs=user_inputs)
