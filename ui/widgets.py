"""Small widget helpers shared by the gate pages and dialogs.

``ErrorLabel`` is the Japanese message shown right under a field (red via ``role="error"`` in
``app.qss``), hidden while empty. ``field_cell`` stacks a field over its error label for a
``QFormLayout`` row. ``centred`` puts a page's content in a calm column of limited width.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)


def _relayout_forms(widget: QWidget | None) -> None:
    """A QFormLayout keeps the row heights it worked out for wrapped text until told again: a
    message appearing under one field otherwise squeezes another field's hint and pads a third
    row. Tell every form layout of ``widget`` that its rows changed."""
    if widget is None or widget.layout() is None:
        return
    pending = [widget.layout()]
    while pending:
        layout = pending.pop()
        if isinstance(layout, QFormLayout):
            layout.invalidate()
        for index in range(layout.count()):
            child = layout.itemAt(index).layout()
            if child is not None:
                pending.append(child)


class ErrorLabel(QLabel):
    """A message under a field; hidden when there is nothing to say."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("role", "error")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.hide()

    def set(self, message: str | None) -> None:
        shown = not self.isHidden()
        self.setText(message or "")
        self.setVisible(bool(message))
        if shown != bool(message):
            _relayout_forms(self.parentWidget())

    def clear(self) -> None:
        self.set("")

    @property
    def message(self) -> str:
        return self.text() if not self.isHidden() else ""


def hint_label(text: str = "", name: str | None = None) -> QLabel:
    """Quiet explanatory text (``role="hint"``), wrapped."""
    hint = QLabel(text)
    hint.setProperty("role", "hint")
    hint.setWordWrap(True)
    hint.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        hint.setObjectName(name)
    return hint


def heading_label(text: str, scale: float = 1.4, name: str | None = None) -> QLabel:
    heading = QLabel(text)
    heading.setWordWrap(True)
    font = heading.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    heading.setFont(font)
    if name:
        heading.setObjectName(name)
    return heading


def field_cell(*items: QWidget | QLayout) -> QVBoxLayout:
    """A field with what belongs under it (hint, error), tightly spaced, for a form row."""
    cell = QVBoxLayout()
    cell.setSpacing(2)
    for item in items:
        if isinstance(item, QLayout):
            cell.addLayout(item)
        else:
            cell.addWidget(item)
    return cell


def row(*items: QWidget | QLayout, stretch: bool = False) -> QHBoxLayout:
    line = QHBoxLayout()
    line.setContentsMargins(0, 0, 0, 0)
    for item in items:
        if isinstance(item, QLayout):
            line.addLayout(item)
        else:
            line.addWidget(item)
    if stretch:
        line.addStretch(1)
    return line


def centred(page: QWidget, content: QWidget, max_width: int = 520) -> QBoxLayout:
    """Lay ``content`` out in the middle of ``page``, no wider than ``max_width`` pixels; on a
    screen too small for it (messages showing on a small laptop) the page scrolls."""
    content.setMaximumWidth(max_width)
    across = QHBoxLayout()
    across.addStretch(1)
    across.addWidget(content, 10)
    across.addStretch(1)
    layout = scroll_body(page)
    layout.addStretch(1)
    layout.addLayout(across)
    layout.addStretch(2)
    return layout


class _BodyScrollArea(QScrollArea):
    """Asks for the room its content would take (a plain scroll area asks for at most about
    24 lines), so a dialog opens as large as its form where the screen allows."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        body = self.widget()
        if body is None:
            return super().sizeHint()
        extent = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        hint = body.sizeHint()
        return QSize(hint.width() + extent, hint.height())


def scroll_body(page: QWidget, margins: bool = True) -> QVBoxLayout:
    """Give ``page`` a scroll area filling it and return the layout of what scrolls: the page
    lays its content out there instead of in ``QVBoxLayout(page)``. A long form or a page of
    several parts then never makes the window taller than a small laptop's screen; where there
    is room the content fills the page as before."""
    body = QWidget()
    body.setObjectName(f"{page.objectName() or 'page'}Body")
    area = _BodyScrollArea()
    area.setObjectName(f"{page.objectName() or 'page'}Scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(body)
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(area)
    layout = QVBoxLayout(body)
    if not margins:
        layout.setContentsMargins(0, 0, 0, 0)
    return layout


__all__ = ["ErrorLabel", "centred", "field_cell", "heading_label", "hint_label", "row",
           "save_cancel_buttons", "scroll_body"]


def save_cancel_buttons(dialog, save_text: str, name: str) -> QDialogButtonBox:
    """Save/Cancel buttons wired to ``dialog.save`` and ``dialog.reject``; the save button is
    ``dialog.save_button`` (named ``name`` for tests)."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                               | QDialogButtonBox.StandardButton.Cancel)
    dialog.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
    dialog.save_button.setText(save_text)
    dialog.save_button.setObjectName(name)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
        QCoreApplication.translate("Dialogs", "キャンセル"))
    buttons.accepted.connect(dialog.save)
    buttons.rejected.connect(dialog.reject)
    return buttons
