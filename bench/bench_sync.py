#!/usr/bin/env python
"""Sync benchmark: one laptop's offline work pushed, a second laptop pulls it, over loopback.

    .venv/bin/python bench/bench_sync.py                    # 10,000 visits + 2,000 field edits
    .venv/bin/python bench/bench_sync.py --visits 2000 --edits 400 --profile

Not a test: it prints figures and compares them with the targets (see bench/README.md).

1. A real server (``python -m sync.server.cli``, SQLite in a temporary folder) behind a small
   TCP proxy on loopback that counts the bytes in both directions (HTTP headers included).
2. Laptop A creates ``--cases`` people with a case each and syncs; laptop B pulls them. Both are
   real encrypted stores. This is the shared starting point and is not timed.
3. A, offline, records ``--visits`` visits (spread over the cases) and ``--edits`` field edits
   (a person's district or a case's referral note; each edit is two changes: the field and the
   ``_alive`` register every write carries).
4. **Timed:** A syncs (push), then B syncs (pull and apply). End-to-end = the two rounds.
   Inside B's round the time spent in ``Store.apply_pulled`` is measured separately: the client
   apply throughput.
5. **Physical limit:** the same change rows (as ``apply_pulled`` writes them into ``changes``)
   are inserted with ``executemany`` into a scratch table of the same shape in B's encrypted
   store, one transaction per pull page as the client commits: plain inserts with fsync, no
   merging, no derived state. Apply throughput ÷ that throughput is the "apply ratio".
6. Bytes on the wire per change: everything the proxy saw in both rounds ÷ changes; and per
   kind of change, the gzip body of a batch of only visits / only edits as the client sends it.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gzip
import io
import json
import multiprocessing
import os
import pstats
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from outreach_desk.keystore import KdfParams  # noqa: E402
from outreach_desk.store import Store  # noqa: E402
from outreach_desk.vocab import DISTRICTS  # noqa: E402
from sync.client import DEFAULT_PAGE, SyncClient, _Round  # noqa: E402
from sync.protocol import BASE_MAX_BATCH, MAX_PAGE  # noqa: E402

PASSPHRASE = "ベンチマーク用のパスフレーズ 2026"
CHEAP_KDF = KdfParams(memory_kib=8192, iterations=1, lanes=1)  # unlocking is not measured here
TARGET_E2E_S = 5.0
TARGET_APPLY_RATIO = 0.5
TARGET_BYTES_PER_CHANGE = 200
KANA = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよ"
NARRATIVES = [
    "玄関先で短く話せた。体調は落ち着いている様子。次回は午後に伺う。",
    "不在。ポストに手紙を入れた。近所の方によると昼間は出かけていることが多い。",
    "電話で話せた。通院の送迎について相談があり、地域包括支援センターにつなぐことにした。",
    "本人と面談。食事はとれているが、部屋の片付けに困っているとのこと。",
    "民生委員と同行訪問。家族の連絡先を確認した。",
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- server and proxy -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def server_process(folder: Path):
    port = free_port()
    log_file = open(folder / "server.log", "ab")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "sync.server.cli", "--db", f"sqlite:///{folder / 'server.db'}",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
         "--no-access-log"],
        cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT)
    log_file.close()
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError((folder / "server.log").read_text()[-2000:])
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise TimeoutError("the sync server did not start")
            time.sleep(0.05)
        yield port
    finally:
        proc.terminate()
        proc.wait(10)


class CountingProxy:
    """Forwards loopback TCP to the server and counts the bytes each way.

    It runs in a child process, so that its pumping threads do not compete with the client for
    the GIL (the timed rounds would otherwise include the proxy's Python work)."""

    def __init__(self, target_port: int):
        context = multiprocessing.get_context("fork")
        self._up = context.Value("q", 0)
        self._down = context.Value("q", 0)
        listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        self._process = context.Process(target=self._run, args=(listener, target_port),
                                        daemon=True)
        self._process.start()
        listener.close()

    def take(self) -> tuple[int, int]:
        time.sleep(0.2)  # let the pumps count the last bytes of the round
        with self._up.get_lock(), self._down.get_lock():
            counts = (self._up.value, self._down.value)
            self._up.value = self._down.value = 0
        return counts

    def close(self) -> None:
        self._process.terminate()
        self._process.join(5)

    def _run(self, listener: socket.socket, target_port: int) -> None:
        while True:
            client, _ = listener.accept()
            upstream = socket.create_connection(("127.0.0.1", target_port))
            for source, target, counter in ((client, upstream, self._up),
                                            (upstream, client, self._down)):
                threading.Thread(target=self._pump, args=(source, target, counter),
                                 daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket, counter) -> None:
        try:
            while data := source.recv(65536):
                with counter.get_lock():
                    counter.value += len(data)
                target.sendall(data)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)


