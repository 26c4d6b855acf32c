"""Supervision screens in the main window: チーム状況 (Ctrl+4) and 事業報告 (Ctrl+5).

Both open as workspace tabs (one of each at most) from the toolbar and the 集計 menu. They are
offered to every role: a worker's dashboard starts with their own team, a supervisor's
(スーパーバイザー) with every team. A bar or a row of the dashboard opens its case in the usual
case view, where the 経過 tab shows the case's whole history.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu

from ui.dashboard import DashboardView
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
        window.toolbar.insertAction(window.sync_action, self.dashboard_action)
        window.toolbar.insertAction(window.sync_action, self.report_action)
        menu = QMenu(self.tr("集計(&R)"), window)
        menu.addAction(self.dashboard_action)
        menu.addAction(self.report_action)
        help_menu = window.menuBar().actions()[-1]  # keep ヘルプ last
        window.menuBar().insertMenu(help_menu, menu)

    @property
    def actions(self) -> tuple:
        return (self.dashboard_action, self.report_action)

    def _show(self, kind: type, title: str):
        """Bring the tab showing ``kind`` forward, made first if there is none."""
        window = self.window
        if not window.session.is_unlocked:
            return None
        found = [window.tabs.widget(i) for i in range(window.tabs.count())
                 if isinstance(window.tabs.widget(i), kind)]
        view = found[0] if found else kind(window.session)
        if not found:
            if isinstance(view, DashboardView):
                view.case_requested.connect(window.open_case)
            window.tabs.addTab(view, title)
        window.tabs.setCurrentWidget(view)
        return view

    def show_dashboard(self) -> DashboardView | None:
        return self._show(DashboardView, self.tr("チーム状況"))

    def show_report(self) -> ReportView | None:
        return self._show(ReportView, self.tr("事業報告"))


__all__ = ["SupervisionTabs"]
