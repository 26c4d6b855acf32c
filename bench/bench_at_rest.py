#!/usr/bin/env python
"""The cost of the server's encryption at rest: push and pull throughput of the server's
storage with the data key sealing every body (AES-256-GCM) and with sealing switched off.

    .venv/bin/python bench/bench_at_rest.py                     # 10,000 changes, 5 runs each
    .venv/bin/python bench/bench_at_rest.py --changes 4000 --runs 3
    .venv/bin/python bench/bench_at_rest.py --postgres postgresql://user@host/db

Not a test: it prints figures (see bench/README.md, "Server data at rest").

Two levels, each on a fresh database per run:

- **storage**: ``Database.push`` (one push per batch of 500 changes, as laptops send them, each
  its own write transaction with fsync) and ``Database.pull`` (pages as the server serves them).
  HTTP, JSON parsing, team scoping and the audit trail are left out: the strictest ratio.
- **API**: the same changes through the server's app (``create_app``, in process through
  Starlette's test client, so no socket): ``POST /v1/push`` and ``GET /v1/changes`` with an
  enrolled device's credential: parsing, validation, team scoping, the audit entry of each
  request, the JSON answer. What a sync round costs the server, less the network.
 "Without" swaps the ``Database``'s data
key for one whose seal and open return their input (this bench only; the server has no such
mode). After a warm-up of each, runs alternate (sealed, plain, plain, sealed, …) so that a busy
machine slows both alike; the medians are compared, of wall-clock time and of this process's CPU
time (which another process on the machine disturbs less; it leaves out waiting for fsync).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from outreach_desk.changes import SCHEMA_VERSION  # noqa: E402
from sync.protocol import BASE_MAX_BATCH, MAX_PAGE  # noqa: E402
from sync.server.data_key import DataKey  # noqa: E402
from sync.server.db import Database, Incoming  # noqa: E402

PAGE_BYTES = 2 * 1024 * 1024
NARRATIVES = ["玄関先で本人と話せた。次回は母親も同席の予定", "不在。置き手紙を残した",
              "電話で近況を聞いた。通院は続いている様子", "地域包括支援センターと情報共有した"]


class Unsealed(DataKey):
    """A data key that seals nothing: the bench's baseline."""

    def seal(self, plaintext: bytes, aad: bytes) -> bytes:
        return plaintext

    def open(self, sealed: bytes, aad: bytes) -> bytes:
        return sealed


def changes(count: int, site: str, rng: random.Random) -> list[Incoming]:
    """New cases' text fields as laptops push them (the wire JSON of one change each, ~400
    bytes; a new case is the writer's team's, so the team scoping accepts them all)."""
    made = []
    for seq in range(1, count + 1):
        note = rng.choice(NARRATIVES) * 3
        entity_id = str(uuid.UUID(int=rng.getrandbits(128)))
        body = json.dumps({"site": site, "seq": seq, "hlc": 1_780_000_000_000 + seq,
                           "entity": "case", "entity_id": entity_id, "field": "referral_note",
                           "value": note, "ctx": [], "author": "w-1", "schema": SCHEMA_VERSION},
                          ensure_ascii=False, separators=(",", ":"))
        made.append(Incoming(seq=seq, body=body, withdrawal=False,
                             change={"entity": "case", "entity_id": entity_id,
                                     "field": "referral_note", "value": note}))
    return made


def clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def rates(count: int, started: tuple[float, float]) -> tuple[float, float]:
    """changes per second of wall-clock time and of this process's CPU time"""
    now = clock()
    return count / (now[0] - started[0]), count / max(now[1] - started[1], 1e-9)


