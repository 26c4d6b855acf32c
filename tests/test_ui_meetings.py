"""会議の準備 in the real main window: the consent verdict per case, 支援会議に切り替える, the
material PDF (only with a basis, recorded as a disclosure), recording the held meeting, and the
dashboard's list of meetings due."""

from __future__ import annotations

import unicodedata
from datetime import date

import pypdf
from PySide6.QtCore import Qt
from support import visit_fields
from ui_fixtures import session, settings, type_text, wait_idle, window  # noqa: F401

from outreach_desk.vocab import MeetingKind
from ui.dashboard import CaseIdRole, DashboardView
from ui.meeting_prep import MeetingPrepView


def _casework(store):
    welfare = store.add_agency("福祉課")
    children = store.add_agency("こども家庭センター")
    person = store.add_person("山田 太郎", "やまだ たろう", "野尻", birth_year=1970)
    case = store.open_case(referral_source="minsei_iin", district="野尻", person_id=person,
                           team_id=store.worker()["team_id"], worker_id=store.author)
    store.record_visit(case, **visit_fields(narrative="玄関で少し話せた"))
    store.record_consent(person, agencies=[welfare], method="written")
    store.save_plan(case, goals=["外出の機会をつくる"], monitoring_date=date.today(),
                    roles=[{"agency_id": welfare, "role": "見守り"}])
    return welfare, children, person, case


def _checked(qtbot, view: MeetingPrepView, action) -> None:
    before = view.checks_done
    action()
    qtbot.waitUntil(lambda: view.checks_done > before and view.checked_plan == view.plan(),
                    timeout=20_000)


