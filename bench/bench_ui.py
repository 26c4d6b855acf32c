"""Desktop-client benchmark on 10,000 cases: start, caseload keystroke, open a case, save a visit.

Prints figures (medians and p95 in ms); not a test. Uses the store generated and cached by
``bench_store.py`` (same ``--work`` folder; generated on first use, ~4 minutes), copied so the
cached source is never changed. Runs offscreen unless ``QT_QPA_PLATFORM`` says otherwise.

    .venv/bin/python bench/bench_ui.py                 # 10,000 cases
    .venv/bin/python bench/bench_ui.py --cases 1000    # smaller

Rows (targets from the desktop-client issue):

* process start → unlock screen shown: a fresh ``python -m`` process up to the first frame of
  the main window (imports, QApplication, translations, window). Target for "start": 1.5 s.
* unlock → interactive caseload: from the ``unlocked`` signal to every case row in the model and
  the table painted (the Argon2id unlock itself is reported separately, see bench_store.py).
* keystroke → repaint: one key typed into the caseload search box until the filtered table has
  been repainted (the background full-text search that follows is not part of it). Target 100 ms.
* open a case with 500 visits: ``CaseView`` created until its timeline is filled and painted.
  Target 200 ms.
* save a visit: Ctrl+Enter in the visit form until the saved visit is on top of the timeline and
  painted. Target 50 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import bench_store  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QInputMethodEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ui import tasks  # noqa: E402
from ui.case_view import CaseView  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.session import Session, Settings  # noqa: E402

TARGETS = {"start": 1500, "keystroke": 100, "open_case": 200, "save": 50}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def wait_until(app: QApplication, condition, timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("condition not reached")
        app.processEvents()
        time.sleep(0.0005)


def painted(app: QApplication, widget) -> None:
    app.processEvents()
    widget.repaint()


_START_CHILD = """
import os, sys, time
t0 = float(sys.argv[1])
sys.path.insert(0, sys.argv[3])
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from ui import app as ui_app
from ui.main_window import MainWindow
from ui.session import Session, Settings
QCoreApplication.setOrganizationName("Outreach Desk Bench")
app = QApplication([])
ui_app.apply_look(app)
ui_app.install_translators(app, "ja")
window = MainWindow(Session(Path(sys.argv[2]), Settings()))
window.show()
app.processEvents()
window.repaint()
print(time.time() - t0)
"""


def measure_start(folder: Path, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        t0 = time.time()
        out = subprocess.run([sys.executable, "-c", _START_CHILD, str(t0), str(folder), str(ROOT)],
                             capture_output=True, text=True, check=True,
                             env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        samples.append(float(out.stdout.strip().splitlines()[-1]) * 1000)
    return samples


def commit(widget, text: str) -> None:
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def add_visits(session: Session, case_id: str, n: int) -> None:
    store = session.store
    now = datetime.now().astimezone().replace(microsecond=0)
    with store.batch():
        for i in range(n):
            store.record_visit(
                case_id, occurred_at=(now - timedelta(hours=6 * (i + 1))).isoformat(),
                kind="home_visit", met_with="family", relationship_stage="family_contact",
                narrative=f"ベンチマーク用の訪問記録 {i}。玄関先で家族と短く話した。",
                late_entry_confirmed=True)  # may reach back before a demo case was opened


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--visits-per-case", type=float, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "outreach-desk-bench")
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--opens", type=int, default=10)
    parser.add_argument("--saves", type=int, default=30)
    args = parser.parse_args(argv)

    args.work.mkdir(parents=True, exist_ok=True)
    info = bench_store.generate_source(args.work, args.cases, args.visits_per_case, args.seed)
    source = args.work / f"source-{info['cases']}-{info['visits_per_case']:g}-{info['seed']}"
    run = args.work / "ui-run"
    shutil.rmtree(run, ignore_errors=True)
    shutil.copytree(source / "store", run,
                    ignore=shutil.ignore_patterns("*.before-*", "*-wal", "*-shm"))

    results: dict[str, list[float]] = {}
    log("process start → unlock screen …")
    results["start"] = measure_start(run, args.starts)

    app = QApplication([])
    settings = Settings(QSettings(str(args.work / "ui-settings.ini"), QSettings.Format.IniFormat))
    session = Session(run, settings)
    unlocked = []
    session.unlocked.connect(lambda: unlocked.append(time.perf_counter()))
    started = time.perf_counter()
    session.unlock(bench_store.PASSPHRASE)  # migrates the copy first if the cache is older
    wait_until(app, lambda: unlocked, timeout=600)
    log(f"unlocked in {unlocked[0] - started:.2f} s")
    total = session.store.counts()["case"]

    log("unlock → interactive caseload …")
    results["caseload"] = []
    for _ in range(args.loads):
        t0 = time.perf_counter()
        window = MainWindow(session)  # an unlocked session: the caseload loads at once
        window.resize(1280, 800)
        window.show()
        wait_until(app, lambda w=window: w.caseload.model.rowCount() == total)
        painted(app, window.caseload.table.viewport())
        results["caseload"].append((time.perf_counter() - t0) * 1000)
        window.hide()
        window.deleteLater()
        wait_until(app, lambda: tasks.pending() == 0)
        # processEvents() outside exec() never runs deferred deletes: without this the earlier
        # windows would stay alive and keep answering every change (a real app has one window)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()

    window = MainWindow(session)
    window.resize(1280, 800)
    window.show()
    wait_until(app, lambda: window.caseload.model.rowCount() == total)
    log("keystroke → repaint …")
    search = window.caseload.search
    viewport = window.caseload.table.viewport()
    results["keystroke"] = []
    words = ["くろ", "やまだ", "たなか", "ひろし", "のじり", "はなこ", "きよ", "いし"]
    for i in range(args.keys):
        word = words[i % len(words)]
        search.clear()
        painted(app, viewport)
        for char in word:
            t0 = time.perf_counter()
            commit(search, char)
            painted(app, viewport)
            results["keystroke"].append((time.perf_counter() - t0) * 1000)
        wait_until(app, lambda: tasks.pending() == 0)
    search.clear()

    log("open a case with 500 visits …")
    row = window.caseload.model.entry(0).row
    have = len(session.store.visits(row.case_id))
    add_visits(session, row.case_id, max(0, 500 - have))
    visits = len(session.store.visits(row.case_id))
    results["open_case"] = []
    for _ in range(args.opens):
        t0 = time.perf_counter()
        view = CaseView(session, row.case_id)
        view.resize(1280, 760)
        view.show()
        wait_until(app, lambda v=view: v.timeline.timeline_model.rowCount() > 0)
        painted(app, view.timeline.viewport())
        results["open_case"].append((time.perf_counter() - t0) * 1000)
        view.hide()
        view.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()

    log("save a visit …")
    view = CaseView(session, row.case_id)
    view.resize(1280, 760)
    view.show()
    app.processEvents()
    results["save"] = []
    for i in range(args.saves):
        view.new_visit()
        commit(view.form.narrative, f"保存の計測 {i}。本人と話せた。")
        t0 = time.perf_counter()
        QTest.keyClick(view.form.narrative, Qt.Key.Key_Return,
                       Qt.KeyboardModifier.ControlModifier)
        painted(app, view.timeline.viewport())
        results["save"].append((time.perf_counter() - t0) * 1000)
        top = view.timeline.timeline_model.index(0).data()
        assert f"保存の計測 {i}" in (top or ""), "the saved visit is not on top of the timeline"
    session.close()

    print(f"\nDesktop client on {total:,} cases (case opened: {visits} visits), "
          f"QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}\n")
    print("| operation | n | p50 ms | p95 ms | target |")
    print("|---|---:|---:|---:|---|")
    names = {"start": "process start → unlock screen shown",
             "caseload": "unlock → interactive caseload (all rows, painted)",
             "keystroke": "caseload filter keystroke → repaint",
             "open_case": f"open a case with {visits} visits",
             "save": "save a visit (Ctrl+Enter → on the timeline)"}
    for key, name in names.items():
        samples = results[key]
        target = TARGETS.get(key)
        verdict = "" if target is None else (
            f"< {target} ms: " + ("met" if pct(samples, 0.95) < target else
                                  "met at p50" if statistics.median(samples) < target
                                  else "missed"))
        print(f"| {name} | {len(samples)} | {statistics.median(samples):.1f} | "
              f"{pct(samples, 0.95):.1f} | {verdict} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
