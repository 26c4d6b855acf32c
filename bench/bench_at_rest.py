#!/usr/bin/env python
"""The cost of the server's encryption at rest: push and pull throughput of the server's
storage with the data key sealing every body (AES-256-GCM) and with sealing switched off.

    .venv/bin/python bench/bench_at_rest.py                     # 10,000 changes, 5 runs each
    .venv/bin/python bench/bench_at_rest.py --changes 4000 --runs 3
    .venv/bin/python bench/bench_at_rest.py --postgres postgresql://user@host/db

Not a test: it prints figures (see bench/README.md, "Server data at rest").

What is timed is the server's own work, ``Database.push`` (one push per batch of 500 changes, as
laptops send them, each its own write transaction with fsync) and ``Database.pull`` (pages as the
server serves them), on a fresh database per run. HTTP, JSON parsing and team scoping cost the
same with and without sealing and are left out, so the ratio is the strictest one: the share of
the sealing in a real round over the network is smaller. "Without" swaps the ``Database``'s data
key for one whose seal and open return their input (this bench only; the server has no such
mode). Runs alternate (sealed, plain, sealed, …) so that a busy machine slows both alike; the
medians are compared.
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
    """Visit records as laptops push them (the wire JSON of one change each, ~450 bytes)."""
    made = []
    for seq in range(1, count + 1):
        visit = {"case_id": str(uuid.UUID(int=rng.getrandbits(128))), "kind": "home_visit",
                 "occurred_at": "2026-06-01T10:00:00+09:00", "met_with": "person",
                 "relationship_stage": "met_person", "narrative": rng.choice(NARRATIVES) * 2,
                 "next_action": "来週もう一度訪問する", "next_due": "2026-06-08"}
        entity_id = str(uuid.UUID(int=rng.getrandbits(128)))
        body = json.dumps({"site": site, "seq": seq, "hlc": 1_780_000_000_000 + seq,
                           "entity": "visit", "entity_id": entity_id, "field": "*",
                           "value": visit, "ctx": [], "author": "w-1", "schema": 1},
                          ensure_ascii=False, separators=(",", ":"))
        made.append(Incoming(seq=seq, body=body, withdrawal=False,
                             change={"entity": "visit", "entity_id": entity_id, "field": "*",
                                     "value": visit}))
    return made


def one_run(url: str, key_file: Path, batch: list[Incoming], sealed: bool,
            reset) -> tuple[float, float]:
    """(push changes/s, pull changes/s) on a fresh database."""
    reset()
    db = Database(url, key_file)
    try:
        db.migrate()
        if not sealed:
            db._key = Unsealed(b"\0" * 32)
        started = time.perf_counter()
        for start in range(0, len(batch), BASE_MAX_BATCH):
            db.push("bench-laptop", batch[start:start + BASE_MAX_BATCH])
        push = len(batch) / (time.perf_counter() - started)
        started, since, pulled = time.perf_counter(), 0, 0
        while True:
            page = db.pull(since, MAX_PAGE, PAGE_BYTES)
            pulled += len(page.rows)
            if not page.rows:
                break
            since = page.rows[-1][0]
        pull = pulled / (time.perf_counter() - started)
        assert pulled == len(batch), pulled
        with db.reading() as conn:  # sanity: the bodies are what they should be
            stored = conn.scalar(sa.text("SELECT body FROM changes LIMIT 1"))
        assert (bytes(stored).startswith(b"{")) != sealed, "sealed or plain as asked"
    finally:
        db.close()
    return push, pull


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

    figures: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    for run in range(args.runs):
        for sealed in (True, False) if run % 2 == 0 else (False, True):
            figures[sealed].append(one_run(url, key_file, batch, sealed, reset))
            push, pull = figures[sealed][-1]
            print(f"run {run + 1} {'sealed' if sealed else 'plain '}: push {push:8.0f}/s  "
                  f"pull {pull:8.0f}/s", flush=True)
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"\n{backend}, {args.changes} changes, {args.runs} runs each (medians):")
    for what, index in (("push", 0), ("pull", 1)):
        plain = statistics.median(f[index] for f in figures[False])
        sealed = statistics.median(f[index] for f in figures[True])
        ratio = plain / sealed
        print(f"  {what}: plain {plain:8.0f} changes/s, sealed {sealed:8.0f} changes/s, cost "
              f"{ratio:.2f}x ({'meets' if ratio <= 1.2 else 'MISSES'} the 1.2x goal)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
