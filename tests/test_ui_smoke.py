"""The application shell: launcher, translations, crash dialog, gate pages, lock."""

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale
from support import FAST_KDF
from ui_fixtures import make_window, session, settings, window  # noqa: F401

from ui import app as ui_app
from ui import fmt
from ui.session import Session, retry_delay

ROOT = Path(__file__).resolve().parent.parent


def test_new_folder_shows_first_run_and_creates_nothing(qtbot, tmp_path, settings):  # noqa: F811
    fresh = Session(tmp_path / "records", settings, kdf=FAST_KDF)
    win = make_window(qtbot, fresh)
    assert win.windowTitle() == "Outreach Desk"
    assert win.stack.currentWidget() is win.first_run
    assert not win.toolbar.isVisible()
    assert not (tmp_path / "records").exists(), "showing the first-run page must not create a store"


def test_data_dir_from_command_line(tmp_path):
    args, _ = ui_app.parse_args(["--data-dir", str(tmp_path / "records"), "--demo"])
    assert args.data_dir == tmp_path / "records" and args.demo


def test_session_folder_follows_arguments_then_environment(tmp_path, monkeypatch,
                                                           settings):  # noqa: F811
    monkeypatch.setenv("OUTREACH_DESK_DATA_DIR", str(tmp_path / "from-env"))
    args, _ = ui_app.parse_args([])
    assert ui_app.make_session(args, settings).data_dir == tmp_path / "from-env"
    args, _ = ui_app.parse_args(["--data-dir", str(tmp_path / "records")])
    assert ui_app.make_session(args, settings).data_dir == tmp_path / "records"
    assert not (tmp_path / "from-env").exists() and not (tmp_path / "records").exists()


def test_lock_shows_unlock_page_and_title_stays_neutral(qtbot, window):  # noqa: F811
    assert window.stack.currentWidget() is window.workspace
    window.lock_action.trigger()
    assert not window.session.is_unlocked
    assert window.stack.currentWidget() is window.unlock_page
    assert window.windowTitle() == "Outreach Desk"
    assert not window.new_case_action.isEnabled()


def test_quit_action_closes_window_and_locks(window, qtbot):  # noqa: F811
    window.quit_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert not window.session.is_unlocked


def test_retry_delay_grows_after_three_failures():
    assert [retry_delay(n) for n in range(1, 8)] == [0, 0, 5, 10, 20, 40, 80]
    assert retry_delay(30) == 300


def test_english_translation_is_built_and_loads(qtbot, tmp_path, settings):  # noqa: F811
    assert (ui_app.I18N_DIR / "outreach_desk_en.qm").exists(), "dev.py compiles the .ts files"
    app = QCoreApplication.instance()
    locale = QLocale()
    translators = ui_app.install_translators(app, "en")
    try:
        assert QCoreApplication.translate("MainWindow", "ファイル(&F)") == "&File"
        win = make_window(qtbot, Session(tmp_path / "x", settings, kdf=FAST_KDF))
        assert win.menuBar().actions()[0].text() == "&File"
    finally:
        for translator in translators:
            app.removeTranslator(translator)
        fmt.set_language("ja")  # the next tests see the Japanese app again
        QLocale.setDefault(locale)


def test_dates_are_shown_the_japanese_way():
    from datetime import date

    from ui.fmt import format_date, format_datetime

    assert format_date(date(2026, 11, 23)) == "2026年11月23日(月)"
    assert format_date("2026-11-29") == "2026年11月29日(日)"
    assert format_datetime("2026-11-23T14:05+09:00") == "2026年11月23日(月) 14:05"
    assert format_date(None) == "" and format_datetime("") == ""


def test_lock_closes_an_open_dialog(qtbot, window):  # noqa: F811
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialog

    dialog = QDialog(window)
    closed = []
    dialog.finished.connect(closed.append)
    QTimer.singleShot(50, window.session.lock)
    dialog.exec()  # returns only when the lock closed it
    assert closed == [QDialog.DialogCode.Rejected]
    assert window.stack.currentWidget() is window.unlock_page


def test_launcher_imports_no_qt():
    code = "import ui.launcher, sys; assert not any(m.startswith('PySide6') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_qt_calls_do_not_leak_references_to_none(qapp):
    """PySide6 6.12.0 released a reference to None per void call: the app aborted in minutes."""
    from PySide6.QtCore import QObject, QTimer

    probe, timer = QObject(), QTimer()
    before = sys.getrefcount(None)
    for _ in range(2000):
        probe.setObjectName("probe")
        timer.start(1000)
    timer.stop()
    assert sys.getrefcount(None) >= before - 50


def test_demo_app_ends_cleanly_on_sigterm_and_removes_its_folder(tmp_path):
    """`outreach-desk --demo` as a process: starts with demo data, and a SIGTERM (logout,
    shutdown) locks the store and deletes the throw-away folder."""
    import os
    import signal
    import time

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    proc = subprocess.Popen([sys.executable, "-m", "ui.launcher", "--demo"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        log = ""
        while "caseload loaded" not in log:
            assert time.monotonic() < deadline and proc.poll() is None, log
            line = proc.stdout.readline()
            log += line
        folders = [p for p in tmp_path.iterdir() if p.name.startswith("outreach-desk-demo-")]
        assert len(folders) == 1 and (folders[0] / "outreach-desk.db").exists()
        proc.send_signal(signal.SIGTERM)
        rest, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, log + rest
    assert "store locked" in rest
    assert not folders[0].exists()
