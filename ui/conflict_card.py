"""One open conflict on the 競合 screen: its card (``ConflictCard``) and the boxes of its values.

A card shows the record and field, every surviving value side by side (``ValueBox``) with the
button that keeps it, and, for free text, an editor to write a value that combines them. The
texts that depend on the kind of record (titles, field names, formatted values) are asked of the
``ConflictsView`` the card belongs to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.conflict_items import LONG_TEXT_FIELDS, ConflictItem
from ui.widgets import ErrorLabel, heading_label, hint_label

if TYPE_CHECKING:
    from ui.conflicts_view import ConflictsView


class ValueBox(QFrame):
    """One of the conflicting values, with who wrote it and the button that keeps it."""

    def __init__(self, text: str, who: str, current: bool, choose_text: str | None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conflictValue")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.value_label = QLabel(text)
        self.value_label.setObjectName("conflictValueText")
        self.value_label.setWordWrap(True)
        self.value_label.setTextFormat(Qt.TextFormat.PlainText)
        self.value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.who_label = hint_label(who, "conflictValueWho")
        layout = QVBoxLayout(self)
        layout.addWidget(self.value_label, 1)
        layout.addWidget(self.who_label)
        self.current_label = hint_label("", "conflictValueCurrent")
        layout.addWidget(self.current_label)
        self.current_label.setVisible(current)
        self.choose_button: QPushButton | None = None
        if choose_text:
            self.choose_button = QPushButton(choose_text)
            self.choose_button.setObjectName("chooseValue")
            layout.addWidget(self.choose_button, 0, Qt.AlignmentFlag.AlignLeft)


class ConflictCard(QFrame):
    """One open conflict; ``resolve_requested(value)`` when the worker settles it."""

    resolve_requested = Signal(object)
    case_requested = Signal(str)

    def __init__(self, view: ConflictsView, item: ConflictItem):
        super().__init__()
        self.item = item
        self.setObjectName("conflictCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = heading_label(view.record_title(item), 1.1, "conflictTitle")
        self.field_label = QLabel(view.field_title(item))
        self.field_label.setObjectName("conflictField")
        self.field_label.setWordWrap(True)
        self.error = ErrorLabel("conflictError")
        self.value_boxes: list[ValueBox] = []
        self.merge_edit: QLineEdit | QPlainTextEdit | None = None
        self.merge_button: QPushButton | None = None
        self.open_button: QPushButton | None = None

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.field_label)
        explanation = view.explanation(item)
        self.explanation = hint_label(explanation, "conflictExplanation")
        self.explanation.setVisible(bool(explanation))
        layout.addWidget(self.explanation)
        if item.values:
            boxes = QHBoxLayout()
            for index, value in enumerate(item.values):
                box = ValueBox(view.format_value(item, value.value), view.who(item, value),
                               index == view.shown_index(item),
                               self.tr("この値にする") if item.resolvable else None)
                box.current_label.setText(self.tr("いま表示されている値"))
                if box.choose_button is not None:
                    box.choose_button.clicked.connect(
                        lambda _=False, v=value.value: self.resolve_requested.emit(v))
                self.value_boxes.append(box)
                boxes.addWidget(box, 1)
            layout.addLayout(boxes)
        if item.mergeable:
            layout.addWidget(QLabel(self.tr("両方をもとに書き直す:")))
            texts = [v.value or "" for v in item.values]
            if (item.entity, item.field) in LONG_TEXT_FIELDS:
                edit = QPlainTextEdit()
                edit.setPlainText("\n\n".join(dict.fromkeys(t for t in texts if t)))
                edit.setMaximumHeight(edit.fontMetrics().lineSpacing() * 8)
            else:
                edit = QLineEdit(texts[view.shown_index(item)])
            edit.setObjectName("mergeEdit")
            edit.setAccessibleName(self.tr("書き直した内容"))
            self.merge_edit = edit
            self.merge_button = QPushButton(self.tr("この内容で保存"))
            self.merge_button.setObjectName("saveMerged")
            self.merge_button.clicked.connect(self._save_merged)
            merge = QHBoxLayout()
            merge.addWidget(edit, 1)
            merge.addWidget(self.merge_button, 0, Qt.AlignmentFlag.AlignBottom)
            layout.addLayout(merge)
        layout.addWidget(self.error)
        if item.case_id:
            self.open_button = QPushButton(self.tr("ケースを開く"))
            self.open_button.setObjectName("openConflictCase")
            self.open_button.clicked.connect(lambda: self.case_requested.emit(item.case_id))
            layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)

    def merged_text(self) -> str:
        edit = self.merge_edit
        if isinstance(edit, QPlainTextEdit):
            return edit.toPlainText()
        return edit.text() if edit is not None else ""

    def _save_merged(self) -> None:
        self.resolve_requested.emit(self.merged_text())
