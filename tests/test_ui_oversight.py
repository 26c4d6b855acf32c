"""Supervision part B through the real widgets: the コメント list and the case's コメント tab,
決裁する in the plan tab, the 外出予定 dialog with 帰所しました, and the dashboard's list of workers
past their expected return. What a supervisor's laptop writes arrives as it would by sync (the
supervisor's store's changes applied to the worker's).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt, QTime
from support import visit_fields
from ui_fixtures import session, settings, wait_idle, window  # noqa: F401

from outreach_desk.comments import mark_read
from ui.case_view import CaseView
from ui.comments import CommentsView
from ui.dashboard import DashboardView
from ui.field_safety import FieldPlanDialog
from ui.timeline import HtmlRole


def _case(store, name="山田 太郎", kana="やまだ たろう") -> str:
    person = store.add_person(name, kana, "野尻")
    return store.open_case(referral_source="sns", district="野尻", person_id=person,
                           worker_id=store.author)


def _double_click(qtbot, table, row: int = 0) -> None:
    index = table.model().index(row, 0)
    where = table.visualRect(index).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)


def test_a_supervisors_comment_is_listed_opened_on_the_case_and_marked_read(
        qtbot, window, make_store, qtmodeltester):  # noqa: F811
    store = window.session.store
    case = _case(store)
    visit = store.record_visit(case, **visit_fields())
    boss = make_store("boss", worker_name="田中 課長")
    boss.update("worker", boss.author, {"role": "supervisor"})
    boss.apply_remote(store.changes())
    comment = boss.add_comment("visit", visit, "本人の言葉をそのまま書けています")
    store.apply_remote(boss.changes())  # as a sync would bring it
    assert window.supervision.comments_action.text() == "コメント（未読 1）"

    window.supervision.comments_action.trigger()
    view = window.tabs.currentWidget()
    assert isinstance(view, CommentsView)
    model = view.table.model()
    assert model.rowCount() == 1
    texts = [model.index(0, column).data() for column in range(model.columnCount())]
    assert "本人の言葉をそのまま書けています" in texts and "山田 太郎" in texts
    assert "田中 課長" in texts
    qtmodeltester.check(model)

    _double_click(qtbot, view.table)
    opened = window.tabs.currentWidget()
    assert isinstance(opened, CaseView) and opened.case_id == case
    tab = opened.comments_tab
    assert opened.tabs.tabText(opened.tabs.indexOf(tab)) == "コメント（未読 1）"
    assert tab.list.count() == 1
    assert "本人の言葉をそのまま書けています" in tab.list.item(0).text()
    assert "未読" in tab.list.item(0).text()
    assert tab.writer.isHidden()  # a worker writes no comments
    row = opened.timeline.timeline_model.row_of(visit)  # and under the visit it is about
    html = opened.timeline.timeline_model.index(row, 0).data(HtmlRole)
    assert "スーパービジョン: 本人の言葉をそのまま書けています" in html

    window.tabs.setCurrentWidget(view)
    view.table.selectRow(0)
    qtbot.mouseClick(view.read_button, Qt.MouseButton.LeftButton)
    assert model.rowCount() == 0 and store.unread_comments() == []
    assert window.supervision.comments_action.text() == "コメント"
    assert "既読" in tab.list.item(0).text()
    assert opened.tabs.tabText(opened.tabs.indexOf(tab)) == "コメント"
    assert store.comments(case)[0].id == comment and not store.comments(case)[0].unread


def test_the_approve_button_approves_and_the_tab_shows_who_and_an_edit_undoes_it(
        qtbot, window):  # noqa: F811
    store = window.session.store
    case = _case(store)
    plan = store.save_plan(case, goals=["見守りを続ける"], monitoring_date="2027-01-10")
    view = window.open_case(case)
    tab = view.plans_tab
    view.tabs.setCurrentWidget(tab)
    assert "決裁待ち" in tab.state_label.text()
    assert not tab.approve_button.isVisible()  # a worker cannot approve
    assert "決裁済みのプランなし" in view.plan_label.text()

    store.update("worker", store.author, {"role": "supervisor"})  # the tab follows the role
    assert tab.approve_button.isVisible() and tab.approve_button.isEnabled()
    qtbot.mouseClick(tab.approve_button, Qt.MouseButton.LeftButton)
    assert store.plan_status(plan).approved
    assert "決裁済み" in tab.state_label.text() and "佐藤 花子" in tab.state_label.text()
    assert tab.list.item(0).text().startswith("［決裁済み］")
    assert not tab.approve_button.isEnabled()
    assert "決裁済み（佐藤 花子" in view.plan_label.text()
    assert "第1版" in tab.detail.toPlainText() and "決裁済み" in tab.detail.toPlainText()
    review = view.review_tab  # the 経過 timeline says who approved the version
    view.tabs.setCurrentWidget(review)

    def texts() -> list[str]:
        return [review.model.index(r, 0).data() for r in range(review.model.rowCount())]

    qtbot.waitUntil(lambda: any("決裁: 佐藤 花子" in t for t in texts()), timeout=5000)
    view.tabs.setCurrentWidget(tab)

    store.save_plan(case, goals=["見守りを続ける", "通いの場へ"], monitoring_date="2027-01-10",
                    plan_id=plan)
    assert "決裁待ち" in tab.state_label.text() and tab.approve_button.isEnabled()
    assert "変更が決裁待ち" in view.plan_label.text()
    versions = tab.detail.toPlainText().splitlines()
    assert any(v.startswith("第2版") and v.endswith("佐藤 花子が保存 — 決裁待ち")
               for v in versions)
    assert any(v.startswith("第1版") and "佐藤 花子が保存 — 決裁済み（佐藤 花子" in v
               for v in versions)

    # the supervisor writes a comment on the plan from the case's コメント tab
    comments = view.comments_tab
    view.tabs.setCurrentWidget(comments)
    assert comments.writer.isVisible()
    comments.target.setCurrentIndex(comments.target.findData(f"plan:{plan}"))
    comments.text.setPlainText("通いの場の候補を一緒に探しましょう")
    qtbot.mouseClick(comments.send_button, Qt.MouseButton.LeftButton)
    assert not comments.error.isVisible(), comments.error.text()
    assert comments.list.count() == 1 and "支援プラン" in comments.list.item(0).text()
    comments.text.setPlainText("   ")
    qtbot.mouseClick(comments.send_button, Qt.MouseButton.LeftButton)
    assert comments.error.isVisible() and len(store.comments(case)) == 1


def test_the_outing_dialog_saves_the_plan_and_check_in_closes_it(qtbot, window):  # noqa: F811
    store = window.session.store
    case = _case(store)
    _case(store, "鈴木 花", "すずき はな")
    window.supervision.outing_action.trigger()
    dialog = window.findChild(FieldPlanDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.cases.count() == 2
    item = next(dialog.cases.item(i) for i in range(dialog.cases.count())
                if "山田 太郎" in dialog.cases.item(i).text())
    item.setCheckState(Qt.CheckState.Checked)

    now = datetime.now()
    dialog.expected.setTime(QTime(max(now.hour - 1, 0), 0))  # in the past: refused
    if now.hour >= 1:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.error.isVisible() and store.field_checkin() is None
    later = min(now + timedelta(hours=2), now.replace(hour=23, minute=59))
    dialog.expected.setTime(QTime(later.hour, later.minute))
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    checkin = store.field_checkin()
    assert checkin.case_ids == (case,) and checkin.is_open
    assert f"{checkin.expected_return.astimezone():%H:%M}" == f"{later:%H:%M}"

    window.supervision.check_in_action.trigger()
    assert store.field_checkin().returned_at is not None
    assert "帰所を記録しました" in window.status_bar.currentMessage()


def test_the_dashboard_lists_a_worker_past_the_expected_return_and_opens_the_case(
        qtbot, window, make_store, qtmodeltester):  # noqa: F811
    store = window.session.store
    store.update("worker", store.author, {"role": "supervisor"})
    start = datetime.now().astimezone() - timedelta(hours=4)
    laptop = make_store("laptop", worker_name="木村 一郎",
                        wall=lambda: int(start.timestamp() * 1000))
    case = _case(laptop, "森 花子", "もり はなこ")
    laptop.plan_outing([case], start + timedelta(hours=2))
    store.apply_remote(laptop.changes())

    window.supervision.dashboard_action.trigger()
    view = window.tabs.currentWidget()
    assert isinstance(view, DashboardView)
    qtbot.waitUntil(lambda: view.loads >= 1, timeout=20_000)
    wait_idle(qtbot)
    model = view.field_table.model()
    assert model.rowCount() == 1
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row[0] == "木村 一郎" and row[3] == "森 花子"
    qtmodeltester.check(model)
    assert "帰所予定を過ぎた支援員が 1 人" in view.summary.text()
    view.lists.setCurrentWidget(view.field_table)
    _double_click(qtbot, view.field_table)
    opened = window.tabs.currentWidget()
    assert isinstance(opened, CaseView) and opened.case_id == case


def test_a_comment_marked_read_on_two_laptops_reads_clearly_as_a_conflict(
        qtbot, window, make_store):  # noqa: F811
    store = window.session.store
    case = _case(store)
    visit = store.record_visit(case, **visit_fields())
    boss = make_store("boss", worker_name="田中 課長")
    boss.update("worker", boss.author, {"role": "supervisor"})
    boss.apply_remote(store.changes())
    comment = boss.add_comment("visit", visit, "確認しました")
    other = make_store("other", worker_name="佐藤 花子")  # the worker's second laptop
    other.apply_remote(boss.changes())
    other.set_author(store.author)
    store.apply_remote(boss.changes())
    now = datetime.now().replace(second=0, microsecond=0)
    mark_read(store, comment, at=now - timedelta(minutes=5))
    mark_read(other, comment, at=now - timedelta(minutes=1))
    store.apply_remote(other.changes())
    assert {c.field for c in store.open_conflicts()} == {"read_at"}

    view = window.show_conflicts()
    qtbot.waitUntil(lambda: not view.loading, timeout=20_000)
    card = view.card("comment", comment, "read_at")
    assert card is not None
    assert card.title.text() == "スーパービジョンのコメント：山田 太郎"
    assert card.field_label.text() == "項目：既読にした日時"
