"""Background synchronisation with the central server, and the counts the status bar shows.

``SyncController`` belongs to the main window. It runs ``SyncClient(store, url).sync_once()``
on Qt's thread pool (never on the GUI thread) and never two at once. A sync starts:

* a few seconds after unlocking, then every ``INTERVAL_MS`` (5 min) after a good sync;
* when the network comes back (``QNetworkInformation`` reachability, when Qt has a backend for
  this system; without one the app simply tries, and a failed try counts as offline);
* when the worker asks (``sync_now``: the 今すぐ同期 action).

A failed sync is retried after ``sync.client.backoff(n)`` seconds (n failures in a row), so a
laptop out in the field does not hammer a server it cannot reach. Nothing runs while the session
is locked or no server address is set; a sync still under way when the worker locks is let
finish on its own thread (the store refuses it once closed) and its result is dropped.

The controller also keeps the counts of the status bar — changes not yet sent (未送信) and open
conflicts (競合), and which cases have one (the caseload's ⚠ mark) — read in the background,
a moment after each committed write.

``sync.client`` is imported only when a sync starts: the app opens without it, offline is normal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, QTimer, Signal

from outreach_desk.errors import StoreLocked
from ui.caseload_model import read_in_background, weak_callback

log = logging.getLogger(__name__)

IDLE, SYNCING, OFFLINE, ERROR, UNCONFIGURED, LOCKED = (
    "idle", "syncing", "offline", "error", "unconfigured", "locked")


@dataclass(frozen=True)
class SyncFailure:
    """Why the last sync failed: ``kind`` as ``SyncError.kind`` (offline, protocol, server,
    refused — or ``unexpected``) and a Japanese ``message`` for the worker (may be empty)."""

    kind: str
    message: str


@dataclass(frozen=True)
class ConflictMarks:
    """Which caseload rows carry the ⚠ mark: cases with an open conflict on the case itself or on
    one of its records (note, plan, visit, meeting), or on its person or household."""

    cases: frozenset[str] = frozenset()
    persons: frozenset[str] = frozenset()
    households: frozenset[str] = frozenset()

    def marks(self, case_id: str, person_id: str | None, household_id: str | None) -> bool:
        return (case_id in self.cases or (person_id is not None and person_id in self.persons)
                or (household_id is not None and household_id in self.households))

    def __bool__(self) -> bool:
        return bool(self.cases or self.persons or self.households)


@dataclass(frozen=True)
class SyncCounts:
    pending: int = 0  # local changes the server has not acknowledged (the outbox)
    conflicts: int = 0  # open conflicts
    marks: ConflictMarks = field(default_factory=ConflictMarks)
    refused: int = 0  # changes the server refused, not yet marked 確認済み


def conflict_marks(store, conflicts=None) -> ConflictMarks:
    """What each open conflict belongs to, as cases, persons and households (background)."""
    cases: set[str] = set()
    persons: set[str] = set()
    households: set[str] = set()
    for conflict in store.open_conflicts() if conflicts is None else conflicts:
        kind, entity_id = conflict.entity, conflict.entity_id
        try:
            if kind == "case":
                cases.add(entity_id)
            elif kind == "person":
                persons.add(entity_id)
            elif kind == "household":
                households.add(entity_id)
            elif kind in ("note", "plan"):
                case_id = store.get(kind, entity_id, include_deleted=True)["case_id"]
                if case_id:
                    cases.add(case_id)
            elif kind == "visit":
                cases.add(store.visit(entity_id)["case_id"])
            elif kind == "meeting":
                cases.update(store.get(kind, entity_id, include_deleted=True)["case_ids"] or ())
        except LookupError:
            continue  # a record not here yet (held aside): nothing to mark
    return ConflictMarks(frozenset(cases), frozenset(persons), frozenset(households))


def read_counts(store) -> SyncCounts:
    """The status bar's numbers (runs in the background): the outbox is counted in SQL
    (``Store.pending_count``), not by reading every pending change."""
    pending = store.pending_count()
    conflicts = store.open_conflicts()
    marks = conflict_marks(store, conflicts) if conflicts else ConflictMarks()
    return SyncCounts(pending, len(conflicts), marks, store.refused_count())


def _default_backoff(attempt: int) -> float:
    return float(min(600, 5 * 2 ** max(0, attempt)))


class _ProgressRelay(QObject):
    """Lives on the GUI thread; the sync's progress callback emits from the worker thread."""

    progress = Signal(int, int, int)  # generation, done, total