# -- the offline work ---------------------------------------------------------------------------


def setup(store: Store, cases: int, rng: random.Random) -> list[tuple[str, str]]:
    made = []
    with store.batch():
        for i in range(cases):
            kana = KANA[i % len(KANA)] + KANA[i // len(KANA) % len(KANA)]
            person = store.add_person(f"利用者 {i}", kana, rng.choice(DISTRICTS))
            case = store.open_case(opened_on="2025-01-06", referral_source="neighbour",
                                   district=rng.choice(DISTRICTS),
                                   person_id=person)
            made.append((person, case))
    return made


def offline_work(store: Store, made, visits: int, edits: int, rng: random.Random) -> None:
    start = datetime.now() - timedelta(days=30)
    with store.batch():
        for i in range(visits):
            _, case = made[i % len(made)]
            at = start + timedelta(minutes=4 * i)
            store.record_visit(
                case, occurred_at=at.replace(microsecond=0).isoformat(),
                kind=rng.choice(["home_visit", "phone", "home_visit"]),
                met_with="person", relationship_stage="met_person",
                narrative=rng.choice(NARRATIVES))
        for i in range(edits):
            person, case = made[rng.randrange(len(made))]
            if i % 2:
                store.update("person", person, {"district": rng.choice(DISTRICTS)})
            else:
                store.update("case", case, {"referral_note": f"追記 {i}: 家族から連絡あり"})


# -- measurements ---------------------------------------------------------------------------------


class ApplyTimer:
    """Wraps ``store.apply_pulled`` to time it and keep what it was given."""

    def __init__(self, store: Store):
        self.seconds = 0.0
        self.pages: list[list] = []
        original = store.apply_pulled

        def timed(changes, cursor, marker=None):
            changes = list(changes)
            started = time.perf_counter()
            try:
                return original(changes, cursor, marker)
            finally:
                self.seconds += time.perf_counter() - started
                if changes:
                    self.pages.append(changes)

        store.apply_pulled = timed


def plain_inserts(store: Store, pages: list[list]) -> float:
    """Seconds to insert the same change rows with executemany into a scratch table of the same
    shape in the same encrypted store, one transaction per page."""
    db = store.db
    with db.transaction():
        db.execute("DROP TABLE IF EXISTS bench_scratch_changes")
        db.execute(
            "CREATE TABLE bench_scratch_changes (site TEXT NOT NULL, seq INTEGER NOT NULL, "
            "hlc INTEGER NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL, "
            "field TEXT NOT NULL, value TEXT NOT NULL, ctx TEXT NOT NULL, author TEXT NOT NULL, "
            "schema INTEGER NOT NULL, extra TEXT, received_at INTEGER NOT NULL, "
            "PRIMARY KEY (site, seq)) WITHOUT ROWID")
        db.execute("CREATE INDEX bench_scratch_by_entity "
                   "ON bench_scratch_changes (entity, entity_id, field)")

    def dump(value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    now = int(time.time())
    rows = [[(c.site, c.seq, c.hlc, c.entity, c.entity_id, c.field, dump(c.value),
              dump(list(c.ctx)), c.author, c.schema, None, now) for c in page] for page in pages]
    started = time.perf_counter()
    for page in rows:
        with db.transaction():
            db.executemany(
                "INSERT INTO bench_scratch_changes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                page)
    seconds = time.perf_counter() - started
    with db.transaction():
        db.execute("DROP TABLE bench_scratch_changes")
    return seconds


def enroll_all(work: Path, url: str, *stores: Store) -> None:
    """What an administrator and the workers do: a team, a user per laptop, a one-time code
    each, spent through the server's /v1/enroll."""
    from sync.client import enroll
    from sync.server.accounts import Accounts
    from sync.server.db import Database

    db = Database(f"sqlite:///{work / 'server.db'}")
    try:
        accounts = Accounts(db)
        if "ベンチ担当" not in accounts.list_teams():
            accounts.add_team("ベンチ担当")
        for store in stores:
            login = f"bench-{store.site}"
            accounts.add_user(login, "ベンチ 利用者", "worker", ["ベンチ担当"])
            enroll(store, url, accounts.issue_code(login))
    finally:
        db.close()


def body_bytes_per_change(store: Store, changes: list) -> float:
    """gzip bytes per change of push bodies holding only these changes, as the client builds
    them at the start of a round (batches of up to BASE_MAX_BATCH within its first byte budget)."""
    client = SyncClient(store, "http://unused")
    fitter = _Round(client, None, None, None)  # type: ignore[arg-type]
    total, index = 0, 0
    while index < len(changes):
        batch, body = fitter.fit(changes[index:index + BASE_MAX_BATCH])
        compressed = len(gzip.compress(body, 6))
        client._adapt_budget(len(body), compressed)
        total += compressed
        index += len(batch)
    return total / max(1, len(changes))


def server_pulls(url: str, token: str, rounds: int) -> list[float]:
    """Milliseconds per ``GET /v1/changes`` page of 1,000 changes (the server's side of a pull:
    the query, the audit entry, the JSON), for the whole history fetched ``rounds`` times as B."""
    from sync.protocol import auth_headers, version_headers

    times = []
    headers = {**version_headers(), **auth_headers(token)}
    with httpx.Client(base_url=url, headers=headers, timeout=60) as http:
        for _ in range(rounds):
            since, more = 0, True
            while more:
                started = time.perf_counter()
                response = http.get("/v1/changes", params={"since": since, "limit": 1000})
                times.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
                page = response.json()
                since, more = page["cursor"], page["more"]
    return times


def profile_apply(store: Store, pages: list[list], top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for page in pages:
        store.apply_pulled(page, 0)
    profiler.disable()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(top)
    return text.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=2_000)
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--page-size", type=int, default=None,
                        help=f"fixed changes per pull page (default: paced, from {DEFAULT_PAGE} "
                             f"up to {MAX_PAGE})")
    parser.add_argument("--work", type=Path, default=None, help="folder to keep (default: temp)")
    parser.add_argument("--profile", action="store_true",
                        help="also profile applying the same pages to a third store")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    parser.add_argument("--server-pulls", type=int, default=5, metavar="N",
                        help="fetch the whole history N times as B to time the server's pull "
                             "pages (default 5)")
    args = parser.parse_args(argv)
    os.environ["OUTREACH_DESK_DEV"] = "1"  # plain HTTP to the server on this machine
    rng = random.Random(args.seed)
    work = args.work or Path(tempfile.mkdtemp(prefix="outreach-sync-bench-"))
    if work.exists() and args.work:
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    figures: dict = {}
    try:
        with server_process(work) as port:
            proxy = CountingProxy(port)
            a = Store.create(work / "a", PASSPHRASE, worker_name="佐藤 花子", kdf=CHEAP_KDF)
            b = Store.create(work / "b", PASSPHRASE, worker_name="鈴木 一郎", kdf=CHEAP_KDF)
            made = setup(a, args.cases, rng)
            enroll_all(work, proxy.url, a, b)
            SyncClient(a, proxy.url).sync_once()
            SyncClient(b, proxy.url).sync_once()
            c = None
            if args.profile:  # a third laptop at the shared start, to profile applying on
                c = Store.create(work / "c", PASSPHRASE, kdf=CHEAP_KDF)
                enroll_all(work, proxy.url, c)
                SyncClient(c, proxy.url).sync_once()
            log(f"shared start: {args.cases} people and cases on both laptops")
            started = time.perf_counter()
            offline_work(a, made, args.visits, args.edits, rng)
            log(f"offline work on A: {time.perf_counter() - started:.1f} s (not timed below)")
            pending = a.outbox()
            visit_changes = [c for c in pending if c.entity == "visit"]
            edit_changes = [c for c in pending if c.entity != "visit"]
            proxy.take()

            started = time.perf_counter()
            pushed = SyncClient(a, proxy.url).sync_once()
            push_s = time.perf_counter() - started
            push_up, push_down = proxy.take()
            timer = ApplyTimer(b)
            started = time.perf_counter()
            pulled = SyncClient(b, proxy.url, page_size=args.page_size).sync_once()
            pull_s = time.perf_counter() - started
            pull_up, pull_down = proxy.take()
            changes = pushed.pushed
            assert pulled.pulled == changes == len(pending), (pushed, pulled, len(pending))
            assert b.counts()["visit"] == a.counts()["visit"]

            plain_s = plain_inserts(b, timer.pages)
            apply_rate = changes / timer.seconds
            plain_rate = changes / plain_s
            wire = push_up + push_down + pull_up + pull_down
            figures = {
                "changes": changes, "visits": len(visit_changes), "page_size": args.page_size,
                "edit_changes": len(edit_changes), "edits": args.edits,
                "e2e_s": push_s + pull_s, "push_s": push_s, "pull_s": pull_s,
                "push_requests": pushed.requests, "pull_requests": pulled.requests,
                "apply_s": timer.seconds, "apply_per_s": apply_rate,
                "plain_insert_s": plain_s, "plain_insert_per_s": plain_rate,
                "apply_ratio": apply_rate / plain_rate,
                "wire_bytes": wire, "wire_push_up": push_up, "wire_push_down": push_down,
                "wire_pull_up": pull_up, "wire_pull_down": pull_down,
                "wire_bytes_per_change": wire / changes,
                "body_bytes_per_visit": body_bytes_per_change(a, visit_changes),
                "body_bytes_per_edit_change": body_bytes_per_change(a, edit_changes),
                "raw_json_bytes_per_change": sum(
                    len(json.dumps(c.to_wire(), ensure_ascii=False).encode())
                    for c in pending) / changes,
            }
            pages_ms = sorted(server_pulls(f"http://127.0.0.1:{port}",
                                           b.enrollment()["token"], args.server_pulls))
            if pages_ms:
                figures.update({"server_pull_pages": len(pages_ms),
                                "server_pull_page_p50_ms": pages_ms[len(pages_ms) // 2],
                                "server_pull_page_p95_ms": pages_ms[
                                    min(len(pages_ms) - 1, int(len(pages_ms) * 0.95))]})
            if c is not None:
                print(profile_apply(c, timer.pages, 40))
                c.close()
            proxy.close()
            a.close()
            b.close()
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)

    f = figures
    print(f"changes: {f['changes']:,} ({f['visits']:,} visits, {f['edits']:,} field edits = "
          f"{f['edit_changes']:,} changes: field + _alive)")
    print(f"end-to-end: {f['e2e_s']:.2f} s (A push {f['push_s']:.2f} s in "
          f"{f['push_requests']} requests, B pull+apply {f['pull_s']:.2f} s in "
          f"{f['pull_requests']} requests)")
    print(f"client apply: {f['apply_s']:.2f} s = {f['apply_per_s']:,.0f} changes/s; "
          f"plain inserts of the same rows: {f['plain_insert_s']:.2f} s = "
          f"{f['plain_insert_per_s']:,.0f} rows/s; ratio {f['apply_ratio']:.2f}")
    print(f"wire (both rounds, headers included): {f['wire_bytes']:,} bytes = "
          f"{f['wire_bytes_per_change']:.1f} bytes/change (push up {f['wire_push_up']:,}, "
          f"push down {f['wire_push_down']:,}, pull up {f['wire_pull_up']:,}, pull down "
          f"{f['wire_pull_down']:,})")
    print(f"gzip body per change: visit {f['body_bytes_per_visit']:.1f} B, field edit change "
          f"{f['body_bytes_per_edit_change']:.1f} B (JSON before gzip: "
          f"{f['raw_json_bytes_per_change']:.0f} B/change)")
    if "server_pull_pages" in f:
        print(f"server pull page (GET /v1/changes, 1,000 changes, direct): p50 "
              f"{f['server_pull_page_p50_ms']:.1f} ms, p95 {f['server_pull_page_p95_ms']:.1f} ms "
              f"({f['server_pull_pages']} pages)")
    checks = [
        (f"end-to-end < {TARGET_E2E_S:g} s", f["e2e_s"] < TARGET_E2E_S),
        (f"apply >= {TARGET_APPLY_RATIO:g} x plain inserts",
         f["apply_ratio"] >= TARGET_APPLY_RATIO),
        (f"< {TARGET_BYTES_PER_CHANGE} bytes on the wire per change",
         f["wire_bytes_per_change"] < TARGET_BYTES_PER_CHANGE),
    ]
    for name, met in checks:
        print(f"target {name}: {'met' if met else 'NOT met'}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUTF8", "1")
    sys.exit(main())
