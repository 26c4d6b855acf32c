"""スーパービジョンのコメント: what a supervisor wrote about a visit, a note or a plan.

``CommentsView`` is the コメント workspace tab (Ctrl+9): the unread comments on the worker's own
cases, newest first; 既読にする marks the chosen one read, a double-click (or Enter) opens its
case. ``CaseCommentsTab`` is the コメント tab of a case: every comment on the case beside what it
is about, 既読にする for the worker, and for a supervisor a form to write a new one; what the
supervisor types there is kept as a draft (``ui.drafts``) until it is sent.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from outreach_desk.errors import NotFound, NotPermitted, OutreachDeskError, ValidationError
from ui.drafts import form_state, restore_form_state
from ui.fmt import format_date, format_datetime
from ui.table_models import RowsTableModel, read_only_table
from ui.widgets import hint_label

log = logging.getLogger(__name__)
CaseIdRole = Qt.ItemDataRole.UserRole + 1  # the same role the dashboard's lists use
CommentIdRole = Qt.ItemDataRole.UserRole + 2


def target_text(store, comment, widget: QWidget) -> str:
    """What a comment is about: 訪問記録（11月23日）, 関係づくりメモ, 支援プラン."""
    tr = widget.tr
    if comment.target_kind == "visit":
        try:
            day = store.visit(comment.target_id).effective["occurred_at"]
        except NotFound:
            return tr("訪問記録")
        return tr("訪問記録（{day}）").format(day=format_date(day))
    if comment.target_kind == "note":
        return tr("関係づくりメモ")
    return tr("支援プラン")


class CommentListModel(RowsTableModel):
    """Rows: (comment, case name, what it is about, who wrote it)."""

    def __init__(self, parent=None) -> None:
        super().__init__([self.tr("日時"), self.tr("ケース"), self.tr("対象"), self.tr("コメント"),
                          self.tr("記入者")], parent)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        found = self.row_at(index)
        if found is None:
            return None
        comment, case_name, target, writer = found
        if role == Qt.ItemDataRole.DisplayRole:
            return (format_datetime(comment.written_at), case_name, target,
                    comment.text.replace("\n", " "), writer)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 3:
            return comment.text
        if role == CaseIdRole:
            return comment.case_id
        if role == CommentIdRole:
            return comment.id
        return None


class CommentsView(QWidget):
    """コメント: unread comments on the worker's cases, newest first."""

    case_requested = Signal(str)

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("commentsView")
        self.session = session
        self.model = CommentListModel(self)
        self.table = read_only_table("commentsTable", self.model, stretch=3)
        self.table.activated.connect(self._open)
        self.count = hint_label(name="commentsCount")
        self.read_button = QPushButton(self.tr("既読にする(&R)"))
        self.read_button.setObjectName("markReadButton")
        self.read_button.clicked.connect(self.mark_selected_read)
        top = QHBoxLayout()
        top.addWidget(self.count, 1)
        top.addWidget(self.read_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint_label(self.tr(
            "担当ケースの訪問記録・メモ・支援プランに、スーパーバイザーが書いたコメントです。"
            "行をダブルクリック（または Enter）するとケースを開きます。")))
        session.changed.connect(self._on_changed)
        self.reload()

    def _on_changed(self, summary) -> None:
        if self.session.is_unlocked and (summary.touches("comment") or summary.cases):
            self.reload()

    def reload(self) -> None:
        if not self.session.is_unlocked:
            return
        store = self.session.store
        comments = store.unread_comments()
        cases = {row.case_id: row.name for row in
                 store.caseload({c.case_id for c in comments})} if comments else {}
        workers = {w.id: w["name"] or "" for w in store.list_entities("worker",
                                                                      include_deleted=True)}
        self.model.set_rows([(c, cases.get(c.case_id, ""), target_text(store, c, self),
                              workers.get(c.written_by, "")) for c in comments])
        self.count.setText(self.tr("未読のコメント {n} 件（新しい順）").format(n=len(comments))
                           if comments else self.tr("未読のコメントはありません。"))
        self.read_button.setEnabled(bool(comments))

    def mark_selected_read(self) -> None:
        index = self.table.currentIndex()
        comment_id = index.data(CommentIdRole) if index.isValid() else None
        if comment_id is None and self.model.rowCount() == 1:
            comment_id = self.model.index(0, 0).data(CommentIdRole)
        if comment_id is None:
            self.count.setText(self.tr("既読にするコメントを一覧から選んでください。"))
            return
        try:
            self.session.store.mark_comment_read(comment_id)
        except OutreachDeskError as exc:
            log.warning("comment not marked read: %s", exc.__class__.__name__)
        self.reload()

    def _open(self, index: QModelIndex) -> None:
        case_id = index.data(CaseIdRole)
        if case_id:
            self.case_requested.emit(case_id)


