"""Meeting material (会議資料) benchmark: the PDF for 20 cases on a demo-sized store.

Prints figures (median, p95 and the number of runs, in ms); not a test. Runs offscreen unless
``QT_QPA_PLATFORM`` says otherwise.

    .venv/bin/python bench/bench_meeting_pdf.py
    .venv/bin/python bench/bench_meeting_pdf.py --cases 150 --pick 20 --runs 7

1. **Generate** (cached in ``WORK/meeting-<cases>-<seed>/``): the demo data (``outreach_desk.demo``,
   the same as ``outreach-desk demo``) with ``--cases`` cases, written through the Store API.
2. **Measure** on a fresh copy, ``--runs`` times: ``disclose_meeting_material`` for a 支援会議
   with every agency attending and ``--pick`` open cases (those with the most visits first),
   which checks the consent of every case again inside the transaction, selects each sheet's
   content, renders the PDF with Qt's writer (cover page + one page per case, Japanese font
   embedded) and records the disclosure. Reported apart: the content selection alone (what the
   transaction reads) and the PDF rendering alone.

Target from the supervision issue: the PDF for 20 cases under 3 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from PySide6.QtGui import QGuiApplication  # noqa: E402

from outreach_desk import demo  # noqa: E402
from outreach_desk.disclosure import disclose_meeting_material  # noqa: E402
from outreach_desk.keystore import DEFAULT_KDF  # noqa: E402
from outreach_desk.material import meeting_material  # noqa: E402
from outreach_desk.meetings import MeetingPlan  # noqa: E402
from outreach_desk.store import Store  # noqa: E402
from outreach_desk.vocab import LegalBasis, MeetingKind  # noqa: E402
from ui.meeting_pdf import material_pdf  # noqa: E402

PASSPHRASE = "ベンチマーク用のパスフレーズ 2026"
TARGET_MS = 3000


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def figure(name: str, values: list[float]) -> str:
    return (f"{name:<46} median {statistics.median(values):7.0f} ms   "
            f"p95 {pct(values, 0.95):7.0f} ms   n={len(values)}")


def generated(work: Path, cases: int, seed: int) -> Path:
    folder = work / f"meeting-{cases}-{seed}"
    if (folder / "outreach-desk.db").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    store = Store.create(folder, PASSPHRASE, kdf=DEFAULT_KDF)
    demo.generate(store, cases=cases, seed=seed)
    demo.work_as_first_worker(store)
    store.db.checkpoint()
    store.close()
    print(f"generated {cases} demo cases in {time.perf_counter() - started:.1f} s")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=150, help="demo cases (the app's --demo)")
    parser.add_argument("--pick", type=int, default=20, help="cases in the meeting")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "od-bench")
    args = parser.parse_args()
    app = QGuiApplication([])  # noqa: F841 (fonts and the PDF writer need one)

    source = generated(args.work, args.cases, args.seed)
    copy = Path(tempfile.mkdtemp(prefix="od-meeting-"))
    shutil.copytree(source, copy / "data")
    store = Store.open(copy / "data", PASSPHRASE)
    try:
        rows = [row for row in store.caseload() if row.is_open]
        rows.sort(key=lambda row: -len(store.visits(row.case_id)))
        agencies = tuple(a.id for a in store.list_entities("agency"))
        plan = MeetingPlan(MeetingKind.SUPPORT_COUNCIL, date.today(), agencies,
                           tuple(row.case_id for row in rows[:args.pick]))
        visits = sum(len(store.visits(case_id)) for case_id in plan.case_ids)
        print(f"{len(plan.case_ids)} cases ({visits} visits), {len(agencies)} agencies, "
              f"store of {len(rows)} open cases")
        total, content, render, size = [], [], [], 0
        for _ in range(args.runs):
            started = time.perf_counter()
            done = disclose_meeting_material(store, plan, basis=LegalBasis.SUPPORT_COUNCIL,
                                             render=material_pdf)
            total.append((time.perf_counter() - started) * 1000)
            size = len(done.data)
            started = time.perf_counter()
            material = meeting_material(store, plan, LegalBasis.SUPPORT_COUNCIL)
            content.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            material_pdf(material)
            render.append((time.perf_counter() - started) * 1000)
        print(figure("PDF for the meeting (check, content, render, record)", total))
        print(figure("  content selection alone", content))
        print(figure("  PDF rendering alone", render))
        print(f"PDF size {size / 1024:.0f} KiB; disclosures recorded {len(store.disclosures())}")
        median = statistics.median(total)
        print(f"target < {TARGET_MS} ms: {'met' if median < TARGET_MS else 'NOT met'}")
    finally:
        store.close()
        shutil.rmtree(copy, ignore_errors=True)


if __name__ == "__main__":
    main()
