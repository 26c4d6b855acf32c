"""The worker's day end to end, through the real main window over a real encrypted store.

First run → passphrase → new case → visit typed into the form → timeline → close the app →
start it again → unlock → the visit is still there; auto-lock with an unsaved form; consent
withdrawal reaching the banner and the caseload; a screenshot of the populated window.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLineEdit
from support import FAST_KDF, PASSPHRASE
from ui_fixtures import (  # noqa: F401
    TEAM,
    WORKER,
    demo_session,
    demo_window,
    make_window,
    session,
    settings,
    type_text,
    wait_idle,
    window,
)

from outreach_desk.vocab import ConsentStatus
from ui.case_view import CaseView
from ui.session import Session
from ui.timeline import VisitIdRole

CTRL = Qt.KeyboardModifier.ControlModifier
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("OUTREACH_DESK_ARTIFACTS", ROOT / "test-artifacts"))


def activate(qtbot, win) -> None:
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5_000)


def current_case_view(win) -> CaseView:
    view = win.tabs.currentWidget()
    assert isinstance(view, CaseView)
    return view


def timeline_ids(view: CaseView) -> list[str]:
    model = view.timeline.timeline_model
    return [model.index(row).data(VisitIdRole) for row in range(model.rowCount())]


def fill_new_case_when_it_opens(qtbot, name: str, kana: str) -> list:
    """The new-case dialog runs modally: fill and save it once it is on screen."""
    done = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, fill)
            return
        type_text(qtbot, dialog.name, name)
        type_text(qtbot, dialog.kana, kana)
        dialog.referral.setCurrentIndex(1)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        done.append(dialog.case_id)

    QTimer.singleShot(0, fill)
    return done


def test_first_run_to_visit_survives_closing_and_unlocking(qtbot, tmp_path, settings):  # noqa: F811
    folder = tmp_path / "records"
    first = Session(folder, settings, kdf=FAST_KDF)
    win = make_window(qtbot, first)
    page = win.first_run
    for field, text in ((page.passphrase, PASSPHRASE), (page.confirm, PASSPHRASE),
                        (page.worker_name, WORKER), (page.team_name, TEAM)):
        type_text(qtbot, field, text)
    with qtbot.waitSignal(first.unlocked, timeout=20_000):
        qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)

    created = fill_new_case_when_it_opens(qtbot, "黒木 ハナ", "くろき はな")
    win.new_case_action.trigger()
    assert created and created[0]
    case_id = created[0]
    view = current_case_view(win)
    assert view.case_id == case_id
    activate(qtbot, win)
    view.timeline.setFocus()
    qtbot.keyClick(view.timeline, Qt.Key.Key_N, CTRL)
    assert view.form_is_open()
    type_text(qtbot, view.form.narrative, "柿の木の下で本人と話せた。")
    qtbot.keyClick(view.form.narrative, Qt.Key.Key_Return, CTRL)
    visits = first.store.visits(case_id)
    assert [v["narrative"] for v in visits] == ["柿の木の下で本人と話せた。"]
    assert timeline_ids(view) == [visits[0].id]
    visit_id = visits[0].id
    wait_idle(qtbot)
    win.close()
    assert not first.is_unlocked

    # a new start of the app: unlock page, passphrase, the same visit
    second = Session(folder, settings, kdf=FAST_KDF)
    again = make_window(qtbot, second)
    assert again.stack.currentWidget() is again.unlock_page
    type_text(qtbot, again.unlock_page.passphrase, PASSPHRASE)
    with qtbot.waitSignal(second.unlocked, timeout=20_000):
        qtbot.keyClick(again.unlock_page.passphrase, Qt.Key.Key_Return)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: again.caseload.visible_case_ids() == [case_id], timeout=10_000)
    assert again.caseload.select_case(case_id)
    again.caseload.case_requested.emit(case_id)
    assert timeline_ids(current_case_view(again)) == [visit_id]
    second.close()
    wait_idle(qtbot)


def test_auto_lock_clears_every_view_and_the_draft_returns_after_unlock(qtbot, window):  # noqa: F811
    store = window.session.store
    person = store.add_person("山田 太郎", "やまだ たろう", "野尻", birth_year=1958)
    case_id = store.open_case(referral_source="neighbour", district="野尻", person_id=person)
    window.caseload.reload()
    wait_idle(qtbot)
    view = window.open_case(case_id)
    activate(qtbot, window)
    view.timeline.setFocus()
    qtbot.keyClick(view.timeline, Qt.Key.Key_N, CTRL)
    type_text(qtbot, view.form.narrative, "書きかけの記録")

    # activity keeps the store open …
    window.session.set_idle_timeout_ms(400)
    for _ in range(8):
        qtbot.keyClick(view.form.narrative, Qt.Key.Key_Shift)
        qtbot.wait(100)
    assert window.session.is_unlocked
    # … and idleness locks it
    with qtbot.waitSignal(window.session.locked, timeout=5_000):
        pass
    assert window.stack.currentWidget() is window.unlock_page
    assert window.case_views() == [] and window.tabs.count() == 2
    assert window.caseload.visible_case_ids() == []
    shown = " ".join(w.text() for w in window.findChildren(QLineEdit))
    assert "山田" not in shown and "書きかけ" not in shown
    assert window.windowTitle() == "Outreach Desk"

    window.session.set_idle_timeout_ms(60_000)
    type_text(qtbot, window.unlock_page.passphrase, PASSPHRASE)
    with qtbot.waitSignal(window.session.unlocked, timeout=20_000):
        qtbot.keyClick(window.unlock_page.passphrase, Qt.Key.Key_Return)
    wait_idle(qtbot)
    view = current_case_view(window)
    assert view.case_id == case_id, "the case that was open comes back, at its tab"
    assert view.form_is_open()
    assert view.form.narrative.toPlainText() == "書きかけの記録"
    assert window.session.store.visits(case_id) == [], "a draft is not a record"


def test_consent_withdrawal_reaches_the_banner_and_the_caseload_badge(qtbot, window):  # noqa: F811
    store = window.session.store
    person = store.add_person("田中 一郎", "たなか いちろう", "須木")
    case_id = store.open_case(referral_source="neighbour", district="須木", person_id=person)
    agency = store.add_agency("地域包括支援センター")
    store.record_consent(person, agencies=[agency], method="written")
    window.caseload.reload()
    wait_idle(qtbot)
    view = window.open_case(case_id)
    assert "同意あり" in view.banner_label.text()
    assert badge(window, case_id) is ConsentStatus.GRANTED

    store.record_withdrawal(person, agencies=[], method="oral")
    assert "撤回" in view.banner_label.text()
    qtbot.waitUntil(lambda: badge(window, case_id) is ConsentStatus.WITHDRAWN, timeout=5_000)


def badge(win, case_id: str) -> ConsentStatus:
    model = win.caseload.model
    return model.entry(model.row_of(case_id)).row.consent


def test_screenshot_of_the_main_window_with_demo_data(qtbot, demo_window):  # noqa: F811
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: len(demo_window.caseload.visible_case_ids()) > 0, timeout=10_000)
    demo_window.resize(1280, 800)
    qtbot.wait(50)
    image: QImage = demo_window.grab().toImage()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "main-window-demo.png"
    assert image.save(str(path))
    assert path.stat().st_size > 10_000
    # not blank: many distinct colours, and text-like dark pixels on the light background
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    assert len(colours) > 20
    first_case = demo_window.open_case(demo_window.caseload.visible_case_ids()[0])
    wait_idle(qtbot)
    image = demo_window.grab().toImage()
    assert image.save(str(ARTIFACTS / "case-view-demo.png"))
    assert first_case.timeline.timeline_model.rowCount() > 0
