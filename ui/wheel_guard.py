"""The mouse wheel scrolls forms; it changes a value only in the field being edited.

Without this, turning the wheel over a long form changes whatever combo box, spin box or date
field happens to pass under the pointer (関係の段階 jumped from 継続的な関わり to 支援につながった
while a worker scrolled the visit form). One application-wide event filter, installed in
``main()``:

* every ``QComboBox`` and ``QAbstractSpinBox`` (spin boxes, date and time fields) takes focus
  by click or Tab only (``Qt.StrongFocus``), never by the wheel;
* a wheel event over such a field that does not have keyboard focus is not given to it: it
  goes to the scroll area around the field (the form scrolls on), or nowhere.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QWidget,
)

log = logging.getLogger(__name__)

VALUE_WIDGETS = (QComboBox, QAbstractSpinBox)  # QDateEdit, QTimeEdit, QDateTimeEdit included
_PROPERTY = "outreachDeskWheelGuard"


def value_widget(widget: QWidget | None) -> QWidget | None:
    """The combo box or spin box ``widget`` belongs to (itself, or its line edit's owner)."""
    while widget is not None:
        if isinstance(widget, VALUE_WIDGETS):
            return widget
        if widget.isWindow():
            return None
        widget = widget.parentWidget()
    return None


def _has_focus(widget: QWidget) -> bool:
    focused = QApplication.focusWidget()
    return widget.hasFocus() or (focused is not None and widget.isAncestorOf(focused))


def _scroll_surroundings(widget: QWidget, event: QWheelEvent) -> None:
    """Give the wheel to the nearest scroll area around ``widget``."""
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, QAbstractScrollArea):
            viewport = parent.viewport()
            position = QPointF(viewport.mapFromGlobal(event.globalPosition().toPoint()))
            forwarded = QWheelEvent(position, event.globalPosition(), event.pixelDelta(),
                                    event.angleDelta(), event.buttons(), event.modifiers(),
                                    event.phase(), event.inverted(), event.source())
            QApplication.sendEvent(viewport, forwarded)
            return
        parent = parent.parentWidget()


class WheelGuard(QObject):
    """The application event filter (see the module docstring)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, VALUE_WIDGETS):
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif kind == QEvent.Type.Wheel and isinstance(watched, QWidget):
            target = value_widget(watched)
            if target is not None and not _has_focus(target):
                _scroll_surroundings(target, event)
                return True  # the value stays as it is
        return False


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Install the guard on ``app`` (once; a second call returns the first guard)."""
    existing = app.property(_PROPERTY)
    if isinstance(existing, WheelGuard):
        return existing
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    app.setProperty(_PROPERTY, guard)
    log.info("wheel guard installed")
    return guard


__all__ = ["VALUE_WIDGETS", "WheelGuard", "install_wheel_guard", "value_widget"]
