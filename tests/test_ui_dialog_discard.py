"""Nothing typed is lost by one key: キャンセル, Esc or a dialog's close button on a dialog
that holds typed content asks 「入力中の内容を破棄しますか？」 first
(入力に戻る by default); an untouched dialog closes without asking. 新しいプランにする
asks the same before dropping a plan draft.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from test_ui_drafts import LEFT, answer_box, make_case, modal, open_case
from ui_fixtures import session, settings, type_text, wait_idle, window  # noqa: F401

from ui.consent_dialog import ConsentDialog
from ui.new_case_dialog import NewCaseDialog
from ui.stage_dialog import StageDialog


def watch_for_box(seen: list) -> QTimer:
    """Record any message box that appears (and answer it 入力に戻る, so no test hangs)."""
    timer = QTimer()
    timer.setInterval(20)

    def look() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.reject()

    timer.timeout.connect(look)
    timer.start()
    return timer


def test_esc_on_a_typed_stage_dialog_asks_and_both_answers_do_what_they_say(
        qtbot, window):  # noqa: F811
    store = window.session.store
    case = make_case(store)
    view = open_case(qtbot, window, case)
    qtbot.mouseClick(view.stage_button, LEFT)
    dialog = modal(qtbot, StageDialog)
    type_text(qtbot, dialog.reason, "本人と初めて会えた")

    seen: list[str] = []
    defaults: list = []

    def note_default() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, note_default)
            return
        defaults.append(box.defaultButton().objectName())

    QTimer.singleShot(0, note_default)
    answer_box(qtbot, "keepDraftButton", seen)  # 入力に戻る
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Escape)
    assert seen == ["入力中の内容を破棄しますか？"]
    assert defaults == ["keepDraftButton"]
    assert dialog.isVisible() and dialog.reason.toPlainText() == "本人と初めて会えた"
    window.session.drafts.keep(dialog)
    assert store.draft(f"stage:{case}")["fields"]["stageReason"] == "本人と初めて会えた"

    answer_box(qtbot, "confirmDiscardButton", seen)  # 破棄する
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Escape)
    assert len(seen) == 2
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=5_000)
    assert store.draft(f"stage:{case}") is None
    wait_idle(qtbot)


def test_an_untouched_dialog_closes_on_esc_without_asking(qtbot, window):  # noqa: F811
    store = window.session.store
    store.add_agency("福祉課")
    view = open_case(qtbot, window, make_case(store))
    seen: list[str] = []
    watcher = watch_for_box(seen)
    for button, kind in ((view.consent_button, ConsentDialog), (view.stage_button, StageDialog)):
        qtbot.mouseClick(button, LEFT)
        dialog = modal(qtbot, kind)
        dialog.setFocus()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=5_000)
    watcher.stop()
    assert seen == []
    wait_idle(qtbot)


def test_the_close_button_of_a_typed_new_case_dialog_asks_first(qtbot, window):  # noqa: F811
    dialog = NewCaseDialog(window.session.store, window, drafts=window.session.drafts)
    dialog.open()
    qtbot.waitExposed(dialog)
    type_text(qtbot, dialog.name, "黒木 ハナ")
    seen: list[str] = []
    answer_box(qtbot, "keepDraftButton", seen)
    dialog.close()  # the window's close button
    assert seen == ["入力中の内容を破棄しますか？"]
    assert dialog.isVisible() and dialog.name.text() == "黒木 ハナ"
    answer_box(qtbot, "confirmDiscardButton", seen)
    dialog.close()
    assert len(seen) == 2 and not dialog.isVisible()
    assert window.session.store.draft("new_case") is None
    wait_idle(qtbot)


def test_new_plan_asks_before_dropping_a_plan_being_edited(qtbot, window):  # noqa: F811
    store = window.session.store
    welfare = store.add_agency("福祉課")
    case = make_case(store)
    store.save_plan(case, goals=["外出の機会をつくる"], monitoring_date=date.today(),
                    roles=[{"agency_id": welfare, "role": "見守り"}])
    view = open_case(qtbot, window, case)
    view.tabs.setCurrentWidget(view.plans_tab)
    plans = view.plans_tab
    qtbot.mouseClick(plans.edit_button, LEFT)
    qtbot.keyClick(plans.goals, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, plans.goals, "、通いの場")
    window.session.drafts.keep(plans)
    assert store.draft(f"plan:{case}") is not None

    seen: list[str] = []
    answer_box(qtbot, "keepDraftButton", seen)
    qtbot.mouseClick(plans.new_button, LEFT)
    assert seen == ["入力中の内容を破棄しますか？"]
    assert plans.editing is not None and plans.goals.toPlainText().endswith("、通いの場")
    assert store.draft(f"plan:{case}") is not None

    answer_box(qtbot, "confirmDiscardButton", seen)
    qtbot.mouseClick(plans.new_button, LEFT)
    assert len(seen) == 2
    assert plans.editing is None and plans.goals.toPlainText() == ""
    assert store.draft(f"plan:{case}") is None

    # untouched: 新しいプランにする does not ask
    qtbot.mouseClick(plans.edit_button, LEFT)
    watcher = watch_for_box(seen)
    qtbot.mouseClick(plans.new_button, LEFT)
    watcher.stop()
    assert len(seen) == 2 and plans.editing is None
    wait_idle(qtbot)
