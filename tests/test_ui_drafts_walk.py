"""A seeded random walk through the real main window: whatever a worker types is, after every
step, in a saved record or in a draft — never only gone.

A hypothesis state machine opens cases, types into the visit form and the notes editor, presses
Esc, Ctrl+N, Ctrl+Enter, 破棄 (confirmed), Ctrl+L, unlocks, switches and closes tabs. Each typed
word is unique; after each step the walk waits for typing to count as stopped (the autosave
delay, shortened here) and reads the store — through a second connection while the screen is
locked — to find every word not deliberately discarded. Bounded and derandomized, so it runs in
the normal suite in well under a minute and fails the same way every time.
"""

from __future__ import annotations

import json
from itertools import count

import pytest
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from support import PASSPHRASE
from test_ui_drafts import make_case
from ui_fixtures import session, settings, type_text, wait_idle, window  # noqa: F401

from outreach_desk.store import Store
from ui import drafts as drafts_module
from ui.case_view import CaseView

CTRL = Qt.KeyboardModifier.ControlModifier
WALK = hypothesis_settings(max_examples=6, stateful_step_count=20, derandomize=True, deadline=None,
                database=None, suppress_health_check=list(HealthCheck),
                phases=(Phase.explicit, Phase.generate))  # one window for all: nothing to shrink
PEOPLE = (("山田 太郎", "やまだ たろう"), ("石川 ハル", "いしかわ はる"),
          ("黒木 ミチ", "くろき みち"))
CASES = len(PEOPLE)