def api_run(url: str, key_file: Path, batch: list[Incoming], sealed: bool,
            reset) -> tuple[float, ...]:
    """(push, pull) changes/s through the server's API (wall clock, then CPU)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Starlette's note about httpx
        from fastapi.testclient import TestClient

    from sync.protocol import auth_headers, version_headers, versions
    from sync.server.accounts import Accounts
    from sync.server.app import create_app

    reset()
    db = Database(url, key_file)
    try:
        db.migrate()
        if not sealed:
            db._key = Unsealed(b"\0" * 32)
        accounts = Accounts(db)
        accounts.add_team("野尻担当")
        accounts.add_user("bench", "ベンチ 利用者", "worker", ["野尻担当"])
        code = accounts.issue_code("bench")
        with TestClient(create_app(db)) as client:
            enrolled = client.post("/v1/enroll", json={"code": code, "device": "bench-laptop"},
                                   headers=version_headers())
            assert enrolled.status_code == 200, enrolled.text
            headers = {**version_headers(), **auth_headers(enrolled.json()["token"]),
                       "Content-Type": "application/json"}
            bodies = [item.body for item in batch]
            started = clock()
            for start in range(0, len(bodies), BASE_MAX_BATCH):
                content = (json.dumps({**versions(), "device": "bench-laptop"})[:-1]
                           + ',"changes":[' + ",".join(bodies[start:start + BASE_MAX_BATCH])
                           + "]}").encode()
                pushed = client.post("/v1/push", content=content, headers=headers)
                assert pushed.status_code == 200 and not pushed.json()["refused"], pushed.text
            push = rates(len(bodies), started)
            started, since, pulled = clock(), 0, 0
            while True:
                page = client.get("/v1/changes", params={"since": since, "limit": MAX_PAGE},
                                  headers=headers).json()
                pulled += len(page["changes"])
                since = page["cursor"]
                if not page["more"]:
                    break
            pull = rates(pulled, started)
        assert pulled == len(bodies), pulled
    finally:
        db.close()
    return (*push, *pull)


def one_run(url: str, key_file: Path, batch: list[Incoming], sealed: bool,
            reset) -> tuple[float, ...]:
    """(push, pull) changes/s of the storage (wall clock, then CPU)."""
    reset()
    db = Database(url, key_file)
    try:
        db.migrate()
        if not sealed:
            db._key = Unsealed(b"\0" * 32)
        started = clock()
        for start in range(0, len(batch), BASE_MAX_BATCH):
            db.push("bench-laptop", batch[start:start + BASE_MAX_BATCH])
        push = rates(len(batch), started)
        started, since, pulled = clock(), 0, 0
        while True:
            page = db.pull(since, MAX_PAGE, PAGE_BYTES)
            pulled += len(page.rows)
            if not page.rows:
                break
            since = page.rows[-1][0]
        pull = rates(pulled, started)
        assert pulled == len(batch), pulled
        with db.reading() as conn:  # sanity: the bodies are what they should be
            stored = conn.scalar(sa.text("SELECT body FROM changes LIMIT 1"))
        assert (bytes(stored).startswith(b"{")) != sealed, "sealed or plain as asked"
    finally:
        db.close()
    return (*push, *pull)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5, help="runs of each kind (alternated)")
    parser.add_argument("--postgres", help="a PostgreSQL URL (its tables are dropped per run)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="outreach-bench-at-rest-"))
    key_file = work / "bench.key"
    batch = changes(args.changes, "bench-laptop", random.Random(args.seed))
    if args.postgres:
        url = args.postgres

        def reset() -> None:
            engine = sa.create_engine(Database(url, key_file).url)
            with engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            engine.dispose()
    else:
        db_file = work / "server.db"
        url = f"sqlite:///{db_file}"

        def reset() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db_file}{suffix}").unlink(missing_ok=True)

    backend = "PostgreSQL" if args.postgres else "SQLite"
    summary = []
    for level, run_one in (("storage", one_run), ("API", api_run)):
        figures: dict[bool, list[tuple[float, ...]]] = {True: [], False: []}
        for sealed in (True, False):  # warm-up (imports, caches), not counted
            run_one(url, key_file, batch[:BASE_MAX_BATCH], sealed, reset)
        for run in range(args.runs):
            for sealed in (True, False) if run % 2 == 0 else (False, True):
                figures[sealed].append(run_one(url, key_file, batch, sealed, reset))
                push, push_cpu, pull, pull_cpu = figures[sealed][-1]
                print(f"{level} run {run + 1} {'sealed' if sealed else 'plain '}: "
                      f"push {push:8.0f}/s ({push_cpu:8.0f}/s CPU)  "
                      f"pull {pull:8.0f}/s ({pull_cpu:8.0f}/s CPU)", flush=True)
        for what, index in (("push", 0), ("pull", 2)):
            plain = statistics.median(f[index] for f in figures[False])
            sealed = statistics.median(f[index] for f in figures[True])
            plain_cpu = statistics.median(f[index + 1] for f in figures[False])
            sealed_cpu = statistics.median(f[index + 1] for f in figures[True])
            ratio = plain / sealed
            summary.append(f"  {level:7} {what}: plain {plain:8.0f}/s, sealed {sealed:8.0f}/s, "
                           f"cost {ratio:.2f}x ({'meets' if ratio <= 1.2 else 'MISSES'} the 1.2x "
                           f"goal); CPU time only: {plain_cpu / sealed_cpu:.2f}x")
    print(f"\n{backend}, {args.changes} changes, {args.runs} runs each (medians):")
    print("\n".join(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
