"""チーム状況 (team dashboard): which cases are drifting, at a glance, for a supervisor.

Left, the charts: cases by 支援段階, open cases by district and by worker, and visits per worker
per week over the last 12 weeks. A click on a bar (or a cell) lists the cases behind it under
選んだケース. Right, the lists a supervisor acts on: overdue follow-ups, cases with no contact for
N days (N chosen here), cases heading for a 重層的支援会議 whose consent does not cover the
agencies invited, cases where a meeting is due (at plan creation, re-plan, closing and
suspension) and none was held, plans awaiting approval (決裁待ち) and workers past their expected
return (帰所予定を過ぎた支援員, see ``ui.field_safety``). A double-click (or Enter) on any row
opens the case.

The figures are read in the background (``outreach_desk.dashboard``) and read again after any
committed write or sync while the tab is shown; a hidden tab only notes that it is out of date.
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import (
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from outreach_desk.caseload import CaseRow
from outreach_desk.dashboard import (
    DEFAULT_NO_CONTACT_DAYS,
    Dashboard,
    DueReason,
    MeetingDue,
    team_dashboard,
)
from outreach_desk.vocab import CaseStage, RelationshipStage, Role
from ui.charts import BarChart, WeekGrid
from ui.field_safety import FieldAlertModel
from ui.fmt import format_date, format_month, format_month_day, label
from ui.table_models import RowsTableModel, read_only_table
from ui.tasks import run_async
from ui.widgets import heading_label, hint_label

log = logging.getLogger(__name__)

CaseIdRole = Qt.ItemDataRole.UserRole + 1
NAME, DISTRICT, STAGE, WORKER, LAST_VISIT, DETAIL = range(6)  # CaseListModel's columns
REFRESH_MS = 300


class CaseListModel(RowsTableModel):
    """Cases with one extra column whose meaning depends on the list (期限, 経過日数 …).

    ``set_cases`` takes (case row, detail text, detail sort key) for each case."""

    def __init__(self, detail_header: str, parent=None) -> None:
        super().__init__([self.tr("氏名"), self.tr("地区"), self.tr("支援段階"), self.tr("担当"),
                          self.tr("最終訪問"), detail_header], parent)
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def set_detail_header(self, text: str) -> None:
        self._headers[-1] = text
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, len(self._headers) - 1,
                                    len(self._headers) - 1)

    def set_cases(self, rows: list[tuple[CaseRow, str, object]],
                  workers: dict[str, str]) -> None:
        """Every cell's text and sort key is made here, once: a list of hundreds of cases is
        measured and sorted without formatting a date again for each look."""
        unassigned, never = self.tr("未割当"), self.tr("（なし）")
        stages = {stage: (label(stage), rank) for rank, stage in enumerate(CaseStage)}
        cells = []
        for row, detail, detail_key in rows:
            worker = workers.get(row.worker_id or "", unassigned)
            stage, rank = stages[row.stage]
            cells.append((
                row.case_id,
                (row.name, row.district, stage, worker,
                 format_date(row.last_visit_at) or never, detail),
                (row.kana, row.district, rank, worker, row.last_visit_at or "", detail_key),
            ))
        self.set_rows(cells)

    def case_ids(self) -> list[str]:
        return [case_id for case_id, _, _ in self._rows]

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort by the keys made in ``set_cases`` (no cell is read to compare)."""
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        self._rows.sort(key=lambda cells: cells[2][column],
                        reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()

    def set_rows(self, rows: list) -> None:
        super().set_rows(rows)
        if self._sort is not None:
            self.sort(*self._sort)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        found = self.row_at(index)
        if found is None:
            return None
        case_id, texts, keys = found
        if role == Qt.ItemDataRole.DisplayRole:
            return texts[index.column()]
        if role == CaseIdRole:
            return case_id
        if role == Qt.ItemDataRole.UserRole:  # sort key
            return keys[index.column()]
        return None


def case_table(name: str, model: CaseListModel) -> QTableView:
    table = read_only_table(name, model)
    table.setSortingEnabled(True)  # the model sorts its own rows (see ``CaseListModel.sort``)
    table.setAlternatingRowColors(True)
    return table


class DashboardView(QWidget):
    case_requested = Signal(str)

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardView")
        self.session = session
        self.board: Dashboard | None = None
        self._stale = True
        self._loading = False
        self.loads = 0  # finished loads (tests wait on it)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.reload)
        self._build()
        self._fill_teams()
        session.changed.connect(self._on_changed)

    # -- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.team = QComboBox()
        self.team.setObjectName("dashboardTeam")
        self.team.currentIndexChanged.connect(lambda _: self.reload())
        self.no_contact_days = QSpinBox()
        self.no_contact_days.setObjectName("noContactDays")
        self.no_contact_days.setRange(1, 365)
        self.no_contact_days.setValue(DEFAULT_NO_CONTACT_DAYS)
        self.no_contact_days.setSuffix(self.tr(" 日"))
        self.no_contact_days.valueChanged.connect(lambda _: self._timer.start())
        self.refresh_button = QPushButton(self.tr("最新にする"))
        self.refresh_button.setObjectName("dashboardRefresh")
        self.refresh_button.clicked.connect(self.reload)
        self.summary = hint_label(name="dashboardSummary")
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("担当チーム")))
        controls.addWidget(self.team)
        controls.addSpacing(16)
        controls.addWidget(QLabel(self.tr("連絡のない日数")))
        controls.addWidget(self.no_contact_days)
        controls.addWidget(self.refresh_button)
        controls.addWidget(self.summary, 1)

        none = self.tr("該当するケースはありません")
        self.stage_chart = BarChart("stageChart", none)
        self.district_chart = BarChart("districtChart", none)
        self.worker_chart = BarChart("workerChart", none)
        self.week_grid = WeekGrid("weekChart", self.tr("この12週に訪問の記録はありません"))
        self.stage_chart.bar_clicked.connect(lambda key: self._select_bar("stage", key))
        self.district_chart.bar_clicked.connect(lambda key: self._select_bar("district", key))
        self.worker_chart.bar_clicked.connect(lambda key: self._select_bar("worker", key))
        self.week_grid.cell_clicked.connect(self._select_week)
        charts = QWidget()
        charts_layout = QVBoxLayout(charts)
        for text, chart in ((self.tr("支援段階別のケース数"), self.stage_chart),
                            (self.tr("地区別の担当中ケース数"), self.district_chart),
                            (self.tr("担当者別の担当中ケース数"), self.worker_chart),
                            (self.tr("担当者別・週ごとの訪問・連絡件数（直近12週）"),
                             self.week_grid)):
            charts_layout.addWidget(heading_label(text, 1.05))
            charts_layout.addWidget(chart)
        charts_layout.addWidget(hint_label(self.tr(
            "棒やマスをクリックすると、その件数のケースが「選んだケース」に表示されます。")))
        charts_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(charts)
        scroll.setWidgetResizable(True)

        self.overdue_model = CaseListModel(self.tr("次回予定の期限"), self)
        self.no_contact_model = CaseListModel(self.tr("最後の連絡から"), self)
        self.gap_model = CaseListModel(self.tr("同意が足りない機関"), self)
        self.due_model = CaseListModel(self.tr("会議が必要になった時"), self)
        self.selection_model = CaseListModel(self.tr("関係の段階"), self)
        self.overdue_table = case_table("overdueTable", self.overdue_model)
        self.no_contact_table = case_table("noContactTable", self.no_contact_model)
        self.gap_table = case_table("meetingGapTable", self.gap_model)
        self.due_table = case_table("meetingsDueTable", self.due_model)
        self.selection_table = case_table("selectionTable", self.selection_model)
        self.pending_model = CaseListModel(self.tr("決裁待ちのプラン"), self)
        self.pending_table = case_table("pendingPlanTable", self.pending_model)
        self.field_model = FieldAlertModel(self)
        self.field_table = read_only_table("fieldAlertTable", self.field_model)
        self.field_table.setToolTip(self.tr(
            "外出予定の帰所時刻を過ぎても「帰所しました」の記録がなく、その時刻より後に書かれた"
            "記録も同期で届いていない支援員です。「最後の記録」はその人の最新の記録の時刻です。"))
        self.lists = QTabWidget()
        self.lists.setObjectName("dashboardLists")
        for table in (self.overdue_table, self.no_contact_table, self.gap_table,
                      self.due_table, self.pending_table, self.field_table,
                      self.selection_table):
            table.activated.connect(self._open_row)
            self.lists.addTab(table, "")
        self.selection_label = hint_label(name="selectionLabel")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.lists)
        right_layout.addWidget(self.selection_label)
        right_layout.addWidget(hint_label(self.tr(
            "行をダブルクリック（または Enter）するとケースを開きます。")))

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([520, 780])
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(splitter, 1)
        self._retitle_lists()

    def _retitle_lists(self) -> None:
        board = self.board
        counts = (len(board.overdue), len(board.no_contact), len(board.meeting_gaps),
                  len(board.meetings_due), len(board.pending_plans), len(board.field_alerts),
                  self.selection_model.rowCount()) if board else (0,) * 7
        titles = (self.tr("期限切れの予定 ({n})"), self.tr("連絡のないケース ({n})"),
                  self.tr("会議の同意不足 ({n})"), self.tr("未開催の会議 ({n})"),
                  self.tr("決裁待ち ({n})"), self.tr("帰所予定を過ぎた支援員 ({n})"),
                  self.tr("選んだケース ({n})"))
        for index, (title, n) in enumerate(zip(titles, counts, strict=True)):
            self.lists.setTabText(index, title.format(n=n))

    def _fill_teams(self) -> None:
        if not self.session.is_unlocked:
            return
        store = self.session.store
        me = store.worker()
        teams = sorted(store.list_entities("team"), key=lambda t: t["name"] or "")
        self.team.blockSignals(True)
        self.team.clear()
        self.team.addItem(self.tr("全チーム"), None)
        for team in teams:
            self.team.addItem(team["name"] or "", team.id)
        # a worker starts with their own team, a supervisor with every team
        if me is not None and store.acting_role() is Role.WORKER and me["team_id"]:
            self.team.setCurrentIndex(max(0, self.team.findData(me["team_id"])))
        self.team.blockSignals(False)

    # -- loading ------------------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _on_changed(self, _summary) -> None:
        self._stale = True
        if self.isVisible():
            self._timer.start()

    def reload(self) -> None:
        if not self.session.is_unlocked:
            return
        if self._loading:  # read again once the running read is in
            self._stale = True
            return
        self._stale = False
        self._loading = True
        store = self.session.store
        team_id = self.team.currentData()
        days = self.no_contact_days.value()
        today = date.today()
        self.summary.setText(self.tr("集計しています…"))
        run_async(self, lambda: team_dashboard(store, today=today, team_id=team_id,
                                               no_contact_days=days),
                  self._show, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        log.error("dashboard could not be read (%s)", exc.__class__.__name__)
        self.summary.setText(self.tr("集計できませんでした。もう一度お試しください。"))

    def _show(self, board: Dashboard) -> None:
        self._loading = False
        self.board = board
        self.loads += 1
        names = board.workers
        open_count = sum(len(ids) for ids in board.by_district.values())
        self.summary.setText(self.tr("{day} 現在　全 {total} 件、うち担当中 {open} 件").format(
            day=format_date(board.today), total=len(board.rows), open=open_count))
        self.stage_chart.set_bars([(stage, label(stage), len(ids))
                                   for stage, ids in board.by_stage.items()])
        self.district_chart.set_bars([(d, d or self.tr("（地区なし）"), len(ids))
                                      for d, ids in board.by_district.items()])
        workers = sorted(board.by_worker.items(),
                         key=lambda item: (item[0] is None, names.get(item[0] or "", "")))
        self.worker_chart.set_bars([(w, names.get(w or "", self.tr("未割当")), len(ids))
                                    for w, ids in workers])
        self.week_grid.set_grid(
            [(w, names.get(w, self.tr("不明な支援員"))) for w in board.chart_workers],
            self._week_columns(board.weeks), board.visits)
        self.overdue_model.set_cases(
            [(row, format_date(row.next_action_due), row.next_action_due)
             for row in board.overdue], names)
        self.no_contact_model.set_cases(
            [(row, self.tr("{n} 日").format(n=days), days) for row, days in board.no_contact],
            names)
        self.gap_model.set_cases([(gap.row, self._gap_text(gap), gap.held_on or "")
                                 for gap in board.meeting_gaps], names)
        self.due_model.set_cases([(due.row, self._due_text(due), due.since)
                                  for due in board.meetings_due], names)
        self.pending_model.set_cases([(row, goal, goal)
                                      for row, _plan_id, goal in board.pending_plans], names)
        self.field_model.set_alerts(board.field_alerts, names, board.rows)
        if board.field_alerts:  # someone has not come back: say so where it is seen first
            self.summary.setText(self.summary.text() + self.tr(
                "　⚠ 帰所予定を過ぎた支援員が {n} 人います").format(
                    n=len({a.worker_id for a in board.field_alerts})))
        self._retitle_lists()
        if self._stale and self.isVisible():
            self._timer.start()

    @staticmethod
    def _week_columns(weeks: list[date]) -> list[tuple[date, str]]:
        """Each week's Monday: its day under the month, the month only where it changes."""
        columns, month = [], None
        for week in weeks:
            mark = format_month(week) if week.month != month else ""
            month = week.month
            columns.append((week, f"{mark}\n{week.day}"))
        return columns

    def _gap_text(self, gap) -> str:
        missing = self.tr("、").join(self.board.agencies.get(a, "?") for a in gap.missing) \
            if gap.missing else ""
        if gap.no_consent and not missing:
            missing = self.tr("同意の記録なし")
        when = format_date(gap.held_on) if gap.held_on else self.tr("次回の予定")
        return self.tr("{missing}（{when}）").format(missing=missing, when=when)

    def _due_text(self, due: MeetingDue) -> str:
        reasons = {DueReason.PLAN: self.tr("プラン策定"), DueReason.REPLAN: self.tr("再プラン策定"),
                   DueReason.CLOSED: self.tr("終結"), DueReason.SUSPENDED: self.tr("中断")}
        text = self.tr("{reason}（{day}）").format(reason=reasons[due.reason],
                                                  day=format_date(due.since))
        if due.planned:
            text += self.tr("・{day} に予定あり").format(day=format_date(due.planned))
        return text

    # -- drilling down ------------------------------------------------------------------------

    def _select(self, title: str, header: str, rows: list[tuple[CaseRow, str, object]]) -> None:
        self.selection_model.set_detail_header(header)
        self.selection_model.set_cases(rows, self.board.workers)
        self.selection_label.setText(title)
        self._retitle_lists()
        self.lists.setCurrentWidget(self.selection_table)

    def _select_bar(self, chart: str, key) -> None:
        """The cases behind a bar, with the relationship stage each has reached."""
        board = self.board
        if board is None:
            return
        if chart == "stage":
            ids, title = board.by_stage.get(key, []), label(key)
        elif chart == "district":
            ids, title = board.by_district.get(key, []), key
        else:
            ids = board.by_worker.get(key, [])
            title = board.workers.get(key or "", self.tr("未割当"))
        ranks = {stage: rank for rank, stage in enumerate(RelationshipStage)}
        self._select(title, self.tr("関係の段階"), [
            (row, label(row.relationship) or self.tr("（訪問なし）"),
             ranks.get(row.relationship, -1)) for row in board.cases(ids)])

    def _select_week(self, worker_id, week) -> None:
        """The cases a worker visited in a week, with the visits each had."""
        board = self.board
        if board is None:
            return
        count = board.visits.get((worker_id, week), 0)
        title = self.tr("{name}　{week} の週: 訪問・連絡 {n} 件").format(
            name=board.workers.get(worker_id, ""), week=format_month_day(week), n=count)
        visited = board.visit_cases.get((worker_id, week), {})
        self._select(title, self.tr("この週の訪問・連絡"), [
            (row, self.tr("{n} 件").format(n=visited[row.case_id]), visited[row.case_id])
            for row in board.cases(list(visited))])

    def _open_row(self, index: QModelIndex) -> None:
        case_id = index.data(CaseIdRole)
        if case_id:
            self.case_requested.emit(case_id)


__all__ = ["DETAIL", "DISTRICT", "LAST_VISIT", "NAME", "STAGE", "WORKER", "CaseIdRole",
           "CaseListModel", "DashboardView"]
