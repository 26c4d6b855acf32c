#!/usr/bin/env python3
"""Outreach Desk developer entry point (stdlib only).

    python3 dev.py run [args...]     set up the environment, then start the app
    python3 dev.py test [pytest...]  set up the environment, then run the tests
    python3 dev.py translations      refresh resources/translations/*.ts from ui/ (maintainers)
    python3 dev.py dist              build the double-clickable folder dist/outreach-desk/
                                     (PyInstaller, build.spec) and run its --self-test

Setting up means: Debian packages for Qt and Japanese fonts (when root on
Debian/Ubuntu), a .venv with `pip install -e .[test,build]` (redone whenever
pyproject.toml changes) and compiled translations (.ts -> .qm).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".outreach-desk-installed"
I18N = ROOT / "resources" / "translations"

APT_BASE = ["libegl1", "libgl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3", "fonts-noto-cjk"]
APT_GUI = [
    "libxcb-cursor0",
    "libxkbcommon-x11-0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-xinerama0",
    "libxcb-randr0",
]


def say(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def venv_bin(name: str) -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / f"{name}.exe"
    return VENV / "bin" / name


def missing_debs(packages: list[str]) -> list[str]:
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package} ${Status}\n", *packages],
        capture_output=True,
        text=True,
    ).stdout
    installed = {
        line.split()[0] for line in out.splitlines() if line.endswith("install ok installed")
    }
    return [p for p in packages if p not in installed]


def ensure_system_packages(gui: bool) -> None:
    if not sys.platform.startswith("linux") or not shutil.which("dpkg-query"):
        return
    missing = missing_debs(APT_BASE + (APT_GUI if gui else []))
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        say(f"hint: missing system packages (sudo apt-get install {' '.join(missing)})")
        return
    say(f"installing system packages: {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    quiet = {"stdout": subprocess.DEVNULL, "stdin": subprocess.DEVNULL, "env": env}
    subprocess.run(["apt-get", "update", "-qq"], check=True, **quiet)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        check=True,
        **quiet,
    )


def ensure_venv() -> Path:
    python = venv_bin("python")
    if not python.exists():
        say("creating .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != digest:
        say("installing the project, test and build dependencies into .venv "
            "(pip install -e .[test,build])")
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-e",
                ".[test,build]",
            ],
            cwd=ROOT,
            check=True,
            stdin=subprocess.DEVNULL,
        )
        STAMP.write_text(digest + "\n")
    return python


def ensure_translations() -> None:
    lrelease = venv_bin("pyside6-lrelease")
    if not lrelease.exists():
        return
    for ts in sorted(I18N.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
            continue
        say(f"compiling {ts.relative_to(ROOT)}")
        subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(qm)], check=True)


def ensure_environment(gui: bool) -> Path:
    ensure_system_packages(gui)
    python = ensure_venv()
    ensure_translations()
    return python


def hand_over(cmd: list[str], env: dict[str, str] | None = None) -> int:
    """Run *cmd* in place of this process (POSIX), so signals and the exit code pass through."""
    env = env or dict(os.environ)
    sys.stdout.flush()
    if os.name == "posix":
        os.chdir(ROOT)
        os.execve(cmd[0], cmd, env)
    return subprocess.call(cmd, cwd=ROOT, env=env)


def update_translations() -> None:
    """Refresh resources/translations/*.ts from the ui/ sources (keeps existing translations)."""
    lupdate = venv_bin("pyside6-lupdate")
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").glob("*.py"))
    for ts in sorted(I18N.glob("outreach_desk_*.ts")):  # qt_gaps_ja.ts is written by hand
        say(f"updating {ts.relative_to(ROOT)}")
        subprocess.run([str(lupdate), "-silent", "-no-obsolete", *sources, "-ts",
                        str(ts.relative_to(ROOT))], cwd=ROOT, check=True)


DIST = ROOT / "dist" / "outreach-desk"
BUILD_STAMP = ROOT / "build" / "dist-inputs.sha256"  # not inside the folder that ships
BUILD_INPUTS = ("build.spec", "pyproject.toml", "bundle", "outreach_desk", "ui", "sync",
                "resources")


def build_inputs_digest() -> str:
    """What the frozen build is made from: the sources, the spec, the resources and the
    installed dependencies (the .venv stamp changes whenever they are reinstalled)."""
    digest = hashlib.sha256(STAMP.read_bytes() if STAMP.exists() else b"")
    for name in BUILD_INPUTS:
        path = ROOT / name
        files = [path] if path.is_file() else sorted(
            p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts
            and p.suffix not in (".qm", ".pyc"))
        for file in files:
            digest.update(str(file.relative_to(ROOT)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def folder_mib(path: Path) -> float:
    return sum(p.lstat().st_size for p in path.rglob("*")
               if p.is_file() and not p.is_symlink()) / 2**20


def build_dist(python: Path) -> int:
    """PyInstaller one-folder build into dist/outreach-desk/ (skipped when its inputs have not
    changed since the last build), then the built app's --self-test."""
    digest = build_inputs_digest()
    app = DIST / ("outreach-desk.exe" if os.name == "nt" else "outreach-desk")
    if app.exists() and BUILD_STAMP.exists() and BUILD_STAMP.read_text().strip() == digest:
        say(f"{DIST.relative_to(ROOT)} is up to date ({folder_mib(DIST):.0f} MiB)")
    else:
        say("building dist/outreach-desk/ with PyInstaller (build.spec)")
        started = time.monotonic()
        subprocess.run([str(python), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                        "--distpath", str(DIST.parent), "--workpath", str(ROOT / "build"),
                        "build.spec"], cwd=ROOT, check=True, stdin=subprocess.DEVNULL)
        BUILD_STAMP.write_text(digest + "\n")
        say(f"built in {time.monotonic() - started:.0f} s: {DIST.relative_to(ROOT)} "
            f"({folder_mib(DIST):.0f} MiB)")
    say(f"running {app.relative_to(ROOT)} --self-test")
    return subprocess.call([str(app), "--self-test"], cwd=ROOT)


def main(argv: list[str]) -> int:
    if argv and argv[0] == "dist":
        try:
            return build_dist(ensure_environment(gui=False))
        except subprocess.CalledProcessError as exc:
            say(f"build failed: {' '.join(map(str, exc.cmd))} exited with {exc.returncode}")
            return 1
    if argv and argv[0] == "translations":
        ensure_venv()
        update_translations()
        ensure_translations()
        return 0
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__.strip())
        return 2
    command, rest = argv[0], argv[1:]
    try:
        python = ensure_environment(gui=command == "run")
    except subprocess.CalledProcessError as exc:
        say(f"setup failed: {' '.join(map(str, exc.cmd))} exited with {exc.returncode}")
        return 1
    if command == "run":
        say("starting Outreach Desk")
        return hand_over([str(python), "-m", "ui.launcher", *rest])
    say("running tests")
    return hand_over(
        [str(python), "-m", "pytest", *rest], {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
