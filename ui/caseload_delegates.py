"""Item delegates of the caseload table: the name with its reading, and the consent badge.

They paint; they hold no strings of their own (the text comes from ``CaseloadModel``).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPalette, QPen
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from outreach_desk.vocab import ConsentStatus
from ui.caseload_model import (
    CONFLICT_MARK,
    CONSENT_ROLE,
    FLAGGED_ROLE,
    KANA_ROLE,
    badge_colors,
    warning_color,
)


def _style(option: QStyleOptionViewItem) -> QStyle:
    return option.widget.style() if option.widget is not None else QApplication.style()


def _color_group(option: QStyleOptionViewItem) -> QPalette.ColorGroup:
    if not option.state & QStyle.StateFlag.State_Enabled:
        return QPalette.ColorGroup.Disabled
    if not option.state & QStyle.StateFlag.State_Active:
        return QPalette.ColorGroup.Inactive
    return QPalette.ColorGroup.Normal


def _draw_background(option: QStyleOptionViewItem, painter) -> QRect:
    """The item's background, selection and focus as the style draws them; the text rect."""
    style = _style(option)
    option.text = ""
    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
    return style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, option.widget)


class NameDelegate(QStyledItemDelegate):
    """氏名 on the first line, ふりがな smaller and quieter under it."""

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        name, kana = opt.text, index.data(KANA_ROLE) or ""
        rect = _draw_background(opt, painter).adjusted(2, 1, -2, -1)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = _color_group(opt)
        main = opt.palette.color(group, QPalette.ColorRole.HighlightedText if selected
                                 else QPalette.ColorRole.Text)
        quiet = main if selected else opt.palette.color(group, QPalette.ColorRole.PlaceholderText)
        small = QFont(opt.font)
        if small.pointSizeF() > 0:
            small.setPointSizeF(small.pointSizeF() * 0.85)
        big_fm, small_fm = QFontMetrics(opt.font), QFontMetrics(small)
        height = big_fm.height() + (small_fm.height() if kana else 0)
        top = rect.top() + max(0, (rect.height() - height) // 2)
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(main)
        mark = CONFLICT_MARK if name.endswith(CONFLICT_MARK) else ""  # ⚠ stays when elided
        room = rect.width() - big_fm.horizontalAdvance(mark)
        painter.drawText(QRect(rect.left(), top, rect.width(), big_fm.height()), align,
                         big_fm.elidedText(name.removesuffix(mark) if mark else name,
                                           Qt.TextElideMode.ElideRight, room) + mark)
        if kana:
            painter.setFont(small)
            painter.setPen(quiet)
            painter.drawText(
                QRect(rect.left(), top + big_fm.height(), rect.width(), small_fm.height()), align,
                small_fm.elidedText(kana, Qt.TextElideMode.ElideRight, rect.width()))
        painter.restore()


class ConsentDelegate(QStyledItemDelegate):
    """同意状況 as a coloured badge; a conflict between consent records gets a red outline."""

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        try:
            status = ConsentStatus(index.data(CONSENT_ROLE))
        except ValueError:
            status = ConsentStatus.NONE
        rect = _draw_background(opt, painter)
        fm = QFontMetrics(opt.font)
        height = fm.height() + 4
        width = min(fm.horizontalAdvance(text) + 16, max(0, rect.width() - 4))
        pill = QRect(rect.left() + 2, rect.center().y() - height // 2 + 1, width, height)
        background, foreground = badge_colors(status, opt.palette)
        painter.save()
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        if index.data(FLAGGED_ROLE):
            painter.setPen(QPen(warning_color(opt.palette), 2))
        else:
            painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(pill, height / 2, height / 2)
        painter.setPen(foreground)
        painter.setFont(opt.font)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter,
                         fm.elidedText(text, Qt.TextElideMode.ElideRight, pill.width() - 8))
        painter.restore()
