"""Supervision screens in the main window: チーム状況 (Ctrl+4), 事業報告 (Ctrl+5) and
会議の準備 (Ctrl+6).

Each opens as a workspace tab (one of each at most) from the toolbar and the 集計・会議 menu.
They are offered to every role: a worker's dashboard starts with their own team, a supervisor's
(スーパーバイザー) with every team. A bar or a row of the dashboard opens its case in the usual
case view, where the 経過 tab shows the case's whole history.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu

from ui.dashboard import DashboardView
from ui.meeting_prep import MeetingPrepView
from ui.report_view import ReportView


class SupervisionTabs(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.dashboard_action = window._action(
            "actionDashboard", self.tr("チーム状況"), "Ctrl+4", self.show_dashboard)
        self.dashboard_action.setToolTip(self.tr(
            "段階・地区・担当者別のケース数、週ごとの訪問件数、"
            "期限切れや連絡のないケース (Ctrl+4)"))
        self.report_action = window._action(
            "actionReport", self.tr("事業報告"), "Ctrl+5", self.show_report)
        self.report_action.setToolTip(self.tr("月ごとの活動の集計と CSV・PDF 書き出し (Ctrl+5)"))
        self.meeting_action = window._action(
            "actionMeetingPrep", self.tr("会議の準備"), "Ctrl+6", self.show_meeting_prep)
        self.meeting_action.setToolTip(self.tr(
            "会議の種別・出席機関・ケースを選び、同意の範囲を確かめて資料を作成します (Ctrl+6)"))
        for action in self.actions:
            window.toolbar.insertAction(window.sync_action, action)
        menu = QMenu(self.tr("集計・会議(&R)"), window)
        for action in self.actions:
            menu.addAction(action)
        help_menu = window.menuBar().actions()[-1]  # keep ヘルプ last
        window.menuBar().insertMenu(help_menu, menu)

    @property
    def actions(self) -> tuple:
        return (self.dashboard_action, self.report_action, self.meeting_action)

    def _show(self, kind: type, title: str):
        """Bring the tab showing ``kind`` forward, made first if there is none."""
        window = self.window
        if not window.session.is_unlocked:
            return None
        found = [window.tabs.widget(i) for i in range(window.tabs.count())
                 if isinstance(window.tabs.widget(i), kind)]
        view = found[0] if found else kind(window.session)
        if not found:
            if isinstance(view, (DashboardView, MeetingPrepView)):
                view.case_requested.connect(window.open_case)
            window.tabs.addTab(view, title)
        window.tabs.setCurrentWidget(view)
        return view

    def show_dashboard(self) -> DashboardView | None:
        return self._show(DashboardView, self.tr("チーム状況"))

    def show_report(self) -> ReportView | None:
        return self._show(ReportView, self.tr("事業報告"))

    def show_meeting_prep(self) -> MeetingPrepView | None:
        return self._show(MeetingPrepView, self.tr("会議の準備"))


__all__ = ["SupervisionTabs"]
