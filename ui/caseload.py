"""The caseload (担当ケース) and follow-ups (次回予定) screens.

Both show the session's case rows (:class:`ui.caseload_model.CaseRowSource`), read in the
background after unlock and then kept current case by case from ``Session.changed``.

The caseload is a table (``CaseloadModel`` behind a ``CaseloadProxy``) with a search box and
filters. Typing filters at once by name and reading, folded like the store's search (カタカナ /
ひらがな / 全角・半角 do not matter); a moment later (``SEARCH_DELAY_MS``) the store's full-text
search runs in the background and adds the cases whose notes or visit records contain the text.
A result that comes back after the text changed again is ignored; a single character is matched
against names and readings only (one kana is in nearly every visit record). Enter or a double
click opens the case; Enter in the search box opens the only match, Down moves to the list.

The follow-ups screen lives in :mod:`ui.follow_ups_view` and the caseload table's delegates in
:mod:`ui.caseload_delegates`; their classes are importable from here too.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from outreach_desk.search import fold
from outreach_desk.vocab import CaseStage, ConsentStatus, RelationshipStage
from ui.background_reads import read_in_background, weak_callback
from ui.caseload_delegates import ConsentDelegate, NameDelegate
from ui.caseload_model import (
    CASE_ID_ROLE,
    FLAGGED,
    OPEN,
    CaseloadModel,
    CaseloadProxy,
    CaseRowSource,
)
from ui.column_widths import SAMPLE_DATE, SAMPLE_DISTRICT, SAMPLE_NAME, text_width
from ui.fmt import DISTRICTS, label
from ui.follow_ups_view import FollowUpsView, FollowUpTree

log = logging.getLogger(__name__)


class CaseTable(QTableView):
    """The caseload table: Enter or a double click asks for the current case."""

    open_requested = Signal(QModelIndex)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.doubleClicked.connect(self.open_requested.emit)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)


def _matching_cases(store, query: str, limit: int) -> frozenset[str]:
    """Cases of every record the store's full-text search finds (runs in the background)."""
    return frozenset(case_id for hit in store.search(query, limit) for case_id in hit.case_ids)


