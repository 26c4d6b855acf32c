"""A real sync server process on 127.0.0.1 for the tests (no in-process fakes).

``running_server(db_url)`` starts ``python -m sync.server.cli --db URL --host 127.0.0.1 --port P``
on a free port, waits for ``GET /v1/health``, yields a ``ServerProcess`` (``url``, ``kill()``,
``restart()``) and stops it afterwards. Fixtures: ``sync_server`` (SQLite file in the test's
folder). Import what a module needs: ``from sync_fixtures import sync_server``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServerProcess:
    db_url: str
    port: int
    log_path: Path
    proc: subprocess.Popen | None = None
    extra_args: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 (closed with the process)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sync.server.cli", "--db", self.db_url, "--host",
             "127.0.0.1", "--port", str(self.port), *self.extra_args],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sync server exited: {self.log_path.read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/v1/health", timeout=1.0).status_code == 200:
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(f"sync server did not start: {self.log_path.read_text()}")
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs (a crash or a power cut)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self) -> None:
        self.stop()
        self.start()


@contextlib.contextmanager
def running_server(db_url: str, folder: Path, *extra_args: str) -> Iterator[ServerProcess]:
    server = ServerProcess(db_url, free_port(), folder / "server.log", extra_args=list(extra_args))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sync_server(tmp_path) -> Iterator[ServerProcess]:
    """A server process over a fresh SQLite file."""
    with running_server(f"sqlite:///{tmp_path / 'server.db'}", tmp_path) as server:
        yield server


__all__ = ["ServerProcess", "free_port", "running_server", "sync_server"]
