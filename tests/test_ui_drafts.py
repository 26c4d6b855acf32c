"""Drafts (下書き) through the real main window over a real encrypted store: what a worker typed and
has not saved is never lost — not by Esc, Ctrl+N, locking (Ctrl+L or idle time), a killed app or
a restart — and goes only when it is saved or discarded (破棄) after a confirmation.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)
from support import FAST_KDF, PASSPHRASE
from ui_fixtures import (  # noqa: F401
    make_window,
    session,
    settings,
    type_text,
    wait_idle,
    window,
)

from outreach_desk.store import Store
from ui.case_view import CaseView
from ui.consent_dialog import ConsentDialog
from ui.drafts import form_state
from ui.meeting_prep import CaseIdRole, MeetingPrepView
from ui.new_case_dialog import NewCaseDialog
from ui.session import Session
from ui.stage_dialog import StageDialog

CTRL = Qt.KeyboardModifier.ControlModifier
LEFT = Qt.MouseButton.LeftButton
ROOT = Path(__file__).resolve().parent.parent


def make_case(store: Store, name: str = "山田 太郎", kana: str = "やまだ たろう") -> str:
    person = store.add_person(name, kana, "野尻", birth_year=1958)
    case = store.open_case(referral_source="minsei_iin", district="野尻", person_id=person,
                           opened_on=date.today() - timedelta(days=100),
                           team_id=store.worker()["team_id"], worker_id=store.author)
    store.record_visit(case, occurred_at=(date.today() - timedelta(days=3)).isoformat()
                       + "T10:00:00", kind="home_visit", met_with="family",
                       relationship_stage="family_contact", narrative="母親と玄関で話した。")
    return case


def activate(qtbot, win) -> None:
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5_000)


def open_case(qtbot, win, case_id: str) -> CaseView:
    view = win.open_case(case_id)
    qtbot.waitExposed(view)
    activate(qtbot, win)
    view.timeline.setFocus()
    return view


def press_ctrl_l(qtbot, win) -> None:
    activate(qtbot, win)
    with qtbot.waitSignal(win.session.locked, timeout=10_000):
        qtbot.keyClick(win, Qt.Key.Key_L, CTRL)
    assert win.stack.currentWidget() is win.unlock_page


def idle_lock(qtbot, win) -> None:
    """Wait for the auto-lock (idle time), whatever dialog is open."""
    win.session.set_idle_timeout_ms(300)
    with qtbot.waitSignal(win.session.locked, timeout=10_000):
        pass
    win.session.set_idle_timeout_ms(600_000)
    assert win.stack.currentWidget() is win.unlock_page


def unlock(qtbot, win) -> None:
    type_text(qtbot, win.unlock_page.passphrase, PASSPHRASE)
    with qtbot.waitSignal(win.session.unlocked, timeout=20_000):
        qtbot.keyClick(win.unlock_page.passphrase, Qt.Key.Key_Return)
    wait_idle(qtbot)


def answer_box(qtbot, button_name: str, seen: list) -> None:
    """Click ``button_name`` in the confirmation box as soon as it is on screen (once)."""
    before = len(seen)

    def click() -> None:
        box = QApplication.activeModalWidget()
        if len(seen) > before:
            return
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        qtbot.mouseClick(box.findChild(type(box.buttons()[0]), button_name), LEFT)

    QTimer.singleShot(0, click)


def modal(qtbot, kind: type):
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind), timeout=10_000)
    return QApplication.activeModalWidget()


# -- 1. a kept visit draft -------------------------------------------------------------------------


def test_a_kept_visit_draft_comes_back_on_ctrl_n_and_goes_only_by_a_confirmed_discard(
        qtbot, window):  # noqa: F811
    store = window.session.store
    view = open_case(qtbot, window, make_case(store))
    qtbot.keyClick(view.timeline, Qt.Key.Key_N, CTRL)
    type_text(qtbot, view.form.narrative, "本人が窓から手を振った")
    qtbot.keyClick(view.form.narrative, Qt.Key.Key_Escape)
    assert not view.form_is_open()
    assert view.status.text() == "入力中の内容を下書きとして残しました。"

    # Ctrl+N reopens the draft, not a blank form; Esc on it keeps it
    view.timeline.setFocus()
    qtbot.keyClick(view.timeline, Qt.Key.Key_N, CTRL)
    assert view.form_is_open()
    assert view.form.narrative.toPlainText() == "本人が窓から手を振った"
    assert "下書きを復元しました" in view.form.notice.text()
    qtbot.keyClick(view.form.narrative, Qt.Key.Key_Escape)
    assert store.draft(view.draft_key)["fields"]["narrative"] == "本人が窓から手を振った"

    # 訪問を記録 reopens it too
    qtbot.mouseClick(view.new_visit_button, LEFT)
    assert view.form.narrative.toPlainText() == "本人が窓から手を振った"

    # 破棄 asks first; 入力に戻る keeps everything
    seen: list[str] = []
    answer_box(qtbot, "keepDraftButton", seen)
    qtbot.mouseClick(view.form.discard_button, LEFT)
    assert seen and "破棄します" in seen[0]
    assert view.form_is_open() and view.form.narrative.toPlainText() == "本人が窓から手を振った"
    assert store.draft(view.draft_key) is not None

    # 破棄する removes it
    answer_box(qtbot, "confirmDiscardButton", seen)
    qtbot.mouseClick(view.form.discard_button, LEFT)
    assert len(seen) == 2
    assert not view.form_is_open()
    assert store.draft(view.draft_key) is None
    qtbot.mouseClick(view.new_visit_button, LEFT)
    assert view.form.narrative.toPlainText() == ""
    assert store.visits(view.case_id)[0]["narrative"] == "母親と玄関で話した。"


def test_a_kept_visit_draft_survives_ctrl_l_and_a_restart_and_goes_when_saved(
        qtbot, tmp_path, settings):  # noqa: F811
    folder = tmp_path / "records"
    first = Session(folder, settings, kdf=FAST_KDF)
    with qtbot.waitSignal(first.unlocked, timeout=20_000):
        first.create(PASSPHRASE, "佐藤 花子", "野尻担当")
    win = make_window(qtbot, first)
    case = make_case(first.store)
    view = open_case(qtbot, win, case)
    qtbot.keyClick(view.timeline, Qt.Key.Key_N, CTRL)
    type_text(qtbot, view.form.narrative, "犬の散歩中に会えた")
    qtbot.keyClick(view.form.narrative, Qt.Key.Key_Escape)
    press_ctrl_l(qtbot, win)
    unlock(qtbot, win)
    (view,) = win.case_views()
    assert not view.form_is_open(), "the form was closed at the lock: it stays closed"
    activate(qtbot, win)
    view.timeline.setFocus()
    qtbot.keyClick(view.timeline, Qt.Key.Key_N, CTRL)
    assert view.form.narrative.toPlainText() == "犬の散歩中に会えた"
    qtbot.keyClick(view.form.narrative, Qt.Key.Key_Escape)
    win.close()  # quitting the app
    assert not first.is_unlocked
    wait_idle(qtbot)

    second = Session(folder, settings, kdf=FAST_KDF)
    again = make_window(qtbot, second)
    unlock(qtbot, again)
    view = open_case(qtbot, again, case)
    qtbot.keyClick(view.timeline, Qt.Key.Key_N, CTRL)
    assert view.form.narrative.toPlainText() == "犬の散歩中に会えた"
    qtbot.keyClick(view.form.narrative, Qt.Key.Key_Return, CTRL)
    assert store_narratives(second.store, case)[0] == "犬の散歩中に会えた"
    assert second.store.draft(view.draft_key) is None
    second.close()
    wait_idle(qtbot)


def store_narratives(store: Store, case_id: str) -> list[str]:
    return [v["narrative"] for v in store.visits(case_id)]


CHILD = r"""
import os, signal, sys
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from support import FAST_KDF, PASSPHRASE
from test_ui_drafts import make_case
from ui.main_window import MainWindow
from ui.session import Session, Settings

