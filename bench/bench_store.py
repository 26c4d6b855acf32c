#!/usr/bin/env python
"""Benchmark of the encrypted store, and of the same code on the same data without encryption.

    .venv/bin/python bench/bench_store.py                    # 10,000 cases, ~200,000 visits
    .venv/bin/python bench/bench_store.py --cases 1000 --work /tmp/od-bench-small

Not a test: it prints figures (p50/p95 and the number of samples) and compares them with the
targets. See bench/README.md for what each figure means and the latest results.

How it works:

1. **Generate** (cached). A store is created in ``WORK/source-<cases>-<visits>-<seed>/`` with the
   real ``DEFAULT_KDF`` and filled by :func:`outreach_desk.demo.generate`. A marker file records
   the counts, generation time and size, so reruns skip this step.
2. **Copy twice**, with SQLCipher's ``sqlcipher_export`` from the source: once to a new encrypted
   file with the same data key (``run-encrypted/``) and once to a plaintext SQLite file
   (``run-plain/``). Both copies are therefore freshly laid out and page-for-page comparable, and
   the measurements (which add visits) never alter the cached source.
3. **Open both with the Store class.** The plaintext copy is opened by the unchanged store code;
   only for that ``open`` the key pragma is swapped (see :func:`plaintext_keying`): the key file
   is still unwrapped with Argon2id, but no ``PRAGMA key`` is issued, so SQLCipher behaves as
   plain SQLite (SQLCipher 4 refuses ``PRAGMA key = ''``). Everything after opening — pragmas,
   WAL, ``synchronous = FULL``, the engine, queries — is the same code on both.
4. **Measure** each operation alternately on the two stores (same inputs, the order flipped every
   iteration), so background load on the machine hits both alike.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import math
import os
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlcipher3  # noqa: E402

from outreach_desk import database, demo  # noqa: E402
from outreach_desk.keystore import DEFAULT_KDF, raw_key_pragma, unwrap_data_key, wipe  # noqa: E402
from outreach_desk.paths import DB_FILE, KEY_FILE  # noqa: E402
from outreach_desk.search import find  # noqa: E402
from outreach_desk.store import Store  # noqa: E402

PASSPHRASE = "ベンチマーク用のパスフレーズ 2026"
TARGETS = {  # operation key -> (p95 limit in ms, description)
    "save": (10.0, "visit save p95 < 10 ms"),
    "search1": (50.0, "search p95 < 50 ms"),
    "search2": (50.0, "search p95 < 50 ms"),
    "search3": (50.0, "search p95 < 50 ms"),
    "search5": (50.0, "search p95 < 50 ms"),
    "search2miss": (50.0, "search p95 < 50 ms"),
    "history": (30.0, "case history p95 < 30 ms"),
}
MAX_OVERHEAD = 1.5


# -- helpers --------------------------------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file() and p.name != KEY_FILE)


def mib(n: int) -> str:
    return f"{n / 2**20:,.1f} MiB"


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def timed(fn) -> float:
    start = time.perf_counter_ns()
    fn()
    return (time.perf_counter_ns() - start) / 1e6


@contextlib.contextmanager
def plaintext_keying():
    """Open databases without ``PRAGMA key`` (plain SQLite) while this is active.

    ``Database.__init__`` runs ``raw_key_pragma(data_key)`` as its first statement; swapping that
    one function for a no-op statement is the only difference between the two runs.
    """
    original = database.raw_key_pragma
    database.raw_key_pragma = lambda data_key: "SELECT 1"
    try:
        yield
    finally:
        database.raw_key_pragma = original


# -- 1. generation (cached) -------------------------------------------------------------------


def generate_source(work: Path, cases: int, visits_per_case: float, seed: int) -> dict:
    source = work / f"source-{cases}-{visits_per_case:g}-{seed}"
    marker = source / "generated.json"
    if marker.exists():
        info = json.loads(marker.read_text("utf-8"))
        log(f"using the cached store in {source} (generated {info['generated_at']})")
        info["cached"] = True
        return info
    if source.exists():
        shutil.rmtree(source)  # an interrupted generation
    log(f"generating {cases:,} cases (~{cases * visits_per_case:,.0f} visits) in {source} …")
    store = Store.create(source / "store", PASSPHRASE, worker_name="ベンチ 担当",
                         kdf=DEFAULT_KDF)
    started = time.perf_counter()
    last = [started]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] >= 15 or done == total:
            last[0] = now
            rate = done / (now - started)
            log(f"  {done:,}/{total:,} cases, {now - started:,.0f} s, "
                f"ETA {(total - done) / rate:,.0f} s")

    counts = demo.generate(store, cases=cases, visits_per_case=visits_per_case, seed=seed,
                           progress=progress)
    seconds = time.perf_counter() - started
    store.db.checkpoint()
    store.close()
    info = {
        "cases": cases, "visits_per_case": visits_per_case, "seed": seed, "counts": counts,
        "generation_s": round(seconds, 1), "source_bytes": size_of(source / "store"),
        "generated_at": datetime.now().isoformat(timespec="seconds"),
    }
    marker.write_text(json.dumps(info, ensure_ascii=False, indent=2), "utf-8")
    info["cached"] = False
    return info


# -- 2. the two copies --------------------------------------------------------------------------


def make_copies(work: Path, info: dict) -> tuple[Path, Path]:
    source = work / f"source-{info['cases']}-{info['visits_per_case']:g}-{info['seed']}" / "store"
    # Opening through the Store runs any pending migration on the source first, so the copies
    # are at the current schema version and no copy migrates during a timed unlock.
    started = time.perf_counter()
    Store.open(source, PASSPHRASE).close()
    log(f"opened the source (with any pending migration) in {time.perf_counter() - started:.1f} s")
    encrypted, plain = work / "run-encrypted", work / "run-plain"
    for folder in (encrypted, plain):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(mode=0o700)
        shutil.copy2(source / KEY_FILE, folder / KEY_FILE)
    key = unwrap_data_key(source / KEY_FILE, PASSPHRASE)
    conn = sqlcipher3.connect(str(source / DB_FILE), isolation_level=None)
    try:
        conn.execute(raw_key_pragma(key))
        version = conn.execute("PRAGMA main.user_version").fetchone()[0]
        for name, folder, key_clause in (
            ("enc", encrypted, "\"x'" + key.hex() + "'\""),
            ("plain", plain, "''"),
        ):
            started = time.perf_counter()
            conn.execute(f"ATTACH DATABASE ? AS {name} KEY {key_clause}",
                         (str(folder / DB_FILE),))
            conn.execute(f"SELECT sqlcipher_export('{name}')")
            conn.execute(f"PRAGMA {name}.user_version = {int(version)}")
            conn.execute(f"DETACH DATABASE {name}")
            log(f"exported {name} copy in {time.perf_counter() - started:.1f} s")
    finally:
        conn.close()
        wipe(key)
    header = (plain / DB_FILE).read_bytes()[:16]
    assert header == b"SQLite format 3\x00", "the plain copy is not a plaintext SQLite file"
    assert (encrypted / DB_FILE).read_bytes()[:16] != header, "the encrypted copy is readable"
    return encrypted, plain


def open_pair(encrypted: Path, plain: Path) -> tuple[Store, Store]:
    enc_store = Store.open(encrypted, PASSPHRASE)
    with plaintext_keying():
        plain_store = Store.open(plain, PASSPHRASE)
    if enc_store.counts() != plain_store.counts():
        raise SystemExit("the two copies differ: " f"{enc_store.counts()} / {plain_store.counts()}")
    for store in (enc_store, plain_store):
        for fts in ("search_fts", "search_grams"):
            store.db.execute(f"INSERT INTO {fts} ({fts}) VALUES ('integrity-check')")
    return enc_store, plain_store


# -- 3. inputs drawn from the generated data ------------------------------------------------------


def rows_by_rowid(store: Store, table: str, column: str, rng: random.Random, n: int) -> list:
    """``column`` of ``n`` rows of ``table`` picked by the seeded ``rng`` (reproducible)."""
    top = store.db.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
    picked = [rng.randint(1, top) for _ in range(n)] if top else []
    found = []
    for start in range(0, len(picked), 500):
        chunk = picked[start : start + 500]
        found += [row[0] for row in store.db.execute(
            f"SELECT {column} FROM {table} WHERE rowid IN ({','.join('?' * len(chunk))})",
            chunk)]
    return found


def _katakana(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def sample_queries(store: Store, rng: random.Random, n: int,
                   rng1: random.Random) -> dict[int, list[str]]:
    """Japanese queries of 1, 2, 3 and 5 characters taken from the text the generator wrote.

    Substrings are cut from narratives with the 。 removed, so a few span two sentences and,
    like the word ケース, match nothing: index misses for 3 and 5 characters (the two-character
    miss is measured separately with ``ABSENT_2``). One-character queries are drawn last, with
    their own generator ``rng1``, so adding them changed no other input of the benchmark.
    """
    narratives = [text for text in rows_by_rowid(store, "visits", "narrative", rng, 2000) if text]
    kanji2 = [name for name, _ in demo.SURNAMES if len(name) == 2]
    kana3 = [kana for _, kana in demo.SURNAMES if len(kana) == 3]
    words = {
        2: ["玄関", "不在", "手紙", "同行", "電話", "表情", "通院", "家族", "応答", "民生"],
        3: ["玄関先", "置き手", "民生委", "同行支", "留守番", "体調は", "ケース", "クロキ"],
        5: ["置き手紙を", "インターホ", "玄関先で話", "生活の様子", "次回の訪問", "留守番電話"],
    }

    def substrings(length: int, count: int) -> list[str]:
        found = []
        while len(found) < count:
            text = rng.choice(narratives).replace("。", "")
            if len(text) > length:
                start = rng.randrange(len(text) - length)
                found.append(text[start : start + length])
        return found

    queries = {}
    for length in (2, 3, 5):
        names = {2: kanji2, 3: kana3 + [_katakana(k) for k in kana3], 5: []}[length]
        if length == 5:  # full names written without the space, e.g. 黒木正雄 → 5 characters
            names = [name.replace(" ", "")
                     for name in rows_by_rowid(store, "persons", "name", rng, 500)]
            names = [name for name in names if len(name) == 5] or names
        part_names = [rng.choice(names) for _ in range(n * 4 // 10)]
        part_words = [rng.choice(words[length]) for _ in range(n * 2 // 10)]
        part_text = substrings(length, n - len(part_names) - len(part_words))
        mixed = part_names + part_words + part_text
        rng.shuffle(mixed)
        queries[length] = mixed
    # one character: the first kanji of a family name, a common word, a character of a narrative
    firsts = sorted({name[0] for name in kanji2})
    common = ["家", "話", "訪", "母", "父", "薬", "病", "様", "手", "電"]
    letters = [c for c in "".join(narratives[:200]) if c.isalnum()]  # no spaces, no 。
    chars = [rng1.choice(letters) for _ in range(n - n * 6 // 10)]
    mixed = ([rng1.choice(firsts) for _ in range(n * 4 // 10)]
             + [rng1.choice(common) for _ in range(n * 2 // 10)] + chars)
    rng1.shuffle(mixed)
    queries[1] = mixed
    return queries


# Two-character words that the generator never writes (a name not in the caseload, a typo).
# Before the gram index (migration 6) this was the worst case: a two-character query finding
# fewer than 50 documents scanned every search document.
ABSENT_2 = ("桜井", "東京", "鈴蘭", "北海", "沖縄", "宇宙", "銀河", "珈琲", "薔薇", "林檎", "葡萄",
            "蜜柑", "富士", "京都", "大阪", "札幌", "仙台", "横浜", "ゆず", "メロ")


def absent_queries(store: Store, n: int) -> list[str]:
    absent = [q for q in ABSENT_2 if not find(store.db, q, 1)]
    return [absent[i % len(absent)] for i in range(n)]


def new_visit(rng: random.Random, now: datetime) -> dict:
    narrative = (rng.choice(demo.HOME_NOBODY_OPEN) + rng.choice(demo.HOME_NOBODY_SEEN)
                 + rng.choice(demo.HOME_NOBODY_DID))
    return {
        "occurred_at": now - timedelta(minutes=rng.randint(5, 600)),
        "kind": "home_visit",
        "met_with": "nobody",
        "narrative": narrative.format(tp="午前中", hobby="釣り"),
        "reaction": "反応なし。",
        "relationship_stage": "no_contact",
        "next_action": "1週間後に再訪し、置き手紙の反応を確認する",
        "next_action_due": (now + timedelta(days=7)).date(),
    }


# -- 4. measurements ------------------------------------------------------------------------------


def alternate(samples: dict, key: str, stores: dict[str, Store], inputs: list, op) -> None:
    """Run ``op(store, item)`` for every input on both stores, flipping the order each time."""
    for i, item in enumerate(inputs):
        order = ("enc", "plain") if i % 2 == 0 else ("plain", "enc")
        for name in order:
            store = stores[name]
            samples[name].setdefault(key, []).append(
                timed(lambda store=store, item=item: op(store, item)))


def measure(args, encrypted: Path, plain: Path, info: dict) -> tuple[dict, dict]:
    rng = random.Random(args.seed + 1000)
    samples: dict[str, dict[str, list[float]]] = {"enc": {}, "plain": {}}
    extra: dict = {}

    # unlock: Argon2id (DEFAULT_KDF) + open + schema check + engine start
    log(f"unlock × {args.unlocks} …")
    for i in range(args.unlocks):
        for name in (("enc", "plain") if i % 2 == 0 else ("plain", "enc")):
            folder = encrypted if name == "enc" else plain
            keying = plaintext_keying() if name == "plain" else contextlib.nullcontext()
            with keying:
                samples[name].setdefault("unlock", []).append(
                    timed(lambda f=folder: Store.open(f, PASSPHRASE).close()))
    # opening with the data key already unwrapped (what remains once Argon2id is done)
    key = unwrap_data_key(encrypted / KEY_FILE, PASSPHRASE)
    try:
        for i in range(args.opens):
            for name in (("enc", "plain") if i % 2 == 0 else ("plain", "enc")):
                folder = encrypted if name == "enc" else plain
                keying = plaintext_keying() if name == "plain" else contextlib.nullcontext()

                def open_close(folder=folder, keying=keying):
                    with keying:
                        store = Store(folder)
                        store._open_with_key(key)
                        store.close()

                samples[name].setdefault("open", []).append(timed(open_close))
    finally:
        wipe(key)

    enc_store, plain_store = open_pair(encrypted, plain)
    stores = {"enc": enc_store, "plain": plain_store}
    if args.cache_mib:
        for store in stores.values():
            store.db.execute(f"PRAGMA cache_size = -{int(args.cache_mib) * 1024}")
    extra["cache_size"] = enc_store.db.execute("PRAGMA cache_size").fetchone()[0]
    try:
        case_ids = [row[0] for row in enc_store.db.execute("SELECT id FROM cases ORDER BY id")]
        queries = sample_queries(enc_store, rng, args.queries, random.Random(args.seed + 2000))
        extra["queries"] = {str(k): v[:12] for k, v in queries.items()}

        # warm-up (untimed): the first reads after opening fill SQLite's page cache
        for store in stores.values():
            for case_id in rng.sample(case_ids, min(10, len(case_ids))):
                store.case_history(case_id)
            for length in (2, 3, 5):
                for query in queries[length][:5]:
                    store.search(query)

        log(f"visit save × {args.saves} …")
        now = datetime.now(demo.JST)
        saves = [(rng.choice(case_ids), new_visit(rng, now)) for _ in range(args.saves)]
        alternate(samples, "save", stores, saves,
                  lambda store, item: store.record_visit(item[0], **item[1]))

        hits: dict[str, list[int]] = {}
        for length in (1, 2, 3, 5):
            log(f"search, {length} characters × {len(queries[length])} …")
            alternate(samples, f"search{length}", stores, queries[length],
                      lambda store, query: store.search(query))
            alternate(samples, f"find{length}", stores, queries[length],
                      lambda store, query: find(store.db, query, 50))
            hits[str(length)] = [len(enc_store.search(q)) for q in queries[length]]
        misses = absent_queries(enc_store, args.misses)
        log(f"search, 2 characters, no match × {len(misses)} …")
        alternate(samples, "search2miss", stores, misses, lambda store, query: store.search(query))
        extra["hits"] = {k: {"mean": round(statistics.mean(v), 1),
                             "zero": sum(1 for x in v if x == 0),
                             "full_page": sum(1 for x in v if x >= 50)} for k, v in hits.items()}

        log(f"case history × {args.histories} …")
        picked = [rng.choice(case_ids) for _ in range(args.histories)]
        alternate(samples, "history", stores, picked,
                  lambda store, case_id: store.case_history(case_id))
        extra["history_visits"] = round(statistics.mean(
            len(enc_store.visits(c)) for c in picked), 1)

        if args.profile:
            extra["profiles"] = profile(enc_store, queries, picked, saves[:50])
    finally:
        for store in stores.values():
            store.db.checkpoint()
        extra["sizes"] = {"encrypted": size_of(encrypted), "plain": size_of(plain)}
        extra["index_payload"] = index_payload(plain_store)
        for store in stores.values():
            store.close()
    return samples, extra


def index_payload(store: Store) -> dict[str, int]:
    """Bytes of payload of the search tables (this SQLCipher build has no ``dbstat``): the
    folded text, and each FTS5 index's shadow tables (segments, their index, per-row data)."""
    db = store.db
    sizes = {"search_docs (folded text)": db.execute(
        "SELECT sum(length(CAST(folded AS BLOB)) + length(entity) + length(entity_id)) "
        "FROM search_docs").fetchone()[0] or 0}
    for fts in ("search_fts", "search_grams"):
        total = 0
        for table, expr in ((f"{fts}_data", "8 + length(block)"),
                            (f"{fts}_idx", "8 + length(term) + 8"),
                            (f"{fts}_docsize", "8 + length(sz) + 8")):
            if db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone():
                total += db.execute(f"SELECT sum({expr}) FROM {table}").fetchone()[0] or 0
        sizes[fts] = total
    return sizes


