"""The visit timeline (訪問記録): every visit of a case, newest first, in a lazy list view.

A model holds the case's visits; rows are handed to the view 50 at a time (``fetchMore``), and a
delegate paints each one as a small rich-text document, so a case with hundreds of visits opens
without building a widget per visit. An amended visit shows what it says now, marked 訂正あり,
with the original values, each correction's reason, who made it and when.
"""

from __future__ import annotations

import html
import math
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QAction,
    QColor,
    QKeySequence,
    QPalette,
    QPen,
    QTextDocument,
)
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from outreach_desk.hlc import physical_ms
from outreach_desk.model import Visit
from outreach_desk.vocab import RelationshipStage, VisitKind
from ui.fmt import format_date, format_datetime, label, met_with_text

VisitRole = Qt.ItemDataRole.UserRole + 1
HtmlRole = Qt.ItemDataRole.UserRole + 2
VisitIdRole = Qt.ItemDataRole.UserRole + 3
KeyRole = Qt.ItemDataRole.UserRole + 4  # changes whenever what a row shows changes
CHUNK = 50
SHOWN_FIELDS = ("occurred_at", "kind", "met_with", "narrative", "reaction", "relationship_stage",
                "next_action", "next_action_due")


def field_label(name: str) -> str:
    translate = QCoreApplication.translate
    return {
        "occurred_at": translate("VisitTimeline", "日時"),
        "kind": translate("VisitTimeline", "種別"),
        "met_with": translate("VisitTimeline", "会えた人"),
        "narrative": translate("VisitTimeline", "内容"),
        "reaction": translate("VisitTimeline", "本人の反応"),
        "relationship_stage": translate("VisitTimeline", "関係の段階"),
        "next_action": translate("VisitTimeline", "次回の予定"),
        "next_action_due": translate("VisitTimeline", "期限"),
    }.get(name, name)


def value_text(name: str, value: Any) -> str:
    if value is None or value == "":
        return QCoreApplication.translate("VisitTimeline", "（なし）")
    if name == "occurred_at":
        return format_datetime(value)
    if name == "next_action_due":
        return format_date(value)
    if name == "met_with":
        return met_with_text(value) or str(value)
    vocab = {"kind": VisitKind, "relationship_stage": RelationshipStage}
    if name in vocab:
        try:
            return label(vocab[name](value))
        except ValueError:
            return str(value)
    return str(value)


def _when(hlc: int) -> str:
    return format_datetime(datetime.fromtimestamp(physical_ms(hlc) / 1000).astimezone())


def visit_parts(visit: Visit, names: dict[str, str]) -> dict[str, Any]:
    """The pieces of one timeline entry as plain text (shared by the text and HTML forms)."""
    eff = visit.effective
    unknown = QCoreApplication.translate("VisitTimeline", "不明な支援員")
    parts: dict[str, Any] = {
        "headline": "{when}　{kind}".format(when=value_text("occurred_at", eff["occurred_at"]),
                                          kind=value_text("kind", eff["kind"])),
        "facts": QCoreApplication.translate(
            "VisitTimeline", "会えた人: {met}　関係の段階: {stage}").format(
            met=value_text("met_with", eff["met_with"]),
            stage=value_text("relationship_stage", eff["relationship_stage"])),
        "narrative": eff.get("narrative") or "",
        "reaction": "", "next": "",
        "author": QCoreApplication.translate("VisitTimeline", "記録: {name}").format(
            name=names.get(visit.author, unknown)),
        "amended": bool(visit.amendments), "original": [], "amendments": [],
        "conflicts": [field_label(n) for n in visit.conflicts],
    }
    if eff.get("reaction"):
        parts["reaction"] = QCoreApplication.translate("VisitTimeline", "反応: {text}").format(
            text=eff["reaction"])
    if eff.get("next_action"):
        if eff.get("next_action_due"):
            parts["next"] = QCoreApplication.translate(
                "VisitTimeline", "次回の予定: {action}（期限: {due}）").format(
                action=eff["next_action"], due=format_date(eff["next_action_due"]))
        else:
            parts["next"] = QCoreApplication.translate(
                "VisitTimeline", "次回の予定: {action}").format(action=eff["next_action"])
    changed = [n for n in SHOWN_FIELDS if any(n in a["changes"] for a in visit.amendments)]
    parts["original"] = [(field_label(n), value_text(n, visit.original.get(n))) for n in changed]
    for amendment in visit.amendments:
        head = QCoreApplication.translate("VisitTimeline", "訂正 {when}（{name}）理由: {reason}")
        parts["amendments"].append((
            head.format(when=_when(amendment["hlc"]),
                        name=names.get(amendment["author"], unknown), reason=amendment["reason"]),
            [(field_label(n), value_text(n, v)) for n, v in amendment["changes"].items()],
        ))
    return parts


