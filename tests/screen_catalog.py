"""Every screen and dialog of the desktop client, opened the way a worker opens them.

Tests that must hold for *every* screen (the wheel never changes an unfocused field, each screen
fits a small laptop) walk this catalogue, so a new screen or dialog is covered once it is
listed here. ``workspace_screens`` makes each workspace screen current in the main window in
turn (the case view on each of its tabs, with the visit form open, then with its validation
messages showing); ``dialogs`` opens each dialog over the window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog, QWidget

from outreach_desk.vocab import ConsentStatus
from ui.consent_dialog import ConsentDialog
from ui.field_safety import FieldPlanDialog
from ui.help_dialog import HelpDialog
from ui.new_case_dialog import NewCaseDialog
from ui.refused_dialog import RefusedChangesDialog
from ui.restore_dialog import RestoreDialog
from ui.settings_dialog import SettingsDialog
from ui.stage_dialog import StageDialog


def busiest_case(store) -> str:
    """The demo case with a person and the most visits (a long timeline, plans, meetings)."""
    rows = [row for row in store.caseload() if row.person_id]
    return max(rows, key=lambda row: len(store.visits(row.case_id))).case_id


def workspace_screens(window, qtbot) -> Iterator[str]:
    """Make each workspace screen current in turn and yield its name (the window is unlocked,
    on demo data)."""
    window.tabs.setCurrentIndex(0)
    yield "担当ケース"
    window.tabs.setCurrentIndex(1)
    yield "次回予定"
    view = window.open_case(busiest_case(window.session.store))
    view.new_visit()
    for index in range(view.tabs.count()):
        view.tabs.setCurrentIndex(index)
        qtbot.wait(10)
        yield f"ケース／{view.tabs.tabText(index)}"
    view.tabs.setCurrentIndex(0)
    view.form.submit()  # nothing typed: the messages under the fields show
    assert any(not label.isHidden() for label in view.form.errors.values())
    yield "ケース／訪問記録（入力エラー表示）"
    view.plans_tab.save()  # an empty plan: its message shows
    view.tabs.setCurrentWidget(view.plans_tab)
    yield "ケース／支援プラン（入力エラー表示）"
    for name, show in (("チーム状況", window.supervision.show_dashboard),
                       ("事業報告", window.supervision.show_report),
                       ("会議の準備", window.supervision.show_meeting_prep),
                       ("コメント", window.supervision.show_comments),
                       ("競合", window.show_conflicts)):
        assert show() is not None
        qtbot.wait(10)
        yield name


def _case_person(window) -> tuple[str, str, str]:
    store = window.session.store
    case_id = busiest_case(store)
    person_id = store.get("case", case_id)["person_id"]
    return case_id, person_id, store.get("person", person_id)["name"] or ""


def _withdrawable(window) -> tuple[str, str]:
    store = window.session.store
    for row in store.caseload():
        if row.person_id and store.consent(row.person_id).status is ConsentStatus.GRANTED:
            return row.person_id, store.get("person", row.person_id)["name"] or ""
    return _case_person(window)[1:]


def dialogs(window) -> list[tuple[str, Callable[[], QDialog]]]:
    """(name, factory) for every dialog of the unlocked workspace; each factory makes the
    dialog over ``window`` (not yet shown)."""
    session = window.session
    store = session.store
    case_id, person_id, name = _case_person(window)
    return [
        ("新規ケース", lambda: NewCaseDialog(store, window)),
        ("設定", lambda: SettingsDialog(session, window)),
        ("このアプリについて", lambda: window.show_about()),
        ("送信できなかった変更", lambda: RefusedChangesDialog(session, window)),
        ("支援段階の変更", lambda: StageDialog(store, case_id, parent=window)),
        ("同意の記録", lambda: ConsentDialog(store, person_id, name, parent=window)),
        ("同意の撤回", lambda: ConsentDialog(store, *_withdrawable(window), withdraw=True,
                                          parent=window)),
        ("外出予定", lambda: FieldPlanDialog(store, window)),
        ("使い方", lambda: HelpDialog(parent=window)),
    ]


def show_messages(dialog: QWidget) -> None:
    """Make a dialog show its validation messages, as a worker who pressed 保存 too early sees
    them (nothing typed, or a bad server address)."""
    if isinstance(dialog, SettingsDialog):
        dialog.server_url.setText("ftp://例")
        dialog._check_server_url(show=True)
        assert dialog.server_error.message
    elif isinstance(dialog, ConsentDialog):
        dialog.given_on.setDate(QDate.currentDate().addDays(1))  # refused: in the future
        dialog.save()
        assert dialog.isVisible(), "a refused record keeps the dialog open"
    elif isinstance(dialog, (NewCaseDialog, StageDialog, RestoreDialog)):
        dialog.save()
        assert dialog.isVisible(), "a refused record keeps the dialog open"


def gate_dialogs(window) -> list[tuple[str, Callable[[], QDialog]]]:
    """Dialogs of the first-run page (no store yet)."""
    return [("バックアップから復元", lambda: RestoreDialog(window.session, window))]


__all__ = ["busiest_case", "dialogs", "gate_dialogs", "show_messages", "workspace_screens"]
