#!/usr/bin/env python
"""The sync server's rate limiter with many keys: cost per call, and memory kept.

    .venv/bin/python bench/bench_ratelimit.py                  # 1k, 20k and 200k keys
    .venv/bin/python bench/bench_ratelimit.py --keys 20000 --calls 200000

Not a test: it prints figures (see bench/README.md, "Rate limiter with many addresses").

``sync.server.callers.RateLimiter`` as the enrollment route uses it (``ENROLL_PER_SOURCE``:
60 attempts per address per 5 minutes). A flood from many addresses is what makes a limiter's
per-call cost grow: for each count of distinct keys, the script first makes every key active
(one event each, within the window), then times ``allow`` for random keys among them, in the
same thread (no contention), with a clock that moves 1 ms per call as a busy server's would.
It prints microseconds per call (mean and p99 over batches of 1,000 calls) and the number of
keys the limiter holds at the end.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sync.server.callers import ENROLL_PER_SOURCE, RateLimiter  # noqa: E402


def measure(keys: int, calls: int, seed: int = 1) -> dict:
    now = [0.0]

    def clock() -> float:
        return now[0]

    limiter = RateLimiter(*ENROLL_PER_SOURCE, clock=clock)
    names = [f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}" for i in range(keys)]
    for name in names:  # every key active in the window
        limiter.allow(name)
        now[0] += 0.001 * min(1.0, 200_000 / keys)  # all of them inside the 300 s window
    rng = random.Random(seed)
    batches = []
    for _ in range(max(1, calls // 1000)):
        picked = [rng.choice(names) for _ in range(1000)]
        started = time.perf_counter()
        for name in picked:
            limiter.allow(name)
            now[0] += 0.000_001
        batches.append((time.perf_counter() - started) / 1000 * 1e6)
    held = len(getattr(limiter, "_events", {}))
    batches.sort()
    return {"keys": keys, "calls": len(batches) * 1000, "mean_us": statistics.fmean(batches),
            "p99_us": batches[min(len(batches) - 1, int(len(batches) * 0.99))], "held": held}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, action="append",
                        help="distinct keys (repeatable; default 1,000, 20,000, 200,000)")
    parser.add_argument("--calls", type=int, default=50_000)
    args = parser.parse_args()
    print(f"{'keys':>8} {'calls':>8} {'µs/call mean':>13} {'p99 (batch)':>12} {'keys held':>10}")
    for keys in args.keys or [1_000, 20_000, 200_000]:
        row = measure(keys, args.calls)
        print(f"{row['keys']:>8,} {row['calls']:>8,} {row['mean_us']:>13.2f} "
              f"{row['p99_us']:>12.2f} {row['held']:>10,}")


if __name__ == "__main__":
    main()
