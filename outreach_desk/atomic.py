"""Atomic, owner-only file writes: temp file, fsync, ``os.replace``, fsync of the folder.

A crash at any instant leaves either the old file or the new one in place, never a torn mix.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import DiskFull, is_disk_full

OWNER_ONLY_FILE = 0o600
OWNER_ONLY_DIR = 0o700


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) readable by the owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=OWNER_ONLY_DIR)
    if os.name == "posix":
        os.chmod(path, OWNER_ONLY_DIR)


def fsync_dir(path: Path) -> None:
    """Make a rename inside ``path`` durable (a no-op where folders cannot be opened)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def create_private_file(path: Path) -> None:
    """Create an empty owner-only file; fails if it already exists."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE)
    os.close(fd)


@contextlib.contextmanager
def open_atomic(path: Path) -> Iterator[BinaryIO]:
    """A binary file that replaces ``path`` atomically and durably, owner-only, once the
    ``with`` block ends without an error (on an error the temp file is removed)."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY_FILE)
        try:
            with os.fdopen(fd, "wb") as stream:
                yield stream
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        if is_disk_full(exc):  # the old file is still there, untouched
            raise DiskFull(f"the disk is full: {path.name} was not written "
                           "(free some space and try again)") from exc
        raise
    fsync_dir(path.parent)


def fsync_file(path: Path) -> None:
    """Flush a file written by someone else (e.g. SQLite) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically and durably, owner-only."""
    with open_atomic(path) as stream:
        stream.write(data)
