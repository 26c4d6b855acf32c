"""Erasing a data folder for good (端末の消去): what a revoked laptop does.

A store opens only with its key file (鍵ファイル) and the passphrase, so the key files go first:
every file in the data folder that is a key file, or that holds one (a backup archive, a key file
half-written by an atomic write), is overwritten with random bytes, flushed to disk and only
then unlinked. After that every other file in the folder and in its subfolders is removed: the
database and its WAL, the copy kept before a migration, a store moved aside into
``replaced-<time>/`` by a restore, staging folders a crash left behind, and anything else there.
The folder itself stays, empty. Symbolic links are removed, never followed.

If the process stops half-way, what is left is ciphertext without any key file that opens it.
Overwriting in place is what an application can do: on an SSD or a copy-on-write file system
the old blocks may survive below the file system, which is why the key file is small, random and
destroyed first, and why the disk itself should be encrypted as well.
"""

from __future__ import annotations

import logging
import os
import secrets
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import fsync_dir
from .errors import OutreachDeskError
from .paths import KEY_FILE

log = logging.getLogger(__name__)

KEY_MARKER = b'"outreach-desk-keyfile"'  # the ``format`` of every key file (keystore.FORMAT)
_CHUNK = 1 << 20


class EraseIncomplete(OutreachDeskError):
    """Some file in the data folder could not be removed (it is named in the message)."""

    code = "erase_incomplete"


@dataclass
class EraseReport:
    key_files: int = 0  # files holding a key file, overwritten then removed
    other_files: int = 0
    folders: int = 0
    failed: list[str] = field(default_factory=list)  # names relative to the data folder


def _holds_marker(path: Path) -> bool:
    overlap = len(KEY_MARKER) - 1
    tail = b""
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            if KEY_MARKER in tail + chunk:
                return True
            tail = chunk[-overlap:]
    return False


def holds_key(path: Path) -> bool:
    """Whether the regular file ``path`` is or contains a key file (by name or by content:
    a backup archive holds one as a member)."""
    if KEY_FILE in path.name or path.suffix == ".key":
        return True
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                if any(Path(name).name == KEY_FILE for name in archive.namelist()):
                    return True
        return _holds_marker(path)
    except (OSError, zipfile.BadZipFile):
        return True  # unreadable here: treat it as a key, overwrite it if at all possible


def _overwrite(path: Path) -> None:
    """Replace every byte of ``path`` with random bytes, in place, and flush to disk."""
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        remaining = os.fstat(fd).st_size
        while remaining > 0:
            written = os.write(fd, secrets.token_bytes(min(_CHUNK, remaining)))
            remaining -= written
        os.fsync(fd)
    finally:
        os.close(fd)


def _walk(data_dir: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """(regular files, links and other entries, folders deepest first) under ``data_dir``."""
    files: list[Path] = []
    others: list[Path] = []
    folders: list[Path] = []
    for root, dirnames, filenames in os.walk(data_dir, topdown=True, followlinks=False):
        base = Path(root)
        for name in list(dirnames):
            if (base / name).is_symlink():
                dirnames.remove(name)
                others.append(base / name)
            else:
                folders.append(base / name)
        for name in filenames:
            path = base / name
            (others if path.is_symlink() or not path.is_file() else files).append(path)
    folders.sort(key=lambda p: len(p.parts), reverse=True)
    return files, others, folders


def erase_data_folder(data_dir: Path) -> EraseReport:
    """Destroy every key file in ``data_dir`` first, then every other file and subfolder.

    Tries everything even when one file resists, then raises :class:`EraseIncomplete` naming
    what is left. A folder that does not exist is nothing to erase.
    """
    data_dir = Path(data_dir)
    report = EraseReport()
    if not data_dir.is_dir():
        return report
    files, others, folders = _walk(data_dir)
    keys = [path for path in files if holds_key(path)]
    # key files proper (small) before archives that hold one
    keys.sort(key=lambda p: (KEY_FILE not in p.name and p.suffix != ".key", len(p.parts)))

    def remove(path: Path, *, overwrite: bool) -> bool:
        try:
            if overwrite:
                _overwrite(path)
            path.unlink()
            return True
        except FileNotFoundError:
            return False
        except OSError as exc:
            log.error("could not erase a file (%s)", type(exc).__name__)
            report.failed.append(str(path.relative_to(data_dir)))
            return False

    for path in keys:
        report.key_files += remove(path, overwrite=True)
    for folder in {path.parent for path in keys}:
        fsync_dir(folder)
    key_set = set(keys)
    for path in (*[p for p in files if p not in key_set], *others):
        report.other_files += remove(path, overwrite=False)
    for folder in folders:
        try:
            folder.rmdir()
            report.folders += 1
        except OSError as exc:
            log.error("could not remove a folder (%s)", type(exc).__name__)
            report.failed.append(str(folder.relative_to(data_dir)))
    fsync_dir(data_dir)
    log.warning("data folder erased: %d key files, %d other files, %d folders",
                report.key_files, report.other_files, report.folders)
    if report.failed:
        raise EraseIncomplete(
            f"could not erase everything in {data_dir}: {', '.join(sorted(report.failed))}")
    return report


__all__ = ["EraseIncomplete", "EraseReport", "erase_data_folder", "holds_key"]
