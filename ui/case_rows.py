"""The session's case rows in memory, shared by the caseload and follow-ups screens.

* :class:`Entry` — one case row with its folded search text and precomputed sort keys.
* :class:`CaseRowSource` — every case row of an unlocked session, one per session: loaded once
  in the background after unlock, then kept current from ``Session.changed`` by re-reading only
  the cases a write touched (``store.caseload(ids)``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime

from PySide6.QtCore import QObject, QTimer, Signal

from outreach_desk.caseload import CaseRow
from outreach_desk.errors import StoreLocked
from outreach_desk.search import fold
from outreach_desk.vocab import CaseStage, ConsentStatus, RelationshipStage
from ui.background_reads import read_in_background, weak_callback
from ui.fmt import DISTRICTS

log = logging.getLogger(__name__)

_STAGE_RANK = {stage: rank for rank, stage in enumerate(CaseStage)}
_RELATIONSHIP_RANK = {stage: rank for rank, stage in enumerate(RelationshipStage)}
_DISTRICT_RANK = {name: rank for rank, name in enumerate(DISTRICTS)}
# 同意あり, 一部同意, 同意なし, 撤回: from most to least that may be shared
_CONSENT_RANK = {ConsentStatus.GRANTED: 0, ConsentStatus.PARTIAL: 1, ConsentStatus.NONE: 2,
                 ConsentStatus.WITHDRAWN: 3}
OPEN_STAGES = frozenset(s for s in CaseStage if s not in (CaseStage.CLOSED, CaseStage.SUSPENDED))


def _timestamp(value: str | None) -> float:
    if not value:
        return float("-inf")  # never contacted: first when the oldest contact comes first
    try:
        return datetime.fromisoformat(value).timestamp()
    except ValueError:
        return float("-inf")


class Entry:
    """One case row with what filtering and sorting need, computed once (off the GUI thread)."""

    __slots__ = ("row", "case_id", "folded", "keys")

    def __init__(self, row: CaseRow):
        self.row = row
        self.case_id = row.case_id
        name, kana = fold(row.name), fold(row.kana)
        # folded text has no white space, so a folded query never spans the separator
        self.folded = name + "\n" + kana
        rel = _RELATIONSHIP_RANK.get(row.relationship, -1)
        prev = _RELATIONSHIP_RANK.get(row.relationship_prev, -1)
        trend = 0 if rel < 0 or prev < 0 else (rel > prev) - (rel < prev)  # = row.trend, faster
        due = row.next_action_due
        self.keys = (
            (kana or name, row.case_id),  # 氏名: by reading (あいうえお順)
            (_DISTRICT_RANK.get(row.district, len(DISTRICTS)), row.district),
            _STAGE_RANK[row.stage],
            (_CONSENT_RANK.get(row.consent, 2), not row.consent_flagged),
            _timestamp(row.last_visit_at),
            (0, due) if due else (1, ""),  # by due date, actions without one last
            (trend, rel),
        )

    def overdue(self, today: str) -> bool:
        """Open and its next action was due before ``today`` (ISO date)."""
        due = self.row.next_action_due
        return bool(due) and due < today and self.row.stage in OPEN_STAGES


def make_entries(rows: Iterable[CaseRow]) -> list[Entry]:
    return [Entry(row) for row in rows]


# -- the rows in memory -----------------------------------------------------------------------


class CaseRowSource(QObject):
    """Every case row of an unlocked session, kept current; shared by the screens of a session.

    Loads run one at a time, in order, in the background: a write seen while a load is under way
    is re-read after it, so an older read never overwrites a newer one.
    """

    reset = Signal()  # every row replaced (``entries()``)
    updated = Signal(object, object)  # (list[Entry] changed or new, set[str] removed case ids)
    loading_changed = Signal(bool)
    failed = Signal()
    day_changed = Signal()

    FULL_RELOAD_ABOVE = 500  # more touched cases than this (a big sync): read everything again
    OBJECT_NAME = "caseRowSource"

    @classmethod
    def of(cls, session) -> CaseRowSource:
        """The session's source, made on first use (a child of the session)."""
        found = session.findChild(cls, cls.OBJECT_NAME)
        return found if found is not None else cls(session)

    def __init__(self, session):
        super().__init__(session)
        self.setObjectName(self.OBJECT_NAME)
        self._entries: dict[str, Entry] = {}
        self._tasks = QObject(self)  # owner of background reads: gone with this source
        self._generation = 0  # bumped by clear(): results of older loads are dropped
        self._running: str | None = None  # "full", "some" or None
        self._want_full = False
        self._want_cases: set[str] = set()
        self._want_people: set[str] = set()
        self._want_households: set[str] = set()
        self.loaded = False
        self.today = date.today()
        self._clock = QTimer(self)
        self._clock.setInterval(60_000)
        self._clock.timeout.connect(self._check_day)
        self._clock.start()
        session.changed.connect(self._on_changed)
        session.locked.connect(self.clear)

    @property
    def session(self):
        # The parent, not an attribute: a Python reference back to the session would make a
        # cycle that the garbage collector may break on a worker thread, destroying the session
        # there.
        return self.parent()

    # -- reading ----------------------------------------------------------------------------

    def entries(self) -> list[Entry]:
        """In the store's order (most recently contacted first), new cases at the end."""
        return list(self._entries.values())

    def rows(self) -> list[CaseRow]:
        return [entry.row for entry in self._entries.values()]

    @property
    def loading(self) -> bool:
        return self._running is not None or not self.loaded

    @property
    def today_iso(self) -> str:
        return self.today.isoformat()

    # -- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read every row again in the background (a no-op while a full read is under way)."""
        if not self.session.is_unlocked or self._running == "full":
            return
        if self._running:
            self._want_full = True
            return
        self._start_full()

    def clear(self) -> None:
        """Drop every row (on lock); loads still under way are ignored when they finish."""
        self._generation += 1
        self._running = None
        self._want_full = False
        self._want_cases.clear()
        self._want_people.clear()
        self._want_households.clear()
        had_rows = bool(self._entries) or self.loaded
        self._entries = {}
        self.loaded = False
        if had_rows:
            self.reset.emit()
        self.loading_changed.emit(False)

    def _start_full(self) -> None:
        store = self.session.store
        generation = self._generation
        self._running = "full"
        self._want_full = False
        self._want_cases.clear()  # the full read starts after those writes: it includes them
        self._want_people.clear()
        self._want_households.clear()
        self.loading_changed.emit(True)
        read_in_background(self._tasks, store, lambda live: make_entries(live.caseload()),
                           weak_callback(self._full_done, generation),
                           weak_callback(self._failed, generation, True))

    def _full_done(self, generation: int, entries: list[Entry]) -> None:
        if generation != self._generation:
            return
        self._running = None
        self._entries = {entry.case_id: entry for entry in entries}
        self.loaded = True
        log.info("caseload loaded: %d cases", len(entries))
        self.reset.emit()
        self._next()

    def _start_some(self, case_ids: set[str]) -> None:
        store = self.session.store
        generation = self._generation
        self._running = "some"
        self.loading_changed.emit(True)
        wanted = sorted(case_ids)
        read_in_background(self._tasks, store, lambda live: make_entries(live.caseload(wanted)),
                           weak_callback(self._some_done, generation, set(wanted)),
                           weak_callback(self._failed, generation, False))

    def _some_done(self, generation: int, wanted: set[str], entries: list[Entry]) -> None:
        if generation != self._generation:
            return
        self._running = None
        for entry in entries:
            self._entries[entry.case_id] = entry
        removed = {case_id for case_id in wanted - {e.case_id for e in entries}
                   if self._entries.pop(case_id, None) is not None}  # archived meanwhile
        if entries or removed:
            self.updated.emit(entries, removed)
        self._next()

    def _failed(self, generation: int, full: bool, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._running = None
        if isinstance(exc, StoreLocked):
            return  # locking: clear() follows
        # the class only: the message may quote personal data
        log.warning("caseload could not be read (%s): %s", "all" if full else "some",
                    exc.__class__.__name__)
        if full:
            self.loading_changed.emit(False)
            self.failed.emit()
        else:
            self._next()  # the rows shown stay as they were

    def _next(self) -> None:
        """Start what was asked for while the last read ran, or report that all is read."""
        if self.session.is_unlocked:
            if self._want_full:
                self._start_full()
                return
            wanted = self._resolve()
            if len(wanted) > self.FULL_RELOAD_ABOVE:
                self._start_full()
                return
            if wanted:
                self._start_some(wanted)
                return
        self.loading_changed.emit(False)

    # -- keeping current --------------------------------------------------------------------

    def _on_changed(self, summary) -> None:
        """Re-read the cases a committed write touched: its visits (``summary.cases``), the case
        itself (new, stage, archived), its person (name, kana, consent) or household."""
        if not self.loaded and self._running != "full":
            return  # nothing shown yet: the next reload reads everything
        self._want_cases |= set(summary.cases)
        for kind, entity_id in summary.entities:
            if kind == "case":
                self._want_cases.add(entity_id)
            elif kind == "person":
                self._want_people.add(entity_id)
            elif kind == "household":
                self._want_households.add(entity_id)
        if self._running is None:
            self._next()

    def _resolve(self) -> set[str]:
        wanted = set(self._want_cases)
        if self._want_people or self._want_households:
            people, households = self._want_people, self._want_households
            wanted.update(e.case_id for e in self._entries.values()
                          if e.row.person_id in people or e.row.household_id in households)
        self._want_cases.clear()
        self._want_people.clear()
        self._want_households.clear()
        return wanted

    def _check_day(self) -> None:
        today = date.today()
        if today != self.today:
            self.today = today
            self.day_changed.emit()
