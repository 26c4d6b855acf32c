"""The case view: visit form, timeline, amendments, consent banner, stage, drafts.

Real widgets over a real encrypted store (pytest-qt, offscreen). Keys are typed into the widgets
the worker uses; every check reads back from the store or from what the screen shows.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QApplication
from support import PASSPHRASE
from test_ui_drafts import answer_box
from ui_fixtures import commit_text as type_text
from ui_fixtures import demo_session, session, settings, wait_idle, window  # noqa: F401

from outreach_desk.store import Store
from outreach_desk.vocab import ConsentStatus, MetWith, VisitKind
from ui.case_view import CaseView
from ui.timeline import CHUNK, VisitIdRole, VisitRole

CTRL = Qt.KeyboardModifier.ControlModifier


def ago(hours: float) -> str:
    return (datetime.now() - timedelta(hours=hours)).replace(microsecond=0).isoformat()


def make_case(store: Store, visits: int = 0) -> str:
    household = store.create_household("山田家", "野尻", "野尻地区、川沿いの一軒家")
    person = store.add_person("山田 太郎", "やまだ たろう", "野尻", household_id=household,
                              birth_year=1958)
    store.add_person("山田 キヨ", "やまだ きよ", "野尻", household_id=household, birth_year=1931)
    case = store.open_case(referral_source="minsei_iin", district="野尻", person_id=person,
                           opened_on=date.today() - timedelta(days=200))
    for n in range(visits):
        store.record_visit(case, occurred_at=ago(24 * (n + 1)), kind="home_visit",
                           met_with="family", relationship_stage="family_contact",
                           narrative=f"{n + 1}日前の訪問。母親と話せた。")
    return case


def open_view(qtbot, session, case_id: str) -> CaseView:  # noqa: F811
    view = CaseView(session, case_id)
    qtbot.addWidget(view)
    view.resize(1280, 820)
    view.show()
    qtbot.waitExposed(view)
    activate(qtbot, view)
    return view


def activate(qtbot, widget) -> None:
    """Make the window active and put the focus on the timeline, as a click would."""
    widget.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window(), timeout=5_000)
    view = widget if isinstance(widget, CaseView) else None
    if view is not None:
        view.timeline.setFocus()


def top_visit_id(view: CaseView) -> str:
    return view.timeline.timeline_model.index(0).data(VisitIdRole)


def row_text(view: CaseView, visit_id: str) -> str:
    model = view.timeline.timeline_model
    return model.index(model.row_of(visit_id)).data()


# -- the new-visit form ------------------------------------------------------------------------


@pytest.mark.parametrize("save_key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_typed_visit_saves_with_ctrl_enter_and_tops_the_timeline(qtbot, session,  # noqa: F811
                                                                   save_key):
    store = session.store
    case = make_case(store, visits=2)
    view = open_view(qtbot, session, case)
    qtbot.keyClick(view.timeline, Qt.Key.Key_N, CTRL)
    assert view.form_is_open() and view.form.mode == "new"
    assert QApplication.focusWidget() is view.form.narrative
    assert view.form.relationship_stage.currentData() == "family_contact"  # the case's current
    assert abs(view.form.occurred_at.dateTime().secsTo(QDateTime.currentDateTime())) < 120

    type_text(view.form.narrative, "玄関先で本人と5分話せた。")
    type_text(view.form.reaction, "笑顔が見られた。")
    type_text(view.form.next_action, "来週また訪問する")
    view.form.has_due.setChecked(True)
    view.form.due.setDate(QDate.currentDate().addDays(7))
    assert view.form.met_with.values() == ["person"]  # a new visit starts with 本人 ticked
    view.form.relationship_stage.setCurrentIndex(
        view.form.relationship_stage.findData("met_person"))
    qtbot.keyClick(view.form.next_action, save_key, CTRL)

    visits = store.visits(case)
    assert len(visits) == 3
    saved = visits[0]
    assert saved["narrative"] == "玄関先で本人と5分話せた。"
    assert saved["reaction"] == "笑顔が見られた。"
    assert saved["met_with"] == ["person"] and saved["relationship_stage"] == "met_person"
    assert saved["next_action_due"] == (date.today() + timedelta(days=7)).isoformat()
    assert top_visit_id(view) == saved.id
    assert view.timeline.current_visit_id() == saved.id
    assert "玄関先で本人と5分話せた。" in row_text(view, saved.id)
    assert not view.form_is_open()
    assert store.draft(view.draft_key) is None
    assert "本人と対面" in view.relationship_label.text()


def test_absent_visit_takes_two_keys_after_opening(qtbot, session):  # noqa: F811
    store = session.store
    case = make_case(store, visits=1)
    view = open_view(qtbot, session, case)
    qtbot.keyClick(view.timeline, Qt.Key.Key_N, CTRL)  # open the form
    actions = [lambda: qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_A,
                                      Qt.KeyboardModifier.AltModifier),
               lambda: qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, CTRL)]
    for action in actions:
        action()
    assert len(actions) <= 3
    visit = store.visits(case)[0]
    assert (visit["kind"], visit["met_with"]) == (VisitKind.LETTER, [MetWith.NOBODY])
    assert visit["narrative"] == "不在のため置き手紙"
    assert top_visit_id(view) == visit.id
    assert "手紙・置き手紙" in row_text(view, visit.id)


def _set_when(view: CaseView, when: datetime) -> None:
    view.form.occurred_at.setDateTime(QDateTime(QDate(when.year, when.month, when.day),
                                                QTime(when.hour, when.minute)))


@pytest.mark.parametrize("mistake, field, message", [
    ("future", "occurred_at", "未来の日時は記録できません"),
    ("due_before_visit", "next_action_due", "期限は訪問日より前にはできません"),
    ("empty_narrative", "narrative", "内容を入力してください"),
    ("due_without_action", "next_action", "次回の予定も書いてください"),
    ("accompanied_nobody", "met_with", "同行支援では「会えず」は選べません"),  # refused by the core
])
def test_mistakes_are_shown_next_to_the_field_and_nothing_is_written(
        qtbot, session, mistake, field, message):  # noqa: F811
    store = session.store
    case = make_case(store, visits=1)
    view = open_view(qtbot, session, case)
    view.new_visit()
    form = view.form
    type_text(form.narrative, "訪問した。")
    if mistake == "future":
        _set_when(view, datetime.now() + timedelta(hours=3))
    elif mistake == "due_before_visit":
        _set_when(view, datetime.now() - timedelta(days=3))
        type_text(form.next_action, "再訪する")
        form.has_due.setChecked(True)
        form.due.setDate(QDate.currentDate().addDays(-5))
    elif mistake == "empty_narrative":
        form.narrative.clear()
    elif mistake == "due_without_action":
        form.has_due.setChecked(True)
    elif mistake == "accompanied_nobody":
        form.kind.setCurrentIndex(form.kind.findData("accompany"))
        form.met_with.boxes["nobody"].setChecked(True)
    before = store.counts()
    qtbot.keyClick(form.narrative, Qt.Key.Key_Return, CTRL)

    assert store.counts() == before
    error = form.errors[field]
    assert error.isVisible() and message in error.text()
    widget = form.inputs[field]
    below = error.mapTo(form, error.rect().topLeft()).y() - \
        widget.mapTo(form, widget.rect().bottomLeft()).y()
    assert 0 <= below < 24, "the message sits right under its field"
    assert view.form_is_open(), "the form stays open with what was typed"
    others = [name for name, label in form.errors.items() if label.isVisible()]
    assert others == [field]


# -- amendments ----------------------------------------------------------------------------------


def test_amendment_needs_a_reason_and_keeps_the_original_visible(qtbot, session):  # noqa: F811
    store = session.store
    case = make_case(store, visits=3)
    target = store.visits(case)[1]
    view = open_view(qtbot, session, case)
    assert view.timeline.select_visit(target.id)
    qtbot.keyClick(view.timeline, Qt.Key.Key_F2)
    form = view.form
    assert view.form_is_open() and form.mode == "amend"
    assert form.narrative.toPlainText() == target["narrative"]
    assert not form.absent_button.isVisible() and form.reason.isVisible()

    form.narrative.selectAll()
    type_text(form.narrative, "電話で母親と話せた。")
    form.kind.setCurrentIndex(form.kind.findData("phone"))
    before = store.counts()
    qtbot.keyClick(form.narrative, Qt.Key.Key_Return, CTRL)
    assert store.counts() == before
    assert form.errors["reason"].isVisible()
    assert "訂正の理由を入力してください" in form.errors["reason"].text()

    type_text(form.reason, "訪問ではなく電話だった")
    qtbot.keyClick(form.reason, Qt.Key.Key_Return, CTRL)
    visit = store.visit(target.id)
    assert visit.effective["narrative"] == "電話で母親と話せた。"
    assert visit.effective["kind"] == "phone"
    assert visit.original["narrative"] == target["narrative"]
    assert [a["changes"] for a in visit.amendments] == [
        {"kind": "phone", "narrative": "電話で母親と話せた。"}]
    text = row_text(view, target.id)
    assert "訂正あり" in text
    assert "電話で母親と話せた。" in text
    assert target["narrative"] in text, "the original stays visible"
    assert "訪問ではなく電話だった" in text
    assert len(store.visits(case)) == 3


def test_amendment_without_changes_is_refused(qtbot, session):  # noqa: F811
    store = session.store
    case = make_case(store, visits=1)
    view = open_view(qtbot, session, case)
    view.amend_visit(top_visit_id(view))
    type_text(view.form.reason, "確認")
    before = store.counts()
    assert view.form.submit() is None
    assert store.counts() == before
    assert "変更された項目がありません" in view.form.errors["form"].text()


# -- consent banner ------------------------------------------------------------------------------


def test_consent_grant_then_withdrawal_change_the_banner_at_once(qtbot, session):  # noqa: F811
    store = session.store
    centre = store.add_agency("小林市地域包括支援センター")
    store.add_agency("こども家庭センター")
    case = make_case(store)
    person = store.get("case", case)["person_id"]
    view = open_view(qtbot, session, case)
    assert view.banner_label.text().startswith("同意なし")

    dialog = view.record_consent()
    before = store.counts()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # a grant names no agency
    assert store.counts() == before
    assert "1つ以上選んでください" in dialog.errors["agencies"].text()
    dialog.agency_boxes[centre].setChecked(True)
    dialog.written.setChecked(True)
    assert dialog.recorded_by.text() == "佐藤 花子"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert view.banner_label.text() == "同意あり: 小林市地域包括支援センター"
    assert view.banner.property("status") == "granted"

    dialog = view.record_consent(withdraw=True)
    assert dialog.all_hint.isVisible()
    assert "すべての関係機関への同意を撤回します" in dialog.all_hint.text()
    answer_box(qtbot, "confirmWithdrawAllButton", [])  # none ticked: asked first
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert store.consent(person).status is ConsentStatus.WITHDRAWN
    assert view.banner_label.text().startswith("撤回: すべての関係機関")
    assert view.banner.property("status") == "withdrawn"
    history = view.consent_tab.table
    assert history.rowCount() == 2
    assert [history.item(0, c).text() for c in (1, 2, 4)] == ["撤回", "すべての関係機関",
                                                             "佐藤 花子"]
    assert history.item(1, 3).text() == "書面"


# -- stage ---------------------------------------------------------------------------------------


def test_stage_change_needs_a_reason_and_shows_in_header_and_history(qtbot, session):  # noqa: F811
    store = session.store
    case = make_case(store)
    view = open_view(qtbot, session, case)
    assert "把握" in view.stage_label.text()
    dialog = view.change_stage()
    dialog.stage.setCurrentIndex(dialog.stage.findData("relationship"))
    before = store.counts()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert store.counts() == before
    assert "理由を入力してください" in dialog.errors["reason"].text()
    type_text(dialog.reason, "本人と初めて会えた")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert store.get("case", case)["stage"]["stage"] == "relationship"
    assert "関係づくり" in view.stage_label.text()
    table = view.stages_tab.table
    assert [table.item(0, c).text() for c in (1, 2)] == ["関係づくり", "本人と初めて会えた"]
    assert table.item(1, 1).text() == "把握"


# -- drafts --------------------------------------------------------------------------------------


def start_visit_in_window(qtbot, window) -> CaseView:  # noqa: F811
    """A new case opened in the main window, with the visit form open (Ctrl+N)."""
    view = window.open_case(make_case(window.session.store, visits=1))
    qtbot.waitExposed(view)
    activate(qtbot, window)
    view.timeline.setFocus()
    qtbot.keyClick(view.timeline, Qt.Key.Key_N, CTRL)
    return view


def test_draft_survives_lock_and_comes_back_after_unlock(qtbot, window):  # noqa: F811
    live = window.session
    view = start_visit_in_window(qtbot, window)
    case = view.case_id
    type_text(view.form.narrative, "玄関で母親と立ち話。本人は二階にいる様子。")
    type_text(view.form.next_action, "手紙を書く")
    live.lock()
    assert window.case_views() == []

    with qtbot.waitSignal(live.unlocked, timeout=20_000):
        live.unlock(PASSPHRASE)
    (restored,) = window.case_views()
    assert restored.case_id == case
    assert restored.form_is_open()
    assert restored.form.narrative.toPlainText() == "玄関で母親と立ち話。本人は二階にいる様子。"
    assert restored.form.next_action.text() == "手紙を書く"
    assert "下書きを復元しました" in restored.form.notice.text()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is restored.form.narrative)
    before = len(live.store.visits(case))
    qtbot.keyClick(restored.form.narrative, Qt.Key.Key_Return, CTRL)
    assert len(live.store.visits(case)) == before + 1
    assert live.store.draft(restored.draft_key) is None


def test_draft_is_autosaved_when_typing_stops_and_closing_the_tab_keeps_it(
        qtbot, window):  # noqa: F811
    live = window.session
    case = make_case(live.store)
    view = window.open_case(case)
    view.new_visit()
    view.save_draft()
    assert live.store.draft(view.draft_key) is None, "nothing typed: no draft"
    type_text(view.form.narrative, "置き手紙の反応を確認")
    qtbot.waitUntil(lambda: live.store.draft(view.draft_key) is not None, timeout=5_000)
    assert live.store.draft(view.draft_key)["fields"]["narrative"] == "置き手紙の反応を確認"

    type_text(view.form.reaction, "手紙はなくなっていた")
    window.close_tab(window.tabs.indexOf(view))  # saves at once, no waiting for the timer
    assert live.store.draft(f"visit:{case}")["fields"]["reaction"] == "手紙はなくなっていた"
    reopened = window.open_case(case)
    assert reopened.form.reaction.toPlainText() == "手紙はなくなっていた"
    reopened.discard_form(confirm=False)
    assert live.store.draft(reopened.draft_key) is None
    assert not reopened.form_is_open()


def test_amendment_draft_comes_back_as_an_amendment(qtbot, session):  # noqa: F811
    store = session.store
    case = make_case(store, visits=2)
    visit_id = store.visits(case)[1].id
    view = open_view(qtbot, session, case)
    view.amend_visit(visit_id)
    type_text(view.form.reason, "時刻の誤り")
    view.save_draft()
    view.close()
    again = open_view(qtbot, session, case)
    assert again.form.mode == "amend" and again.form.visit.id == visit_id
    assert again.form.reason.text() == "時刻の誤り"


# -- the timeline of a real (demo) case ----------------------------------------------------------


def test_demo_case_shows_header_banner_and_visits_newest_first(qtbot, demo_session):  # noqa: F811
    store = demo_session.store
    row = max(store.caseload(), key=lambda r: len(store.visits(r.case_id)) if r.person_id else 0)
    view = open_view(qtbot, demo_session, row.case_id)
    assert view.title() == row.name == view.name_label.text()
    model = view.timeline.timeline_model
    shown = [model.index(i).data(VisitRole) for i in range(model.rowCount())]
    expected = store.visits(row.case_id)
    assert model.rowCount() == min(len(expected), CHUNK) > 1
    assert [v.id for v in shown] == [v.id for v in expected[: len(shown)]]
    times = [datetime.fromisoformat(v.effective["occurred_at"]) for v in shown]
    assert times == sorted(times, reverse=True)
    status = store.consent(row.person_id).status
    assert view.banner_label.text().startswith(
        {"granted": "同意あり", "none": "同意なし", "withdrawn": "撤回",
         "partial": "一部同意"}[status.value])
    assert view.meetings_tab.table.rowCount() == len(store.case_history(row.case_id).meetings)
    wait_idle(qtbot)


def test_long_timeline_is_handed_to_the_view_in_chunks(qtbot, session):  # noqa: F811
    store = session.store
    case = make_case(store)
    with store.batch():
        for n in range(CHUNK * 2 + 10):
            store.record_visit(case, occurred_at=ago(n + 1), kind="phone", met_with="family",
                               relationship_stage="family_contact", narrative=f"電話 {n}")
    view = open_view(qtbot, session, case)
    model = view.timeline.timeline_model
    assert model.total() == CHUNK * 2 + 10
    assert model.rowCount() < model.total()
    oldest = store.visits(case)[-1].id
    assert view.timeline.select_visit(oldest)
    assert model.rowCount() == model.total()
    assert view.timeline.current_visit_id() == oldest


# -- refresh, notes ------------------------------------------------------------------------------


def test_view_follows_writes_made_elsewhere(qtbot, session):  # noqa: F811
    store = session.store
    case = make_case(store, visits=1)
    other = make_case(store, visits=1)
    view = open_view(qtbot, session, case)
    visit = store.record_visit(case, occurred_at=ago(0.5), kind="phone", met_with="person",
                               relationship_stage="met_person", narrative="本人から電話があった")
    assert top_visit_id(view) == visit
    store.add_note(case, "鉄道の話題で話が弾む")
    store.add_note(other, "別のケースのメモ")
    assert [view.notes_tab.list.item(i).text() for i in range(view.notes_tab.list.count())] \
        == ["鉄道の話題で話が弾む"]


def test_notes_add_and_revise_and_concurrent_revisions_side_by_side(qtbot, session,  # noqa: F811
                                                                     tmp_path):
    store = session.store
    case = make_case(store)
    view = open_view(qtbot, session, case)
    view.tabs.setCurrentWidget(view.notes_tab)
    notes = view.notes_tab
    type_text(notes.editor, "釣りの話だと表情がやわらぐ")
    assert notes.save()
    (note,) = store.list_entities("note")
    assert note["text"] == "釣りの話だと表情がやわらぐ"
    notes.start_revision()
    type_text(notes.editor, "。父親の話は避ける")
    assert notes.save()
    assert store.get("note", note.id)["text"] == "釣りの話だと表情がやわらぐ。父親の話は避ける"

    # a colleague revised the same note offline at the same time
    from support import FAST_KDF
    colleague = Store.create(tmp_path / "colleague", PASSPHRASE, kdf=FAST_KDF)
    try:
        colleague.apply_remote(store.changes())
        colleague.set_author(store.author)
        colleague.revise_note(note.id, "釣りの話題が良い（同僚の追記）")
        store.revise_note(note.id, "釣りの話題が良い（自分の追記）")
        store.apply_remote(colleague.changes())
    finally:
        colleague.close()
    versions = notes.findChildren(type(notes.editor), "noteConflictVersion")
    assert sorted(v.toPlainText() for v in versions) == [
        "釣りの話題が良い（同僚の追記）", "釣りの話題が良い（自分の追記）"]
    assert notes.list.item(0).text().startswith("【競合あり】")


def test_plan_is_saved_from_the_tab_and_household_members_are_listed(qtbot, session):  # noqa: F811
    store = session.store
    centre = store.add_agency("小林市地域包括支援センター")
    case = make_case(store)
    view = open_view(qtbot, session, case)
    members = view.household_tab.table
    assert sorted(members.item(r, 0).text() for r in range(members.rowCount())) == [
        "山田 キヨ", "山田 太郎（本人）"]
    assert "山田家（2人）" in view.household_label.text()

    plans = view.plans_tab
    before = store.counts()
    assert not plans.save()
    assert store.counts() == before and "目標を1つ以上" in plans.error.text()
    type_text(plans.goals, "月1回は本人と会う\n通院を再開する")
    plans.agency.setCurrentIndex(plans.agency.findData(centre))
    type_text(plans.role_text, "見守り訪問")
    qtbot.keyClick(plans.role_text, Qt.Key.Key_Return)
    plans.monitoring.setDate(QDate(2027, 3, 1))
    assert plans.save()
    (plan,) = store.list_entities("plan")
    assert plan["goals"] == ["月1回は本人と会う", "通院を再開する"]
    assert plan["roles"] == [{"agency_id": centre, "role": "見守り訪問"}]
    assert plan["monitoring_date"] == "2027-03-01"
    assert plans.list.count() == 1 and "通院を再開する" in plans.detail.toPlainText()
