"""Supervision screens driven through their real widgets: チーム状況, 経過, 事業報告.

The demo store (fictional data) behind a real main window; clicks land on the bars and rows
where the charts draw them.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date, datetime, timedelta

import pypdf
from PySide6.QtCore import Qt
from support import visit_fields
from ui_fixtures import demo_session, demo_window, settings, wait_idle  # noqa: F401

from outreach_desk.history import EventKind
from outreach_desk.vocab import CaseStage
from ui.case_view import CaseView
from ui.dashboard import DETAIL, DISTRICT, LAST_VISIT, CaseIdRole, DashboardView
from ui.report_view import ReportView


def open_dashboard(qtbot, window) -> DashboardView:
    window.supervision.dashboard_action.trigger()
    view = window.tabs.currentWidget()
    assert isinstance(view, DashboardView)
    qtbot.waitUntil(lambda: view.loads >= 1, timeout=20_000)
    return view


def double_click_row(qtbot, table, row: int = 0) -> str:
    index = table.model().index(row, 0)
    table.scrollTo(index)
    where = table.visualRect(index).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    return index.data(CaseIdRole)


def test_dashboard_opens_on_demo_data_and_a_bar_leads_to_the_case(
        qtbot, demo_window):  # noqa: F811
    window = demo_window
    view = open_dashboard(qtbot, window)
    store = window.session.store
    mine = store.worker()["team_id"]  # the demo user is a worker: their own team comes first
    assert view.team.currentData() == mine
    assert len(view.board.rows) == sum(row.team_id == mine for row in store.caseload())
    loads = view.loads
    view.team.setCurrentIndex(view.team.findData(None))  # 全チーム
    qtbot.waitUntil(lambda: view.loads > loads, timeout=20_000)
    rows = store.caseload()
    bars = view.stage_chart.bars()
    assert sum(value for _, _, value in bars) == len(rows)
    by_stage = {stage: sum(row.stage == stage for row in rows) for stage in CaseStage}
    assert {key: value for key, _, value in bars} == by_stage

    index, (stage, _, count) = max(enumerate(bars), key=lambda item: item[1][2])
    qtbot.mouseClick(view.stage_chart, Qt.MouseButton.LeftButton,
                     pos=view.stage_chart.bar_rect(index).center())
    assert view.lists.currentWidget() is view.selection_table
    model = view.selection_table.model()
    assert model.rowCount() == count > 0
    listed = {model.index(r, 0).data(CaseIdRole) for r in range(count)}
    assert listed == {row.case_id for row in rows if row.stage == stage}

    case_id = double_click_row(qtbot, view.selection_table, 0)
    opened = window.tabs.currentWidget()
    assert isinstance(opened, CaseView) and opened.case_id == case_id


def test_week_cell_lists_the_cases_visited_and_an_overdue_row_opens_with_enter(
        qtbot, demo_window, qtmodeltester):  # noqa: F811
    window = demo_window
    view = open_dashboard(qtbot, window)
    board = view.board
    (worker, week), visits = max(board.visits.items(), key=lambda item: item[1])
    row = board.chart_workers.index(worker)
    qtbot.mouseClick(view.week_grid, Qt.MouseButton.LeftButton,
                     pos=view.week_grid.cell_rect(row, board.weeks.index(week)).center())
    model = view.selection_table.model()
    store = window.session.store
    expected = set()
    for case_id in board.rows:  # counted here from the visits themselves
        for visit in store.visits(case_id):
            day = datetime.fromisoformat(visit.effective["occurred_at"]).date()
            if visit.author == worker and week <= day < week + timedelta(days=7):
                expected.add(case_id)
    assert {model.index(r, 0).data(CaseIdRole) for r in range(model.rowCount())} == expected
    assert sum(int(model.index(r, DETAIL).data().split()[0]) for r in range(model.rowCount())) == \
        visits  # each case's visits that week, adding up to the cell's figure

    view.lists.setCurrentWidget(view.overdue_table)
    overdue = [row for row in store.follow_ups(date.today()).overdue
               if row.team_id == board.team_id]  # the worker's own team
    assert view.overdue_model.rowCount() == len(overdue) > 0
    qtmodeltester.check(view.overdue_model)
    table = view.overdue_table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    case_id = table.currentIndex().data(CaseIdRole)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    opened = window.tabs.currentWidget()
    assert isinstance(opened, CaseView) and opened.case_id == case_id


def test_dashboard_reads_again_after_a_write_and_follows_the_chosen_days(
        qtbot, demo_window):  # noqa: F811
    window = demo_window
    view = open_dashboard(qtbot, window)
    silent = [row.case_id for row, _ in view.board.no_contact]
    assert silent
    loads = view.loads
    window.session.store.record_visit(silent[0], **visit_fields())
    qtbot.waitUntil(lambda: view.loads > loads, timeout=20_000)
    assert silent[0] not in [row.case_id for row, _ in view.board.no_contact]

    loads = view.loads
    view.no_contact_days.setValue(365)
    qtbot.waitUntil(lambda: view.loads > loads, timeout=20_000)
    assert all(days >= 365 for _, days in view.board.no_contact)
    assert view.no_contact_model.rowCount() == len(view.board.no_contact)


def test_history_review_shows_every_kind_and_filters_by_kind(qtbot, demo_window):  # noqa: F811
    window = demo_window
    store = window.session.store
    case_id = next(row.case_id for row in store.caseload()
                   if store.case_history(row.case_id).meetings
                   and store.case_history(row.case_id).plans)
    history = store.case_history(case_id)
    view = window.open_case(case_id)
    view.tabs.setCurrentWidget(view.review_tab)
    review = view.review_tab
    qtbot.waitUntil(lambda: review.timeline is not None)
    total = (len(history.visits) + len(history.stages) + len(history.consent_events)
             + len(history.meetings))
    assert review.list.model().rowCount() >= total + len(history.plans)
    assert len(review.chart.points()) == len(history.visits)
    assert len(review.chart.marks()) == len(history.stages)

    review.filters[EventKind.VISIT].setChecked(False)
    shown = review.list.model().rowCount()
    assert shown == review.model.rowCount() - len(history.visits)
    review.set_kinds({EventKind.MEETING})
    texts = [review.list.model().index(r, 0).data() for r in range(review.list.model().rowCount())]
    assert len(texts) == len(history.meetings)
    assert all("会議" in text.splitlines()[0] for text in texts)
    qtbot.mouseClick(review.filters[EventKind.STAGE], Qt.MouseButton.LeftButton)
    assert review.list.model().rowCount() == len(history.meetings) + len(history.stages)
    assert review.count.text().startswith(f"{len(history.meetings) + len(history.stages)} /")


def test_monthly_report_exports_csv_with_bom_and_a_pdf_with_japanese_text(
        qtbot, demo_window, tmp_path):  # noqa: F811
    window = demo_window
    window.supervision.report_action.trigger()
    view = window.tabs.currentWidget()
    assert isinstance(view, ReportView)
    qtbot.waitUntil(lambda: view.loads >= 1, timeout=20_000)
    year, month = view.month.currentData()
    store = window.session.store
    visits = [visit for row in store.caseload() for visit in store.visits(row.case_id)
              if datetime.fromisoformat(visit.effective["occurred_at"]).date().timetuple()[:2]
              == (year, month)]
    assert visits, "the demo data has visits last month"

    view.export_csv(str(tmp_path / "report.csv"))
    raw = (tmp_path / "report.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = {(r[0], r[1]): r[2] for r in csv.reader(io.StringIO(raw.decode("utf-8-sig")))}
    assert int(rows[("訪問・連絡（延べ件数）", "合計")]) == len(visits)
    assert int(rows[("実人数", "訪問・連絡を行ったケース")]) == len(
        {v.effective["case_id"] for v in visits})
    total = next(r for r in range(view.visits_model.rowCount())
                 if view.visits_model.index(r, 0).data() == "合計")
    assert view.visits_model.index(total, 1).data() == str(len(visits))

    view.export_pdf(str(tmp_path / "report.pdf"))
    reader = pypdf.PdfReader(tmp_path / "report.pdf")
    # The CJK font draws 人 and ⼈ (a Kangxi radical) with one glyph, and ・ and ‧ likewise, so
    # the extractor may give back either code point; and it breaks lines between text runs.
    # NFKC folds the radicals back (both sides, so full-width brackets match too), and the one
    # punctuation mark is folded by hand.
    raw_text = "".join(page.extract_text() for page in reader.pages)
    text = "".join(unicodedata.normalize("NFKC", raw_text).replace("\u2027", "・").split())
    for heading in ("事業報告", "実人数", "訪問・連絡（延べ件数）", "新規ケース（把握の経路）",
                    "支援段階の移行", "家庭訪問", "同行支援", f"{year}年{month}月"):
        assert unicodedata.normalize("NFKC", heading) in text, heading
    wait_idle(qtbot)


def test_a_supervisor_starts_with_every_team(qtbot, demo_window):  # noqa: F811
    window = demo_window
    store = window.session.store
    store.update("worker", store.author, {"role": "supervisor"})
    view = open_dashboard(qtbot, window)
    assert view.team.currentData() is None
    assert len(view.board.rows) == len(store.caseload())
    assert view.team.count() == 1 + len(store.list_entities("team"))


def test_a_bar_can_be_chosen_with_the_keyboard(qtbot, demo_window, qtmodeltester):  # noqa: F811
    view = open_dashboard(qtbot, demo_window)
    chart = view.district_chart
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Down)  # the first bar
    qtbot.keyClick(chart, Qt.Key.Key_Return)
    district, _, count = chart.bars()[0]
    model = view.selection_table.model()
    assert view.lists.currentWidget() is view.selection_table
    assert model.rowCount() == count
    assert {model.index(r, DISTRICT).data() for r in range(count)} == {district}
    qtmodeltester.check(model)
    model.sort(LAST_VISIT, Qt.SortOrder.DescendingOrder)  # newest first
    days = [view.board.rows[model.index(r, 0).data(CaseIdRole)].last_visit_at or ""
            for r in range(count)]
    assert days == sorted(days, reverse=True)
