"""Small charts drawn with QPainter (QtCharts is not part of the packaged build).

* ``BarChart``: horizontal bars with their labels on the left (Japanese labels read best
  across), the figure at the end of each bar; a click (or Enter on the focused bar) emits the
  bar's key, so a screen can list the cases behind it.
* ``WeekGrid``: one row per worker, one column per week, each cell shaded by its figure and
  showing it; a click emits (row key, column key).
* ``StepChart``: a level that changes over time (the relationship stage reached at each visit),
  drawn as steps, with the levels named on the left.

Every chart uses the widget's font and palette, so it follows the app's look and language.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

ACCENT = QColor("#2f6f9f")
ACCENT_SOFT = QColor("#dfeaf3")


class _Chart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def _text_color(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.WindowText)

    def _empty(self, painter: QPainter, text: str) -> None:
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, text)


class BarChart(_Chart):
    """Horizontal bars: ``set_bars([(key, label, value), …])``; ``bar_clicked(key)``."""

    bar_clicked = Signal(object)
    ROW = 26
    PAD = 6

    def __init__(self, name: str, empty_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._bars: list[tuple[Any, str, int]] = []
        self._version = 0  # changes with the bars: cached geometry is measured again
        self._current = -1
        self.empty_text = empty_text

    def set_bars(self, bars: Sequence[tuple[Any, str, int]]) -> None:
        self._bars = list(bars)
        self._version += 1
        self._current = min(self._current, len(self._bars) - 1)
        self.setAccessibleDescription(", ".join(f"{text} {value}" for _, text, value in bars))
        self.updateGeometry()
        self.update()

    def bars(self) -> list[tuple[Any, str, int]]:
        return list(self._bars)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(360, max(1, len(self._bars)) * self.ROW + 2 * self.PAD)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(200, self.sizeHint().height())

    def _label_width(self) -> int:
        metrics = QFontMetrics(self.font())
        widest = max((metrics.horizontalAdvance(text) for _, text, _ in self._bars), default=0)
        return min(widest + 12, self.width() // 2)

    def _geometry(self) -> tuple[int, int, int]:
        """(label width, bar span, greatest value), kept until the bars or the size change."""
        key = (self.width(), self._version, self.font().key())
        if getattr(self, "_geometry_key", None) != key:
            left = self._label_width()
            value_room = QFontMetrics(self.font()).horizontalAdvance("00000") + 8
            span = max(1, self.width() - left - value_room - self.PAD)
            top_value = max((value for _, _, value in self._bars), default=0) or 1
            self._geometry_key, self._geometry_value = key, (left, span, top_value)
        return self._geometry_value

    def bar_rect(self, index: int) -> QRect:
        """Where bar ``index`` is drawn (its row, label included, is clickable)."""
        left, span, top_value = self._geometry()
        width = int(span * self._bars[index][2] / top_value)
        top = self.PAD + index * self.ROW
        return QRect(left, top + 4, max(width, 2), self.ROW - 8)

    def _index_at(self, y: float) -> int:
        index = int((y - self.PAD) // self.ROW)
        return index if 0 <= index < len(self._bars) else -1

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self._bars:
            self._empty(painter, self.empty_text)
            return
        metrics = QFontMetrics(self.font())
        left = self._geometry()[0]
        for index, (_key, text, value) in enumerate(self._bars):
            bar = self.bar_rect(index)
            row = QRect(0, bar.top() - 4, self.width(), self.ROW)
            if index == self._current and self.hasFocus():
                painter.fillRect(row, ACCENT_SOFT)
            painter.setPen(self._text_color())
            label_rect = QRect(0, row.top(), left - 8, self.ROW)
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignRight
                             | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(text, Qt.TextElideMode.ElideRight, left - 8))
            painter.fillRect(bar, ACCENT if value else ACCENT_SOFT)
            painter.drawText(QRect(bar.right() + 6, row.top(), 80, self.ROW),
                             Qt.AlignmentFlag.AlignVCenter, str(value))

    def mousePressEvent(self, event) -> None:  # noqa: N802
        index = self._index_at(event.position().y())
        if index >= 0 and event.button() == Qt.MouseButton.LeftButton:
            self._current = index
            self.update()
            self.bar_clicked.emit(self._bars[index][0])

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        index = self._index_at(event.position().y())
        if index >= 0:
            _key, text, value = self._bars[index]
            QToolTip.showText(event.globalPosition().toPoint(), f"{text}: {value}", self)
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.unsetCursor()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if not self._bars:
            return super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            self._current = max(0, min(len(self._bars) - 1, self._current + step))
            self.update()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) \
                and self._current >= 0:
            self.bar_clicked.emit(self._bars[self._current][0])
        else:
            super().keyPressEvent(event)


class WeekGrid(_Chart):
    """Rows × columns of figures, shaded; ``set_grid(rows, columns, values)``. A column's
    text may hold two lines (e.g. the month over the day)."""

    cell_clicked = Signal(object, object)
    ROW = 26
    HEAD = 36  # two lines of column heading

    def __init__(self, name: str, empty_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._rows: list[tuple[Any, str]] = []
        self._columns: list[tuple[Any, str]] = []
        self._values: dict[tuple[Any, Any], int] = {}
        self._version = 0
        self.empty_text = empty_text

    def set_grid(self, rows: Sequence[tuple[Any, str]], columns: Sequence[tuple[Any, str]],
                 values: dict[tuple[Any, Any], int]) -> None:
        self._rows, self._columns, self._values = list(rows), list(columns), dict(values)
        self._version += 1
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(560, self.HEAD + max(1, len(self._rows)) * self.ROW + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(320, self.sizeHint().height())

    def _label_width(self) -> int:
        key = (self.width(), self._version, self.font().key())
        if getattr(self, "_label_key", None) != key:
            metrics = QFontMetrics(self.font())
            widest = max((metrics.horizontalAdvance(text) for _, text in self._rows), default=0)
            self._label_key, self._label_value = key, min(widest + 12, self.width() // 3)
        return self._label_value

    def cell_rect(self, row: int, column: int) -> QRect:
        left = self._label_width()
        width = max(1, (self.width() - left - 2) // max(1, len(self._columns)))
        return QRect(left + column * width, self.HEAD + row * self.ROW, width - 2, self.ROW - 2)

    def _cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        for row in range(len(self._rows)):
            for column in range(len(self._columns)):
                if self.cell_rect(row, column).contains(int(x), int(y)):
                    return row, column
        return None

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        if not self._rows or not self._columns:
            self._empty(painter, self.empty_text)
            return
        metrics = QFontMetrics(self.font())
        top_value = max(self._values.values(), default=0) or 1
        painter.setPen(self._text_color())
        for column, (_key, text) in enumerate(self._columns):
            cell = self.cell_rect(0, column)
            lines = [metrics.elidedText(line, Qt.TextElideMode.ElideRight, cell.width() + 24)
                     for line in text.split("\n")]
            painter.drawText(QRect(cell.left() - 12, 0, cell.width() + 24, self.HEAD - 2),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                             "\n".join(lines))
        left = self._label_width()
        for row, (row_key, text) in enumerate(self._rows):
            painter.setPen(self._text_color())
            painter.drawText(QRect(0, self.HEAD + row * self.ROW, left - 8, self.ROW),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(text, Qt.TextElideMode.ElideRight, left - 8))
            for column, (column_key, _) in enumerate(self._columns):
                value = self._values.get((row_key, column_key), 0)
                cell = self.cell_rect(row, column)
                shade = QColor(ACCENT)
                shade.setAlphaF(0.08 + 0.8 * value / top_value if value else 0.04)
                painter.fillRect(cell, shade)
                painter.setPen(QColor("white") if value > top_value * 0.55 else self._text_color())
                painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, str(value) if value else "")

    def mousePressEvent(self, event) -> None:  # noqa: N802
        found = self._cell_at(event.position().x(), event.position().y())
        if found and event.button() == Qt.MouseButton.LeftButton:
            row, column = found
            self.cell_clicked.emit(self._rows[row][0], self._columns[column][0])

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        found = self._cell_at(event.position().x(), event.position().y())
        if found:
            row, column = found
            value = self._values.get((self._rows[row][0], self._columns[column][0]), 0)
            column_text = " ".join(self._columns[column][1].split())
            QToolTip.showText(event.globalPosition().toPoint(),
                              f"{self._rows[row][1]} {column_text}: {value}", self)


class StepChart(_Chart):
    """A level over time: ``set_points([(datetime, level index), …], level_names)``."""

    HEIGHT = 150
    PAD = 8

    def __init__(self, name: str, empty_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._points: list[tuple[datetime, int]] = []
        self._marks: list[tuple[datetime, str]] = []
        self._levels: list[str] = []
        self._edges: tuple[str, str] = ("", "")
        self.empty_text = empty_text

    def set_points(self, points: Sequence[tuple[datetime, int]], levels: Sequence[str],
                   edges: tuple[str, str] = ("", ""),
                   marks: Sequence[tuple[datetime, str]] = ()) -> None:
        """``edges``: the texts under the first and last point (their dates); ``marks``: moments
        drawn as dotted vertical lines with a short text (e.g. the stage changes)."""
        self._points = sorted(points)
        self._marks = sorted(marks)
        self._levels = list(levels)
        self._edges = edges
        self.update()

    def points(self) -> list[tuple[datetime, int]]:
        return list(self._points)

    def marks(self) -> list[tuple[datetime, str]]:
        return list(self._marks)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(480, self.HEIGHT)

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self._points or not self._levels:
            self._empty(painter, self.empty_text)
            return
        metrics = QFontMetrics(self.font())
        left = min(max(metrics.horizontalAdvance(t) for t in self._levels) + 12,
                   self.width() // 3)
        bottom_room = metrics.height() + 4
        area = QRectF(left, self.PAD, max(10, self.width() - left - self.PAD),
                      max(10, self.height() - self.PAD - bottom_room))
        steps = max(1, len(self._levels) - 1)

        def y_of(level: int) -> float:
            return area.bottom() - area.height() * level / steps

        grid = QColor(self.palette().color(QPalette.ColorRole.Mid))
        for level, text in enumerate(self._levels):
            painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(area.left(), y_of(level)), QPointF(area.right(), y_of(level)))
            painter.setPen(self._text_color())
            painter.drawText(QRectF(0, y_of(level) - metrics.height() / 2, left - 8,
                                    metrics.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
        start, end = self._points[0][0], self._points[-1][0]
        span = max((end - start).total_seconds(), 1.0)

        def x_of(moment: datetime) -> float:
            return area.left() + area.width() * (moment - start).total_seconds() / span

        line = QPolygonF()
        for index, (moment, level) in enumerate(self._points):
            if index:
                line.append(QPointF(x_of(moment), y_of(self._points[index - 1][1])))
            line.append(QPointF(x_of(moment), y_of(level)))
        small = self.font()
        small.setPointSizeF(small.pointSizeF() * 0.8)
        painter.setFont(small)
        for moment, text in self._marks:
            if not start <= moment <= end:
                continue
            x = x_of(moment)
            painter.setPen(QPen(grid, 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()))
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(QPointF(x + 3, area.top() + QFontMetrics(small).ascent()), text)
        painter.setFont(self.font())
        painter.setPen(QPen(ACCENT, 2))
        painter.drawPolyline(line)
        painter.setBrush(ACCENT)
        for moment, level in self._points:
            painter.drawEllipse(QPointF(x_of(moment), y_of(level)), 3, 3)
        painter.setPen(self._text_color())
        under = QRectF(area.left(), area.bottom() + 2, area.width(), bottom_room)
        painter.drawText(under, Qt.AlignmentFlag.AlignLeft, self._edges[0])
        painter.drawText(under, Qt.AlignmentFlag.AlignRight, self._edges[1])


__all__ = ["BarChart", "StepChart", "WeekGrid"]
