"""Supervision screens in the main window: チーム状況 (Ctrl+4), 事業報告 (Ctrl+5), 会議の準備
(Ctrl+6), コメント (Ctrl+9), and the field-safety actions 外出予定 (Ctrl+7) and 帰所しました
(Ctrl+8).

The screens open as workspace tabs (one of each at most) from the toolbar and the menus. They are
offered to every role: a worker's dashboard starts with their own team, a supervisor's
(スーパーバイザー) with every team. A bar or a row of the dashboard opens its case in the usual
case view, where the 経過 tab shows the case's whole history.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMenu

from outreach_desk.errors import OutreachDeskError
from ui.comments import CommentsView
from ui.dashboard import DashboardView
from ui.field_safety import FieldPlanDialog
from ui.meeting_prep import MeetingPrepView
from ui.report_view import ReportView

log = logging.getLogger(__name__)


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
        reports = (self.dashboard_action, self.report_action, self.meeting_action)
        for action in (self.dashboard_action, self.meeting_action):  # 事業報告: monthly, menu
            window.toolbar.insertAction(window.sync_action, action)
        menu = QMenu(self.tr("集計・会議(&R)"), window)
        for action in reports:
            menu.addAction(action)
        help_menu = window.menuBar().actions()[-1]  # keep ヘルプ last
        window.menuBar().insertMenu(help_menu, menu)

        self.comments_action = window._action(
            "actionComments", self.tr("コメント"), "Ctrl+9", self.show_comments)
        self.comments_action.setToolTip(self.tr(
            "担当ケースへのスーパーバイザーのコメント（未読） (Ctrl+9)"))
        self.outing_action = window._action(
            "actionOuting", self.tr("外出予定"), "Ctrl+7", self.plan_outing)
        self.outing_action.setToolTip(self.tr("今日の訪問予定と帰所予定の時刻 (Ctrl+7)"))
        self.check_in_action = window._action(
            "actionCheckIn", self.tr("帰所しました"), "Ctrl+8", self.check_in)
        self.check_in_action.setToolTip(self.tr("外出から戻ったことを記録します (Ctrl+8)"))
        for action in (self.comments_action, self.outing_action, self.check_in_action):
            window.toolbar.insertAction(window.sync_action, action)
        work_menu = QMenu(self.tr("業務(&W)"), window)
        for action in (self.comments_action, self.outing_action, self.check_in_action):
            work_menu.addAction(action)
        window.menuBar().insertMenu(menu.menuAction(), work_menu)
        window.session.changed.connect(self._count_unread)
        window.session.unlocked.connect(self._count_unread)
        window.session.locked.connect(self._count_unread)
        self._count_unread()

    def _count_unread(self, _summary=None) -> None:
        """The コメント action says how many comments wait to be read."""
        session = self.window.session
        count = len(session.store.unread_comments()) if session.is_unlocked else 0
        self.comments_action.setText(self.tr("コメント（未読 {n}）").format(n=count) if count
                                     else self.tr("コメント"))

    @property
    def actions(self) -> tuple:
        return (self.dashboard_action, self.report_action, self.meeting_action,
                self.comments_action, self.outing_action, self.check_in_action)

    def _show(self, kind: type, title: str):
        """Bring the tab showing ``kind`` forward, made first if there is none."""
        window = self.window
        if not window.session.is_unlocked:
            return None
        found = [window.tabs.widget(i) for i in range(window.tabs.count())
                 if isinstance(window.tabs.widget(i), kind)]
        view = found[0] if found else kind(window.session)
        if not found:
            if isinstance(view, (DashboardView, MeetingPrepView, CommentsView)):
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

    def show_comments(self) -> CommentsView | None:
        view = self._show(CommentsView, self.tr("コメント"))
        if view is not None:
            view.reload()
        return view

    def plan_outing(self) -> FieldPlanDialog | None:
        """外出予定 (window-modal, not blocking)."""
        window = self.window
        if not window.session.is_unlocked:
            return None
        dialog = FieldPlanDialog(window.session.store, window, drafts=window.session.drafts)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: window.status_bar.showMessage(
            self.tr("外出予定を保存しました。帰所したら「帰所しました」を押してください。"), 10000))
        dialog.open()
        return dialog

    def check_in(self) -> bool:
        """帰所しました: close today's outing."""
        window = self.window
        if not window.session.is_unlocked:
            return False
        try:
            closed = window.session.store.check_in()
        except OutreachDeskError as exc:
            window.status_bar.showMessage(self.tr("帰所を記録できませんでした。"), 10000)
            log.warning("check-in not saved: %s", exc.__class__.__name__)
            return False
        window.status_bar.showMessage(
            self.tr("帰所を記録しました。") if closed
            else self.tr("今日の外出予定がないか、すでに帰所を記録しています。"), 10000)
        return closed is not None


__all__ = ["SupervisionTabs"]
