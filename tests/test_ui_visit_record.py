"""The visit form and the screens that read visits, typed into and clicked as a worker would
(issue 12: points 3, 5, 10 and 11).

A real encrypted store, real widgets (pytest-qt, offscreen); every check reads back from the
store or from what the screen shows.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QApplication
from ui_fixtures import commit_text as type_text
from ui_fixtures import session, settings, wait_idle  # noqa: F401

from outreach_desk.vocab import MetWith, VisitKind
from ui.case_view import CaseView
from ui.fmt import format_date
from ui.follow_ups_view import FollowUpsView
from ui.report_view import ReportView

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
TODAY = date.today()
OPENED = TODAY - timedelta(days=200)


def ago(days: float) -> str:
    return (datetime.now() - timedelta(days=days)).replace(microsecond=0).isoformat()


def make_case(store, *, next_action: str | None = None, due: date | None = None) -> str:
    person = store.add_person("石川 健", "いしかわ けん", "野尻", birth_year=1988)
    case = store.open_case(referral_source="minsei_iin", district="野尻", person_id=person,
                           opened_on=OPENED)
    store.record_visit(case, occurred_at=ago(10), kind="home_visit", met_with=["family"],
                       relationship_stage="family_contact", narrative="母親と話せた。",
                       next_action=next_action, next_action_due=due)
    return case


def open_view(qtbot, session, case_id: str) -> CaseView:  # noqa: F811
    view = CaseView(session, case_id)
    qtbot.addWidget(view)
    view.resize(1280, 720)
    view.show()
    qtbot.waitExposed(view)
    view.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view.window(), timeout=5_000)
    view.timeline.setFocus()
    return view


def new_visit(qtbot, view: CaseView):
    qtbot.keyClick(view.timeline, Qt.Key.Key_N, CTRL)
    assert view.form_is_open()
    return view.form


def save(qtbot, form) -> None:
    qtbot.keyClick(QApplication.focusWidget() or form.narrative, Qt.Key.Key_Return, CTRL)


def set_when(form, day: date, hour: int = 10) -> None:
    form.occurred_at.setFocus()
    form.occurred_at.setDateTime(QDateTime(QDate(day.year, day.month, day.day), QTime(hour, 0)))


def follow_ups_view(qtbot, session) -> FollowUpsView:  # noqa: F811
    view = FollowUpsView(session)
    qtbot.addWidget(view)
    view.reload()
    wait_idle(qtbot)
    view.show()
    qtbot.waitExposed(view)
    return view


# -- 3. a visit without 次回の予定 keeps the case's follow-up -----------------------------------


def test_a_visit_typed_without_a_next_action_keeps_the_case_overdue(qtbot, session):  # noqa: F811
    store = session.store
    overdue = TODAY - timedelta(days=3)
    case = make_case(store, next_action="再訪して本人に声をかける", due=overdue)
    follow_ups = follow_ups_view(qtbot, session)
    assert follow_ups.group_case_ids()["overdue"] == [case]

    view = open_view(qtbot, session, case)
    form = new_visit(qtbot, view)
    type_text(form.narrative, "母親に電話で近況を聞いた。")
    save(qtbot, form)
    assert len(store.visits(case)) == 2 and not view.form_is_open()
    wait_idle(qtbot)
    assert follow_ups.group_case_ids()["overdue"] == [case]
    row = store.caseload([case])[0]
    assert (row.next_action, row.next_action_due) == ("再訪して本人に声をかける",
                                                      overdue.isoformat())


def test_the_absent_shortcut_proposes_a_revisit_after_the_setting(qtbot, session,  # noqa: F811
                                                                  settings):  # noqa: F811
    store = session.store
    case = make_case(store, next_action="手紙を置く", due=TODAY - timedelta(days=1))
    view = open_view(qtbot, session, case)
    for days in (7, 10):
        settings.revisit_days = days if days != 7 else settings.revisit_days  # 7: the default
        assert settings.revisit_days == days
        steps = [lambda: qtbot.keyClick(view.timeline, Qt.Key.Key_N, CTRL),
                 lambda: qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, ALT),
                 lambda: qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, CTRL)]
        for step in steps:
            step()
        assert len(steps) == 3 and not view.form_is_open()
        visit = store.visits(case)[0]
        day = datetime.fromisoformat(visit["occurred_at"]).date()
        assert (visit["kind"], visit["met_with"]) == (VisitKind.LETTER, [MetWith.NOBODY])
        assert visit["next_action"] == "再訪"
        assert visit["next_action_due"] == (day + timedelta(days=days)).isoformat()
        row = store.caseload([case])[0]
        assert (row.next_action, row.next_action_due) == ("再訪", visit["next_action_due"])
        view.timeline.setFocus()


def test_follow_ups_list_cases_without_a_next_action_and_mark_one_done(  # noqa: F811
        qtbot, session):  # noqa: F811
    store = session.store
    planned = make_case(store, next_action="電話をかける", due=TODAY)
    unplanned = make_case(store)
    view = follow_ups_view(qtbot, session)
    groups = view.group_case_ids()
    assert groups["today"] == [planned] and groups["without"] == [unplanned]
    titles = [view.tree.topLevelItem(i).text(0) for i in range(view.tree.topLevelItemCount())]
    assert titles[-1] == "次回の予定なし（1 件）"
    assert "次回の予定なし 1 件" in view.summary.text()

    today = view.tree.topLevelItem(1)
    assert not view.done_button.isEnabled()
    view.tree.setCurrentItem(today.child(0))
    assert view.done_button.isEnabled()
    qtbot.mouseClick(view.done_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: view.group_case_ids()["today"] == [], timeout=5_000)
    assert sorted(view.group_case_ids()["without"]) == sorted([planned, unplanned])
    assert store.caseload([planned])[0].next_action is None


# -- 5. dates with bounds ---------------------------------------------------------------------


def test_a_date_before_the_persons_birth_is_refused_naming_the_birth_year(  # noqa: F811
        qtbot, session):  # noqa: F811
    store = session.store
    case = make_case(store)
    view = open_view(qtbot, session, case)
    form = new_visit(qtbot, view)
    type_text(form.narrative, "訪問した。")
    set_when(form, date(1752, 12, 8))
    before = store.counts()
    save(qtbot, form)
    assert store.counts() == before
    error = form.errors["occurred_at"]
    assert error.isVisible() and "1988年" in error.text() and "生まれ年" in error.text()
    assert not form.late_entry.isVisible()  # no late entry can be older than the person
    assert view.form_is_open()


def test_a_date_before_the_case_opened_asks_to_confirm_a_late_entry(qtbot, session):  # noqa: F811
    store = session.store
    case = make_case(store)
    view = open_view(qtbot, session, case)
    form = new_visit(qtbot, view)
    type_text(form.narrative, "古い紙の記録を入力: 民生委員と同行して訪問。")
    old_day = OPENED - timedelta(days=30)
    set_when(form, old_day)
    before = store.counts()
    save(qtbot, form)
    assert store.counts() == before
    error = form.errors["occurred_at"]
    assert error.isVisible() and format_date(OPENED) in error.text()
    assert "開始日" in error.text()
    assert form.late_entry.isVisible() and QApplication.focusWidget() is form.late_entry
    qtbot.keyClick(form.late_entry, Qt.Key.Key_Space)  # the worker confirms
    assert form.late_entry.isChecked()
    save(qtbot, form)
    assert not view.form_is_open()
    visit = store.visits(case)[-1]  # the oldest
    assert visit["occurred_at"].startswith(old_day.isoformat())
    assert visit["late_entry_confirmed"] is True


def test_a_future_date_is_refused_with_a_message(qtbot, session):  # noqa: F811
    store = session.store
    case = make_case(store)
    view = open_view(qtbot, session, case)
    form = new_visit(qtbot, view)
    type_text(form.narrative, "訪問した。")
    set_when(form, TODAY + timedelta(days=3))
    before = store.counts()
    save(qtbot, form)
    assert store.counts() == before
    error = form.errors["occurred_at"]
    assert error.isVisible() and "未来の日時は記録できません" in error.text()


# -- 10. what a visit records ----------------------------------------------------------------


def test_a_visit_records_everyone_met_a_companion_a_place_and_the_time_taken(  # noqa: F811
        qtbot, session):  # noqa: F811
    store = session.store
    agency = store.add_agency("のじり地域包括支援センター")
    case = make_case(store)
    view = open_view(qtbot, session, case)
    form = new_visit(qtbot, view)
    assert form.met_with.values() == ["person"]
    qtbot.mouseClick(form.met_with.boxes["family"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.met_with.boxes["relative"], Qt.MouseButton.LeftButton)
    form.companion.setFocus()
    form.companion.setCurrentIndex(form.companion.findData(f"agency:{agency}"))
    type_text(form.place, "公民館")
    form.duration.setFocus()
    form.duration.selectAll()
    qtbot.keyClicks(form.duration, "45")
    type_text(form.narrative, "本人と母親、叔母と公民館で話した。包括の職員が同行。")
    save(qtbot, form)
    assert not view.form_is_open()
    visit = store.visits(case)[0]
    assert visit["met_with"] == ["person", "family", "relative"]
    assert visit["companion_agencies"] == [agency] and not visit["companion_workers"]
    assert (visit["place"], visit["duration_minutes"]) == ("公民館", 45)

    # 会えず stands alone: ticking it clears the others, ticking someone clears it
    form = new_visit(qtbot, view)
    qtbot.mouseClick(form.met_with.boxes["nobody"], Qt.MouseButton.LeftButton)
    assert form.met_with.values() == ["nobody"]
    qtbot.mouseClick(form.met_with.boxes["agency"], Qt.MouseButton.LeftButton)
    assert form.met_with.values() == ["agency"]


def test_the_report_counts_attempts_without_contact_alike_whatever_the_kind(  # noqa: F811
        qtbot, session):  # noqa: F811
    store = session.store
    case = make_case(store)
    moment = datetime.combine(TODAY, datetime.min.time()).isoformat()
    for kind, met in (("home_visit", ["nobody"]), ("letter", ["nobody"]),
                      ("agency_contact", ["agency"]), ("phone", ["person", "family"])):
        store.record_visit(case, occurred_at=moment, kind=kind, met_with=met,
                           relationship_stage="family_contact", narrative="記録")
    view = ReportView(session)
    qtbot.addWidget(view)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: view.report is not None, timeout=5_000)
    view.month.setFocus()
    qtbot.keyClick(view.month, Qt.Key.Key_Up)  # from last month (the default) to this month
    qtbot.waitUntil(lambda: (view.report.year, view.report.month) == (TODAY.year, TODAY.month),
                    timeout=5_000)
    model = view.visits_model
    rows = {model.index(r, 0).data(): [str(model.index(r, c).data()) for c in range(1, 4)]
            for r in range(model.rowCount())}
    assert rows["合計"][2] == "2"  # 会えず: the 不在 home visit and the letter, counted alike
    assert rows["家庭訪問"][2] == "1" and rows["手紙・置き手紙"][2] == "1"
    assert rows["関係機関との連絡"] == ["1", "1", "0"]  # a contact with an agency is a contact
    assert rows["会えた人: 関係機関"][0] == "1" and rows["会えた人: 家族"][0] == "1"


# -- 11. next-due quick picks ----------------------------------------------------------------


def test_due_quick_picks_are_reachable_by_keyboard(qtbot, session):  # noqa: F811
    store = session.store
    case = make_case(store)
    view = open_view(qtbot, session, case)
    form = new_visit(qtbot, view)
    visit_day = TODAY - timedelta(days=1)
    set_when(form, visit_day)
    type_text(form.narrative, "本人と話せた。")
    type_text(form.next_action, "再訪する")
    assert not form.has_due.isChecked()
    qtbot.keyClick(form.next_action, Qt.Key.Key_1, ALT)  # 1週間後(&1)
    qtbot.waitUntil(lambda: form.has_due.isChecked(), timeout=2_000)
    assert form.due.date() == QDate(visit_day.year, visit_day.month, visit_day.day).addDays(7)

    # Tab through the due date's sections (year, month, day) reaches the quick picks
    form.due.setFocus()
    form.due.setCurrentSectionIndex(form.due.sectionCount() - 1)
    qtbot.keyClick(form.due, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.due_picks.buttons[0]
    qtbot.keyClick(form.due_picks.buttons[0], Qt.Key.Key_Space)
    assert form.due.date() == QDate(visit_day.year, visit_day.month, visit_day.day).addDays(3)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_4, ALT)  # 1か月後(&4)
    month = QDate(visit_day.year, visit_day.month, visit_day.day).addMonths(1)
    qtbot.waitUntil(lambda: form.due.date() == month, timeout=2_000)
    save(qtbot, form)
    assert store.visits(case)[0]["next_action_due"] == month.toString(Qt.DateFormat.ISODate)
