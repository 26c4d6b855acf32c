"""Main window: first run, unlock, and the workspace (caseload, follow-ups, open cases).

The window title and the taskbar never show personal data. Locking (Ctrl+L, the toolbar, or idle
time) first keeps every open form — the visit form, a plan being edited, 会議の準備, the consent,
stage, new-case and outing dialogs — as an encrypted draft (``ui.drafts``), then closes every view
that holds personal data; unlocking reopens the cases and 会議の準備 that were open, at the tab the
worker was on, and the dialog that was open, each with what had been typed and chosen.

While unlocked, a ``SyncController`` syncs with the server in the background (今すぐ同期, F5) and
the status bar shows where that stands; 競合 (Ctrl+3, or the status bar) opens the conflicts tab,
送信できなかった変更 N件 the changes the server refused. A supervisor's opening of a case leaves an
access event (synced to the server's audit trail; shown on no screen). An enrolled laptop past
its offline limit opens to the offline page (今すぐ同期 or an unlock code) instead of the
workspace, and warns in the last week before it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from outreach_desk import __version__
from outreach_desk.backup import backup_file_name, create_backup
from ui.about_dialog import AboutDialog
from ui.case_view import CaseView
from ui.caseload import CaseloadView, FollowUpsView
from ui.conflicts_view import ConflictsView
from ui.demo_note import add_demo_note
from ui.help_dialog import HelpDialog, anchor_for
from ui.meeting_prep import MeetingPrepView
from ui.new_case_dialog import NewCaseDialog
from ui.offline_page import OfflineExpiredPage
from ui.pages import FirstRunPage, UnlockPage
from ui.refused_dialog import RefusedChangesDialog
from ui.session import Session
from ui.settings_dialog import SettingsDialog
from ui.status_bar import SyncStatusBar, localize
from ui.supervision import SupervisionTabs
from ui.sync_controller import SyncController
from ui.tasks import run_async

logger = logging.getLogger(__name__)


def app_version() -> str:
    return __version__


def fitting_size(window: QWidget) -> QSize:
    """1200×780, or less: never taller or wider than the screen's free area less the title
    bar (a 1366×768 laptop with a task bar leaves about 740 px)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(1200, 780)
    room = screen.availableGeometry().size() - QSize(0, 32)
    return QSize(1200, 780).boundedTo(room)


class BusyPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setObjectName("busyLabel")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bar = QProgressBar()
        bar.setRange(0, 0)
        bar.setMaximumWidth(320)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addWidget(bar, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)


