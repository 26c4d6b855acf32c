"""In the app: past the offline limit the store opens but only the オフライン期間の上限を過ぎました
page is shown, lifted by a one-time unlock code (once) or a sync; a week before, a warning.

Real widgets over a real encrypted store, a real server process and its admin command.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from support import PASSPHRASE
from sync_fixtures import sync_server  # noqa: F401
from ui_fixtures import make_window, session, settings, type_text, wait_idle  # noqa: F401

from outreach_desk.offline import DAY_MS
from ui.sync_controller import IDLE, SyncController

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def no_sync_at_unlock(monkeypatch):
    monkeypatch.setattr(SyncController, "INITIAL_DELAY_MS", 600_000)


def admin(server, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sync.server.cli", "admin", "--db", server.db_url, *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60)


def last_synced_days_ago(store, days: float) -> None:
    """What the store would hold after ``days`` without a sync (written into its meta)."""
    now = store.offline_status().now_ms
    with store.db.transaction():
        store.db.execute("UPDATE meta SET value = ? WHERE key = 'offline.last_sync_ms'",
                         (str(int(now - days * DAY_MS)),))
        store.db.execute("UPDATE meta SET value = '' WHERE key = 'offline.unlocked_ms'")


def relock(qtbot, session) -> None:  # noqa: F811
    session.lock()
    with qtbot.waitSignal(session.unlocked, timeout=20_000):
        session.unlock(PASSPHRASE)


def enter_code(qtbot, page, code: str) -> None:
    page.code.clear()
    type_text(qtbot, page.code, code)
    qtbot.mouseClick(page.code_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)


@pytest.fixture
def enrolled(session, sync_server):  # noqa: F811
    session.settings.server_url = sync_server.url
    sync_server.enroll(session.store)
    person = session.store.add_person("山田 太郎", "やまだ たろう", "野尻")
    session.store.open_case(referral_source="sns", district="野尻", person_id=person)
    return session


def test_past_the_limit_only_a_code_or_a_sync_opens_the_records(
        qtbot, enrolled, sync_server):  # noqa: F811
    session = enrolled  # noqa: F811
    last_synced_days_ago(session.store, 31)
    window = make_window(qtbot, session)
    page = window.offline_page
    assert window.stack.currentWidget() is page
    assert "オフライン期間の上限を過ぎました" in page.findChild(type(page.intro),
                                                     "offlineTitle").text()
    assert "30 日以上" in page.intro.text()
    assert not window.toolbar.isVisible() and not window.caseload_action.isEnabled()
    wait_idle(qtbot)
    assert window.caseload.model.rowCount() == 0  # no personal data was loaded
    assert window.show_conflicts() is None and window.show_refused() is None
    assert window.status_bar.refused_allowed is False

    enter_code(qtbot, page, "ABCDE-FGHJK")
    assert page.error.message == "解除コードが正しくないか、すでに使われています。"
    assert window.stack.currentWidget() is page

    made = admin(sync_server, "unlock-code", "--device", session.store.site)
    assert made.returncode == 0, made.stderr
    code = made.stdout.strip().rsplit(": ", 1)[1]
    page._blocked_until = 0.0  # the wait after a wrong code is the session's, tested elsewhere
    enter_code(qtbot, page, code)
    assert window.stack.currentWidget() is window.workspace
    qtbot.waitUntil(lambda: window.caseload.model.rowCount() == 1, timeout=20_000)

    # again past the limit: the same code is refused, a sync lifts it
    last_synced_days_ago(session.store, 40)
    relock(qtbot, session)
    assert window.stack.currentWidget() is page
    enter_code(qtbot, page, code)
    assert page.error.message == "解除コードが正しくないか、すでに使われています。"
    assert window.stack.currentWidget() is page

    with qtbot.waitSignal(window.sync.sync_finished, timeout=60_000):
        qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    assert window.sync.state == IDLE
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.workspace, timeout=20_000)
    assert window.toolbar.isVisible() and not window.offline_warning.isVisible()
    assert not session.store.offline_status().expired


def test_a_week_before_the_limit_the_workspace_warns(qtbot, enrolled):  # noqa: F811
    last_synced_days_ago(enrolled.store, 25.5)
    window = make_window(qtbot, enrolled)
    assert window.stack.currentWidget() is window.workspace
    assert window.offline_warning.isVisible()
    assert "オフライン期間の上限まであと 5 日です" in window.offline_warning.text()


def test_an_unenrolled_laptop_has_no_limit(qtbot, session):  # noqa: F811
    window = make_window(qtbot, session)
    assert window.stack.currentWidget() is window.workspace
    assert not window.offline_warning.isVisible()
