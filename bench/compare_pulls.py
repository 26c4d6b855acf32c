#!/usr/bin/env python
"""Server pull pages of two versions of the code, timed alternately under the same load.

    .venv/bin/python bench/bench_sync.py --work OLD_WORK     # with the old code checked out …
    .venv/bin/python bench/bench_sync.py --work NEW_WORK     # … and with the new one
    .venv/bin/python bench/compare_pulls.py --code-a OLD_CODE --work-a OLD_WORK \\
        --code-b NEW_CODE --work-b NEW_WORK --rounds 8

``--work`` folders are what ``bench/bench_sync.py --work`` leaves (the server's database and the
two laptops). Each version's server is started on its own database (``python -m
sync.server.cli`` from its code folder); laptop B's credential is read from its store. Then the
whole history is fetched as B in pages of 1,000 changes, ``--rounds`` times, alternating which
server goes first, and the request times are printed per server (p50, p95). On a shared
machine, figures from two separate ``bench_sync.py`` runs differ more between runs than between
versions; alternating the two servers puts the same load on both.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

PASSPHRASE = "ベンチマーク用のパスフレーズ 2026"  # bench_sync.py's


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(code: Path, database: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sync.server.cli", "--db", f"sqlite:///{database}", "--port",
         str(port), "--log-level", "warning", "--no-access-log"],
        cwd=code, env={**os.environ, "PYTHONPATH": str(code)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.terminate()
    raise TimeoutError(f"the server from {code} did not start")


def credential(work: Path) -> str:
    from outreach_desk.store import Store

    store = Store.open(work / "b", PASSPHRASE)
    try:
        return store.enrollment()["token"]
    finally:
        store.close()


def fetch_all(url: str, token: str) -> list[float]:
    from sync.protocol import auth_headers, version_headers

    times = []
    headers = {**version_headers(), **auth_headers(token)}
    with httpx.Client(base_url=url, headers=headers, timeout=60) as http:
        since, more = 0, True
        while more:
            started = time.perf_counter()
            response = http.get("/v1/changes", params={"since": since, "limit": 1000})
            times.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
            page = response.json()
            since, more = page["cursor"], page["more"]
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for side in ("a", "b"):
        parser.add_argument(f"--code-{side}", type=Path, required=True)
        parser.add_argument(f"--work-{side}", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sides = {"A": (args.code_a, args.work_a), "B": (args.code_b, args.work_b)}
    servers, times = {}, {name: [] for name in sides}
    try:
        for name, (code, work) in sides.items():
            servers[name] = (*start(code.resolve(), (work / "server.db").resolve()),
                             credential(work))
        for index in range(args.rounds):
            order = list(servers) if index % 2 == 0 else list(reversed(servers))
            for name in order:
                _, url, token = servers[name]
                times[name] += fetch_all(url, token)
    finally:
        for proc, _, _ in servers.values():
            proc.terminate()
            proc.wait(10)
    for name, (code, _) in sides.items():
        got = sorted(times[name])
        print(f"{name} ({code}): GET /v1/changes, pages of 1,000: p50 "
              f"{statistics.median(got):.1f} ms, p95 {got[int(len(got) * 0.95)]:.1f} ms "
              f"({len(got)} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