class Walk(RuleBasedStateMachine):
    """The window and the words are shared by the examples: each one walks on from the last."""

    qtbot = None
    window = None
    cases: list[str] = []
    words = count(1)
    kept: dict[tuple[str, str], list[str]] = {}  # (form, case) → words not saved yet
    saved: list[str] = []

    # -- helpers --------------------------------------------------------------------------

    @property
    def unlocked(self) -> bool:
        return self.window.session.is_unlocked

    def activate(self) -> None:
        self.window.activateWindow()
        self.qtbot.waitUntil(lambda: QApplication.activeWindow() is self.window, timeout=5_000)

    def view(self) -> CaseView | None:
        view = self.window.tabs.currentWidget()
        return view if isinstance(view, CaseView) else None

    def word(self) -> str:
        return f"語{next(self.words)}"

    def in_a_case(self) -> bool:
        return self.unlocked and self.view() is not None

    def typing_a_visit(self) -> bool:
        view = self.view() if self.unlocked else None
        return view is not None and view.form_is_open() and view.form.mode == "new"

    # -- rules ----------------------------------------------------------------------------

    @precondition(lambda self: self.unlocked)
    @rule(which=st.integers(0, CASES - 1))
    def open_case(self, which: int) -> None:
        self.window.open_case(self.cases[which])

    @precondition(lambda self: self.in_a_case())
    @rule()
    def ctrl_n(self) -> None:
        view = self.view()
        if view is None:
            return
        self.activate()
        view.timeline.setFocus()
        self.qtbot.keyClick(view.timeline, Qt.Key.Key_N, CTRL)

    @precondition(lambda self: self.typing_a_visit())
    @rule()
    def type_into_the_visit(self) -> None:
        view = self.view()
        if view is None or not view.form_is_open() or view.form.mode != "new":
            return
        word = self.word()
        type_text(self.qtbot, view.form.narrative, word)
        self.kept.setdefault(("visit", view.case_id), []).append(word)

    @precondition(lambda self: self.in_a_case())
    @rule()
    def type_a_note(self) -> None:
        view = self.view()
        if view is None:
            return
        view.tabs.setCurrentWidget(view.notes_tab)
        word = self.word()
        type_text(self.qtbot, view.notes_tab.editor, word)
        self.kept.setdefault(("note", view.case_id), []).append(word)

    @precondition(lambda self: self.typing_a_visit())
    @rule()
    def esc(self) -> None:
        view = self.view()
        if view is not None and view.form_is_open():
            self.qtbot.keyClick(view.form.narrative, Qt.Key.Key_Escape)

    @precondition(lambda self: self.typing_a_visit())
    @rule()
    def ctrl_enter(self) -> None:
        view = self.view()
        if view is None or not view.form_is_open() or view.form.mode != "new":
            return
        self.activate()
        before = len(self.window.session.store.visits(view.case_id))
        self.qtbot.keyClick(view.form.narrative, Qt.Key.Key_Return, CTRL)
        if len(self.window.session.store.visits(view.case_id)) > before:
            self.saved += self.kept.pop(("visit", view.case_id), [])

    @precondition(lambda self: self.typing_a_visit())
    @rule()
    def discard_confirmed(self) -> None:
        view = self.view()
        if view is None or not view.form_is_open():
            return

        asking = [True]  # nothing typed and no draft: no question is asked

        def confirm() -> None:
            box = QApplication.activeModalWidget()
            if not asking[0]:
                return
            if not isinstance(box, QMessageBox):
                QTimer.singleShot(10, confirm)
                return
            self.qtbot.mouseClick(box.findChild(QPushButton, "confirmDiscardButton"),
                                  Qt.MouseButton.LeftButton)

        QTimer.singleShot(0, confirm)
        self.qtbot.mouseClick(view.form.discard_button, Qt.MouseButton.LeftButton)
        asking[0] = False
        if not view.form_is_open():  # the worker meant it: those words may go
            self.kept.pop(("visit", view.case_id), None)

    @precondition(lambda self: self.unlocked)
    @rule(which=st.integers(0, 5))
    def switch_tab(self, which: int) -> None:
        tabs = self.window.tabs
        index = which % tabs.count()
        self.qtbot.mouseClick(tabs.tabBar(), Qt.MouseButton.LeftButton,
                              pos=tabs.tabBar().tabRect(index).center())

    @precondition(lambda self: self.unlocked)
    @rule()
    def ctrl_w(self) -> None:
        self.activate()
        self.qtbot.keyClick(self.window, Qt.Key.Key_W, CTRL)

    @precondition(lambda self: self.unlocked)
    @rule()
    def ctrl_l(self) -> None:
        self.activate()
        with self.qtbot.waitSignal(self.window.session.locked, timeout=10_000):
            self.qtbot.keyClick(self.window, Qt.Key.Key_L, CTRL)

    @precondition(lambda self: not self.unlocked)
    @rule()
    def unlock(self) -> None:
        page = self.window.unlock_page
        type_text(self.qtbot, page.passphrase, PASSPHRASE)
        with self.qtbot.waitSignal(self.window.session.unlocked, timeout=20_000):
            self.qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)

    # -- what must hold after every step ----------------------------------------------------

    @invariant()
    def every_word_is_in_a_record_or_a_draft(self) -> None:
        self.qtbot.wait(drafts_module.AUTOSAVE_MS * 3)  # typing has stopped: autosaves ran
        wait_idle(self.qtbot)
        if self.unlocked:
            found = self._stored(self.window.session.store)
        else:  # the screen is locked: read the file as it was left
            store = Store.open(self.window.session.data_dir, PASSPHRASE)
            try:
                found = self._stored(store)
            finally:
                store.close()
        records, drafts = found
        for word in self.saved:
            assert word in records, f"{word} was saved and is no longer in the records"
        for (form, _case_id), words in self.kept.items():
            for word in words:
                assert word in drafts or word in records, (
                    f"{word}, typed into the {form} form of a case, is in no draft")

    def _stored(self, store: Store) -> tuple[str, str]:
        records = " ".join(v["narrative"] or "" for case in self.cases
                           for v in store.visits(case))
        records += " ".join(n["text"] or "" for case in self.cases
                            for n in store.case_history(case).notes)
        drafts = json.dumps([state for _key, _kind, state in store.drafts()],
                            ensure_ascii=False)
        return records, drafts

    def teardown(self) -> None:
        if not self.unlocked:
            self.unlock()


@pytest.fixture
def quick_autosave(monkeypatch):
    monkeypatch.setattr(drafts_module, "AUTOSAVE_MS", 40)
    monkeypatch.setattr(CaseView, "AUTOSAVE_MS", 40)


def test_a_random_walk_never_loses_what_was_typed(qtbot, window, quick_autosave):  # noqa: F811
    store = window.session.store
    Walk.qtbot, Walk.window = qtbot, window
    Walk.cases = [make_case(store, name, kana) for name, kana in PEOPLE]
    Walk.words, Walk.kept, Walk.saved = count(1), {}, []
    window.session.set_idle_timeout_ms(600_000)
    run_state_machine_as_test(Walk, settings=WALK)
    assert next(Walk.words) > 5, "the walk typed something"
    wait_idle(qtbot)