def _labels() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {
        "amended": translate("VisitTimeline", "訂正あり"),
        "original": translate("VisitTimeline", "元の記録:"),
        "conflict": translate("VisitTimeline", "同時に別の訂正があります:"),
    }


def visit_text(visit: Visit, names: dict[str, str]) -> str:
    """The whole entry as plain text (screen readers, copying, tests)."""
    p, words = visit_parts(visit, names), _labels()
    headline = p["headline"] + ("　" + words["amended"] if p["amended"] else "")
    lines = [headline, p["facts"], p["narrative"], p["reaction"], p["next"], p["author"]]
    if p["original"]:
        lines.append(words["original"] + " " + "、".join(f"{k}: {v}" for k, v in p["original"]))
        for head, changes in p["amendments"]:
            lines.append(head + " — " + "、".join(f"{k}: {v}" for k, v in changes))
    if p["conflicts"]:
        lines.append(words["conflict"] + " " + "、".join(p["conflicts"]))
    return "\n".join(line for line in lines if line)


def _h(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def visit_html(visit: Visit, names: dict[str, str], comments: tuple[str, ...] = ()) -> str:
    """``comments``: the supervision comments on this visit, shown under it."""
    p, words = visit_parts(visit, names), _labels()
    out = [f"<div><b>{_h(p['headline'])}</b>"]
    if p["amended"]:
        out.append(f"　<span style='color:#b3261e; font-weight:bold'>{_h(words['amended'])}</span>")
    out.append(f"<br><span style='color:#555'>{_h(p['facts'])}</span></div>")
    for key in ("narrative", "reaction", "next"):
        if p[key]:
            out.append(f"<p style='margin:4px 0 0 0'>{_h(p[key])}</p>")
    if p["original"]:
        rows = "".join(f"<br>{_h(k)}: {_h(v)}" for k, v in p["original"])
        out.append(f"<p style='margin:4px 0 0 0; color:#555'>{_h(words['original'])}{rows}</p>")
        for head, changes in p["amendments"]:
            rows = "".join(f"<br>→ {_h(k)}: {_h(v)}" for k, v in changes)
            out.append(f"<p style='margin:2px 0 0 0; color:#555'>{_h(head)}{rows}</p>")
    if p["conflicts"]:
        text = words["conflict"] + " " + "、".join(p["conflicts"])
        out.append(f"<p style='margin:4px 0 0 0; color:#b3261e'>{_h(text)}</p>")
    out.append(f"<p style='margin:4px 0 0 0; color:#777'>{_h(p['author'])}</p>")
    for comment in comments:
        text = QCoreApplication.translate("Timeline", "スーパービジョン: {text}").format(
            text=comment)
        out.append(f"<p style='margin:4px 0 0 0; color:#1d5c8c'>{_h(text)}</p>")
    return "".join(out)


class VisitTimelineModel(QAbstractListModel):
    """Visits newest first; rows are handed to the view in chunks of ``CHUNK``."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._visits: list[Visit] = []
        self._names: dict[str, str] = {}
        self._shown = 0
        # rendered rows survive a reload: after a save only the new visit is rendered again
        self._html: dict[tuple, str] = {}
        self._text: dict[tuple, str] = {}
        self._signature: tuple = ()
        self._comments: dict[str, tuple[str, ...]] = {}

    def set_visits(self, visits: list[Visit], names: dict[str, str],
                   comments: dict[str, tuple[str, ...]] | None = None) -> bool:
        """Replace the visits (and the supervision comments on them, by visit id); returns
        False (and keeps the view as it is) if nothing changed."""
        self._comments = dict(comments or {})
        signature = tuple(self.key(v) for v in visits)
        if signature == self._signature and names == self._names:
            return False
        self.beginResetModel()
        if names != self._names or len(self._html) > 5 * len(visits) + 500:
            self._html.clear()
            self._text.clear()
        self._visits, self._names, self._signature = list(visits), dict(names), signature
        self._shown = min(len(visits), max(CHUNK, self._shown))
        self.endResetModel()
        return True

    def key(self, visit: Visit) -> tuple:
        return visit.id, len(visit.amendments), visit.conflicts, self._comments.get(visit.id, ())

    def total(self) -> int:
        return len(self._visits)

    def visits(self) -> list[Visit]:
        return list(self._visits)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._shown

    def canFetchMore(self, parent: QModelIndex) -> bool:  # noqa: N802
        return not parent.isValid() and self._shown < len(self._visits)

    def fetchMore(self, parent: QModelIndex) -> None:  # noqa: N802
        if parent.isValid():
            return
        count = min(CHUNK, len(self._visits) - self._shown)
        if count <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + count - 1)
        self._shown += count
        self.endInsertRows()

    def row_of(self, visit_id: str) -> int:
        """The row of a visit, handing more rows to the view until it is there (-1: none)."""
        for row, visit in enumerate(self._visits):
            if visit.id == visit_id:
                while self._shown <= row:
                    self.fetchMore(QModelIndex())
                return row
        return -1

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._shown:
            return None
        visit = self._visits[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            key = self.key(visit)
            if key not in self._text:
                self._text[key] = visit_text(visit, self._names)
            return self._text[key]
        if role == HtmlRole:
            key = self.key(visit)
            if key not in self._html:
                self._html[key] = visit_html(visit, self._names,
                                             self._comments.get(visit.id, ()))
            return self._html[key]
        if role == KeyRole:
            return self.key(visit)
        if role == VisitRole:
            return visit
        if role == VisitIdRole:
            return visit.id
        return None


class VisitDelegate(QStyledItemDelegate):
    """Paints a visit as rich text; heights are cached per visit and view width."""

    MARGIN = 8

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self.view = view
        self._heights: dict[tuple[str, int], int] = {}

    def clear(self) -> None:
        self._heights.clear()

    def _document(self, index: QModelIndex, width: int) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(self.view.font())
        doc.setDocumentMargin(0)
        doc.setHtml(index.data(HtmlRole) or "")
        doc.setTextWidth(width)
        return doc

    def _width(self) -> int:
        return max(160, self.view.viewport().width() - 2 * self.MARGIN - 4)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        width = self._width()
        if not self.view.isVisible():  # laid out again once shown at its real width
            return QSize(width + 2 * self.MARGIN, 80)
        key = (index.data(KeyRole), width)
        if key not in self._heights:
            if len(self._heights) > 20_000:
                self._heights.clear()
            height = math.ceil(self._document(index, width).size().height())
            self._heights[key] = height + 2 * self.MARGIN
        return QSize(width + 2 * self.MARGIN, self._heights[key])

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        # A light tint for the selection (not the strong highlight colour), so the grey
        # secondary lines stay readable on the selected visit.
        rect: QRect = option.rect
        palette = option.palette
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            tint = QColor(palette.color(QPalette.ColorRole.Highlight))
            tint.setAlpha(48)
            painter.fillRect(rect, tint)
            painter.fillRect(QRect(rect.left(), rect.top(), 4, rect.height()),
                             palette.color(QPalette.ColorRole.Highlight))
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        if option.state & QStyle.StateFlag.State_HasFocus:
            pen = QPen(palette.color(QPalette.ColorRole.Highlight))
            pen.setStyle(Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        doc = self._document(index, rect.width() - 2 * self.MARGIN)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, palette.color(QPalette.ColorRole.Text))
        painter.translate(rect.topLeft() + QPoint(self.MARGIN, self.MARGIN))
        painter.setClipRect(QRect(0, 0, rect.width() - self.MARGIN, rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()


class TimelineView(QListView):
    """The list of visits. F2 (or Enter, or the context menu) asks to correct the selected one."""

    amend_requested = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("visitTimeline")
        self.setAccessibleName(self.tr("訪問記録の一覧"))
        self.setUniformItemSizes(False)
        self.setWordWrap(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.timeline_model = VisitTimelineModel(self)
        self.setModel(self.timeline_model)
        self.delegate = VisitDelegate(self)
        self.setItemDelegate(self.delegate)
        self.amend_action = QAction(self.tr("この記録を訂正"), self)
        self.amend_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.amend_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.amend_action.triggered.connect(self._amend_current)
        self.addAction(self.amend_action)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.activated.connect(lambda index: self._amend_current())

    def current_visit_id(self) -> str | None:
        index = self.currentIndex()
        return index.data(VisitIdRole) if index.isValid() else None

    def _amend_current(self) -> None:
        visit_id = self.current_visit_id()
        if visit_id:
            self.amend_requested.emit(visit_id)

    def select_visit(self, visit_id: str) -> bool:
        row = self.timeline_model.row_of(visit_id)
        if row < 0:
            return False
        index = self.timeline_model.index(row)
        self.setCurrentIndex(index)
        self.scrollTo(index)
        return True

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.size().width() != event.oldSize().width():
            self.scheduleDelayedItemsLayout()
        super().resizeEvent(event)


__all__ = ["HtmlRole", "KeyRole", "TimelineView", "VisitIdRole", "VisitRole", "VisitTimelineModel",
           "field_label", "value_text", "visit_html", "visit_text"]
