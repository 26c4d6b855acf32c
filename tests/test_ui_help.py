"""使い方 (F1): the Japanese user guide that ships with the app opens offline at the section of
the screen in front of the worker, and lists every keyboard shortcut the window has."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from ui_fixtures import demo_session, demo_window, make_window, settings  # noqa: F401

from ui.help_dialog import GUIDE, SECTIONS, HelpDialog


def press_f1(qtbot, window) -> HelpDialog:
    before = {w for w in QApplication.topLevelWidgets() if isinstance(w, HelpDialog)}
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_F1)
    opened = [w for w in QApplication.topLevelWidgets()
              if isinstance(w, HelpDialog) and w not in before and w.isVisible()]
    assert len(opened) == 1, "F1 opens the guide"
    return opened[0]


def test_the_guide_ships_in_japanese_with_a_section_per_screen():
    text = GUIDE.read_text(encoding="utf-8")
    for anchor in SECTIONS:
        assert f'<a name="{anchor}">' in text, anchor
    for heading in ("担当ケース", "ケース", "訪問記録", "同意", "支援プラン", "会議の準備",
                    "チーム状況", "同期", "ロック", "ショートカット"):
        assert f"</a>{heading}</h2>" in text, heading
    assert "http://" not in text and "https://" not in text, "nothing to fetch: works offline"


def test_f1_opens_the_section_of_the_screen_in_front(qtbot, demo_window):  # noqa: F811
    window = demo_window
    help_menu = window.menuBar().actions()[-1].menu()
    assert window.help_action in help_menu.actions()
    assert window.help_action.text() == "使い方"
    assert window.help_action.shortcut() == QKeySequence("F1")

    window.tabs.setCurrentIndex(0)
    guide = press_f1(qtbot, window)
    assert guide.section == "caseload"
    assert guide.browser.source().isLocalFile()
    assert "担当ケース" in guide.browser.toPlainText()
    bar = guide.browser.verticalScrollBar()
    guide.show_section("shortcuts")
    qtbot.waitUntil(lambda: bar.value() > 0)
    at_shortcuts = bar.value()
    guide.close()

    store = window.session.store
    case_id = next(row.case_id for row in store.caseload() if row.person_id)
    view = window.open_case(case_id)
    view.new_visit()
    view.form.narrative.setFocus()
    guide = press_f1(qtbot, view.form.narrative)
    assert guide.section == "visit"
    qtbot.waitUntil(lambda: 0 < guide.browser.verticalScrollBar().value() < at_shortcuts)
    guide.close()

    view.close_form()
    view.tabs.setCurrentWidget(view.plans_tab)
    assert press_f1(qtbot, window).section == "plan"
    window.supervision.show_meeting_prep()
    assert press_f1(qtbot, window).section == "meeting"
    window.supervision.show_dashboard()
    assert press_f1(qtbot, window).section == "dashboard"
    for dialog in QApplication.topLevelWidgets():
        if isinstance(dialog, HelpDialog):
            dialog.close()


def test_the_shortcut_list_names_every_shortcut_of_the_window(qtbot, demo_window):  # noqa: F811
    window = demo_window
    guide = HelpDialog("shortcuts", window)
    qtbot.addWidget(guide)
    text = guide.browser.toPlainText()
    table = text[text.index("ショートカット", text.index("ロック")):]
    shortcuts = {action.shortcut().toString() for action in window.findChildren(type(
        window.help_action)) if not action.shortcut().isEmpty()}
    assert len(shortcuts) >= 15
    for shortcut in shortcuts:
        assert shortcut in table, f"{shortcut} is missing from the guide's shortcut list"
    for key in ("Ctrl+N", "Ctrl+Enter", "Alt+A", "Esc", "F2"):  # the case view's and form's
        assert key in table, key


def test_the_first_run_page_opens_the_getting_started_section(qtbot, tmp_path,
                                                               settings):  # noqa: F811
    from support import FAST_KDF

    from ui.session import Session

    window = make_window(qtbot, Session(tmp_path / "fresh", settings, kdf=FAST_KDF))
    guide = window.show_help()
    assert guide.section == "start"
    assert "はじめて使うとき" in guide.browser.toPlainText()
    guide.close()
