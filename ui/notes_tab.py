"""関係づくりメモ: interests, topics that work or to avoid, promises made. Add and revise.

Several workers may write the same note while offline. When two revisions were written without
seeing each other, both survive (``Store.field_values``); the tab shows them side by side and
the worker merges them into one revision, which replaces both. What is typed into the editor is
kept as a draft (``ui.drafts``) until it is saved.
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from outreach_desk.errors import OutreachDeskError, ValidationError
from outreach_desk.hlc import physical_ms
from outreach_desk.queries import CaseHistory
from ui.case_tabs import Names
from ui.fmt import format_datetime
from ui.widgets import scroll_body

log = logging.getLogger(__name__)
NoteIdRole = Qt.ItemDataRole.UserRole + 1


def _when(hlc: int) -> str:
    return format_datetime(datetime.fromtimestamp(physical_ms(hlc) / 1000).astimezone())


class NotesTab(QWidget):
    def __init__(self, session, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.names = Names()
        self.editing: str | None = None  # the note being revised, None for a new note
        self._notes: dict[str, object] = {}
        self._baseline = ""  # the editor's text as the note being revised was (or empty)
        self._restored = False

        self.list = QListWidget()
        self.list.setObjectName("notesList")
        self.list.setAccessibleName(self.tr("関係づくりメモの一覧"))
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.setAlternatingRowColors(True)
        self.list.currentItemChanged.connect(lambda *_: self._show_selected())
        self.list.itemActivated.connect(lambda *_: self.start_revision())
        self.empty = QLabel(self.tr("メモはまだありません。下の欄に書いて追加できます。"))
        self.empty.setProperty("role", "hint")
        self.empty.setWordWrap(True)

        self.selected_text = QPlainTextEdit()
        self.selected_text.setObjectName("selectedNote")
        self.selected_text.setReadOnly(True)
        self.selected_text.setTabChangesFocus(True)
        self.selected_info = QLabel()
        self.selected_info.setObjectName("selectedNoteInfo")
        self.selected_info.setProperty("role", "hint")
        self.revise_button = QPushButton(self.tr("このメモを改訂(&E)"))
        self.revise_button.setObjectName("reviseNoteButton")
        self.revise_button.clicked.connect(self.start_revision)
        self.conflict_box = QFrame()
        self.conflict_box.setObjectName("noteConflicts")
        self.conflict_layout = QVBoxLayout(self.conflict_box)
        self.conflict_layout.setContentsMargins(0, 0, 0, 0)
        self.conflict_box.hide()
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.selected_info)
        detail_layout.addWidget(self.selected_text, 1)
        detail_layout.addWidget(self.conflict_box)
        detail_layout.addWidget(self.revise_button, 0, Qt.AlignmentFlag.AlignRight)

        self.editor_caption = QLabel()
        self.editor_caption.setObjectName("noteEditorCaption")
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("noteEditor")
        self.editor.setTabChangesFocus(True)
        self.editor.setPlaceholderText(
            self.tr("例: 釣りの話題だと表情がやわらぐ。父親の話は避ける。"))
        self.editor.setMaximumHeight(120)
        self.editor_caption.setBuddy(self.editor)
        self.error = QLabel()
        self.error.setObjectName("noteError")
        self.error.setProperty("role", "error")
        self.error.hide()
        self.save_button = QPushButton(self.tr("メモを保存(&W)"))
        self.save_button.setObjectName("saveNoteButton")
        self.save_button.clicked.connect(self.save)
        self.new_button = QPushButton(self.tr("新しいメモにする"))
        self.new_button.setObjectName("newNoteButton")
        self.new_button.clicked.connect(self.start_new)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list)
        split.addWidget(detail)
        split.setStretchFactor(1, 2)
        layout = scroll_body(self)  # a small screen scrolls the tab, not the window
        layout.addWidget(self.empty)
        layout.addWidget(split, 1)
        layout.addWidget(self.editor_caption)
        layout.addWidget(self.editor)
        layout.addLayout(buttons)
        self.start_new()
        session.drafts.watch(self, self.editor)

    # -- showing ------------------------------------------------------------------------------

    def show_history(self, history: CaseHistory, names: Names) -> None:
        self.names = names
        current = self.current_note_id()
        self._notes = {note.id: note for note in history.notes}
        # CaseHistory does not carry conflicts: ask for each note (a case has a handful)
        store = self.session.store
        conflicted = {note.id for note in history.notes
                      if "text" in store.get("note", note.id, include_deleted=True).conflicts}
        self.list.blockSignals(True)
        self.list.clear()
        # ids are time-ordered (UUIDv7): newest first
        for note in sorted(history.notes, key=lambda n: n.id, reverse=True):
            first = (note["text"] or "").strip().splitlines()[0] if note["text"] else ""
            text = first if len(first) <= 60 else first[:60] + "…"
            if note.id in conflicted:
                text = self.tr("【競合あり】{text}").format(text=text)
            item = QListWidgetItem(text)
            item.setData(NoteIdRole, note.id)
            item.setToolTip(note["text"] or "")
            self.list.addItem(item)
            if note.id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self.empty.setVisible(not history.notes)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self._show_selected()
        if not self._restored:  # the notes are known now: a revision's draft finds its note
            self._restored = True
            self.session.drafts.restore(self)

    # -- the draft (ui.drafts) ------------------------------------------------------------------

    def draft_id(self) -> str:
        return f"note:{self.case_id}"

    def draft_state(self) -> dict | None:
        text = self.editor.toPlainText()
        if not text.strip() or text == self._baseline:
            return None
        return {"editing": self.editing, "text": text}

    def restore_draft(self, state: dict) -> None:
        editing = state.get("editing")
        if editing and editing in self._notes:
            self._select(editing)
            self._edit_text(state.get("text") or "")
            self._baseline = self._notes[editing]["text"] or ""
        else:
            self.start_new()
            self.editor.setPlainText(state.get("text") or "")

    def current_note_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(NoteIdRole) if item else None

    def _show_selected(self) -> None:
        for index in reversed(range(self.conflict_layout.count())):
            item = self.conflict_layout.takeAt(index)
            if item.widget():
                item.widget().deleteLater()
            elif item.layout():
                _delete_layout(item.layout())
        note_id = self.current_note_id()
        note = self._notes.get(note_id)
        self.revise_button.setEnabled(note is not None)
        if note is None:
            self.selected_text.clear()
            self.selected_info.clear()
            self.conflict_box.hide()
            return
        store = self.session.store
        revisions = store.note_revisions(note_id)
        last = revisions[-1] if revisions else None
        self.selected_info.setText(self.tr("改訂 {count} 回　最終: {when}（{name}）").format(
            count=max(0, len(revisions) - 1), when=_when(last.hlc) if last else "",
            name=self.names.workers.get(last.author, "") if last else ""))
        self.selected_text.setPlainText(note["text"] or "")
        current = store.field_values("note", note_id, "text")
        if len(current) > 1:
            self._show_conflict(current)
        else:
            self.conflict_box.hide()

    def _show_conflict(self, values) -> None:
        intro = QLabel(self.tr(
            "同時に書かれた版が {count} つあります。内容を確かめ、1つにまとめて保存してください。")
            .format(count=len(values)))
        intro.setProperty("role", "error")
        intro.setWordWrap(True)
        self.conflict_layout.addWidget(intro)
        row = QHBoxLayout()
        for value in values:
            column = QVBoxLayout()
            caption = QLabel(self.tr("{name}　{when}").format(
                name=self.names.workers.get(value.author, ""), when=_when(value.hlc)))
            text = QPlainTextEdit(value.value or "")
            text.setObjectName("noteConflictVersion")
            text.setReadOnly(True)
            text.setTabChangesFocus(True)
            use = QPushButton(self.tr("この版を編集欄へ"))
            use.clicked.connect(lambda *_, v=value.value: self._edit_text(v or ""))
            column.addWidget(caption)
            column.addWidget(text)
            column.addWidget(use)
            row.addLayout(column)
        self.conflict_layout.addLayout(row)
        self.conflict_box.show()

    # -- writing ------------------------------------------------------------------------------

    def start_new(self) -> None:
        self.editing = None
        self._baseline = ""
        self.editor_caption.setText(self.tr("新しいメモ(&I)"))
        self.new_button.setEnabled(False)

    def start_revision(self) -> None:
        note_id = self.current_note_id()
        if note_id is None:
            return
        self._edit_text(self._notes[note_id]["text"] or "")

    def _edit_text(self, text: str) -> None:
        self.editing = self.current_note_id()
        self.editor_caption.setText(self.tr("選択したメモを改訂(&I)"))
        self.new_button.setEnabled(True)
        self._baseline = text
        self.editor.setPlainText(text)
        self.editor.moveCursor(self.editor.textCursor().MoveOperation.End)
        self.editor.setFocus()

    def save(self) -> bool:
        self.error.hide()
        text = self.editor.toPlainText().strip()
        if not text:
            self.error.setText(self.tr("メモを入力してください。"))
            self.error.show()
            self.editor.setFocus()
            return False
        store = self.session.store
        try:
            if self.editing:
                store.revise_note(self.editing, text)
            else:
                self.editing = None
                new_id = store.add_note(self.case_id, text)
                self._select(new_id)
        except ValidationError as exc:
            log.info("note refused by the store: %s/%s", exc.field, exc.rule)
            message = self.tr("メモが長すぎます。") if exc.rule == "too_long" else \
                self.tr("入力内容を確認してください。")
            self.error.setText(message)
            self.error.show()
            return False
        except OutreachDeskError as exc:
            log.warning("note not saved: %s", exc.__class__.__name__)
            self.error.setText(self.tr("保存できませんでした。もう一度お試しください。"))
            self.error.show()
            return False
        self.session.drafts.discard(self.draft_id())
        self.editor.clear()
        self.start_new()
        return True

    def _select(self, note_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(NoteIdRole) == note_id:
                self.list.setCurrentRow(row)
                return


def _delete_layout(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget():
            item.widget().deleteLater()
        elif item.layout():
            _delete_layout(item.layout())


__all__ = ["NotesTab"]