class CaseloadView(QWidget):
    """担当ケース: every case, searchable, filterable and sortable by each column."""

    case_requested = Signal(str)
    text_search_done = Signal()  # the background search's hits were applied (tests wait on it)

    SEARCH_DELAY_MS = 250
    SEARCH_LIMIT = 300  # records from the full-text search (newest first)
    SEARCH_MIN_CHARS = 2  # one kana is in nearly every visit record: names and readings only

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.rows = CaseRowSource.of(session)
        self.model = CaseloadModel(self)
        self.proxy = CaseloadProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.set_stage(OPEN)  # the stage filter's first choice, すべての段階
        self._tasks = QObject(self)  # owner of background searches (see read_in_background)
        self._search_token = 0  # bumped by every change of the text and every search started
        self._searching = False
        self._failed = False
        self._index_damaged = False  # the full-text search found its index damaged

        self.search = QLineEdit()
        self.search.setObjectName("caseloadSearch")
        self.search.setPlaceholderText(self.tr("氏名・ふりがな・記録の本文で検索 (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("ケースを検索"))
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(self.SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_text_search)

        self.district = QComboBox()
        self.district.setObjectName("districtFilter")
        self.district.setAccessibleName(self.tr("地区で絞り込む"))
        self._fill_districts()
        self.stage = QComboBox()
        self.stage.setObjectName("stageFilter")
        self.stage.setAccessibleName(self.tr("支援段階で絞り込む"))
        # 「すべての段階」 is every open stage: 終結 and 中断 only when asked (or chosen alone)
        self.stage.addItem(self.tr("すべての段階"), OPEN)
        self.stage.addItem(self.tr("終結・中断を含む"), None)
        for stage in CaseStage:
            self.stage.addItem(label(stage), stage.value)
        self.consent = QComboBox()
        self.consent.setObjectName("consentFilter")
        self.consent.setAccessibleName(self.tr("同意状況で絞り込む"))
        self.consent.addItem(self.tr("すべての同意状況"), None)
        for status in (ConsentStatus.GRANTED, ConsentStatus.PARTIAL, ConsentStatus.NONE,
                       ConsentStatus.WITHDRAWN):
            self.consent.addItem(label(status), status.value)
        self.consent.addItem(self.tr("要確認（同意の記録が食い違う）"), FLAGGED)
        self.overdue = QCheckBox(self.tr("期限切れのみ"))
        self.overdue.setObjectName("overdueFilter")
        self.count = QLabel()
        self.count.setObjectName("caseloadCount")
        self.count.setProperty("role", "hint")

        self.table = CaseTable()
        self.table.setObjectName("caseloadTable")
        self.table.setAccessibleName(self.tr("担当ケース一覧"))
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setCornerButtonEnabled(False)
        self.table.setItemDelegateForColumn(CaseloadModel.NAME, NameDelegate(self.table))
        self.table.setItemDelegateForColumn(CaseloadModel.CONSENT, ConsentDelegate(self.table))
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().lineSpacing() * 2 + 10)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        for column, sample in ((CaseloadModel.NAME, SAMPLE_NAME),
                               (CaseloadModel.DISTRICT, SAMPLE_DISTRICT),
                               (CaseloadModel.STAGE, label(CaseStage.SUPPORT)),
                               (CaseloadModel.CONSENT, label(ConsentStatus.PARTIAL) + " \u26a0"),
                               (CaseloadModel.LAST_CONTACT, SAMPLE_DATE),
                               (CaseloadModel.TREND,
                                "\u2197 " + label(RelationshipStage.CONNECTED))):
            header.resizeSection(column, text_width(self, sample, 28))
        header.setSectionResizeMode(CaseloadModel.NEXT_ACTION, QHeaderView.ResizeMode.Stretch)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(CaseloadModel.NAME, Qt.SortOrder.AscendingOrder)

        filters = QHBoxLayout()
        for widget in (self.district, self.stage, self.consent, self.overdue):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        for first, second in ((self.search, self.district), (self.district, self.stage),
                              (self.stage, self.consent), (self.consent, self.overdue),
                              (self.overdue, self.table)):
            self.setTabOrder(first, second)

        self.search.textChanged.connect(self._on_text)
        self.search.returnPressed.connect(self._on_search_return)
        self.district.currentIndexChanged.connect(self._on_filters)
        self.stage.currentIndexChanged.connect(self._on_filters)
        self.consent.currentIndexChanged.connect(self._on_filters)
        self.overdue.toggled.connect(self._on_filters)
        self.table.open_requested.connect(self._open)
        self.rows.reset.connect(self._on_reset)
        self.rows.updated.connect(self._on_updated)
        self.rows.loading_changed.connect(self._update_count)
        self.rows.failed.connect(self._on_failed)
        self.rows.day_changed.connect(self._on_day_changed)
        if self.rows.loaded:
            self._on_reset()
        self._update_count()

    # -- the interface the main window uses -------------------------------------------------

    def reload(self) -> None:
        """Read every case again in the background (after unlock)."""
        self._failed = False
        self.rows.reload()
        self._update_count()

    def clear(self) -> None:
        """Drop every row and the search text (on lock)."""
        self._search_timer.stop()
        self._search_token += 1
        self._searching = False
        self.search.clear()
        self.proxy.set_text("")
        self.rows.clear()
        self.model.clear()
        self._fill_districts()
        self._update_count()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def set_conflict_marks(self, marks) -> None:
        """Mark (⚠) the cases with an open conflict (``ui.sync_controller.ConflictMarks``)."""
        self.model.set_conflict_marks(marks)

    # -- helpers for the main window and tests ----------------------------------------------

    def visible_case_ids(self) -> list[str]:
        """Case ids of the rows shown, top to bottom."""
        return [self.proxy.index(row, 0).data(CASE_ID_ROLE)
                for row in range(self.proxy.rowCount())]

    def current_case_id(self) -> str | None:
        return self.proxy.case_id(self.table.currentIndex())

    def select_case(self, case_id: str) -> bool:
        row = self.model.row_of(case_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, CaseloadModel.NAME))
        if not index.isValid():
            return False
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    # -- rows -------------------------------------------------------------------------------

    def _on_reset(self) -> None:
        current = self.current_case_id()
        self.model.today = self.rows.today_iso
        self.model.set_entries(self.rows.entries())
        self._fill_districts(extra={entry.row.district for entry in self.model.entries})
        if current:
            self.select_case(current)
        self._update_count()

    def _on_updated(self, changed, removed) -> None:
        self.model.apply(changed, removed)
        self._fill_districts(extra={entry.row.district for entry in changed})
        if len(self.proxy.needle) >= self.SEARCH_MIN_CHARS:
            self._search_timer.start()  # a new visit or note may now match the search text
        self._update_count()

    def _on_failed(self) -> None:
        self._failed = True
        self._update_count()

    def _on_day_changed(self) -> None:
        self.model.set_today(self.rows.today_iso)
        if self.proxy.overdue_only:
            self.proxy.refilter()
        self._update_count()

    def _fill_districts(self, extra: set[str] | None = None) -> None:
        """地区 choices: the city's districts, then any other one found in the rows."""
        if extra is None:  # start again from the city's districts
            selected = self.district.currentData()
            self.district.blockSignals(True)
            self.district.clear()
            self.district.addItem(self.tr("すべての地区"), None)
            for name in DISTRICTS:
                self.district.addItem(name, name)
            found = self.district.findData(selected) if selected is not None else 0
            self.district.setCurrentIndex(max(0, found))
            self.district.blockSignals(False)
            if self.district.currentData() != selected:
                self._on_filters()
            return
        known = {self.district.itemData(i) for i in range(1, self.district.count())}
        for name in sorted(extra - known - {""}):
            self.district.addItem(name, name)

    # -- searching and filtering ------------------------------------------------------------

    def _on_text(self, text: str) -> None:
        if fold(text) == self.proxy.needle:
            return  # e.g. a space, or the same reading in katakana: nothing changes
        self._search_token += 1  # a search still running answers an older text: ignore it
        self._searching = False
        self.proxy.set_text(text)  # names and readings now, without the store
        if len(self.proxy.needle) >= self.SEARCH_MIN_CHARS and self.session.is_unlocked:
            self._search_timer.start()
        else:
            self._search_timer.stop()
        self._update_count()

    def _run_text_search(self) -> None:
        query = self.search.text()
        if len(fold(query)) < self.SEARCH_MIN_CHARS or not self.session.is_unlocked:
            return
        self._search_token += 1
        token, limit = self._search_token, self.SEARCH_LIMIT
        self._searching = True
        self._update_count()
        read_in_background(self._tasks, self.session.store,
                           lambda store: _matching_cases(store, query, limit),
                           weak_callback(self._on_hits, token),
                           weak_callback(self._on_search_failed, token))

    def _on_hits(self, token: int, case_ids: frozenset[str]) -> None:
        if token != self._search_token:
            return  # the text changed (or the screen was cleared) since this search started
        self._searching = False
        self._index_damaged = False
        self.proxy.set_hits(case_ids)
        self._update_count()
        self.text_search_done.emit()

    def _on_search_failed(self, token: int, exc: BaseException) -> None:
        if token != self._search_token:
            return
        self._searching = False
        self._index_damaged = getattr(exc, "code", "") == "store_corrupt"
        log.warning("caseload text search failed: %s", exc.__class__.__name__)
        self._update_count()

    def _on_filters(self, *_args) -> None:
        self.proxy.set_district(self.district.currentData())
        self.proxy.set_stage(self.stage.currentData())
        consent = self.consent.currentData()
        self.proxy.set_consent(consent if consent in (None, FLAGGED) else ConsentStatus(consent))
        self.proxy.set_overdue_only(self.overdue.isChecked())
        self._update_count()

    def _update_count(self, *_args) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if self._failed:
            text = self.tr("一覧を読み込めませんでした。ロックしてから開き直してください。")
        elif not total and self.rows.loading and self.session.is_unlocked:
            text = self.tr("読み込み中…")
        elif self.proxy.filtering:
            text = self.tr("{n} 件（全 {total} 件中）").format(n=shown, total=total)
        else:
            text = self.tr("{n} 件").format(n=shown)
        if self._searching:
            text += self.tr("・記録の本文も検索しています…")
        elif self._index_damaged:
            text += self.tr("・記録のファイルの一部（検索用の索引）が壊れているため、本文を"
                            "検索できません。バックアップから復元してください。")
        self.count.setText(text)

    # -- keyboard ---------------------------------------------------------------------------

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if (watched is self.search and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Down and self.proxy.rowCount()):
            self._focus_table()
            return True
        return super().eventFilter(watched, event)

    def _on_search_return(self) -> None:
        """Enter in the search box opens the only match, or moves to the list of matches."""
        if self.proxy.rowCount() == 1:
            self._open(self.proxy.index(0, 0))
        elif self.proxy.rowCount():
            self._focus_table()

    def _focus_table(self) -> None:
        if not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _open(self, index: QModelIndex) -> None:
        case_id = self.proxy.case_id(index)
        if case_id:
            self.case_requested.emit(case_id)


__all__ = ["CaseTable", "CaseloadView", "ConsentDelegate", "FollowUpTree", "FollowUpsView",
           "NameDelegate"]
