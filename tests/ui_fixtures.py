"""pytest-qt fixtures for the desktop client: real sessions over real encrypted stores.

Import the fixtures a test module needs, e.g. ``from ui_fixtures import session, window``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from support import FAST_KDF, PASSPHRASE

from outreach_desk import demo
from outreach_desk.store import Store
from ui import tasks
from ui.session import DEMO_PASSPHRASE, Session, Settings

WORKER = "佐藤 花子"
TEAM = "野尻担当"
DEMO_CASES = 60
_demo_template: Path | None = None


@pytest.fixture
def settings(tmp_path):
    """Settings in an ini file of this test, never the user's real ones."""
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def commit_text(widget, text: str) -> None:
    """Type Japanese as an input method does: the converted phrase is committed to the widget.

    (QTest.keyClicks only knows ASCII keys: this Qt build asserts on any other character.)
    """
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def type_text(qtbot, widget, text: str) -> None:
    """ASCII as key clicks; anything else committed character by character, as an IME would."""
    widget.setFocus()
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            commit_text(widget, char)


def wait_idle(qtbot, timeout: int = 20_000) -> None:
    """Wait until every background task has delivered its result."""
    qtbot.waitUntil(lambda: tasks.pending() == 0, timeout=timeout)


@pytest.fixture
def session(qtbot, tmp_path, settings):
    """An unlocked session on a new store with one worker (佐藤 花子, 野尻担当)."""
    made = Session(tmp_path / "data", settings, kdf=FAST_KDF)
    with qtbot.waitSignal(made.unlocked, timeout=20_000):
        made.create(PASSPHRASE, WORKER, TEAM)
    yield made
    made.close()
    wait_idle(qtbot)


def _template(tmp_path_factory) -> Path:
    """Demo data generated once per test run, copied for each test that wants it."""
    global _demo_template
    if _demo_template is None:
        folder = tmp_path_factory.mktemp("demo-template") / "data"
        store = Store.create(folder, DEMO_PASSPHRASE, kdf=FAST_KDF)
        demo.generate(store, cases=DEMO_CASES, visits_per_case=12, seed=7)
        assert demo.work_as_first_worker(store)
        store.db.checkpoint()
        store.close()
        _demo_template = folder
    return _demo_template


@pytest.fixture
def demo_session(qtbot, tmp_path, tmp_path_factory, settings):
    """An unlocked session on a copy of a store with DEMO_CASES demo cases."""
    folder = tmp_path / "demo"
    shutil.copytree(_template(tmp_path_factory), folder)
    made = Session(folder, settings, kdf=FAST_KDF)
    with qtbot.waitSignal(made.unlocked, timeout=20_000):
        made.unlock(DEMO_PASSPHRASE)
    yield made
    made.close()
    wait_idle(qtbot)


def make_window(qtbot, session):
    from ui.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot, session):
    """The main window over ``session`` (unlocked)."""
    return make_window(qtbot, session)


@pytest.fixture
def demo_window(qtbot, demo_session):
    return make_window(qtbot, demo_session)


__all__ = ["DEMO_CASES", "PASSPHRASE", "TEAM", "WORKER", "commit_text", "demo_session",
           "demo_window", "make_window", "session", "settings", "type_text", "wait_idle",
           "window"]
