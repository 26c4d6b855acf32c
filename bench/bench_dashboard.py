"""Team dashboard (チーム状況) benchmark: one team of 10 workers, 2,000 cases, 60,000 visits.

Prints figures (median, p95 and the number of runs, in ms); not a test. Runs offscreen unless
``QT_QPA_PLATFORM`` says otherwise.

    .venv/bin/python bench/bench_dashboard.py
    .venv/bin/python bench/bench_dashboard.py --cases 500 --visits 15000   # smaller

1. **Generate** (cached in ``WORK/dashboard-<cases>-<visits>-<seed>/``, like bench_ui.py reuses
   bench_store.py's store): one team, 10 workers, ``--cases`` cases with stage histories, a year
   of ``--visits`` visits (each case's own worker records them; kinds, outcomes and next actions
   drawn at random, some overdue), consent for a third of the people, and 40 upcoming
   重層的支援会議 of 5 cases each. Written through the ordinary Store API.
2. **A peer replica** (cached too): a copy of the store under another replica id that records
   ``--runs`` batches of 200 visits. Its changes are what the measured store pulls in a sync.
3. **Measure** on a fresh copy of the store:

   * first paint: a ``DashboardView`` is created and shown until its figures are in and the
     charts and lists are painted (the figures are read on a worker thread). Measured the
     first time after unlocking (every visit of the last 12 weeks is read and decrypted) and
     when opened again (only visits added since are read: see ``activity.weekly_visits``);
   * refresh after a sync: one page of the peer's 200 visits is applied as the sync client
     does (``Store.apply_pulled``), and the shown dashboard reads its figures again and
     repaints. Measured from the end of the apply (the sync engine's own cost is reported
     apart, and in bench_sync.py) to the repaint; the 300 ms pause the view waits for further
     changes before reading is set to 0 here, so the figure is the work, not the wait.

Target from the supervision issue: the dashboard under 500 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_ui import log, pct, wait_until  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from outreach_desk.changes import Change  # noqa: E402
from outreach_desk.keystore import DEFAULT_KDF  # noqa: E402
from outreach_desk.store import Store  # noqa: E402
from ui import tasks  # noqa: E402
from ui.dashboard import DashboardView  # noqa: E402
from ui.session import Session, Settings  # noqa: E402

PASSPHRASE = "ベンチマーク用のパスフレーズ 2026"
TARGET_MS = 500
WORKERS = 10
PAGE = 200
KINDS = ("home_visit", "home_visit", "home_visit", "phone", "letter", "accompany",
         "office_visit", "agency_contact")
STAGES = ("identified", "relationship", "assessment", "planning", "support")


def _visit(rng: random.Random, day: date) -> dict:
    kind = rng.choice(KINDS)
    met = "person" if kind in ("accompany", "office_visit") else rng.choice(
        ("person", "family", "nobody", "nobody"))
    moment = datetime.combine(day, datetime.min.time()).replace(
        hour=rng.randint(9, 16), minute=rng.choice((0, 15, 30, 45))).astimezone()
    moment = min(moment, datetime.now().astimezone() - timedelta(minutes=5))
    values = {"occurred_at": moment, "kind": kind, "met_with": met,
              "relationship_stage": rng.choice(("family_contact", "met_person", "ongoing")),
              "narrative": "ベンチマーク用の訪問記録。玄関先で短く話した。"}
    if rng.random() < 0.7:
        values["next_action"] = "2週間後に再訪する"
        values["next_action_due"] = day + timedelta(days=rng.randint(3, 28))
    return values


def generate(folder: Path, cases: int, visits: int, seed: int) -> dict:
    marker = folder / "generated.json"
    if marker.exists():
        log(f"using the cached store in {folder}")
        return json.loads(marker.read_text("utf-8"))
    shutil.rmtree(folder, ignore_errors=True)
    rng = random.Random(seed)
    today = date.today()
    started = time.perf_counter()
    log(f"generating {cases:,} cases and {visits:,} visits in {folder} …")
    store = Store.create(folder / "store", PASSPHRASE, worker_name="スーパーバイザー 役",
                         team_name="小林担当", kdf=DEFAULT_KDF)
    me = store.author
    team = store.worker()["team_id"]
    with store.batch():
        store.update("worker", me, {"role": "supervisor"})
        workers = [store.add_worker(f"支援員 {i + 1:02d}", team_id=team) for i in range(WORKERS)]
        agencies = [store.add_agency(name) for name in (
            "小林市地域包括支援センター", "にしもろ基幹相談支援センター", "こども家庭センター",
            "小林市生活自立相談支援センター", "福祉課")]
    per_case = [visits // cases + (1 if i < visits % cases else 0) for i in range(cases)]
    case_ids, persons = [], []
    for start in range(0, cases, 200):
        group = range(start, min(cases, start + 200))
        with store.batch():
            homes = [store.create_household(f"ベンチ世帯 {i}", "小林") for i in group]
        with store.batch():
            people = [store.add_person(f"ベンチ 太郎{i}", "べんち たろう", "小林",
                                       household_id=home) for i, home in zip(group, homes,
                                                                             strict=True)]
        with store.batch():
            for i, person in zip(group, people, strict=True):
                worker = workers[i % WORKERS]
                store.set_author(worker)
                opened = today - timedelta(days=rng.randint(30, 365))
                case_id = store.open_case(referral_source=rng.choice(
                    ("minsei_iin", "community_care_center", "neighbour", "lifeline")),
                    district="小林", person_id=person, opened_on=opened, team_id=team,
                    worker_id=worker)
                day = opened
                for stage in STAGES[1:rng.randint(1, len(STAGES))]:
                    day = min(today, day + timedelta(days=rng.randint(10, 60)))
                    store.change_case_stage(case_id, stage, on=day)
                if rng.random() < 0.1:
                    store.change_case_stage(case_id, rng.choice(("closed", "suspended")),
                                            on=min(today, day + timedelta(days=20)))
                span = (today - opened).days
                for _ in range(per_case[i]):
                    store.record_visit(case_id, **_visit(rng, opened + timedelta(
                        days=rng.randint(0, span))))
                if rng.random() < 0.33:
                    store.record_consent(person, agencies=rng.sample(agencies, 3),
                                         method="oral", given_on=opened)
                case_ids.append(case_id)
                persons.append(person)
        log(f"  {len(case_ids):,}/{cases:,} cases, {time.perf_counter() - started:,.0f} s")
    store.set_author(me)
    with store.batch():
        for m in range(40):
            store.record_meeting(kind="multi_agency", held_on=today + timedelta(days=m % 20 + 1),
                                 attendees=rng.sample(agencies, 3),
                                 case_ids=rng.sample(case_ids, 5))
    counts = store.counts()
    store.db.checkpoint()
    store.close()
    info = {"cases": counts["case"], "visits": counts["visit"], "workers": WORKERS,
            "generation_s": round(time.perf_counter() - started, 1)}
    marker.write_text(json.dumps(info, ensure_ascii=False), "utf-8")
    return info


def copy_store(source: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.before-*", "*-wal", "*-shm"))


def make_peer_pages(folder: Path, runs: int, seed: int) -> list[list]:
    """Changes of another replica: ``runs`` pages of ``PAGE`` visits each (cached)."""
    pages_file = folder / f"peer-{runs}.json"
    peer_dir = folder / "peer"
    if not pages_file.exists():
        copy_store(folder / "store", peer_dir)
        peer = Store.open(peer_dir, PASSPHRASE)
        with peer.db.transaction():  # another laptop: its own replica id and sequence
            peer.db.execute("UPDATE meta SET value = ? WHERE key = 'site'", ("b3c4b3c4b3c4b3c4",))
            peer.db.execute("UPDATE meta SET value = '1' WHERE key = 'next_seq'")
        peer.close()
        peer = Store.open(peer_dir, PASSPHRASE)
        rng = random.Random(seed + 1)
        rows = peer.caseload()
        for _ in range(runs):
            with peer.batch():
                for _ in range(PAGE):
                    row = rng.choice(rows)
                    peer.set_author(row.worker_id)
                    peer.record_visit(row.case_id, **_visit(rng, date.today()))
        pages = [[change.__dict__ for change in peer.own_changes_after(k * PAGE, PAGE)]
                 for k in range(runs)]
        peer.close()
        pages_file.write_text(json.dumps(pages, ensure_ascii=False, default=str), "utf-8")
    return [[Change(**{**c, "ctx": tuple(c["ctx"])}) for c in page]
            for page in json.loads(pages_file.read_text("utf-8"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--visits", type=int, default=60_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "outreach-desk-bench")
    args = parser.parse_args(argv)
    folder = args.work / f"dashboard-{args.cases}-{args.visits}-{args.seed}"
    info = generate(folder, args.cases, args.visits, args.seed)
    pages = make_peer_pages(folder, args.runs, args.seed)
    run = args.work / "dashboard-run"
    copy_store(folder / "store", run)

    app = QApplication([])
    settings = Settings(QSettings(str(args.work / "dashboard-settings.ini"),
                                  QSettings.Format.IniFormat))
    session = Session(run, settings)
    session.unlock(PASSPHRASE)
    wait_until(app, lambda: session.is_unlocked)

    def first_paint() -> float:
        t0 = time.perf_counter()
        view = DashboardView(session)
        view.resize(1280, 760)
        view.show()
        wait_until(app, lambda: view.loads >= 1)
        view.repaint()
        elapsed = (time.perf_counter() - t0) * 1000
        view.close()
        view.deleteLater()
        app.processEvents()
        return elapsed

    cold, warm = [], []
    for _ in range(args.runs):
        session.lock()  # a new connection: nothing of the last dashboard is kept
        session.unlock(PASSPHRASE)
        wait_until(app, lambda: session.is_unlocked)
        cold.append(first_paint())
        warm.append(first_paint())
    view = DashboardView(session)
    view.show()
    wait_until(app, lambda: view.loads >= 1)
    board = view.board
    log(f"dashboard: {len(board.rows):,} cases, {sum(board.visits.values()):,} visits in the "
        f"12 weeks, {len(board.overdue)} overdue, {len(board.no_contact)} without contact, "
        f"{len(board.meeting_gaps)} meeting gaps")

    view = DashboardView(session)
    view._timer.setInterval(0)  # measure the work, not the pause that gathers changes
    view.resize(1280, 760)
    view.show()
    wait_until(app, lambda: view.loads >= 1)
    apply_ms, refresh = [], []
    for k, page in enumerate(pages):
        loads = view.loads
        visits_before = sum(view.board.visits.values())
        t0 = time.perf_counter()
        session.store.apply_pulled(page, cursor=k + 1)
        t1 = time.perf_counter()
        wait_until(app, lambda n=loads: view.loads > n and tasks.pending() == 0)
        view.repaint()
        refresh.append((time.perf_counter() - t1) * 1000)
        apply_ms.append((t1 - t0) * 1000)
        assert sum(view.board.visits.values()) == visits_before + PAGE, "the sync is not shown"
    session.close()

    print(f"\nTeam dashboard: {info['cases']:,} cases, {info['visits']:,} visits, "
          f"{info['workers']} workers in one team, QT_QPA_PLATFORM="
          f"{os.environ['QT_QPA_PLATFORM']}\n")
    print("| operation | n | median ms | p95 ms | target |")
    print("|---|---:|---:|---:|---|")
    rows = (("first paint, first time after unlock (view created → figures read → painted)",
             cold, TARGET_MS),
            ("first paint, opened again (recent visits already read)", warm, TARGET_MS),
            (f"refresh after a sync of {PAGE} visits (applied → read again → painted)", refresh,
             TARGET_MS),
            (f"for reference: applying the page of {PAGE} visits (sync engine)", apply_ms, None))
    for name, samples, target in rows:
        verdict = "" if target is None else (
            f"< {target} ms: " + ("met" if statistics.median(samples) < target else "missed"))
        print(f"| {name} | {len(samples)} | {statistics.median(samples):.0f} | "
              f"{pct(samples, 0.95):.0f} | {verdict} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