class MainWindow(QMainWindow):
    backup_finished = Signal(str)  # the backup file written, or "" when it failed

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.data_dir = session.data_dir
        self.setWindowTitle(self.tr("Outreach Desk"))
        self.setObjectName("mainWindow")
        self.resize(fitting_size(self))
        self._reopen: list[tuple[str, str]] = []  # ("case", id) or ("meeting_prep", "")
        self._reopen_current: tuple[str, str] | None = None
        self._reopen_index = 0

        self.stack = QStackedWidget()
        self.first_run = FirstRunPage(session)
        self.unlock_page = UnlockPage(session)
        self.busy_page = BusyPage()
        self.offline_page = OfflineExpiredPage(session)
        self.workspace = QWidget()
        self._expired = False  # past the offline limit: only the offline page until lifted
        for page in (self.first_run, self.unlock_page, self.busy_page, self.offline_page,
                     self.workspace):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("workspaceTabs")
        self.tabs.setTabsClosable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.caseload = CaseloadView(session)
        self.follow_ups = FollowUpsView(session)
        self.tabs.addTab(self.caseload, self.tr("担当ケース"))
        self.tabs.addTab(self.follow_ups, self.tr("次回予定"))
        for index in (0, 1):  # the two lists cannot be closed
            self.tabs.tabBar().setTabButton(index, self.tabs.tabBar().ButtonPosition.RightSide,
                                            None)
        self.offline_warning = QLabel()
        self.offline_warning.setObjectName("offlineWarning")
        self.offline_warning.setProperty("role", "error")
        self.offline_warning.setWordWrap(True)
        self.offline_warning.hide()
        layout = QVBoxLayout(self.workspace)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.offline_warning)
        layout.addWidget(self.tabs)
        self.caseload.case_requested.connect(self.open_case)
        self.follow_ups.case_requested.connect(self.open_case)

        self.sync = SyncController(session, self)
        self.status_bar = SyncStatusBar(self.sync, self)
        self.setStatusBar(self.status_bar)
        self.status_bar.conflicts_requested.connect(self.show_conflicts)
        self.status_bar.refused_requested.connect(self.show_refused)
        self.demo_note = add_demo_note(self.status_bar, session)
        self.sync.counts_changed.connect(self._on_sync_counts)
        self.sync.state_changed.connect(self._update_sync_action)
        self.sync.sync_failed.connect(self._on_sync_failed)
        self.sync.sync_finished.connect(self._on_sync_finished)
        self.offline_page.sync_requested.connect(self._sync_from_offline_page)
        self.offline_page.lifted.connect(self._lift_offline_limit)

        self._build_actions()
        self.supervision = SupervisionTabs(self)  # チーム状況, 事業報告
        self._workspace_actions += self.supervision.actions
        session.unlocked.connect(self._on_unlocked)
        session.about_to_lock.connect(self._on_about_to_lock)
        session.locked.connect(self._on_locked)
        session.busy.connect(self._on_busy)
        session.unlock_failed.connect(self._on_unlock_failed)
        session.wiped.connect(self._on_wiped)
        if session.is_unlocked:
            self._on_unlocked()
        else:
            self._show_gate()
        logger.info("main window ready")

    # -- actions ------------------------------------------------------------------------------

    def _action(self, name: str, text: str, shortcut: str | None, slot) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.lock_action = self._action("actionLock", self.tr("ロック"), "Ctrl+L",
                                        self.session.lock)
        self.lock_action.setToolTip(self.tr("画面をロックします (Ctrl+L)"))
        self.new_case_action = self._action("actionNewCase", self.tr("新規ケース"),
                                            "Ctrl+Shift+N", self.new_case)
        self.caseload_action = self._action("actionCaseload", self.tr("担当ケース"), "Ctrl+1",
                                            lambda: self.tabs.setCurrentIndex(0))
        self.follow_ups_action = self._action("actionFollowUps", self.tr("次回予定"), "Ctrl+2",
                                              lambda: self.tabs.setCurrentIndex(1))
        self.search_action = self._action("actionSearch", self.tr("検索"), "Ctrl+F",
                                          self.focus_search)
        self.close_tab_action = self._action("actionCloseTab", self.tr("ケースを閉じる"), "Ctrl+W",
                                             lambda: self.close_tab(self.tabs.currentIndex()))
        self.sync_action = self._action("actionSync", self.tr("今すぐ同期"), "F5", self.sync_now)
        self.sync_action.setToolTip(self.tr("サーバーと今すぐ同期します (F5)"))
        self.conflicts_action = self._action("actionConflicts", self.tr("競合"), "Ctrl+3",
                                             self.show_conflicts)
        self.conflicts_action.setToolTip(
            self.tr("別々の端末で同時に変更された項目を確認します (Ctrl+3)"))
        self.settings_action = self._action("actionSettings", self.tr("設定"), "Ctrl+,",
                                            self.show_settings)
        self.quit_action = self._action("actionQuit", self.tr("終了"), "Ctrl+Q", self.close)
        self.about_action = self._action("actionAbout", self.tr("このアプリについて"), None,
                                         self.show_about)
        self.help_action = self._action("actionHelp", self.tr("使い方"), "F1", self.show_help)
        self.help_action.setToolTip(self.tr("いま開いている画面の使い方を表示します (F1)"))
        self.backup_action = self._action("actionBackup", self.tr("バックアップを作成…"), None,
                                          self.choose_backup_file)
        self.backup_action.setToolTip(self.tr(
            "記録を暗号化したまま1つのファイルに保存します (作成時のパスフレーズで開けます)"))
        self.data_folder_action = self._action("actionDataFolder",
                                               self.tr("データフォルダを開く"), None,
                                               self.open_data_folder)

        self.toolbar = QToolBar(self.tr("操作"))
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # what a worker uses every day; 担当ケース and 次回予定 are the first two tabs (and
        # Ctrl+1, Ctrl+2), the rest is in the menus: the bar fits a 1366×768 screen at 125 %
        # with no » hiding 設定
        for action in (self.new_case_action, self.sync_action, self.lock_action,
                       self.settings_action):
            self.toolbar.addAction(action)
        self.addToolBar(self.toolbar)

        file_menu = self.menuBar().addMenu(self.tr("ファイル(&F)"))
        for action in (self.new_case_action, self.lock_action, self.settings_action,
                       self.backup_action, self.data_folder_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        view_menu = self.menuBar().addMenu(self.tr("表示(&V)"))
        for action in (self.caseload_action, self.follow_ups_action, self.conflicts_action,
                       self.search_action, self.close_tab_action):
            view_menu.addAction(action)
        sync_menu = self.menuBar().addMenu(self.tr("同期(&S)"))
        sync_menu.addAction(self.sync_action)
        sync_menu.addAction(self.conflicts_action)
        help_menu = self.menuBar().addMenu(self.tr("ヘルプ(&H)"))
        help_menu.addAction(self.help_action)
        help_menu.addAction(self.about_action)
        self._workspace_actions = (self.lock_action, self.new_case_action, self.caseload_action,
                                   self.follow_ups_action, self.search_action,
                                   self.close_tab_action, self.settings_action,
                                   self.conflicts_action, self.backup_action)

    # -- gate: first run / unlock / busy ------------------------------------------------------

    def _show_gate(self) -> None:
        unlocked = self.session.is_unlocked
        working = unlocked and not self._expired
        for action in self._workspace_actions:
            action.setEnabled(working)
        self.toolbar.setVisible(working)
        self.status_bar.refused_allowed = working  # the refused changes name people
        self.status_bar.refresh()
        self.status_bar.setVisible(unlocked)
        self._update_sync_action()
        self.menuBar().setVisible(True)
        if unlocked and self._expired:
            self.stack.setCurrentWidget(self.offline_page)
        elif unlocked:
            self.stack.setCurrentWidget(self.workspace)
        elif self.session.working:
            self.stack.setCurrentWidget(self.busy_page)
        elif self.session.exists:
            self.stack.setCurrentWidget(self.unlock_page)
            self.unlock_page.reset()
        else:
            self.stack.setCurrentWidget(self.first_run)

    def _on_busy(self, message: str) -> None:
        self.busy_page.label.setText(message)
        self.stack.setCurrentWidget(self.busy_page)

    def _on_unlock_failed(self, message: str) -> None:
        self._show_gate()
        self.first_run.show_error(message) if not self.session.exists else \
            self.unlock_page.show_error(message)

    def _on_unlocked(self) -> None:
        if self._check_offline_limit():
            self._show_gate()  # the offline page: nothing with personal data is loaded
            return
        self._show_gate()
        self.caseload.reload()
        self.follow_ups.reload()
        reopen, self._reopen = self._reopen, []
        current = None
        for kind, key in reopen:
            view = self.open_case(key) if kind == "case" else \
                self.supervision.show_meeting_prep()
            if (kind, key) == self._reopen_current:
                current = view
        if current is not None:
            self.tabs.setCurrentWidget(current)
        else:
            self.tabs.setCurrentIndex(min(self._reopen_index, self.tabs.count() - 1))
        drafts = self.session.drafts
        if drafts.was_open("new_case"):
            QTimer.singleShot(0, self.new_case)
        elif drafts.was_open("outing"):
            QTimer.singleShot(0, self.supervision.plan_outing)
        drafts.forget_open()
        self.caseload.focus_search() if self.tabs.currentIndex() == 0 else None

    def _on_about_to_lock(self) -> None:
        """Close the dialogs (their drafts are kept already) and remember the open tabs."""
        self._reopen = []
        self._reopen_index = self.tabs.currentIndex()
        # dialogs (consent, settings, new case) hold personal data too: close them unsaved
        while (modal := QApplication.activeModalWidget()) is not None:
            modal.close() if not isinstance(modal, QDialog) else modal.reject()
            if QApplication.activeModalWidget() is modal:
                modal.hide()
        self.keep_drafts()
        current = self.tabs.currentWidget()
        self._reopen_current = None
        for index in range(2, self.tabs.count()):
            view = self.tabs.widget(index)
            token = ("case", view.case_id) if isinstance(view, CaseView) else \
                ("meeting_prep", "") if isinstance(view, MeetingPrepView) else None
            if token is not None:
                self._reopen.append(token)
                if view is current:
                    self._reopen_current = token

    def keep_drafts(self) -> None:
        """Save every unsaved form as an encrypted draft (before locking, and on a crash)."""
        self.session.drafts.keep_all()

    def _on_sync_failed(self, failure) -> None:
        if failure.kind == "revoked" and self.session.is_unlocked:
            self.session.wipe(localize(failure.message))
            return
        if self._expired:
            self.offline_page.show_sync_result(localize(failure.message) or self.tr(
                "同期できませんでした。"))

    # -- offline limit (outreach_desk.offline) ---------------------------------------------------

    def _check_offline_limit(self) -> bool:
        """At unlock (and after a sync or a code): past the limit, the offline page; within a
        week of it, a warning over the workspace. Says whether the limit is passed. (A read of
        a few settings in the store: done here so no personal data is shown first.)"""
        status = self.session.store.offline_status()
        self._expired = status.expired
        if status.expired:
            self.offline_page.show_limit(self.session.store.offline_policy().max_days)
            logger.info("offline limit passed: the workspace stays closed until a sync")
        self.offline_warning.setVisible(status.state == "warning")
        if status.state == "warning":
            self.offline_warning.setText(self.tr(
                "オフライン期間の上限まであと {days} 日です。期限を過ぎると同期するまで記録を"
                "開けなくなります。早めに同期してください。").format(days=status.days_left))
        return status.expired

    def _sync_from_offline_page(self) -> None:
        if not self.sync.configured:
            self.offline_page.show_sync_result(self.tr(
                "同期先が設定されていません。管理者に連絡してください。"))
            return
        self.offline_page.show_sync_result(self.tr("同期しています…"))
        self.sync.sync_now()

    def _on_sync_finished(self, _report) -> None:
        if self.session.is_unlocked and (self._expired or self.offline_warning.isVisible()):
            was_expired = self._expired
            if not self._check_offline_limit() and was_expired:
                self._lift_offline_limit()

    def _lift_offline_limit(self) -> None:
        """A sync or an unlock code lifted the limit: open the workspace as at unlock."""
        self._expired = False
        if self.session.is_unlocked:
            self._on_unlocked()

    def _on_wiped(self, reason: str) -> None:
        self._show_gate()  # no store any more: the first-run page
        self.first_run.show_error(self.tr(
            "{reason}。この端末の記録は消去しました。引き続き使うには、管理者に相談してください。"
        ).format(reason=reason.rstrip("。")))

    def _on_locked(self) -> None:
        self._expired = False
        while self.tabs.count() > 2:
            view = self.tabs.widget(2)
            self.tabs.removeTab(2)
            view.deleteLater()
        self.caseload.clear()
        self.follow_ups.clear()
        self._show_gate()

    # -- workspace ----------------------------------------------------------------------------

    def case_views(self) -> list[CaseView]:
        return [self.tabs.widget(i) for i in range(2, self.tabs.count())
                if isinstance(self.tabs.widget(i), CaseView)]

    def open_case(self, case_id: str) -> CaseView:
        for view in self.case_views():
            if view.case_id == case_id:
                self.tabs.setCurrentWidget(view)
                return view
        view = CaseView(self.session, case_id)
        self._leave_trace(case_id)
        view.title_changed.connect(lambda title, v=view: self._retitle(v, title))
        index = self.tabs.addTab(view, view.title())
        self.tabs.setCurrentIndex(index)
        return view

    def _leave_trace(self, case_id: str) -> None:
        """A supervisor's (or administrator's) read of a case leaves an アクセス記録 that syncs
        to the server's audit trail; a worker's leaves none (``Store.record_case_opened``)."""
        store = self.session.store

        def failed(exc: BaseException) -> None:
            logger.warning("access event not written: %s", exc.__class__.__name__)

        run_async(self, lambda: store.record_case_opened(case_id), lambda _id: None, failed)

    def _retitle(self, view: CaseView, title: str) -> None:
        index = self.tabs.indexOf(view)
        if index >= 0:
            self.tabs.setTabText(index, title)

    def close_tab(self, index: int) -> None:
        if index < 2:
            return
        view = self.tabs.widget(index)
        self.session.drafts.release(view)  # what is typed in the tab stays as a draft
        self.tabs.removeTab(index)
        view.deleteLater()

    # -- sync and conflicts -------------------------------------------------------------------

    def sync_now(self) -> None:
        if not self.session.is_unlocked:
            return
        if not self.sync.configured:
            self.status_bar.showMessage(self.tr(
                "同期先が設定されていません。設定でサーバーのアドレスを入力してください。"), 8000)
            return
        self.sync.sync_now()

    def _update_sync_action(self) -> None:
        self.sync_action.setEnabled(self.session.is_unlocked and not self.sync.running)

    def _on_sync_counts(self) -> None:
        counts = self.sync.counts
        self.caseload.set_conflict_marks(counts.marks if counts is not None else None)

    def conflicts_view(self) -> ConflictsView | None:
        for index in range(2, self.tabs.count()):
            widget = self.tabs.widget(index)
            if isinstance(widget, ConflictsView):
                return widget
        return None

    def show_conflicts(self) -> ConflictsView | None:
        """Open (or bring forward) the 競合 tab."""
        if not self.session.is_unlocked or self._expired:
            return None
        view = self.conflicts_view()
        if view is None:
            view = ConflictsView(self.session)
            view.case_requested.connect(self.open_case)
            self.tabs.addTab(view, self.tr("競合"))
        else:
            view.reload()
        self.tabs.setCurrentWidget(view)
        return view

    def show_refused(self) -> RefusedChangesDialog | None:
        """送信できなかった変更: the changes the server refused, to copy and mark 確認済み."""
        if not self.session.is_unlocked or self._expired:
            return None
        dialog = RefusedChangesDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.sync.refresh_counts)
        dialog.open()
        return dialog

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.caseload.focus_search()

    def new_case(self) -> None:
        dialog = NewCaseDialog(self.session.store, self, drafts=self.session.drafts)
        if dialog.exec() and dialog.case_id:
            self.open_case(dialog.case_id)

    def show_settings(self) -> None:
        SettingsDialog(self.session, self).exec()
        self.sync.settings_changed()

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_dir)))

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(app_version(), self.data_dir, self.session.settings.server_url, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_help(self) -> HelpDialog:
        """使い方 (F1): the user guide, at the section of the screen in front of the worker."""
        dialog = HelpDialog(anchor_for(self), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def choose_backup_file(self) -> None:
        """バックアップを作成: ask where, then write the encrypted backup in the background."""
        start = Path.home() / backup_file_name()
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("バックアップの保存先"), str(start),
            self.tr("Outreach Desk バックアップ (*.odbackup)"))
        if path:
            self.backup_to(Path(path))

    def backup_to(self, path: Path) -> None:
        """Write an encrypted backup of the open store to ``path`` (the worker keeps working:
        the copy is consistent even while visits are saved meanwhile)."""
        if not self.session.is_unlocked:
            return
        store = self.session.store
        self.backup_action.setEnabled(False)
        self.status_bar.showMessage(self.tr("バックアップを作成しています…"))
        run_async(self, lambda: create_backup(store, path), lambda _manifest: self._backed_up(
            path), self._backup_failed)

    def _backed_up(self, path: Path) -> None:
        self.backup_action.setEnabled(self.session.is_unlocked)
        self.status_bar.showMessage(
            self.tr("バックアップを保存しました: {path}").format(path=path), 15000)
        self.backup_finished.emit(str(path))

    def _backup_failed(self, exc: BaseException) -> None:
        self.backup_action.setEnabled(self.session.is_unlocked)
        logger.warning("backup failed: %s", exc.__class__.__name__)
        self.status_bar.clearMessage()
        QMessageBox.warning(self, self.tr("バックアップ"), self.tr(
            "バックアップを作成できませんでした。保存先のフォルダと空き容量を確認してください。"))
        self.backup_finished.emit("")

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.session.close()  # about_to_lock saves every unsaved form as a draft first
        event.accept()
