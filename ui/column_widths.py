"""Widths of table columns, measured from sample text in the widget's font.

The caseload table and the follow-ups tree size their columns from these samples, so a column
shows a long name, a district or a date whole whatever the font.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QWidget

from ui.fmt import format_date

CELL = "\u3000"  # an ideographic space: as wide as one kanji or kana
SAMPLE_NAME = CELL * 8  # a long name (e.g. a household's), for column widths
SAMPLE_DISTRICT = CELL * 3
SAMPLE_DATE = "2026-12-30"


def text_width(widget: QWidget, sample: str, padding: int, *, bold: bool = False) -> int:
    """Width of a column that shows ``sample`` whole (dates formatted as they will be)."""
    if sample == SAMPLE_DATE:
        sample = format_date(sample)
    font = QFont(widget.font())
    font.setBold(bold)
    return QFontMetrics(font).horizontalAdvance(sample) + padding