class SyncController(QObject):
    """Runs syncs in the background for one session; see the module's note."""

    state_changed = Signal()  # state, progress, last_sync, failure or retry time changed
    counts_changed = Signal()  # pending, conflicts or marks changed
    sync_started = Signal()
    sync_finished = Signal(object)  # the client's SyncReport
    sync_failed = Signal(object)  # SyncFailure

    INTERVAL_MS = 5 * 60_000  # between syncs while all is well
    INITIAL_DELAY_MS = 3_000  # after unlocking: let the caseload load first
    COUNT_DELAY_MS = 300  # after a write, before the counts are read again
    RETRY_UNIT_MS = 1_000  # one second of back-off (tests make it shorter)

    def __init__(self, session, parent: QObject | None = None,
                 client_factory: Callable | None = None):
        super().__init__(parent)
        self.setObjectName("syncController")
        self.session = session
        self._client_factory = client_factory  # SyncClient unless a test passes another
        self.state = LOCKED
        self.progress: tuple[int, int] | None = None
        self.last_sync: datetime | None = self._stored_last_sync()
        self.last_report = None
        self.failure: SyncFailure | None = None
        self.failures = 0  # failed syncs in a row
        self.retry_delay_s: float | None = None  # the back-off of the retry scheduled
        self.retry_at: datetime | None = None
        self.counts: SyncCounts | None = None
        self.network_online = True  # unless QNetworkInformation says Disconnected
        self.network_backend = ""
        self._url = self.server_url
        self._generation = 0  # bumped on lock: results of syncs started before are dropped
        self._running = False
        self._counting = False
        self._count_again = False
        self._tasks = QObject(self)  # owner of background jobs (see read_in_background)
        self._relay = _ProgressRelay(self)
        self._relay.progress.connect(self._on_progress)

        self._timer = QTimer(self)  # the next sync: periodic, or a retry after a failure
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer)
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(self.COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self.refresh_counts)

        self._watch_network()
        session.unlocked.connect(self._on_unlocked)
        session.about_to_lock.connect(self._on_about_to_lock)
        session.locked.connect(self._on_locked)
        session.changed.connect(self._on_changed)
        if session.is_unlocked:
            self._on_unlocked()

    # -- what the window asks -------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    @property
    def server_url(self) -> str:
        return self.session.settings.server_url

    @property
    def configured(self) -> bool:
        return bool(self.server_url)

    @property
    def retry_scheduled(self) -> bool:
        return self._timer.isActive() and self.failures > 0

    @property
    def next_sync_in_ms(self) -> int | None:
        return self._timer.remainingTime() if self._timer.isActive() else None

    def sync_now(self) -> bool:
        """Start a sync now (the 今すぐ同期 action). False when one cannot start: locked, no
        server address, or one is already under way."""
        return self._start("manual")

    def settings_changed(self) -> None:
        """The server address may have changed (after the settings dialog)."""
        url = self.server_url
        if url == self._url or not self.session.is_unlocked:
            self._url = url
            return
        self._url = url
        self._timer.stop()
        self.failures = 0
        self.failure = None
        self.retry_at = self.retry_delay_s = None
        if not self._running:
            self._set_state(self._resting_state())
        if url and self.network_online:
            self._schedule(self.INITIAL_DELAY_MS)

    def network_changed(self, online: bool) -> None:
        """Reachability changed: offline, wait; back online, sync at once."""
        was_online, self.network_online = self.network_online, online
        if not self.session.is_unlocked or not self.configured:
            return
        if not online:
            if not self._running:
                self._timer.stop()
                self.retry_at = self.retry_delay_s = None
                self._set_state(OFFLINE)
            return
        if not was_online:
            log.info("network back: syncing")
            if not self._start("network"):
                self._set_state(self._resting_state())

    # -- network ------------------------------------------------------------------------

    def _watch_network(self) -> None:
        try:
            from PySide6.QtNetwork import QNetworkInformation
        except ImportError:  # pragma: no cover (QtNetwork ships with PySide6-Essentials)
            return
        try:
            info = QNetworkInformation.instance()
            if info is None:
                QNetworkInformation.loadBackendByFeatures(
                    QNetworkInformation.Feature.Reachability)
                info = QNetworkInformation.instance()
        except (RuntimeError, AttributeError):
            info = None
        if info is None or not info.supports(QNetworkInformation.Feature.Reachability):
            log.info("no network information backend: sync tries and backs off instead")
            return
        self.network_backend = info.backendName()
        self.network_online = self._reachable(info.reachability())
        info.reachabilityChanged.connect(self._on_reachability)

    @staticmethod
    def _reachable(reachability) -> bool:
        from PySide6.QtNetwork import QNetworkInformation

        # Unknown, Local, Site or Online: a server on the office network may be reachable
        return reachability != QNetworkInformation.Reachability.Disconnected

    def _on_reachability(self, reachability) -> None:
        self.network_changed(self._reachable(reachability))

    # -- session ------------------------------------------------------------------------

    def _on_unlocked(self) -> None:
        self._url = self.server_url
        self.failures = 0
        self.failure = None
        self.progress = None
        self.retry_at = self.retry_delay_s = None
        self._set_state(self._resting_state())
        self.refresh_counts()
        if self.configured and self.network_online:
            self._schedule(self.INITIAL_DELAY_MS)

    def _on_about_to_lock(self) -> None:
        self._generation += 1  # a sync still running finishes unseen
        self._timer.stop()
        self._count_timer.stop()
        self._running = False
        self._counting = self._count_again = False

    def _on_locked(self) -> None:
        self._on_about_to_lock()
        self.counts = None
        self.progress = None
        self.retry_at = self.retry_delay_s = None
        self._set_state(LOCKED)
        self.counts_changed.emit()

    def _on_changed(self, _summary) -> None:
        if self.session.is_unlocked:
            self._count_timer.start()

    # -- syncing ------------------------------------------------------------------------

    def _resting_state(self) -> str:
        if not self.session.is_unlocked:
            return LOCKED
        if not self.configured:
            return UNCONFIGURED
        if not self.network_online:
            return OFFLINE
        if self.failure is not None:
            return OFFLINE if self.failure.kind == "offline" else ERROR
        return IDLE

    def _on_timer(self) -> None:
        self._start("timer")

    def _start(self, why: str) -> bool:
        if self._running or not self.session.is_unlocked:
            return False
        url = self.server_url
        if not url:
            self._set_state(UNCONFIGURED)
            return False
        self._timer.stop()
        self.retry_at = self.retry_delay_s = None
        self._running = True
        self.progress = None
        generation = self._generation
        factory = self._client_factory
        relay = self._relay

        def progress(*args, **_kwargs) -> None:
            numbers = [a for a in args if isinstance(a, int) and not isinstance(a, bool)]
            if len(numbers) >= 2:
                try:
                    relay.progress.emit(generation, numbers[-2], numbers[-1])
                except RuntimeError:  # the window closed meanwhile
                    pass

        def work(store):
            if factory is None:
                from sync.client import SyncClient
                client = SyncClient(store, url)
            else:
                client = factory(store, url)
            try:
                return client.sync_once(progress=progress)
            finally:
                close = getattr(client, "close", None)
                if callable(close):
                    close()

        log.info("sync started (%s)", why)
        self._set_state(SYNCING)
        self.sync_started.emit()
        read_in_background(self._tasks, self.session.store, work,
                           weak_callback(self._done, generation),
                           weak_callback(self._failed, generation))
        return True

    def _on_progress(self, generation: int, done: int, total: int) -> None:
        if generation == self._generation and self._running:
            self.progress = (done, total)
            self.state_changed.emit()

    def _done(self, generation: int, report) -> None:
        if generation != self._generation:
            return
        self._running = False
        self.progress = None
        self.failures = 0
        self.failure = None
        self.last_report = report
        finished = getattr(report, "finished", None)
        self.last_sync = finished if isinstance(finished, datetime) else datetime.now()
        self._store_last_sync()
        log.info("sync done: pushed %s, pulled %s", getattr(report, "pushed", "?"),
                 getattr(report, "pulled", "?"))
        self._set_state(self._resting_state())
        self.refresh_counts()
        self.sync_finished.emit(report)
        if self.network_online:
            self._schedule(self.INTERVAL_MS)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._running = False
        self.progress = None
        if isinstance(exc, StoreLocked) or not self.session.is_unlocked:
            return  # locking: the lock resets everything
        kind = getattr(exc, "kind", None)
        message = getattr(exc, "message", None)
        if isinstance(kind, str) and isinstance(message, str):
            failure = SyncFailure(kind, message)
            log.info("sync failed: %s", kind)  # the message may name the server, not people
        else:
            # the class only: the text of an unexpected error may quote personal data
            log.warning("sync failed unexpectedly: %s", exc.__class__.__name__)
            failure = SyncFailure("unexpected", "")
        self.failure = failure
        self.failures += 1
        delay = self._backoff(self.failures - 1)  # 0 for the first retry
        self.retry_delay_s = delay
        self._schedule(int(delay * self.RETRY_UNIT_MS))
        self.retry_at = datetime.now().astimezone() + timedelta(seconds=delay)
        self._set_state(self._resting_state())
        self.refresh_counts()
        self.sync_failed.emit(failure)

    def _backoff(self, attempt: int) -> float:
        """Seconds before retry number ``attempt`` (0 for the first): ``sync.client.backoff``."""
        try:
            from sync.client import backoff
        except ImportError:
            return _default_backoff(attempt)
        return float(backoff(attempt))

    def _schedule(self, ms: int) -> None:
        self._timer.start(max(0, ms))

    def _set_state(self, state: str) -> None:
        self.state = state
        self.state_changed.emit()

    # -- last sync time (no personal data: kept with the settings) --------------------------

    def _qsettings(self):
        return getattr(self.session.settings, "q", None)

    def _stored_last_sync(self) -> datetime | None:
        q = self._qsettings()
        raw = q.value("sync/last_success", "", type=str) if q is not None else ""
        try:
            return datetime.fromisoformat(raw) if raw else None
        except ValueError:
            return None

    def _store_last_sync(self) -> None:
        q = self._qsettings()
        if q is not None and self.last_sync is not None:
            q.setValue("sync/last_success", self.last_sync.isoformat())

    # -- counts -------------------------------------------------------------------------

    def refresh_counts(self) -> None:
        """Read the pending and conflict counts again, in the background."""
        if not self.session.is_unlocked:
            return
        if self._counting:
            self._count_again = True
            return
        self._counting = True
        generation = self._generation
        read_in_background(self._tasks, self.session.store, read_counts,
                           weak_callback(self._counted, generation),
                           weak_callback(self._count_failed, generation))

    def _counted(self, generation: int, counts: SyncCounts) -> None:
        if generation != self._generation:
            return
        self._counting = False
        if counts != self.counts:
            self.counts = counts
            self.counts_changed.emit()
        if self._count_again:
            self._count_again = False
            self.refresh_counts()

    def _count_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._counting = False
        if not isinstance(exc, StoreLocked):
            log.warning("sync counts could not be read: %s", exc.__class__.__name__)
        if self._count_again:
            self._count_again = False
            self.refresh_counts()


__all__ = ["ERROR", "IDLE", "LOCKED", "OFFLINE", "SYNCING", "UNCONFIGURED", "ConflictMarks",
           "SyncController", "SyncCounts", "SyncFailure", "conflict_marks", "read_counts"]