def profile(store: Store, queries: dict, picked: list[str], saves: list) -> dict[str, str]:
    """cProfile top entries of each operation on the encrypted store."""
    jobs = {
        "search1": lambda: [store.search(q) for q in queries[1]],
        "search2": lambda: [store.search(q) for q in queries[2]],
        "search5": lambda: [store.search(q) for q in queries[5]],
        "history": lambda: [store.case_history(c) for c in picked],
        "save": lambda: [store.record_visit(c, **v) for c, v in saves],
    }
    found = {}
    for name, job in jobs.items():
        profiler = cProfile.Profile()
        profiler.enable()
        job()
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
        found[name] = out.getvalue()
    return found


# -- 5. report ------------------------------------------------------------------------------------

ROWS = (
    ("unlock", "unlock: Store.open (Argon2id DEFAULT_KDF + open)"),
    ("open", "open with unwrapped data key (no KDF)"),
    ("save", "visit save: record_visit, own tx + fsync"),
    ("search1", "search, 1-char query (store.search)"),
    ("find1", "  1-char, index lookup only (search.find)"),
    ("search2", "search, 2-char query (store.search)"),
    ("find2", "  2-char, index lookup only (search.find)"),
    ("search3", "search, 3-char query (store.search)"),
    ("find3", "  3-char, index lookup only (search.find)"),
    ("search5", "search, 5-char query (store.search)"),
    ("find5", "  5-char, index lookup only (search.find)"),
    ("search2miss", "search, 2-char query with no match"),
    ("history", "case history: store.case_history"),
)


