"""The caseload (担当ケース) and follow-ups (次回予定) screens over real encrypted stores.

Every expectation is computed straight from the store (``store.caseload()``,
``store.follow_ups()``, ``store.search()``), never from the screen's own model.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import jaconv
import pytest
from PySide6.QtCore import Qt
from ui_fixtures import (  # noqa: F401
    demo_session,
    demo_window,
    session,
    settings,
    wait_idle,
)

from outreach_desk.search import fold
from outreach_desk.vocab import (
    CaseStage,
    ConsentMethod,
    ConsentStatus,
    MetWith,
    ReferralSource,
    RelationshipStage,
    VisitKind,
)
from ui.caseload import CaseloadView, FollowUpsView
from ui.caseload_model import CASE_ID_ROLE, CONSENT_ROLE, KANA_ROLE, OPEN, CaseloadModel
from ui.fmt import format_date, label

M = CaseloadModel


def loaded_view(qtbot, session, *, every_stage: bool = True) -> CaseloadView:  # noqa: F811
    """A loaded caseload; ``every_stage``: 「終結・中断を含む」 chosen, so every case is listed."""
    view = CaseloadView(session)
    qtbot.addWidget(view)
    view.reload()
    wait_idle(qtbot)
    assert view.model.rowCount() > 0 or not session.store.caseload()
    if every_stage:
        view.stage.setCurrentIndex(view.stage.findData(None))
    return view


def test_every_stage_hides_closed_and_suspended_cases_unless_asked(
        qtbot, demo_session):  # noqa: F811
    view = loaded_view(qtbot, demo_session, every_stage=False)
    rows = demo_session.store.caseload()
    ended = {row.case_id for row in rows if row.stage in (CaseStage.CLOSED,
                                                          CaseStage.SUSPENDED)}
    assert ended and len(ended) < len(rows)
    assert view.stage.currentText() == "すべての段階"
    assert set(view.visible_case_ids()) == {row.case_id for row in rows} - ended
    assert view.count.text() == f"{len(rows) - len(ended)} 件（全 {len(rows)} 件中）"
    # asked for: 「終結・中断を含む」, chosen by keyboard
    view.stage.setFocus()
    qtbot.keyClick(view.stage, Qt.Key.Key_Down)
    assert view.stage.currentText() == "終結・中断を含む"
    assert set(view.visible_case_ids()) == {row.case_id for row in rows}
    # one of them chosen alone still lists it
    view.stage.setCurrentIndex(view.stage.findData(CaseStage.CLOSED.value))
    assert set(view.visible_case_ids()) == {row.case_id for row in rows
                                            if row.stage is CaseStage.CLOSED}


def cell(view: CaseloadView, case_id: str, column: int, role=Qt.ItemDataRole.DisplayRole):
    return view.model.index(view.model.row_of(case_id), column).data(role)


def rows_by_id(store) -> dict:
    return {row.case_id: row for row in store.caseload()}


def visit_now(store, case_id: str, **fields) -> str:
    fields.setdefault("kind", VisitKind.HOME_VISIT)
    fields.setdefault("met_with", MetWith.PERSON)
    fields.setdefault("relationship_stage", RelationshipStage.MET_PERSON)
    return store.record_visit(case_id, occurred_at=datetime.now().astimezone(), **fields)


# -- what the table shows ---------------------------------------------------------------------


def test_table_shows_exactly_the_rows_of_the_store(qtbot, demo_session):  # noqa: F811
    view = loaded_view(qtbot, demo_session)
    expected = demo_session.store.caseload()
    assert len(expected) >= 50
    assert sorted(view.visible_case_ids()) == sorted(row.case_id for row in expected)
    assert view.count.text() == f"{len(expected)} 件"
    for row in expected:
        assert cell(view, row.case_id, M.NAME) == row.name
        assert cell(view, row.case_id, M.NAME, KANA_ROLE) == row.kana
        assert cell(view, row.case_id, M.DISTRICT) == row.district
        assert cell(view, row.case_id, M.STAGE) == label(row.stage)
        assert cell(view, row.case_id, M.CONSENT, CONSENT_ROLE) == row.consent
        assert cell(view, row.case_id, M.CONSENT).startswith(label(row.consent))
        assert cell(view, row.case_id, M.LAST_CONTACT) == format_date(row.last_visit_at)
        if row.next_action:
            assert row.next_action in cell(view, row.case_id, M.NEXT_ACTION)
        if row.next_action_due:
            assert format_date(row.next_action_due) in cell(view, row.case_id, M.NEXT_ACTION)
        if row.relationship is not None:
            assert cell(view, row.case_id, M.TREND).endswith(label(row.relationship))


def test_overdue_next_actions_are_marked_and_trend_arrows_follow_the_stages(
        qtbot, demo_session):  # noqa: F811
    view = loaded_view(qtbot, demo_session)
    today = date.today()
    arrows = {1: "\u2197", 0: "\u2192", -1: "\u2198"}
    overdue = 0
    for row in demo_session.store.caseload():
        text = cell(view, row.case_id, M.NEXT_ACTION)
        late = row.is_open and row.overdue(today)
        overdue += late
        assert ("期限切れ" in text) == late, row.case_id
        assert (cell(view, row.case_id, M.NEXT_ACTION, Qt.ItemDataRole.ForegroundRole)
                is not None) == late
        if row.relationship is not None:
            assert cell(view, row.case_id, M.TREND).startswith(arrows[row.trend])
    assert overdue, "the demo data has overdue follow-ups"


# -- searching --------------------------------------------------------------------------------


def test_typing_a_reading_in_katakana_finds_the_person(qtbot, demo_session):  # noqa: F811
    view = loaded_view(qtbot, demo_session)
    rows = demo_session.store.caseload()
    in_hiragana = next(row for row in rows if row.kana and row.kana == jaconv.kata2hira(row.kana))
    in_katakana = next(row for row in rows if row.kana and row.kana == jaconv.hira2kata(row.kana))
    searches = [
        (in_hiragana, jaconv.hira2kata(in_hiragana.kana.split()[0])),  # typed in katakana
        (in_hiragana, jaconv.z2h(jaconv.hira2kata(in_hiragana.kana.split()[0]))),  # 半角カナ
        (in_katakana, jaconv.kata2hira(in_katakana.kana)),  # stored in katakana, typed in kana
        (in_katakana, in_katakana.kana.replace(" ", "\u3000")),  # full-width space
    ]
    for person, typed in searches:
        expected = {row.case_id for row in rows
                    if fold(typed) in fold(row.kana) or fold(typed) in fold(row.name)}
        assert person.case_id in expected and len(expected) < len(rows)
        view.search.setText(typed)
        # names and readings are matched at once, before the background search runs
        assert set(view.visible_case_ids()) == expected, typed
        assert view.count.text().startswith(f"{len(expected)} 件")
        view.search.clear()
        assert len(view.visible_case_ids()) == len(rows)


def test_a_word_in_a_visit_narrative_finds_the_case_in_the_background(
        qtbot, demo_session):  # noqa: F811
    store = demo_session.store
    view = loaded_view(qtbot, demo_session)
    case = next(row for row in store.caseload() if row.is_open)
    visit_now(store, case.case_id, narrative="縁側でヤマザクラの盆栽を一緒に見た。")
    wait_idle(qtbot)
    found = {cid for hit in store.search("やまざくらの盆栽", 300) for cid in hit.case_ids}
    assert found == {case.case_id}
    view.search.setText("やまざくらの盆栽")
    assert view.visible_case_ids() == []  # not in any name or reading
    with qtbot.waitSignal(view.text_search_done, timeout=5000):
        pass
    assert view.visible_case_ids() == [case.case_id]
    assert view.count.text().startswith("1 件")


def test_results_of_an_earlier_keystroke_are_ignored(qtbot, demo_session):  # noqa: F811
    store = demo_session.store
    view = loaded_view(qtbot, demo_session)
    rows = store.caseload()
    case = next(row for row in rows if row.is_open)
    visit_now(store, case.case_id, narrative="縁側でヤマザクラの盆栽を一緒に見た。")
    wait_idle(qtbot)
    view.search.setText("やまざくら")
    view._search_timer.stop()
    view._run_text_search()  # in flight: its result is delivered only after the next line
    view.search.setText("やまざ")  # shorter text: a different question
    wait_idle(qtbot)  # the earlier search's answer arrives now and must be dropped
    by_name = {row.case_id for row in rows if "やまざ" in fold(row.name + row.kana)}
    assert case.case_id not in by_name
    assert set(view.visible_case_ids()) == by_name
    with qtbot.waitSignal(view.text_search_done, timeout=5000):
        pass  # the search for the current text
    found = {cid for hit in store.search("やまざ", 300) for cid in hit.case_ids}
    assert case.case_id in found
    assert set(view.visible_case_ids()) == by_name | found


# -- filters ----------------------------------------------------------------------------------


FILTERS = [
    ("district", "西部", lambda row: row.district == "西部"),
    ("district", "須木", lambda row: row.district == "須木"),
    ("stage", CaseStage.RELATIONSHIP.value, lambda row: row.stage == CaseStage.RELATIONSHIP),
    ("stage", OPEN, lambda row: row.is_open),
    ("consent", ConsentStatus.GRANTED.value, lambda row: row.consent == ConsentStatus.GRANTED),
    ("consent", ConsentStatus.NONE.value, lambda row: row.consent == ConsentStatus.NONE),
]


@pytest.mark.parametrize(("combo", "value", "keep"), FILTERS,
                         ids=[f"{c}={v}" for c, v, _ in FILTERS])
def test_each_filter_keeps_the_right_rows(qtbot, demo_session, combo, value, keep):  # noqa: F811
    view = loaded_view(qtbot, demo_session)
    rows = demo_session.store.caseload()
    expected = {row.case_id for row in rows if keep(row)}
    assert 0 < len(expected) < len(rows)
    box = getattr(view, combo)
    box.setCurrentIndex(box.findData(value))
    assert set(view.visible_case_ids()) == expected
    assert view.count.text() == f"{len(expected)} 件（全 {len(rows)} 件中）"
    box.setCurrentIndex(box.findData(None))
    assert len(view.visible_case_ids()) == len(rows)


def test_overdue_only_and_filters_combine(qtbot, demo_session):  # noqa: F811
    view = loaded_view(qtbot, demo_session)
    rows = demo_session.store.caseload()
    today = date.today()
    overdue = {row.case_id for row in rows if row.is_open and row.overdue(today)}
    assert 0 < len(overdue) < len(rows)
    view.overdue.setChecked(True)
    assert set(view.visible_case_ids()) == overdue
    assert overdue == {row.case_id for row in demo_session.store.follow_ups(today).overdue}
    view.district.setCurrentIndex(view.district.findData("西部"))
    both = {cid for cid in overdue if rows_by_id(demo_session.store)[cid].district == "西部"}
    assert both and set(view.visible_case_ids()) == both
    view.search.setText(fold(rows_by_id(demo_session.store)[sorted(both)[0]].kana))
    assert sorted(both)[0] in view.visible_case_ids()
    assert set(view.visible_case_ids()) <= both


# -- sorting ----------------------------------------------------------------------------------


def _timestamp(value):
    return datetime.fromisoformat(value).timestamp() if value else float("-inf")


SORT_KEYS = {
    M.NEXT_ACTION: lambda row: (0, row.next_action_due) if row.next_action_due else (1, ""),
    M.LAST_CONTACT: lambda row: _timestamp(row.last_visit_at),
    M.STAGE: lambda row: list(CaseStage).index(row.stage),
    M.NAME: lambda row: fold(row.kana) or fold(row.name),
    M.TREND: lambda row: (row.trend, row.relationship.rank if row.relationship else -1),
}


@pytest.mark.parametrize("column", list(SORT_KEYS), ids=lambda c: M._header(c))
def test_sorting_by_a_column_orders_rows_by_its_value(qtbot, demo_session, column):  # noqa: F811
    view = loaded_view(qtbot, demo_session)
    by_id = rows_by_id(demo_session.store)
    key = SORT_KEYS[column]
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        view.table.sortByColumn(column, order)
        shown = [key(by_id[cid]) for cid in view.visible_case_ids()]
        assert len(shown) == len(by_id)
        assert shown == sorted(shown, reverse=order == Qt.SortOrder.DescendingOrder)
        assert len(set(shown)) > 1


def test_sorting_by_due_date_puts_actions_without_a_date_last(qtbot, demo_session):  # noqa: F811
    view = loaded_view(qtbot, demo_session)
    by_id = rows_by_id(demo_session.store)
    view.table.horizontalHeader().setSortIndicator(M.NEXT_ACTION, Qt.SortOrder.AscendingOrder)
    dues = [by_id[cid].next_action_due for cid in view.visible_case_ids()]
    dated = [due for due in dues if due]
    assert dated and dated != dues
    assert dues == sorted(dated) + [None] * (len(dues) - len(dated))


# -- keeping current after writes -------------------------------------------------------------


def test_withdrawal_turns_the_consent_badge_to_withdrawn_without_a_full_reload(
        qtbot, demo_session):  # noqa: F811
    store = demo_session.store
    view = loaded_view(qtbot, demo_session)
    view.table.sortByColumn(M.CONSENT, Qt.SortOrder.AscendingOrder)
    case = next(row for row in store.caseload()
                if row.consent == ConsentStatus.GRANTED and row.person_id)
    before = {entry.case_id: entry for entry in view.model.entries}
    store.record_withdrawal(case.person_id, method=ConsentMethod.ORAL)
    wait_idle(qtbot)
    assert rows_by_id(store)[case.case_id].consent == ConsentStatus.WITHDRAWN
    assert cell(view, case.case_id, M.CONSENT) == "撤回"
    assert cell(view, case.case_id, M.CONSENT, CONSENT_ROLE) == ConsentStatus.WITHDRAWN
    # the other rows were kept as they were, not read again
    others = [e for e in view.model.entries if e.row.person_id != case.person_id]
    assert others and all(before[e.case_id] is e for e in others)
    # and the table is still in consent order (撤回 last)
    ids = view.visible_case_ids()
    assert ids[-1] == case.case_id or cell(view, ids[-1], M.CONSENT) == "撤回"
    view.consent.setCurrentIndex(view.consent.findData(ConsentStatus.WITHDRAWN.value))
    assert case.case_id in view.visible_case_ids()


def test_a_visit_updates_last_contact_and_next_action_of_its_row(qtbot, demo_session):  # noqa: F811
    store = demo_session.store
    view = loaded_view(qtbot, demo_session)
    case = next(row for row in store.caseload() if row.is_open and row.overdue(date.today())
                and (row.last_visit_at or "")[:10] < date.today().isoformat())
    assert cell(view, case.case_id, M.LAST_CONTACT) != format_date(date.today())
    view.overdue.setChecked(True)
    assert case.case_id in view.visible_case_ids()
    due = date.today() + timedelta(days=3)
    visit_now(store, case.case_id, next_action="地区の清掃活動に一緒に参加する",
              next_action_due=due, relationship_stage=RelationshipStage.CONNECTED)
    wait_idle(qtbot)
    fresh = rows_by_id(store)[case.case_id]
    assert cell(view, case.case_id, M.LAST_CONTACT) == format_date(fresh.last_visit_at)
    assert cell(view, case.case_id, M.LAST_CONTACT) == format_date(date.today())
    assert cell(view, case.case_id, M.NEXT_ACTION) == (
        f"地区の清掃活動に一緒に参加する\n期限 {format_date(due)}")
    assert cell(view, case.case_id, M.TREND).endswith(label(RelationshipStage.CONNECTED))
    assert case.case_id not in view.visible_case_ids()  # no longer overdue: filtered out


def test_new_cases_appear_and_archived_ones_go(qtbot, session):  # noqa: F811
    store = session.store
    view = loaded_view(qtbot, session)
    assert view.model.rowCount() == 0
    person = store.add_person("山之口 ハナ", "やまのくち はな", "須木")
    case_id = store.open_case(referral_source=ReferralSource.MINSEI_IIN, district="須木",
                              person_id=person)
    wait_idle(qtbot)
    assert view.visible_case_ids() == [case_id]
    view.search.setText("ヤマノクチ")
    assert view.visible_case_ids() == [case_id]
    store.update("person", person, {"name": "山之口 花"})
    wait_idle(qtbot)
    assert cell(view, case_id, M.NAME) == "山之口 花"
    store.archive("case", case_id)
    wait_idle(qtbot)
    assert view.model.rowCount() == 0 and view.visible_case_ids() == []


# -- clearing and opening ---------------------------------------------------------------------


def test_clear_drops_every_row_and_the_search_text(qtbot, demo_session):  # noqa: F811
    view = loaded_view(qtbot, demo_session)
    view.search.setText("か")
    view.clear()
    assert view.model.rowCount() == 0 and view.proxy.rowCount() == 0
    assert view.model.entries == [] and view.rows.entries() == []
    assert view.search.text() == ""
    view.reload()
    view.clear()  # before the rows arrive: the late answer must be dropped
    wait_idle(qtbot)
    assert view.model.rowCount() == 0


def test_enter_and_double_click_ask_for_the_current_case(qtbot, demo_session):  # noqa: F811
    view = loaded_view(qtbot, demo_session)
    view.resize(1100, 700)
    view.show()
    qtbot.waitExposed(view)
    index = view.proxy.index(3, M.STAGE)
    expected = index.data(CASE_ID_ROLE)
    view.table.setCurrentIndex(index)
    view.table.setFocus()
    with qtbot.waitSignal(view.case_requested, timeout=2000) as blocker:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert blocker.args == [expected]
    other = view.proxy.index(5, M.NAME)
    rect = view.table.visualRect(other)
    assert view.table.viewport().rect().contains(rect.center())
    with qtbot.waitSignal(view.case_requested, timeout=2000) as blocker:
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton,
                          pos=rect.center())
    assert blocker.args == [other.data(CASE_ID_ROLE)]


def test_enter_in_the_search_box_opens_the_only_match(qtbot, demo_session):  # noqa: F811
    view = loaded_view(qtbot, demo_session)
    rows = demo_session.store.caseload()
    target = next(row for row in rows if row.kana and sum(
        fold(row.kana) in fold(other.kana + other.name) for other in rows) == 1)
    view.search.setText(target.kana)
    assert view.visible_case_ids() == [target.case_id]
    with qtbot.waitSignal(view.case_requested, timeout=2000) as blocker:
        qtbot.keyClick(view.search, Qt.Key.Key_Return)
    assert blocker.args == [target.case_id]


# -- follow-ups -------------------------------------------------------------------------------


def expected_groups(store) -> dict[str, list[str]]:
    groups = store.follow_ups(date.today())
    return {name: [row.case_id for row in getattr(groups, name)]
            for name in ("overdue", "today", "this_week", "without")}


def test_follow_ups_match_the_store_and_follow_writes(qtbot, demo_session):  # noqa: F811
    store = demo_session.store
    view = FollowUpsView(demo_session)
    qtbot.addWidget(view)
    view.reload()
    wait_idle(qtbot)
    expected = expected_groups(store)
    assert expected["overdue"] and expected["this_week"]
    assert view.group_case_ids() == expected
    moved = expected["overdue"][0]
    visit_now(store, moved, next_action="電話で様子を聞く", next_action_due=date.today())
    wait_idle(qtbot)
    expected = expected_groups(store)
    assert moved in expected["today"] and moved not in expected["overdue"]
    assert view.group_case_ids() == expected
    group = view.tree.topLevelItem(1)
    item = next(group.child(i) for i in range(group.childCount())
                if group.child(i).data(0, CASE_ID_ROLE) == moved)
    assert item.text(view.ACTION) == "電話で様子を聞く"
    assert item.text(view.DUE) == format_date(date.today())
    assert item.text(view.DISTRICT) == rows_by_id(store)[moved].district


def test_enter_on_a_follow_up_asks_for_its_case(qtbot, demo_session):  # noqa: F811
    view = FollowUpsView(demo_session)
    qtbot.addWidget(view)
    view.reload()
    wait_idle(qtbot)
    view.show()
    qtbot.waitExposed(view)
    first = view.tree.topLevelItem(0).child(0)
    view.tree.setCurrentItem(first)
    view.tree.setFocus()
    with qtbot.waitSignal(view.case_requested, timeout=2000) as blocker:
        qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    assert blocker.args == [expected_groups(demo_session.store)["overdue"][0]]


# -- in the main window -----------------------------------------------------------------------


def test_window_loads_both_lists_on_unlock_and_drops_them_on_lock(qtbot, demo_window):  # noqa: F811
    wait_idle(qtbot)
    store = demo_window.session.store
    assert sorted(demo_window.caseload.visible_case_ids()) == sorted(
        row.case_id for row in store.caseload() if row.is_open)  # すべての段階: no 終結・中断
    assert demo_window.follow_ups.group_case_ids() == expected_groups(store)
    assert demo_window.caseload.rows is demo_window.follow_ups.rows  # read once, shared
    demo_window.caseload.search.setText("かわ")
    demo_window.lock_action.trigger()
    assert demo_window.caseload.model.rowCount() == 0
    assert demo_window.caseload.search.text() == ""
    assert demo_window.follow_ups.tree.topLevelItemCount() == 0
    wait_idle(qtbot)
    assert demo_window.caseload.model.rowCount() == 0
