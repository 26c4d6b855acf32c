"""The double-clickable build: `python3 dev.py dist` really builds dist/outreach-desk/ (PyInstaller,
one folder) and the built program passes its --self-test against a real sync server.

On a clean clone this builds from scratch (about a minute on 2 cores); afterwards dev.py reuses
the folder until a source, the spec, a resource or the installed dependencies change.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import trustme
from support import FAST_KDF, PASSPHRASE
from sync_fixtures import running_server

from outreach_desk import demo
from outreach_desk.self_check import NARRATIVE, PERSON
from outreach_desk.store import Store
from sync.client import SyncClient

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist" / "outreach-desk"
APP = DIST / ("outreach-desk.exe" if os.name == "nt" else "outreach-desk")
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]


@pytest.fixture(scope="module")
def frozen_app(tmp_path_factory) -> Path:
    logs = tmp_path_factory.mktemp("dist-logs")  # the build's own self-test logs here
    result = subprocess.run([sys.executable, str(ROOT / "dev.py"), "dist"], cwd=ROOT,
                            capture_output=True, text=True, encoding="utf-8", timeout=1200,
                            env={**os.environ, "OUTREACH_DESK_LOG_DIR": str(logs)})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "self-test passed" in result.stdout
    assert APP.exists()
    return APP


def tmp_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def run_app(*args: str, log_dir: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if key not in ("QT_QPA_PLATFORM", "PYTHONPATH", "VIRTUAL_ENV")}
    env["OUTREACH_DESK_LOG_DIR"] = str(log_dir)  # the self-test sets offscreen Qt by itself
    return subprocess.run([str(APP), *args], input=stdin, capture_output=True, text=True,
                          encoding="utf-8",
                          env=env, cwd=tmp_dir(log_dir), timeout=300)


@pytest.mark.timeout(1500)
def test_frozen_app_self_test_syncs_with_a_real_server(frozen_app, tmp_path):
    ca = trustme.CA()  # real HTTPS: the frozen app must carry working TLS
    issued = ca.issue_cert("127.0.0.1")
    cert, key, ca_file = tmp_path / "server.pem", tmp_path / "server.key", tmp_path / "ca.pem"
    issued.private_key_and_cert_chain_pem.write_to_path(cert)
    issued.private_key_pem.write_to_path(key)
    ca.cert_pem.write_to_path(ca_file)
    with running_server(f"sqlite:///{tmp_path / 'server.db'}", tmp_path, "--tls-cert", str(cert),
                        "--tls-key", str(key), ca_file=ca_file) as server:
        code = server.issue_code("self-test")
        result = run_app("--self-test", "--server", server.url, "--enroll-code", code,
                         "--ca-file", str(ca_file), log_dir=tmp_path / "logs")
        assert result.returncode == 0, result.stdout + result.stderr
        lines = result.stdout.splitlines()
        for step in ("store", "visit", "search", "sync", "window"):
            assert any(line.startswith(f"ok   {step}:") for line in lines), result.stdout
        assert lines[-1] == "self-test passed"
        # another device finds what the frozen app sent, searching in Japanese
        with Store.create(tmp_path / "other", PASSPHRASE, kdf=FAST_KDF) as other:
            other.set_server_ca(ca.cert_pem.bytes().decode())
            server.enroll(other)
            assert SyncClient(other, server.url).sync_once().pulled > 0
            assert any(hit.entity == "visit" for hit in other.search("玄関先"))
    log = (tmp_path / "logs" / "outreach-desk.log").read_text("utf-8")
    assert "self-test passed" in log
    for text in (NARRATIVE, *NARRATIVE.split("。"), *PERSON):  # no record text in the log
        assert not text or text not in log


def test_frozen_app_without_a_server_says_it_skipped_sync(frozen_app, tmp_path):
    result = run_app("--self-test", log_dir=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert any(line.startswith("skip sync: no server given") for line in
               result.stdout.splitlines())
    assert result.stdout.splitlines()[-1] == "self-test passed"


def test_frozen_folder_has_what_the_app_needs_and_not_more(frozen_app, tmp_path):
    internal = DIST / "_internal"
    result = run_app("--version", log_dir=tmp_path)
    assert result.stdout.strip() == f"outreach-desk {VERSION}"
    assert (internal / "resources" / "translations" / "outreach_desk_en.qm").exists()
    assert (internal / "resources" / "icons" / "outreach-desk.svg").exists()
    assert (internal / "resources" / "styles" / "app.qss").exists()
    assert "shortcuts" in (internal / "resources" / "help" / "guide_ja.html").read_text("utf-8")
    assert list(internal.rglob("qtbase_ja.qm")), "Qt's own Japanese (file dialogs, buttons)"
    assert (internal / "resources" / "translations" / "qt_gaps_ja.qm").exists()
    assert not list(internal.rglob("*.ts"))
    licences = {entry["name"].lower(): entry
                for entry in json.loads((internal / "licences.json").read_text("utf-8"))}
    for name in ("pyside6_essentials", "shiboken6", "sqlcipher3", "cryptography", "httpx",
                 "python"):
        assert name in licences, sorted(licences)
    assert "LGPL-3.0" in licences["pyside6_essentials"]["licence"]
    assert licences["cryptography"]["texts"]
    for server_only in ("fastapi", "uvicorn", "sqlalchemy", "alembic"):
        assert server_only not in licences
    qt_libraries = {path.name.split(".")[0] for path in internal.rglob("*Qt6*")}
    assert {"libQt6Core", "libQt6Gui", "libQt6Widgets"} <= qt_libraries or os.name == "nt"
    for unused in ("Qt6Qml", "Qt6Quick", "Qt6WebEngineCore", "Qt6Multimedia", "Qt6Pdf"):
        assert not any(unused in name for name in qt_libraries), unused
    qt_translations = [p.name for p in internal.rglob("qtbase_*.qm")]
    assert qt_translations and all(n.endswith(("_ja.qm", "_en.qm")) for n in qt_translations)


def test_frozen_app_backs_up_and_restores_from_the_command_line(frozen_app, tmp_path):
    data_dir = tmp_path / "store"
    with Store.create(data_dir, PASSPHRASE, kdf=FAST_KDF, worker_name="佐藤") as store:
        demo.generate(store, cases=4, visits_per_case=3, seed=2)
        counts = store.counts()
    backup = tmp_path / "b.odbackup"
    for args in (("backup", "--data-dir", str(data_dir), "--to", str(backup)),
                 ("restore", "--data-dir", str(tmp_path / "restored"), "--from", str(backup))):
        result = run_app(*args, log_dir=tmp_path / "logs", stdin=PASSPHRASE + "\n")
        assert result.returncode == 0, result.stderr
    result = run_app("check", "--data-dir", str(tmp_path / "restored"), log_dir=tmp_path / "logs",
                     stdin=PASSPHRASE + "\n")
    assert json.loads(result.stdout) == {"integrity": "ok", "counts": counts}