app = QApplication([])
folder, ini = Path(sys.argv[1]), sys.argv[2]
session = Session(folder, Settings(QSettings(ini, QSettings.Format.IniFormat)), kdf=FAST_KDF)
session.unlocked.connect(lambda: start())
session.create(PASSPHRASE, "佐藤 花子", "野尻担当")

def start():
    window = MainWindow(session)
    window.show()
    case = make_case(session.store)
    print(case, flush=True)
    view = window.open_case(case)
    view.new_visit()
    for char in "夜に灯りがついていた":
        event = QInputMethodEvent()
        event.setCommitString(char)
        QApplication.sendEvent(view.form.narrative, event)
    poll(view)

def poll(view):
    from PySide6.QtCore import QTimer
    if session.store.draft(view.draft_key) is not None:  # saved as typed, nothing asked it
        print("typed", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)  # the app dies: no lock, no close, no excepthook
    QTimer.singleShot(100, lambda: poll(view))

app.exec()
"""


def test_a_visit_draft_survives_the_app_being_killed(qtbot, tmp_path, settings):  # noqa: F811
    folder = tmp_path / "records"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), str(ROOT)])}
    child = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(tmp_path / "c.ini")],
                           capture_output=True, text=True, env=env, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr
    case, said = child.stdout.split()
    assert said == "typed"

    again = Session(folder, settings, kdf=FAST_KDF)
    win = make_window(qtbot, again)
    unlock(qtbot, win)
    view = open_case(qtbot, win, case)
    assert view.form_is_open()
    assert view.form.narrative.toPlainText() == "夜に灯りがついていた"
    assert "下書きを復元しました" in view.form.notice.text()
    assert store_narratives(again.store, case) == ["母親と玄関で話した。"]
    again.close()
    wait_idle(qtbot)


# -- 4. locking keeps every open form -------------------------------------------------------------


def check_item(qtbot, widget, row: int) -> None:
    """Tick a checkable row of a list as a worker does: select it, press Space."""
    widget.setFocus()
    widget.setCurrentRow(row)
    qtbot.keyClick(widget, Qt.Key.Key_Space)


def test_ctrl_l_keeps_meeting_preparation_with_its_cases_agencies_and_decisions(
        qtbot, window):  # noqa: F811
    store = window.session.store
    welfare = store.add_agency("福祉課")
    store.add_agency("こども家庭センター")
    care = store.add_agency("地域包括支援センター")
    first = make_case(store)
    second = make_case(store, "石川 ハル", "いしかわ はる")
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_6, CTRL)
    view = window.tabs.currentWidget()
    assert isinstance(view, MeetingPrepView)
    qtbot.waitUntil(lambda: view.caseload.count() == 2, timeout=20_000)
    names = [view.agencies.item(i).data(CaseIdRole) for i in range(view.agencies.count())]
    check_item(qtbot, view.agencies, names.index(welfare))
    check_item(qtbot, view.agencies, names.index(care))
    for kana in ("いしかわ", "やまだ"):
        view.search.clear()
        type_text(qtbot, view.search, kana)
        row = next(i for i in range(view.caseload.count()) if not view.caseload.item(i).isHidden())
        view.caseload.setCurrentRow(row)
        qtbot.mouseClick(view.add_button, LEFT)
    view.kind.setFocus()
    qtbot.keyClick(view.kind, Qt.Key.Key_Down)  # 支援会議
    kind = view.kind.currentData()
    type_text(qtbot, view.decisions, "福祉課が月1回見守る")
    wait_idle(qtbot)
    planned = view.plan()
    assert planned.case_ids == (second, first) and set(planned.agencies) == {welfare, care}

    press_ctrl_l(qtbot, window)
    assert not window.findChildren(MeetingPrepView) or all(
        not v.isVisible() for v in window.findChildren(MeetingPrepView))
    unlock(qtbot, window)
    view = window.tabs.currentWidget()
    assert isinstance(view, MeetingPrepView), "会議の準備 is open again, and in front"
    qtbot.waitUntil(lambda: view.caseload.count() == 2, timeout=20_000)
    assert view.plan() == planned
    assert view.kind.currentData() == kind
    assert view.decisions.toPlainText() == "福祉課が月1回見守る"
    assert view.cases.item(0, 0).text() == "石川 ハル"
    wait_idle(qtbot)


def test_ctrl_l_in_the_consent_dialog_reopens_it_as_it_was_and_saving_drops_the_draft(
        qtbot, window):  # noqa: F811
    store = window.session.store
    welfare = store.add_agency("福祉課")
    store.add_agency("こども家庭センター")
    case = make_case(store)
    view = open_case(qtbot, window, case)
    qtbot.mouseClick(view.consent_button, LEFT)
    dialog = modal(qtbot, ConsentDialog)
    dialog.agency_boxes[welfare].setFocus()
    qtbot.keyClick(dialog.agency_boxes[welfare], Qt.Key.Key_Space)
    dialog.written.setFocus()
    qtbot.keyClick(dialog.written, Qt.Key.Key_Space)
    assert dialog.chosen_agencies() == [welfare] and dialog.written.isChecked()
    type_text(qtbot, dialog.note, "同意書に署名をもらった")
    dialog.activateWindow()  # Ctrl+L in the dialog, in front of the blocked window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5_000)
    with qtbot.waitSignal(window.session.locked, timeout=10_000):
        qtbot.keyClick(dialog.note, Qt.Key.Key_L, CTRL)
    assert QApplication.activeModalWidget() is None

    unlock(qtbot, window)
    dialog = modal(qtbot, ConsentDialog)
    assert dialog.chosen_agencies() == [welfare]
    assert dialog.written.isChecked() and dialog.note.text() == "同意書に署名をもらった"
    store = window.session.store
    person = store.get("case", case)["person_id"]
    qtbot.mouseClick(dialog.findChild(type(view.consent_button), "consentSaveButton"), LEFT)
    assert store.consent(person).status.value == "granted"
    assert store.draft(f"consent:{person}") is None


def test_auto_lock_reopens_the_new_case_dialog_with_what_was_typed(qtbot, window):  # noqa: F811
    seen: dict = {}

    def type_then_wait() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, NewCaseDialog):
            QTimer.singleShot(20, type_then_wait)
            return
        type_text(qtbot, dialog.name, "黒木 ハナ")
        type_text(qtbot, dialog.kana, "くろき はな")
        dialog.referral.setFocus()
        qtbot.keyClick(dialog.referral, Qt.Key.Key_Down)
        seen["referral"] = dialog.referral.currentData()
        window.session.set_idle_timeout_ms(300)  # the lock comes while the dialog is open

    QTimer.singleShot(0, type_then_wait)
    activate(qtbot, window)
    window.new_case_action.trigger()  # returns when the lock has closed the dialog
    qtbot.waitUntil(lambda: not window.session.is_unlocked, timeout=10_000)
    window.session.set_idle_timeout_ms(600_000)
    assert seen["referral"]

    def read_and_save() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, NewCaseDialog):
            QTimer.singleShot(20, read_and_save)
            return
        seen["after"] = (dialog.name.text(), dialog.kana.text(), dialog.referral.currentData())
        qtbot.mouseClick(dialog.save_button, LEFT)

    QTimer.singleShot(0, read_and_save)
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: "after" in seen and bool(window.case_views()), timeout=10_000)
    assert seen["after"] == ("黒木 ハナ", "くろき はな", seen["referral"])
    (view,) = window.case_views()
    assert view.name_label.text() == "黒木 ハナ"
    assert window.session.store.draft("new_case") is None


def test_ctrl_l_keeps_a_plan_being_edited_a_note_a_correction_and_the_stage_dialog(
        qtbot, window):  # noqa: F811
    store = window.session.store
    welfare = store.add_agency("福祉課")
    case = make_case(store)
    store.save_plan(case, goals=["外出の機会をつくる"], monitoring_date=date.today(),
                    roles=[{"agency_id": welfare, "role": "見守り"}])
    view = open_case(qtbot, window, case)
    view.tabs.setCurrentWidget(view.plans_tab)
    plans = view.plans_tab
    qtbot.mouseClick(plans.edit_button, LEFT)
    qtbot.keyClick(plans.goals, Qt.Key.Key_End, CTRL)
    qtbot.keyClick(plans.goals, Qt.Key.Key_Return)
    type_text(qtbot, plans.goals, "通いの場に一緒に行く")
    type_text(qtbot, plans.role_text, "同行支援")
    qtbot.mouseClick(plans.findChild(type(plans.edit_button), "addRoleButton"), LEFT)
    view.tabs.setCurrentWidget(view.notes_tab)
    type_text(qtbot, view.notes_tab.editor, "釣りの話だと表情がやわらぐ")
    view.tabs.setCurrentIndex(0)
    view.timeline.setFocus()
    view.timeline.select_visit(store.visits(case)[0].id)
    qtbot.keyClick(view.timeline, Qt.Key.Key_F2)
    assert view.form.mode == "amend"
    type_text(qtbot, view.form.reason, "時刻の入力誤り")
    press_ctrl_l(qtbot, window)

    unlock(qtbot, window)
    store = window.session.store
    (view,) = window.case_views()
    plans = view.plans_tab
    assert plans.editing is not None
    assert plans.goals.toPlainText() == "外出の機会をつくる\n通いの場に一緒に行く"
    assert [plans.roles.item(i).text() for i in range(plans.roles.count())] == [
        "福祉課: 見守り", "福祉課: 同行支援"]
    assert view.notes_tab.editor.toPlainText() == "釣りの話だと表情がやわらぐ"
    assert view.form_is_open() and view.form.mode == "amend"
    assert view.form.reason.text() == "時刻の入力誤り"
    assert store.draft(view.draft_key) is None, "a correction's draft is kept apart"

    qtbot.mouseClick(plans.save_button, LEFT)
    assert store.case_history(case).plans[0]["goals"] == [
        "外出の機会をつくる", "通いの場に一緒に行く"]
    assert store.draft(f"plan:{case}") is None

    # the stage dialog, locked by idle time
    qtbot.mouseClick(view.stage_button, LEFT)
    dialog = modal(qtbot, StageDialog)
    dialog.stage.setFocus()
    qtbot.keyClick(dialog.stage, Qt.Key.Key_Down)
    stage = dialog.stage.currentData()
    type_text(qtbot, dialog.reason, "本人と初めて会えた")
    idle_lock(qtbot, window)
    unlock(qtbot, window)
    dialog = modal(qtbot, StageDialog)
    assert dialog.stage.currentData() == stage
    assert dialog.reason.toPlainText() == "本人と初めて会えた"
    assert window.session.store.draft(f"stage:{case}") is not None
    answer_box(qtbot, "confirmDiscardButton", [])
    dialog.reject()  # キャンセル: the worker gives it up, once asked
    assert window.session.store.draft(f"stage:{case}") is None
    wait_idle(qtbot)


def test_a_supervisors_comment_and_the_outing_dialog_come_back_after_locks(
        qtbot, window):  # noqa: F811
    store = window.session.store
    store.update("worker", store.author, {"role": "supervisor"})
    case = make_case(store)
    view = open_case(qtbot, window, case)
    view.tabs.setCurrentWidget(view.comments_tab)
    comments = view.comments_tab
    assert comments.writer.isVisible()
    type_text(qtbot, comments.text, "本人の言葉をそのまま書けています")
    press_ctrl_l(qtbot, window)
    unlock(qtbot, window)
    (view,) = window.case_views()
    comments = view.comments_tab
    assert comments.text.toPlainText() == "本人の言葉をそのまま書けています"
    qtbot.mouseClick(comments.send_button, LEFT)
    store = window.session.store
    assert [c.text for c in store.comments(case)] == ["本人の言葉をそのまま書けています"]
    assert store.draft(f"comment:{case}") is None

    # 外出予定 (Ctrl+7): the case ticked for today comes back after the auto-lock
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_7, CTRL)
    dialog = modal(qtbot, QDialog)
    assert dialog.objectName() == "fieldPlanDialog"
    dialog.cases.setFocus()
    dialog.cases.setCurrentRow(0)
    qtbot.keyClick(dialog.cases, Qt.Key.Key_Space)
    assert dialog.chosen() == [case]
    idle_lock(qtbot, window)
    unlock(qtbot, window)
    dialog = modal(qtbot, QDialog)
    assert dialog.objectName() == "fieldPlanDialog" and dialog.chosen() == [case]
    answer_box(qtbot, "confirmDiscardButton", [])
    dialog.reject()
    wait_idle(qtbot)


def test_every_field_of_the_visit_form_goes_into_its_draft_and_comes_back(
        qtbot, window):  # noqa: F811
    """A field added to the form is kept without more code, as long as it has an object name."""
    store = window.session.store
    view = open_case(qtbot, window, make_case(store))
    qtbot.keyClick(view.timeline, Qt.Key.Key_N, CTRL)
    form = view.form
    inputs = [w for w in form.findChildren(QWidget)
              if isinstance(w, (QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox,
                                QCheckBox, QRadioButton))
              and not w.objectName().startswith("qt_")
              and not (isinstance(w, (QLineEdit, QPlainTextEdit)) and w.isReadOnly())]
    unnamed = [type(w).__name__ for w in inputs if not w.objectName()]
    assert not unnamed, f"input widgets without an object name are not kept: {unnamed}"
    assert set(form_state(form)) == {w.objectName() for w in inputs}

    type_text(qtbot, form.narrative, "縁側で本人と話した")
    type_text(qtbot, form.reaction, "少し笑った")
    type_text(qtbot, form.next_action, "来週また行く")
    for combo in (form.kind, form.relationship_stage):
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    family = form.met_with.boxes["family"]  # 会えた人 is a set of check boxes
    family.setFocus()
    qtbot.keyClick(family, Qt.Key.Key_Space)
    form.has_due.setFocus()
    qtbot.keyClick(form.has_due, Qt.Key.Key_Space)
    form.due.setFocus()
    qtbot.keyClick(form.due, Qt.Key.Key_Up)
    shown = form_state(form)
    changed = {name for name in shown if shown[name] != form._baseline[name]}
    assert changed >= {"narrative", "reaction", "nextAction", "visitKind", "metWith_family",
                       "relationshipStage", "hasDue", "nextActionDue"}
    qtbot.keyClick(form.narrative, Qt.Key.Key_Escape)
    view.timeline.setFocus()
    qtbot.keyClick(view.timeline, Qt.Key.Key_N, CTRL)
    assert form_state(form) == shown
    assert form.due.isEnabled()
