"""Start time of the frozen app (dist/outreach-desk/) against running from source.

Prints figures; not a test. Each run starts the real entry point in a fresh process — the built
``dist/outreach-desk/outreach-desk`` or ``.venv/bin/python -m ui.launcher`` — over the same
store (so the unlock screen is what comes up), and measures from starting the process until the
app logs ``main window shown`` (written once the event loop has run after ``window.show()``).
The two kinds alternate, flipping which goes first each round. Offscreen unless
``QT_QPA_PLATFORM`` says otherwise. Build first: ``python3 dev.py dist``.

    .venv/bin/python bench/bench_start.py              # 9 runs of each
    .venv/bin/python bench/bench_start.py --runs 15
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from outreach_desk.keystore import KdfParams  # noqa: E402
from outreach_desk.logs import LOG_FILE  # noqa: E402
from outreach_desk.store import Store  # noqa: E402

FROZEN = ROOT / "dist" / "outreach-desk" / ("outreach-desk.exe" if os.name == "nt"
                                             else "outreach-desk")
SHOWN = "main window shown"


def start_once(command: list[str], data_dir: Path, work: Path, timeout: float = 60) -> float:
    """Seconds from spawning ``command`` until the app logs that its window is shown."""
    log_dir = Path(tempfile.mkdtemp(dir=work, prefix="log-"))
    env = {**os.environ, "OUTREACH_DESK_LOG_DIR": str(log_dir)}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    log_file = log_dir / LOG_FILE
    started = time.perf_counter()
    proc = subprocess.Popen([*command, "--data-dir", str(data_dir)], cwd=work, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - started < timeout:
            if log_file.exists() and SHOWN in log_file.read_text("utf-8", errors="replace"):
                return time.perf_counter() - started
            if proc.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {proc.returncode}")
            time.sleep(0.005)
        raise TimeoutError(f"{command[0]} did not show its window in {timeout} s")
    finally:
        proc.terminate()
        proc.wait(10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--frozen", type=Path, default=FROZEN)
    args = parser.parse_args(argv)
    if not args.frozen.exists():
        parser.error(f"{args.frozen} does not exist: run `python3 dev.py dist` first")
    kinds = {"frozen (dist/outreach-desk)": [str(args.frozen)],
             "from source (python -m ui.launcher)": [sys.executable, "-m", "ui.launcher"]}
    samples: dict[str, list[float]] = {kind: [] for kind in kinds}
    with tempfile.TemporaryDirectory(prefix="outreach-desk-bench-start-") as folder:
        work = Path(folder)
        Store.create(work / "data", "bench passphrase 2026", worker_name="ベンチ",
                     kdf=KdfParams(memory_kib=8192, iterations=1, lanes=1)).close()
        for command in kinds.values():  # one untimed start each: warm the file cache
            start_once(command, work / "data", work)
        for round_ in range(args.runs):
            order = list(kinds) if round_ % 2 == 0 else list(reversed(kinds))
            for kind in order:
                samples[kind].append(start_once(kinds[kind], work / "data", work))
    print(f"process start → main window shown (unlock screen), {args.runs} runs each, ms")
    for kind, values in samples.items():
        ms = sorted(v * 1000 for v in values)
        print(f"  {kind:38s} median {statistics.median(ms):6.0f}   min {ms[0]:6.0f}   "
              f"max {ms[-1]:6.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