def report(samples: dict, info: dict, extra: dict) -> dict:
    table = []
    for key, label in ROWS:
        enc, plain = samples["enc"].get(key), samples["plain"].get(key)
        if not enc:
            continue
        row = {
            "key": key, "label": label, "n": len(enc),
            "enc_p50": percentile(enc, 50), "enc_p95": percentile(enc, 95),
            "plain_p50": percentile(plain, 50), "plain_p95": percentile(plain, 95),
        }
        row["enc_mean"], row["plain_mean"] = statistics.mean(enc), statistics.mean(plain)
        row["ratio_mean"] = row["enc_mean"] / row["plain_mean"]
        row["ratio_p50"] = row["enc_p50"] / row["plain_p50"]
        row["ratio_p95"] = row["enc_p95"] / row["plain_p95"]
        table.append(row)

    counts = info["counts"]
    print()
    print(f"Store: {counts['cases']:,} cases, {counts['visits']:,} visits, "
          f"{counts['persons']:,} persons, {counts['households']:,} households, "
          f"{counts['notes']:,} notes, {counts['consent_events']:,} consent events, "
          f"{counts['plans']:,} plans, {counts['meetings']:,} meetings")
    cached = " (cached from an earlier run)" if info.get("cached") else ""
    print(f"Generation: {info['generation_s']:,.1f} s{cached}; "
          f"{counts['visits'] / max(info['generation_s'], 1e-9):,.0f} visits/s")
    print(f"Database size: as generated {mib(info['source_bytes'])}; fresh copies: encrypted "
          f"{mib(extra['sizes']['encrypted'])}, plain {mib(extra['sizes']['plain'])} "
          f"(after the benchmark's writes)")
    print("Search tables, payload bytes in the plain copy: " + ", ".join(
        f"{name} {mib(size)}" for name, size in extra["index_payload"].items()))
    print(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"SQLite {sqlcipher3.sqlite_version}; PRAGMA cache_size = {extra['cache_size']} "
          "(negative: KiB)")
    print()
    header = (f"{'operation':<50} {'n':>4} {'enc p50':>9} {'enc p95':>9} {'plain p50':>9} "
              f"{'plain p95':>9} {'ratio p50':>9} {'ratio p95':>9} {'ratio mean':>10}")
    print(header)
    print("-" * len(header))
    for row in table:
        print(f"{row['label']:<50} {row['n']:>4} {row['enc_p50']:>9.2f} {row['enc_p95']:>9.2f} "
              f"{row['plain_p50']:>9.2f} {row['plain_p95']:>9.2f} {row['ratio_p50']:>8.2f}× "
              f"{row['ratio_p95']:>8.2f}× {row['ratio_mean']:>9.2f}×")
    print("(times in milliseconds; ratio = encrypted / plain; 'ratio mean' compares the total "
          "time of all samples, the overhead figure)")
    print()
    print("Targets (encrypted store):")
    verdicts = []
    for row in table:
        if row["key"] in TARGETS:
            limit, text = TARGETS[row["key"]]
            ok = row["enc_p95"] < limit
            verdicts.append((f"{text} [{row['key']}]", ok, f"{row['enc_p95']:.2f} ms"))
    for row in table:
        if row["key"] in ("save", "search1", "search2", "search3", "search5", "search2miss",
                          "history"):
            ok = row["ratio_mean"] < MAX_OVERHEAD
            verdicts.append((f"overhead < {MAX_OVERHEAD}× [{row['key']}]", ok,
                             f"{row['ratio_mean']:.2f}× of the total time "
                             f"({row['ratio_p50']:.2f}× p50, {row['ratio_p95']:.2f}× p95)"))
    for text, ok, value in verdicts:
        print(f"  {'MET   ' if ok else 'MISSED'} {text}: {value}")
    print()
    print("Search hits per query (limit 50):",
          ", ".join(f"{k} chars: mean {v['mean']}, {v['zero']} with none, {v['full_page']} "
                    f"with 50" for k, v in extra["hits"].items()))
    print(f"Visits per sampled case history: mean {extra['history_visits']}")
    print("Sample queries:", json.dumps(extra["queries"], ensure_ascii=False))
    for name, text in extra.get("profiles", {}).items():
        print(f"\n--- cProfile, encrypted store: {name} ---")
        print("\n".join(line for line in text.splitlines() if line.strip())[:4000])
    return {"table": table, "info": info, "samples_ms": samples,
            "extra": {k: v for k, v in extra.items() if k != "profiles"}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--visits-per-case", type=float, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "outreach-desk-bench",
                        help="cache folder for the generated store and the run copies")
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--queries", type=int, default=100, help="queries per query length")
    parser.add_argument("--misses", type=int, default=40,
                        help="two-character queries that match nothing (worst case)")
    parser.add_argument("--histories", type=int, default=100)
    parser.add_argument("--cache-mib", type=int,
                        help="set PRAGMA cache_size on both stores (default: the store's own)")
    parser.add_argument("--unlocks", type=int, default=5)
    parser.add_argument("--opens", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="print cProfile top entries")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    args.work.mkdir(parents=True, exist_ok=True)
    info = generate_source(args.work, args.cases, args.visits_per_case, args.seed)
    encrypted, plain = make_copies(args.work, info)
    samples, extra = measure(args, encrypted, plain, info)
    result = report(samples, info, extra)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