def test_prepare_switch_to_council_make_the_pdf_and_record_the_meeting(
        qtbot, window, tmp_path):  # noqa: F811
    store = window.session.store
    welfare, children, person, case = _casework(store)

    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    view = window.tabs.currentWidget()
    assert isinstance(view, MeetingPrepView)
    assert view.plan().kind is MeetingKind.MULTI_AGENCY
    qtbot.waitUntil(lambda: view.caseload.count() == 1, timeout=20_000)
    view.set_agencies([welfare, children])
    type_text(qtbot, view.search, "やまだ")
    assert not view.caseload.item(0).isHidden()
    view.caseload.setCurrentRow(0)
    _checked(qtbot, view, lambda: qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton))

    verdict = view.cases.item(0, 3).text()
    assert verdict.startswith("不可") and "こども家庭センター" in verdict
    assert "福祉課" not in verdict
    assert not view.material_button.isEnabled()
    assert view.switch_button.isEnabled()

    _checked(qtbot, view, lambda: qtbot.mouseClick(view.switch_button,
                                                   Qt.MouseButton.LeftButton))
    assert view.plan().kind is MeetingKind.SUPPORT_COUNCIL
    assert view.cases.item(0, 3).text().startswith("可")
    assert view.basis.text() == "支援会議（法106条の6）"
    assert view.material_button.isEnabled()

    pdf = tmp_path / "会議資料.pdf"
    with qtbot.waitSignal(view.material_written, timeout=30_000):
        view.export_pdf(str(pdf))
    raw = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    text = "".join(unicodedata.normalize("NFKC", raw).split())
    assert "取扱注意" in text and "山田太郎" in text and "玄関で少し話せた" not in text
    [record] = store.disclosures(case)
    assert record["basis"] == "council_106_6"
    assert sorted(record["agencies"]) == sorted([welfare, children])

    # the case's 会議 tab lists the disclosure with its basis and the agencies it went to
    case_view = window.open_case(case)
    qtbot.waitUntil(lambda: case_view.meetings_tab.disclosures.rowCount() == 1, timeout=20_000)
    cells = [case_view.meetings_tab.disclosures.item(0, c).text() for c in range(5)]
    assert cells[2] == "支援会議（法106条の6）" and "こども家庭センター" in cells[3]
    assert cells[4] == "佐藤 花子" and cells[1].startswith("支援会議")

    # before the meeting is recorded, the dashboard lists it as due (a plan was made)
    window.supervision.dashboard_action.trigger()
    board = window.tabs.currentWidget()
    assert isinstance(board, DashboardView)
    qtbot.waitUntil(lambda: board.loads >= 1, timeout=20_000)
    assert board.due_model.rowCount() == 1
    assert board.due_model.index(0, 0).data(CaseIdRole) == case
    assert "未開催の会議 (1)" in [board.lists.tabText(i) for i in range(board.lists.count())]
    assert board.due_model.index(0, 5).data().startswith("プラン策定")
    board.lists.setCurrentWidget(board.due_table)
    index = board.due_model.index(0, 0)
    where = board.due_table.visualRect(index).center()
    qtbot.mouseClick(board.due_table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(board.due_table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert window.tabs.currentWidget() is case_view  # the row opens the case

    window.tabs.setCurrentWidget(view)
    view.decisions.setPlainText("月1回の訪問を続け、福祉課が見守る")
    view.has_next.setChecked(True)
    with qtbot.waitSignal(view.meeting_recorded, timeout=20_000) as recorded:
        qtbot.mouseClick(view.record_button, Qt.MouseButton.LeftButton)
    meeting = store.get("meeting", recorded.args[0])
    assert meeting["case_ids"] == [case] and meeting["kind"] == "support_council"
    assert sorted(meeting["attendees"]) == sorted([welfare, children])
    assert meeting["decisions"] == "月1回の訪問を続け、福祉課が見守る"
    assert [m.id for m in store.case_history(case).meetings] == [meeting.id]

    loads = board.loads
    window.tabs.setCurrentWidget(board)
    qtbot.waitUntil(lambda: board.loads > loads, timeout=20_000)
    assert board.due_model.rowCount() == 0
    wait_idle(qtbot)


def test_a_withdrawal_turns_the_case_to_refused_and_the_material_cannot_be_made(
        qtbot, window, tmp_path):  # noqa: F811
    store = window.session.store
    welfare, _children, person, case = _casework(store)
    view = window.supervision.show_meeting_prep()
    qtbot.waitUntil(lambda: view.caseload.count() == 1, timeout=20_000)
    view.set_agencies([welfare])
    _checked(qtbot, view, lambda: view.add_case(case))
    assert view.cases.item(0, 3).text() == "可（本人同意）"
    assert view.material_button.isEnabled() and view.basis.text() == "本人同意"

    # the person withdraws (recorded here; a synced one arrives through the same signal)
    _checked(qtbot, view, lambda: store.record_withdrawal(person, agencies=[welfare],
                                                          method="oral"))
    assert "撤回" in view.cases.item(0, 3).text()
    assert not view.material_button.isEnabled()

    # even when asked directly, the core refuses and nothing leaves the app
    view.export_pdf(str(tmp_path / "x.pdf"))
    qtbot.waitUntil(lambda: "作成できませんでした" in view.status.text(), timeout=20_000)
    assert not (tmp_path / "x.pdf").exists() and store.disclosures() == []

    # a held meeting with a refused case cannot be recorded either
    view.decisions.setPlainText("様子を見る")
    assert not view.record_button.isEnabled()
    view.record_meeting()
    assert "支援会議に切り替える" in view.status.text()
    # and while a check is still running, the core applies the rule inside the write
    view.status.clear()
    view.recheck()
    assert view.checked_plan is None
    view.record_meeting()
    qtbot.waitUntil(lambda: "支援会議に切り替える" in view.status.text(), timeout=20_000)
    qtbot.waitUntil(lambda: view.checked_plan == view.plan(), timeout=20_000)
    assert store.case_history(case).meetings == []
    # nor can one still to come, nor one without decisions
    view.switch_to_council()
    qtbot.waitUntil(lambda: view.checked_plan == view.plan(), timeout=20_000)
    view.held_on.setDate(view.held_on.date().addDays(7))
    qtbot.waitUntil(lambda: view.checked_plan == view.plan(), timeout=20_000)
    view.record_meeting()
    assert "開催日がまだ来ていません" in view.status.text()
    view.held_on.setDate(view.held_on.date().addDays(-7))
    view.decisions.clear()
    qtbot.waitUntil(lambda: view.checked_plan == view.plan(), timeout=20_000)
    view.record_meeting()
    assert "決定事項" in view.status.text()
    wait_idle(qtbot)
