"""A small file system a test can fill up: a real full disk for the tests of clean errors.

Where the tests may mount (they run as root here, like CI), it is a real 4 MiB tmpfs mounted for
the one test, and writes fail with ENOSPC as on a full laptop disk. Where mounting is not
allowed, it is a *simulated* full disk instead: a file-size limit (RLIMIT_FSIZE, with SIGXFSZ
ignored), so writes fail with EFBIG; the app treats both the same. Setting
``OUTREACH_TEST_SIMULATED_FULL_DISK=1`` forces the simulation, to check it too.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

DISK_BYTES = 4 << 20


class SmallDisk:
    """A 4 MiB file system at ``root`` that a test can fill up and free again."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir()
        self.limit: int | None = None  # the simulated disk's file-size limit, when not mounted
        self.mounted = os.environ.get("OUTREACH_TEST_SIMULATED_FULL_DISK") != "1" and \
            subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_BYTES},mode=0700",
                            "tmpfs", str(root)], capture_output=True).returncode == 0

    def fill(self, leave: int = 0) -> None:
        """Leave only ``leave`` bytes free."""
        if not self.mounted:
            self.limit = max(leave, 0)
            return
        filler = self.root / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * 65536)
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * 512)
        finally:
            os.close(fd)
        os.truncate(filler, max(0, filler.stat().st_size - leave))

    def free(self) -> None:
        self.limit = None
        (self.root / "filler").unlink(missing_ok=True)

    def preexec(self) -> None:  # runs in the child, before the command
        if self.limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (self.limit, self.limit))

    def unmount(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.root)], check=True)

    @contextlib.contextmanager
    def limited(self) -> Iterator[None]:
        """In this process: the simulated disk's limit while the block runs (a real full disk
        needs nothing)."""
        if self.limit is None:
            yield
            return
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.limit, hard))
        try:
            yield
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
            signal.signal(signal.SIGXFSZ, previous)


@pytest.fixture
def disk(tmp_path) -> Iterator[SmallDisk]:
    made = SmallDisk(tmp_path / "disk")
    try:
        yield made
    finally:
        made.unmount()


__all__ = ["DISK_BYTES", "SmallDisk", "disk"]
