"""The follow-ups (次回予定) screen: next actions of open cases, 期限切れ / 今日 / 今週, and the
open cases with no next action at all (次回の予定なし). 完了にする marks the chosen case's next
action done (the case then has none until one is set).

It groups the session's case rows in memory (:class:`ui.case_rows.CaseRowSource`), the same
rows the caseload screen shows, as ``store.follow_ups`` would.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from outreach_desk.caseload import CaseRow, FollowUps, follow_ups
from outreach_desk.errors import OutreachDeskError
from ui.caseload_model import CASE_ID_ROLE, CaseRowSource, warning_color
from ui.column_widths import SAMPLE_DATE, SAMPLE_DISTRICT, SAMPLE_NAME, text_width
from ui.fmt import format_date

log = logging.getLogger(__name__)


class FollowUpTree(QTreeWidget):
    """Enter or a double click on a follow-up asks for its case; on a group, folds it."""

    open_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.itemDoubleClicked.connect(self._double_clicked)

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        case_id = item.data(0, CASE_ID_ROLE)
        if case_id:
            self.open_requested.emit(case_id)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            case_id = item.data(0, CASE_ID_ROLE)
            if case_id:
                self.open_requested.emit(case_id)
            else:
                item.setExpanded(not item.isExpanded())
            event.accept()
            return
        super().keyPressEvent(event)


class FollowUpsView(QWidget):
    """次回予定: the next actions of open cases, 期限切れ / 今日 / 今週 (``store.follow_ups``)."""

    case_requested = Signal(str)

    NAME, DUE, ACTION, DISTRICT = range(4)
    GROUPS = ("overdue", "today", "this_week", "without")

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.rows = CaseRowSource.of(session)
        self.groups: FollowUps | None = None
        self._shown: tuple | None = None  # what the tree shows, to skip rebuilding it
        self._stale = False  # the tree is behind ``groups`` (rebuilt only while visible)
        self._needs_regroup = False  # rows changed while hidden: group when shown
        self._collapsed: set[str] = {"without"}  # often long: opened when asked

        self.summary = QLabel()
        self.summary.setObjectName("followUpsSummary")
        self.summary.setProperty("role", "hint")
        self.tree = FollowUpTree()
        self.tree.setObjectName("followUpsTree")
        self.tree.setAccessibleName(self.tr("次回予定の一覧"))
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels([self.tr("氏名"), self.tr("期限"), self.tr("次回の予定"),
                                   self.tr("地区")])
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setExpandsOnDoubleClick(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.resizeSection(self.NAME, text_width(self, SAMPLE_NAME, 56))
        header.resizeSection(self.DUE, text_width(self, SAMPLE_DATE, 28, bold=True))
        header.resizeSection(self.DISTRICT, text_width(self, SAMPLE_DISTRICT, 28))
        header.setSectionResizeMode(self.ACTION, QHeaderView.ResizeMode.Stretch)
        self.done_button = QPushButton(self.tr("完了にする"))
        self.done_button.setObjectName("followUpDoneButton")
        self.done_button.setToolTip(self.tr(
            "選んだケースの次回の予定を完了にします。次の予定は訪問記録か、ここで入れ直します。"))
        self.done_button.setEnabled(False)
        self.done_button.clicked.connect(self.complete_current)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        self.setFocusProxy(self.tree)

        # bound methods only, no lambdas: a lambda holding ``self`` connected to the shared
        # source would keep this screen (and its session) alive as long as the source
        self.tree.open_requested.connect(self.case_requested.emit)
        self.tree.itemCollapsed.connect(self._on_collapsed)
        self.tree.itemExpanded.connect(self._on_expanded)
        self.tree.currentItemChanged.connect(self._on_current)
        self.rows.reset.connect(self.regroup)
        self.rows.updated.connect(self._on_rows_updated)
        self.rows.day_changed.connect(self.regroup)
        self.rows.loading_changed.connect(self._update_summary)
        if self.rows.loaded:
            self.regroup()
        self._update_summary()

    # -- the interface the main window uses -------------------------------------------------

    def reload(self) -> None:
        self.rows.reload()
        self._update_summary()

    def clear(self) -> None:
        self.rows.clear()
        self.groups, self._shown, self._stale = None, None, False
        self.tree.clear()
        self._update_summary()

    def focus_search(self) -> None:
        """There is no search here: put the keyboard in the list."""
        self.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- grouping ---------------------------------------------------------------------------

    def group_case_ids(self) -> dict[str, list[str]]:
        """Case ids shown in each group (overdue, today, this_week), top to bottom."""
        if self._needs_regroup:
            self.regroup()
        if self._stale:
            self._rebuild()
        found = {}
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            found[group.data(0, Qt.ItemDataRole.UserRole)] = [
                group.child(j).data(0, CASE_ID_ROLE) for j in range(group.childCount())]
        return found

    def _on_rows_updated(self, _changed, _removed) -> None:
        # Grouping 10,000 rows costs tens of ms: while the list is hidden (the worker is saving
        # a visit in a case tab), only note that it is due, and group when it is shown.
        if self.isVisible():
            self.regroup()
        else:
            self._needs_regroup = True

    def regroup(self) -> None:
        """Group the rows as ``store.follow_ups`` does, from the rows in memory."""
        self._needs_regroup = False
        if not self.rows.loaded:
            self.groups, self._shown, self._stale = None, None, False
            self.tree.clear()
            self._update_summary()
            return
        due = [row for row in self.rows.rows() if row.is_open]
        # the store's order (latest contact first, then id) decides ties, as in store.follow_ups
        due.sort(key=lambda row: row.case_id)
        due.sort(key=lambda row: row.last_visit_at or "", reverse=True)
        self.groups = follow_ups(due, self.rows.today)
        shown = tuple(tuple((r.case_id, r.name, r.kana, r.district, r.next_action,
                             r.next_action_due) for r in rows) for rows in self._group_rows())
        self._on_current(self.tree.currentItem())
        if shown != self._shown:
            self._shown = shown
            self._stale = True
        if self._stale and self.isVisible():  # hidden: rebuilt when shown (showEvent)
            self._rebuild()
        self._update_summary()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self._needs_regroup:
            self.regroup()
        if self._stale:
            self._rebuild()
        super().showEvent(event)

    def _group_rows(self) -> tuple[list[CaseRow], ...]:
        if self.groups is None:
            return ([], [], [], [])
        return (self.groups.overdue, self.groups.today, self.groups.this_week,
                self.groups.without)

    def _titles(self) -> tuple[str, str, str, str]:
        return (self.tr("期限切れ"), self.tr("今日"), self.tr("今週（7日以内）"),
                self.tr("次回の予定なし"))

    def _rebuild(self) -> None:
        self._stale = False
        current = self.tree.currentItem()
        current_id = current.data(0, CASE_ID_ROLE) if current is not None else None
        scroll = self.tree.verticalScrollBar().value()
        self.tree.setUpdatesEnabled(False)
        try:
            self.tree.clear()
            bold = QFont(self.tree.font())
            bold.setBold(True)
            warn = warning_color(self.tree.palette())
            restore = None
            for key, title, rows in zip(self.GROUPS, self._titles(), self._group_rows(),
                                        strict=True):
                group = QTreeWidgetItem([self.tr("{group}（{n} 件）").format(group=title,
                                                                            n=len(rows))])
                group.setData(0, Qt.ItemDataRole.UserRole, key)
                group.setFont(0, bold)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                children = []
                for row in rows:
                    item = QTreeWidgetItem([row.name, format_date(row.next_action_due),
                                            row.next_action or "", row.district])
                    item.setData(self.ACTION, Qt.ItemDataRole.UserRole, bool(row.next_action))
                    item.setData(0, CASE_ID_ROLE, row.case_id)
                    if row.kana:
                        item.setToolTip(self.NAME, self.tr("ふりがな: {kana}").format(
                            kana=row.kana))
                    if row.next_action:
                        item.setToolTip(self.ACTION, row.next_action)
                    if key == "overdue":
                        item.setForeground(self.DUE, warn)
                        item.setFont(self.DUE, bold)
                    if row.case_id == current_id:
                        restore = item
                    children.append(item)
                group.addChildren(children)
                self.tree.addTopLevelItem(group)
                group.setFirstColumnSpanned(True)
                group.setExpanded(key not in self._collapsed)
            if restore is not None:
                self.tree.setCurrentItem(restore)
            self.tree.verticalScrollBar().setValue(scroll)
        finally:
            self.tree.setUpdatesEnabled(True)

    def _on_collapsed(self, item: QTreeWidgetItem) -> None:
        key = item.data(0, Qt.ItemDataRole.UserRole)
        if key in self.GROUPS:
            self._collapsed.add(key)

    def _on_expanded(self, item: QTreeWidgetItem) -> None:
        self._collapsed.discard(item.data(0, Qt.ItemDataRole.UserRole))

    def _update_summary(self, *_args) -> None:
        if self.groups is None:
            loading = self.rows.loading and self.session.is_unlocked
            self.summary.setText(self.tr("読み込み中…") if loading else "")
            return
        overdue, today, week, without = (len(rows) for rows in self._group_rows())
        if not overdue + today + week:
            text = self.tr("期限が近い次回予定はありません。")
        else:
            text = self.tr("期限切れ {overdue} 件・今日 {today} 件・今週 {week} 件").format(
                overdue=overdue, today=today, week=week)
        if without:
            text += self.tr("（次回の予定なし {n} 件）").format(n=without)
        self.summary.setText(text)

    # -- marking a next action done ---------------------------------------------------------

    def _on_current(self, item: QTreeWidgetItem | None, *_args) -> None:
        self.done_button.setEnabled(bool(
            item is not None and item.data(0, CASE_ID_ROLE)
            and item.data(self.ACTION, Qt.ItemDataRole.UserRole)))

    def complete_current(self) -> None:
        """完了: the chosen case's next action was done; it joins 次回の予定なし."""
        item = self.tree.currentItem()
        case_id = item.data(0, CASE_ID_ROLE) if item is not None else None
        if not case_id or not self.session.is_unlocked:
            return
        try:
            self.session.store.complete_follow_up(case_id)
        except OutreachDeskError as exc:
            log.warning("next action not marked done: %s", exc.__class__.__name__)
            self.summary.setText(self.tr("完了にできませんでした。もう一度お試しください。"))
            return
        log.info("a next action was marked done")
        self.tree.setFocus()