class CaseCommentsTab(QWidget):
    """The コメント tab of a case. ``unread_changed`` carries the unread count for its title."""

    unread_changed = Signal(int)

    def __init__(self, session, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.by_visit: dict[str, tuple[str, ...]] = {}  # comment texts on each visit
        self.list = QListWidget()
        self.list.setObjectName("caseComments")
        self.list.setWordWrap(True)
        self.list.setAccessibleName(self.tr("このケースへのコメント"))
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.empty = hint_label(self.tr("このケースへのコメントはまだありません。"))
        self.read_button = QPushButton(self.tr("既読にする(&R)"))
        self.read_button.setObjectName("caseMarkReadButton")
        self.read_button.clicked.connect(self.mark_selected_read)
        buttons = QHBoxLayout()
        buttons.addWidget(self.empty)
        buttons.addStretch(1)
        buttons.addWidget(self.read_button)

        self.writer = QWidget()
        self.target = QComboBox()
        self.target.setObjectName("commentTarget")
        self.text = QPlainTextEdit()
        self.text.setObjectName("commentText")
        self.text.setTabChangesFocus(True)
        self.text.setMaximumHeight(80)
        self.text.setPlaceholderText(self.tr("例: 本人の言葉をそのまま書けていて良いです"))
        self.send_button = QPushButton(self.tr("コメントを書く"))
        self.send_button.setObjectName("sendCommentButton")
        self.send_button.clicked.connect(self.send)
        self.error = QLabel()
        self.error.setObjectName("commentError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QVBoxLayout(self.writer)
        form.setContentsMargins(0, 0, 0, 0)
        target_row = QHBoxLayout()
        target_label = QLabel(self.tr("対象(&T)"))
        target_label.setBuddy(self.target)
        target_row.addWidget(target_label)
        target_row.addWidget(self.target, 1)
        form.addLayout(target_row)
        form.addWidget(self.text)
        send_row = QHBoxLayout()
        send_row.addWidget(self.error, 1)
        send_row.addWidget(self.send_button)
        form.addLayout(send_row)

        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.writer)
        self._restored = False
        session.drafts.watch(self, self.writer)

    # -- the draft (ui.drafts) ------------------------------------------------------------------

    def draft_id(self) -> str:
        return f"comment:{self.case_id}"

    def draft_state(self) -> dict | None:
        if not self.text.toPlainText().strip():
            return None
        return {"fields": form_state(self.writer)}

    def restore_draft(self, state: dict) -> None:
        restore_form_state(self.writer, state.get("fields") or {})

    def show_history(self, history, names) -> None:
        """Fill the list (and the supervisor's choice of targets) for the case as read."""
        store = self.session.store
        self.writer.setVisible(store.may_supervise())
        chosen = self.target.currentData()
        self.target.clear()
        for visit in history.visits:
            self.target.addItem(self.tr("訪問記録 {when}").format(
                when=format_datetime(visit.effective["occurred_at"])), f"visit:{visit.id}")
        for note in history.notes:
            self.target.addItem(self.tr("関係づくりメモ: {text}").format(
                text=(note["text"] or "")[:30]), f"note:{note.id}")
        for plan in history.plans:
            goals = plan["goals"] or [""]
            self.target.addItem(self.tr("支援プラン: {goal}").format(goal=goals[0][:30]),
                                f"plan:{plan.id}")
        if chosen is not None:
            self.target.setCurrentIndex(max(0, self.target.findData(chosen)))
        current = self.list.currentItem().data(CommentIdRole) if self.list.currentItem() \
            else None
        comments = store.comments(self.case_id)
        self.by_visit = {}
        for comment in reversed(comments):  # oldest first under each visit
            if comment.target_kind == "visit":
                self.by_visit[comment.target_id] = (*self.by_visit.get(comment.target_id, ()),
                                                    comment.text)
        self.list.clear()
        for comment in comments:
            state = self.tr("未読") if comment.unread else self.tr("既読 {when}").format(
                when=format_datetime(comment.read_at))
            item = QListWidgetItem(self.tr("［{state}］{when}　{writer} → {target}\n{text}").format(
                state=state, when=format_datetime(comment.written_at),
                writer=names.workers.get(comment.written_by, ""),
                target=target_text(store, comment, self), text=comment.text))
            item.setData(CommentIdRole, comment.id)
            item.setData(Qt.ItemDataRole.UserRole, comment.unread)
            font = item.font()
            font.setBold(comment.unread)
            item.setFont(font)
            self.list.addItem(item)
            if comment.id == current:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self.empty.setVisible(not comments)
        self._update_buttons()
        self.unread_changed.emit(sum(c.unread for c in comments))
        if not self._restored:  # the targets are listed now: the draft's target is found
            self._restored = True
            self.session.drafts.restore(self)

    def _update_buttons(self) -> None:
        item = self.list.currentItem()
        self.read_button.setEnabled(bool(item and item.data(Qt.ItemDataRole.UserRole)))
        self.send_button.setEnabled(self.target.count() > 0)

    def mark_selected_read(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        try:
            self.session.store.mark_comment_read(item.data(CommentIdRole))
        except OutreachDeskError as exc:
            log.warning("comment not marked read: %s", exc.__class__.__name__)

    def send(self) -> bool:
        self.error.hide()
        target = self.target.currentData()  # "kind:id"
        if not target:
            return False
        kind, target_id = target.split(":", 1)
        try:
            self.session.store.add_comment(kind, target_id, self.text.toPlainText())
        except ValidationError as exc:
            log.info("comment refused: %s/%s", exc.field, exc.rule)
            self._error(self.tr("コメントを入力してください（2000文字まで）。"))
            return False
        except NotPermitted:
            self._error(self.tr("コメントを書けるのはスーパーバイザーだけです。"))
            return False
        except OutreachDeskError as exc:
            log.warning("comment not saved: %s", exc.__class__.__name__)
            self._error(self.tr("保存できませんでした。もう一度お試しください。"))
            return False
        self.session.drafts.discard(self.draft_id())
        self.text.clear()
        return True

    def _error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


__all__ = ["CaseCommentsTab", "CommentListModel", "CommentsView"]
