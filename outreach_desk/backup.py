"""Encrypted backups of a worker's store (バックアップ) and putting one back (復元).

A backup is one ZIP file (stored, not compressed: the contents are ciphertext) holding

* ``outreach-desk.db``: a consistent copy of the SQLCipher database, taken while the app may be
  writing (:meth:`Database.export_to`), encrypted with the same data key;
* ``outreach-desk.key``: the key file as it was, i.e. the data key wrapped under the passphrase
  in use at that moment (the backup opens with that passphrase, not with a later one);
* ``manifest.json``: format and version, app version, schema version, creation time, and the
  SHA-256 and size of the two files. No personal data, no key material.

Writing is atomic (temp file, fsync, rename, fsync of the folder) and the file is owner-only.
Restoring checks the archive (ZIP checksums, manifest, SHA-256), unpacks into a private staging
folder next to the store, opens it with the passphrase and runs ``PRAGMA integrity_check``, and
only then moves the files into place. An existing store is refused unless ``overwrite`` is set;
then its files (with any WAL) are first moved aside into ``replaced-<time>/``, not deleted.
(A remote wipe erases those copies too, with everything else in the data folder:
:mod:`~outreach_desk.erasure`.)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import __version__
from .atomic import ensure_private_dir, fsync_dir, fsync_file, open_atomic
from .errors import OutreachDeskError, StoreExists, WrongPassphrase
from .paths import DB_FILE, KEY_FILE
from .store import Store

log = logging.getLogger(__name__)

FORMAT = "outreach-desk-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEMBERS = (DB_FILE, KEY_FILE)
_CHUNK = 1 << 20


class BackupInvalid(OutreachDeskError):
    """The file is not an Outreach Desk backup, or it is damaged."""

    code = "backup_invalid"


@dataclass(frozen=True)
class RestoreReport:
    data_dir: Path
    counts: dict[str, int]
    replaced: Path | None  # where the store that was there before now is


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def _staging(parent: Path, prefix: str):
    """A private folder beside the destination (same file system, so renames are atomic)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))  # mode 0700
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def create_backup(store: Store, target: Path) -> dict:
    """Write a backup of the open ``store`` to ``target``; return its manifest."""
    target = Path(target).expanduser().absolute()
    if target.is_dir():
        raise BackupInvalid(f"{target} is a folder; name the backup file to write")
    target.parent.mkdir(parents=True, exist_ok=True)
    with _staging(target.parent, f".{target.name}.") as staging:
        db_copy = staging / DB_FILE
        store.db.export_to(db_copy)
        fsync_file(db_copy)
        key_copy = staging / KEY_FILE
        key_copy.write_bytes(store.key_path.read_bytes())
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "app_version": __version__,
            "schema_version": store.db.execute("PRAGMA user_version").fetchone()[0],
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "files": {name: {"sha256": _sha256(staging / name),
                             "size": (staging / name).stat().st_size} for name in MEMBERS},
        }
        with open_atomic(target) as stream, zipfile.ZipFile(stream, "w") as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
            for name in MEMBERS:
                archive.write(staging / name, name, compress_type=zipfile.ZIP_STORED)
    log.info("backup written (%d bytes)", target.stat().st_size)
    return manifest


def read_manifest(source: Path) -> dict:
    """The manifest of a backup, after checking that every member is intact."""
    try:
        with zipfile.ZipFile(source) as archive:
            bad = archive.testzip()  # reads every member and checks its CRC
            if bad is not None:
                raise BackupInvalid(f"{source.name} is damaged ({bad} does not match its CRC)")
            manifest = json.loads(archive.read(MANIFEST))
            names = set(archive.namelist())
    except FileNotFoundError:
        raise BackupInvalid(f"no backup file at {source}") from None
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError):
        raise BackupInvalid(f"{source.name} is not an Outreach Desk backup or is damaged") \
            from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupInvalid(f"{source.name} is not an Outreach Desk backup")
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupInvalid(f"{source.name} has backup format {manifest.get('version')!r}; "
                            f"this version reads format {FORMAT_VERSION}")
    if not set(MEMBERS) <= names or set(manifest.get("files", {})) != set(MEMBERS):
        raise BackupInvalid(f"{source.name} is incomplete")
    return manifest


def _existing_files(data_dir: Path) -> list[Path]:
    return [path for path in (data_dir / KEY_FILE, data_dir / DB_FILE,
                              *data_dir.glob(f"{DB_FILE}-*")) if path.exists()]


def restore_backup(source: Path, data_dir: Path, passphrase: str, *,
                   overwrite: bool = False) -> RestoreReport:
    """Put the backup ``source`` into ``data_dir`` after checking it opens and is sound.

    ``passphrase`` is the one in use when the backup was made.
    """
    source, data_dir = Path(source).expanduser(), Path(data_dir).expanduser()
    manifest = read_manifest(source)
    if _existing_files(data_dir) and not overwrite:
        raise StoreExists(f"a store already exists in {data_dir}; it is left as it is "
                          "(restore into another folder, or allow overwriting it)")
    ensure_private_dir(data_dir)
    with _staging(data_dir, ".restore-") as staging:
        with zipfile.ZipFile(source) as archive:
            for name in MEMBERS:
                with archive.open(name) as packed, \
                        open(os.open(staging / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                                     0o600), "wb") as unpacked:
                    shutil.copyfileobj(packed, unpacked, _CHUNK)
                    unpacked.flush()
                    os.fsync(unpacked.fileno())
                if _sha256(staging / name) != manifest["files"][name]["sha256"]:
                    raise BackupInvalid(f"{source.name}: {name} does not match its checksum")
        try:
            restored = Store.open(staging, passphrase)
        except WrongPassphrase:
            raise WrongPassphrase("the passphrase does not open this backup (it needs the "
                                  "passphrase in use when the backup was made)") from None
        try:
            problems = restored.integrity_check()
            counts = restored.counts()
        finally:
            restored.close()
        if problems != ["ok"]:
            raise BackupInvalid(f"{source.name} failed the integrity check: {problems[0]}")
        for leftover in staging.glob(f"{DB_FILE}-*"):  # a clean close leaves no WAL
            leftover.unlink()
        replaced = _move_aside(data_dir)
        os.replace(staging / DB_FILE, data_dir / DB_FILE)
        os.replace(staging / KEY_FILE, data_dir / KEY_FILE)
        fsync_dir(data_dir)
    log.info("backup restored (schema %s)", manifest.get("schema_version"))
    return RestoreReport(data_dir, counts, replaced)


def _move_aside(data_dir: Path) -> Path | None:
    """Move the store now in ``data_dir`` (key, database, WAL) into ``replaced-<time>/``."""
    existing = _existing_files(data_dir)
    if not existing:
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = data_dir / f"replaced-{stamp}"
    ensure_private_dir(aside)
    for path in existing:
        os.replace(path, aside / path.name)
    fsync_dir(aside)
    fsync_dir(data_dir)
    return aside


def backup_file_name(now: datetime | None = None) -> str:
    """A default name for a backup file, e.g. ``outreach-desk-20260501-1730.odbackup``."""
    return f"outreach-desk-{(now or datetime.now()).strftime('%Y%m%d-%H%M')}.odbackup"


__all__ = ["BackupInvalid", "RestoreReport", "backup_file_name",
           "create_backup", "read_manifest", "restore_backup"]
