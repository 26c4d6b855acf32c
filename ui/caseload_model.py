"""Data behind the caseload (担当ケース) and follow-ups (次回予定) screens.

* :class:`CaseRowSource` — the session's case rows in memory, one per session, shared by both
  screens: loaded once in the background after unlock, then kept current from
  ``Session.changed`` by re-reading only the cases a write touched (``store.caseload(ids)``).
  It lives in :mod:`ui.case_rows` (with :class:`Entry`), the background reads in
  :mod:`ui.background_reads`; both are importable from here too.
* :class:`CaseloadModel` — a ``QAbstractTableModel`` over those rows, in display order.
* :class:`CaseloadProxy` — a ``QSortFilterProxyModel`` that filters (search text, district,
  stage, consent, overdue) and takes the view's sort requests.

Why sorting is done by the source model: with ``lessThan`` written in Python, sorting 10,000 rows
costs one Python call per comparison (about 0.8 s), and every keystroke that loosens the filter
re-sorts the rows it lets back in the same way (0.6 s for one backspace). So each row carries
precomputed sort keys, ``CaseloadProxy.sort`` hands the request to ``CaseloadModel.sort``, which
reorders its list with Python's ``list.sort`` (milliseconds) and announces a layout change, and
the proxy only filters: one cheap ``filterAcceptsRow`` call per row, no SQL, no folding.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

from outreach_desk.search import fold
from outreach_desk.vocab import CaseStage, ConsentStatus
from ui.background_reads import read_in_background, weak_callback
from ui.case_rows import OPEN_STAGES, CaseRowSource, Entry, make_entries
from ui.fmt import format_date, format_datetime, label

log = logging.getLogger(__name__)

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
KANA_ROLE = Qt.ItemDataRole.UserRole + 2
CONSENT_ROLE = Qt.ItemDataRole.UserRole + 3  # the ConsentStatus of the row
FLAGGED_ROLE = Qt.ItemDataRole.UserRole + 4  # consent records in conflict (要確認)
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 5
SORT_ROLE = Qt.ItemDataRole.UserRole + 6  # the precomputed sort key of the cell's column
CONFLICT_ROLE = Qt.ItemDataRole.UserRole + 7  # an open conflict on the case or its records
CONFLICT_MARK = " \u26a0"  # ⚠ after the name of a case with an open conflict (競合)

TREND_ARROWS = {1: "\u2197", 0: "\u2192", -1: "\u2198"}  # ↗ → ↘


# -- the table --------------------------------------------------------------------------------


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


_BADGE_HUES = {  # hue, saturation (0 = grey); lightness follows the palette
    ConsentStatus.GRANTED: (130, 150),
    ConsentStatus.PARTIAL: (38, 190),
    ConsentStatus.NONE: (0, 0),
    ConsentStatus.WITHDRAWN: (0, 170),
}


def badge_colors(status: ConsentStatus, palette: QPalette) -> tuple[QColor, QColor]:
    """(background, text) of a consent badge, readable on light and dark palettes alike."""
    hue, sat = _BADGE_HUES.get(status, (0, 0))
    if _is_dark(palette):
        return QColor.fromHsl(hue, sat, 62), QColor.fromHsl(hue, min(255, sat + 40), 225)
    return QColor.fromHsl(hue, sat, 228), QColor.fromHsl(hue, min(255, sat + 40), 62)


def warning_color(palette: QPalette) -> QColor:
    """Red text for overdue actions: dark red on light palettes, light red on dark ones."""
    return QColor.fromHsl(0, 200, 185) if _is_dark(palette) else QColor.fromHsl(0, 200, 85)


class CaseloadModel(QAbstractTableModel):
    """The rows of :class:`CaseRowSource` in display order (sorted by ``sort``)."""

    NAME, DISTRICT, STAGE, CONSENT, LAST_CONTACT, NEXT_ACTION, TREND = range(7)
    COLUMNS = 7

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.entries: list[Entry] = []
        self._rows: dict[str, int] = {}
        self.today = date.today().isoformat()
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder
        self.conflict_marks = None  # ui.sync_controller.ConflictMarks, or None

    # -- content ----------------------------------------------------------------------------

    def set_entries(self, entries: Iterable[Entry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self._sort_list()
        self._reindex()
        self.endResetModel()

    def clear(self) -> None:
        self.set_entries([])

    def apply(self, changed: Iterable[Entry], removed: Iterable[str] = ()) -> None:
        """Replace changed rows in place, append new ones, drop removed ones; re-sort if needed."""
        gone = sorted((self._rows[c] for c in removed if c in self._rows), reverse=True)
        for row in gone:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.entries[row]
            self.endRemoveRows()
        if gone:
            self._reindex()
        touched, new = [], []
        for entry in changed:
            row = self._rows.get(entry.case_id)
            if row is None:
                new.append(entry)
            else:
                self.entries[row] = entry
                touched.append(row)
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.COLUMNS - 1))
        if new:
            first = len(self.entries)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self.entries.extend(new)
            for offset, entry in enumerate(new):
                self._rows[entry.case_id] = first + offset
            self.endInsertRows()
            touched.extend(range(first, first + len(new)))
        if self.sort_column >= 0 and any(not self._in_place(row) for row in touched):
            self._relayout()

    def set_today(self, today: str) -> None:
        if today != self.today:
            self.today = today
            if self.entries:
                self.dataChanged.emit(self.index(0, self.NEXT_ACTION),
                                      self.index(len(self.entries) - 1, self.NEXT_ACTION))

    def set_conflict_marks(self, marks) -> None:
        """Which cases carry the ⚠ of an open conflict (a ``ConflictMarks``, or None)."""
        if not marks:
            marks = None
        if marks == self.conflict_marks:
            return
        self.conflict_marks = marks
        if self.entries:
            self.dataChanged.emit(self.index(0, self.NAME),
                                  self.index(len(self.entries) - 1, self.NAME))

    def has_conflict(self, entry: Entry) -> bool:
        marks = self.conflict_marks
        return marks is not None and marks.marks(entry.case_id, entry.row.person_id,
                                                 entry.row.household_id)

    def entry(self, row: int) -> Entry:
        return self.entries[row]

    def row_of(self, case_id: str) -> int:
        return self._rows.get(case_id, -1)

    def _reindex(self) -> None:
        self._rows = {entry.case_id: row for row, entry in enumerate(self.entries)}

    # -- sorting ----------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if (column, order) == (self.sort_column, self.sort_order):
            return  # already in that order (rows are re-sorted whenever they change)
        self.sort_column, self.sort_order = column, order
        self._relayout()

    def _sort_list(self) -> None:
        """By the column's key; ties by reading (ascending either way), then case id."""
        column = self.sort_column
        if not 0 <= column < self.COLUMNS:
            return
        self.entries.sort(key=lambda entry: entry.keys[self.NAME])
        if column != self.NAME or self.sort_order == Qt.SortOrder.DescendingOrder:
            # stable, also when reversed: ties keep the reading order of the first pass
            self.entries.sort(key=lambda entry: entry.keys[column],
                              reverse=self.sort_order == Qt.SortOrder.DescendingOrder)

    def _in_place(self, row: int) -> bool:
        column, name = self.sort_column, self.NAME
        descending = self.sort_order == Qt.SortOrder.DescendingOrder

        def in_order(first: Entry, second: Entry) -> bool:
            a, b = first.keys[column], second.keys[column]
            if a != b:
                return (a > b) if descending else (a < b)
            return first.keys[name] <= second.keys[name]

        entries = self.entries
        return ((row == 0 or in_order(entries[row - 1], entries[row]))
                and (row + 1 >= len(entries) or in_order(entries[row], entries[row + 1])))

    def _relayout(self) -> None:
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        kept = [(self.entries[i.row()].case_id, i.column()) for i in persistent]
        self._sort_list()
        self._reindex()
        self.changePersistentIndexList(
            persistent, [self.index(self._rows[case_id], column) for case_id, column in kept])
        self.layoutChanged.emit()

    # -- Qt model API -----------------------------------------------------------------------

    def rowCount(self, parent=None) -> int:  # noqa: N802 (Qt override)
        return 0 if parent is not None and parent.isValid() else len(self.entries)

    def columnCount(self, parent=None) -> int:  # noqa: N802 (Qt override)
        return 0 if parent is not None and parent.isValid() else self.COLUMNS

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._header(section)
        if role == Qt.ItemDataRole.ToolTipRole and section == self.TREND:
            return QCoreApplication.translate(
                "CaseloadModel", "前回の訪問と比べた関係の段階（↗ 進んだ / → 同じ / ↘ 後退）")
        return None

    @staticmethod
    def _header(section: int) -> str | None:
        names = (
            QCoreApplication.translate("CaseloadModel", "氏名"),
            QCoreApplication.translate("CaseloadModel", "地区"),
            QCoreApplication.translate("CaseloadModel", "支援段階"),
            QCoreApplication.translate("CaseloadModel", "同意"),
            QCoreApplication.translate("CaseloadModel", "最終接触"),
            QCoreApplication.translate("CaseloadModel", "次回予定"),
            QCoreApplication.translate("CaseloadModel", "関係の変化"),
        )
        return names[section] if 0 <= section < len(names) else None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry = self.entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
        if role == CASE_ID_ROLE:
            return entry.case_id
        if role == SORT_ROLE:
            return entry.keys[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        if role == KANA_ROLE:
            return entry.row.kana
        if role == CONSENT_ROLE:
            return entry.row.consent
        if role == FLAGGED_ROLE:
            return entry.row.consent_flagged
        if role == CONFLICT_ROLE:
            return self.has_conflict(entry)
        if role == OVERDUE_ROLE:
            return entry.overdue(self.today)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible(entry, column)
        if column == self.NEXT_ACTION and entry.overdue(self.today):
            if role == Qt.ItemDataRole.ForegroundRole:
                return warning_color(QGuiApplication.palette())
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        return None

    def _display(self, entry: Entry, column: int) -> str:
        row = entry.row
        if column == self.NAME:
            return row.name + CONFLICT_MARK if self.has_conflict(entry) else row.name
        if column == self.DISTRICT:
            return row.district
        if column == self.STAGE:
            return label(row.stage)
        if column == self.CONSENT:
            return label(row.consent) + (" \u26a0" if row.consent_flagged else "")  # ⚠
        if column == self.LAST_CONTACT:
            return format_date(row.last_visit_at)
        if column == self.NEXT_ACTION:
            return "\n".join(self._next_lines(entry))
        if column == self.TREND:
            if row.relationship is None:
                return ""
            return TREND_ARROWS[row.trend] + " " + label(row.relationship)
        return ""

    def _next_lines(self, entry: Entry) -> list[str]:
        row = entry.row
        lines = [row.next_action] if row.next_action else []
        if row.next_action_due:
            when = format_date(row.next_action_due)
            if entry.overdue(self.today):
                lines.append(QCoreApplication.translate(
                    "CaseloadModel", "期限切れ（{date}）").format(date=when))
            else:
                lines.append(QCoreApplication.translate(
                    "CaseloadModel", "期限 {date}").format(date=when))
        return lines

    def _tooltip(self, entry: Entry, column: int) -> str | None:
        row = entry.row
        if column == self.NAME and self.has_conflict(entry):
            conflict = QCoreApplication.translate(
                "CaseloadModel", "未解決の競合があります。「競合」の画面で確認してください。")
            if not row.kana:
                return conflict
            return QCoreApplication.translate("CaseloadModel", "ふりがな: {kana}").format(
                kana=row.kana) + "\n" + conflict
        if column == self.NAME and row.kana:
            return QCoreApplication.translate("CaseloadModel", "ふりがな: {kana}").format(
                kana=row.kana)
        if column == self.STAGE and row.stage_since:
            return QCoreApplication.translate("CaseloadModel", "{stage}（{date} から）").format(
                stage=label(row.stage), date=format_date(row.stage_since))
        if column == self.CONSENT and row.consent_flagged:
            return QCoreApplication.translate(
                "CaseloadModel", "同意の記録が食い違っています。ケース画面で確認してください。")
        if column == self.LAST_CONTACT and row.last_visit_at:
            return format_datetime(row.last_visit_at)
        if column == self.NEXT_ACTION and (row.next_action or row.next_action_due):
            return "\n".join(self._next_lines(entry))
        if column == self.TREND and row.relationship is not None:
            if row.relationship_prev is None:
                return label(row.relationship)
            return QCoreApplication.translate("CaseloadModel", "前回: {prev} → 今回: {now}").format(
                prev=label(row.relationship_prev), now=label(row.relationship))
        return None

    def _accessible(self, entry: Entry, column: int) -> str:
        row = entry.row
        if column == self.NAME:
            text = " ".join(part for part in (row.name, row.kana) if part)
            if self.has_conflict(entry):
                text += QCoreApplication.translate("CaseloadModel", "（競合あり）")
            return text
        if column == self.CONSENT and row.consent_flagged:
            return QCoreApplication.translate("CaseloadModel", "{status}（要確認）").format(
                status=label(row.consent))
        return self._display(entry, column).replace("\n", " ")


# -- filtering --------------------------------------------------------------------------------

FLAGGED = "flagged"  # consent filter: records in conflict, whatever the status
OPEN = "open"  # stage filter: every stage but 終結 and 中断


class CaseloadProxy(QSortFilterProxyModel):
    """Filters :class:`CaseloadModel`; passes sort requests to it (see the module's note)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.setDynamicSortFilter(True)  # re-filter a row when the source changes it
        self.needle = ""  # the folded search text
        self.hits: frozenset[str] = frozenset()  # cases found in notes and visits
        self.district: str | None = None
        self.stages: frozenset[CaseStage] | None = None
        self.consent: ConsentStatus | str | None = None
        self.overdue_only = False
        self._active = False  # any filter set (checked first: one call per row)
        self._model: CaseloadModel | None = None

    def setSourceModel(self, model) -> None:  # noqa: N802 (Qt override)
        self._model = model
        super().setSourceModel(model)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if isinstance(model, CaseloadModel):
            model.sort(column, order)

    # -- filters ----------------------------------------------------------------------------

    def _set(self, **values) -> None:
        if all(getattr(self, name) == value for name, value in values.items()):
            return
        self.beginFilterChange()
        for name, value in values.items():
            setattr(self, name, value)
        self._active = self.filtering
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        """Match names and readings now; hits from notes and visits come later (``set_hits``)."""
        self._set(needle=fold(text), hits=frozenset())

    def set_hits(self, case_ids: Iterable[str]) -> None:
        self._set(hits=frozenset(case_ids))

    def set_district(self, district: str | None) -> None:
        self._set(district=district)

    def set_stage(self, stage: CaseStage | str | None) -> None:
        if stage == OPEN:
            self._set(stages=OPEN_STAGES)
        else:
            self._set(stages=None if stage is None else frozenset((CaseStage(stage),)))

    def set_consent(self, consent: ConsentStatus | str | None) -> None:
        self._set(consent=consent)

    def set_overdue_only(self, on: bool) -> None:
        self._set(overdue_only=bool(on))

    def refilter(self) -> None:
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    @property
    def filtering(self) -> bool:
        return bool(self.needle or self.district is not None or self.stages is not None
                    or self.consent is not None or self.overdue_only)

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:  # noqa: N802
        if not self._active:
            return True
        model = self._model
        entry = model.entries[source_row]
        row = entry.row
        if self.needle and self.needle not in entry.folded and row.case_id not in self.hits:
            return False
        if self.district is not None and row.district != self.district:
            return False
        if self.stages is not None and row.stage not in self.stages:
            return False
        consent = self.consent
        if consent is not None:
            if consent == FLAGGED:
                if not row.consent_flagged:
                    return False
            elif row.consent != consent:
                return False
        return not self.overdue_only or entry.overdue(model.today)

    def case_id(self, index: QModelIndex) -> str | None:
        return index.data(CASE_ID_ROLE) if index.isValid() else None


__all__ = ["CASE_ID_ROLE", "CONFLICT_MARK", "CONFLICT_ROLE", "CONSENT_ROLE", "FLAGGED",
           "FLAGGED_ROLE", "KANA_ROLE", "OPEN",
           "OVERDUE_ROLE", "SORT_ROLE", "CaseRowSource", "CaseloadModel", "CaseloadProxy",
           "Entry", "badge_colors", "make_entries", "read_in_background", "warning_color",
           "weak_callback"]
