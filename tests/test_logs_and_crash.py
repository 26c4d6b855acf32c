"""Logs and the crash path: no personal data in the log, drafts kept, a reference for the worker.

A demo session (fictional Japanese names and narratives) is driven through the real window —
opening cases, filtering, saving a visit, a wrong passphrase, a sync with a real server, an
unexpected error whose message quotes a narrative — and then the app's log file and the
server's log are searched for every name, reading and narrative in the demo store.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from support import PASSPHRASE
from sync_fixtures import sync_server  # noqa: F401
from test_ui_case import activate, start_visit_in_window
from ui_fixtures import demo_session, demo_window, session, settings, type_text, wait_idle, window  # noqa: F401

from outreach_desk import demo
from outreach_desk.logs import scrubbed_traceback, setup_logging, teardown_logging
from ui import crash
from ui.session import DEMO_CASES, DEMO_PASSPHRASE

CTRL = Qt.KeyboardModifier.ControlModifier
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def log_file(tmp_path):
    path = setup_logging(tmp_path / "logs", console=False)
    yield path
    teardown_logging()


def personal_texts(store) -> set[str]:
    """Every name, reading, address note, note and narrative in the store."""
    texts: set[str] = set()
    for sql in ("SELECT name FROM persons", "SELECT kana FROM persons",
                "SELECT name FROM households", "SELECT address_note FROM households",
                "SELECT text FROM notes", "SELECT narrative FROM visits",
                "SELECT reaction FROM visits", "SELECT next_action FROM visits"):
        for (value,) in store.db.execute(sql).fetchall():
            if isinstance(value, str) and len(value.strip()) >= 3:
                texts.add(value.strip())
                texts.add(value.strip()[:12])  # a shortened quote, as in a snippet
    return texts


def raise_with(text: str) -> BaseException:
    try:
        try:
            raise KeyError(text)
        except KeyError as inner:
            raise ValueError(f"could not save: {text}") from inner
    except ValueError as exc:
        return exc


def test_demo_session_leaves_no_personal_data_in_the_log(  # noqa: F811
        qtbot, demo_window, log_file, sync_server, settings):  # noqa: F811
    live = demo_window.session
    store = live.store
    rows = store.caseload()
    texts = personal_texts(store)
    assert any(name for name in texts if " " in name)  # the demo has Japanese full names

    for row in rows[:3]:
        demo_window.open_case(row.case_id)
    view = demo_window.open_case(rows[0].case_id)
    activate(qtbot, demo_window)
    view.timeline.setFocus()
    qtbot.keyClick(view.timeline, Qt.Key.Key_N, CTRL)
    type_text(qtbot, view.form.narrative, "ログ確認用の訪問記録、本人と話せた")
    before = len(store.visits(rows[0].case_id))
    qtbot.keyClick(view.form.narrative, Qt.Key.Key_Return, CTRL)
    assert len(store.visits(rows[0].case_id)) == before + 1
    texts.add("ログ確認用の訪問記録")
    store.search(rows[1].name)

    settings.server_url = sync_server.url
    sync_server.enroll(demo_window.session.store)
    demo_window.sync.settings_changed()
    with qtbot.waitSignal(demo_window.sync.sync_finished, timeout=60_000):
        demo_window.sync_now()

    # an unexpected error whose message quotes a narrative, with an unsaved form open
    qtbot.keyClick(view.timeline, Qt.Key.Key_N, CTRL)
    type_text(qtbot, view.form.narrative, "下書きに残るはずの文")
    crash.install(demo_window.keep_drafts)
    try:
        error = raise_with(rows[0].name + " " + next(iter(texts)))
        ref = crash.handle(type(error), error, error.__traceback__)
    finally:
        crash.install(None)
        sys.excepthook = sys.__excepthook__
    dialog = crash.open_dialogs()[-1]
    assert ref in dialog.text() and "予期しないエラーが発生しました" in dialog.text()
    dialog.accept()
    assert "下書きに残るはずの文" in store.draft(view.draft_key)["fields"]["narrative"]

    live.lock()
    with qtbot.waitSignal(live.unlock_failed, timeout=20_000):
        live.unlock("まちがい の あいことば")
    with qtbot.waitSignal(live.unlocked, timeout=20_000):
        live.unlock(DEMO_PASSPHRASE)
    wait_idle(qtbot)

    for handler in logging.getLogger().handlers:
        handler.flush()
    log = log_file.read_text("utf-8")
    assert f"ref {ref}" in log and "Traceback" in log and "ValueError" in log
    assert "sync done" in log and "store unlocked" in log and "wrong passphrase" in log
    leaked = sorted(text for text in texts if text in log)
    assert leaked == [], leaked[:5]
    assert "下書きに残るはずの文" not in log
    # the other side: the server's log of the same session (its access log included)
    server_log = sync_server.log_path.read_text("utf-8")
    assert "/v1/push" in server_log and "/v1/changes" in server_log
    leaked = sorted(text for text in texts if text in server_log)
    assert leaked == [], leaked[:5]


def test_crash_keeps_an_open_visit_form_as_a_draft(qtbot, window, log_file):  # noqa: F811
    live = window.session
    view = start_visit_in_window(qtbot, window)
    type_text(qtbot, view.form.narrative, "玄関で母親と立ち話")
    assert live.store.draft(view.draft_key) is None  # not yet autosaved
    crash.install(window.keep_drafts)
    try:
        assert sys.excepthook is crash.handle
        error = raise_with("玄関で母親と立ち話")
        ref = crash.handle(type(error), error, error.__traceback__)
    finally:
        crash.install(None)
        sys.excepthook = sys.__excepthook__
    assert live.store.draft(view.draft_key)["fields"]["narrative"] == "玄関で母親と立ち話"
    dialog = crash.open_dialogs()[-1]
    assert dialog.isVisible() and f"参照番号: {ref}" in dialog.text()
    dialog.accept()
    qtbot.waitUntil(lambda: dialog not in crash.open_dialogs())
    # the worker carries on: the form and what was typed are still there
    assert view.form_is_open() and view.form.narrative.toPlainText() == "玄関で母親と立ち話"
    live.lock()
    with qtbot.waitSignal(live.unlocked, timeout=20_000):
        live.unlock(PASSPHRASE)
    (restored,) = window.case_views()
    assert restored.form.narrative.toPlainText() == "玄関で母親と立ち話"


def test_tracebacks_keep_frames_and_types_but_no_messages():
    error = raise_with("山田 太郎 さんの記録")
    text = scrubbed_traceback(error)
    assert "raise_with" in text and "ValueError" in text and "KeyError" in text
    assert "山田" not in text and "ValueError: could not save" not in text


def test_an_unwritable_log_folder_does_not_stop_the_app(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    try:
        assert setup_logging(blocker / "logs", console=False) is None
        logging.getLogger("still").info("logged to stderr instead")
    finally:
        teardown_logging()


def test_log_file_rotates(tmp_path):
    path = setup_logging(tmp_path, console=False)
    try:
        handler = next(h for h in logging.getLogger().handlers
                       if getattr(h, "baseFilename", None) == str(path))
        assert handler.maxBytes > 0 and handler.backupCount >= 1
        for _ in range(handler.maxBytes // 60 + 10):
            logging.getLogger("rotation").info("x" * 60)
        assert (tmp_path / f"{path.name}.1").exists()
    finally:
        teardown_logging()


def test_the_demo_app_logs_nothing_personal(tmp_path, make_store):
    """``outreach-desk --demo`` as a worker would start it, ended the way a logout ends it."""
    env = {**os.environ, "OUTREACH_DESK_LOG_DIR": str(tmp_path / "logs"),
           "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    app = subprocess.Popen([sys.executable, "-m", "ui.launcher", "--demo"], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    log_file = tmp_path / "logs" / "outreach-desk.log"
    try:
        deadline = time.monotonic() + 120
        while "caseload loaded" not in (log_file.read_text("utf-8") if log_file.exists() else ""):
            assert app.poll() is None and time.monotonic() < deadline, app.stderr.read()
            time.sleep(0.1)
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(30)
    assert app.returncode == 0
    # the same fictional data, generated again from the same seed
    store = make_store("same-demo")
    demo.generate(store, cases=DEMO_CASES, visits_per_case=12, seed=7)
    texts = personal_texts(store)
    log = log_file.read_text("utf-8")
    assert "main window shown" in log and "store locked" in log
    assert f"caseload loaded: {DEMO_CASES} cases" in log
    assert sorted(text for text in texts if text in log) == []
