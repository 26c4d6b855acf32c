"""The worker's session: creating, unlocking and locking the store, idle auto-lock, settings.

Screens never open the store themselves. They ask the ``Session`` for ``store`` while it is
unlocked and listen to ``changed`` to refresh. Every open form registers with ``drafts`` (a
``ui.drafts.DraftKeeper``): locking asks each of them for what is typed but not yet saved and keeps
it as an encrypted draft before ``about_to_lock`` and before the key is dropped.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication

from outreach_desk import erasure, keystore
from outreach_desk.engine import ChangeSummary
from outreach_desk.errors import OutreachDeskError, StoreLocked, WrongPassphrase
from outreach_desk.paths import KEY_FILE
from outreach_desk.store import Store
from ui.drafts import DraftKeeper
from ui.passphrase_text import open_failure_text
from ui.tasks import run_async

log = logging.getLogger(__name__)

DEFAULT_LOCK_MINUTES = 5
CALENDARS = ("western", "wareki")  # 西暦 / 和暦 on official paper
DEFAULT_REVISIT_DAYS = 7  # the 不在 shortcut proposes 「再訪」 this many days after the visit
DEMO_PASSPHRASE = "demo-outreach-2026"
DEMO_CASES = 150
FREE_ATTEMPTS = 3  # wrong passphrases before the waiting starts
MAX_DELAY_S = 300


def retry_delay(failures: int) -> int:
    """Seconds to wait after ``failures`` wrong passphrases: 0, 0, 0, 5, 10, 20 … 300."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(MAX_DELAY_S, 5 * 2 ** (failures - FREE_ATTEMPTS))


class Settings:
    """Per-user preferences (no personal data): language, auto-lock, days until the 不在
    shortcut's 再訪, server address, the calendar of official paper."""

    def __init__(self, qsettings: QSettings | None = None):
        self.q = qsettings or QSettings()

    @property
    def language(self) -> str:
        return self.q.value("ui/language", "ja", type=str) or "ja"

    @language.setter
    def language(self, value: str) -> None:
        self.q.setValue("ui/language", value)

    @property
    def lock_minutes(self) -> int:
        value = self.q.value("security/lock_minutes", DEFAULT_LOCK_MINUTES, type=int)
        return max(1, min(240, int(value or DEFAULT_LOCK_MINUTES)))

    @lock_minutes.setter
    def lock_minutes(self, value: int) -> None:
        self.q.setValue("security/lock_minutes", int(value))

    @property
    def revisit_days(self) -> int:
        """再訪までの日数: when the 不在 shortcut's proposed 「再訪」 is due (1–90 days)."""
        value = self.q.value("visits/revisit_days", DEFAULT_REVISIT_DAYS, type=int)
        return max(1, min(90, int(value or DEFAULT_REVISIT_DAYS)))

    @revisit_days.setter
    def revisit_days(self, value: int) -> None:
        self.q.setValue("visits/revisit_days", int(value))

    @property
    def server_url(self) -> str:
        return self.q.value("sync/server_url", "", type=str) or ""

    @server_url.setter
    def server_url(self, value: str) -> None:
        self.q.setValue("sync/server_url", value.strip())

    @property
    def calendar(self) -> str:
        """日付の書き方 of official paper (meeting material, monthly report): "western"
        (2026年12月8日) or "wareki" (令和8年12月8日)."""
        value = self.q.value("ui/calendar", "western", type=str)
        return value if value in CALENDARS else "western"

    @calendar.setter
    def calendar(self, value: str) -> None:
        self.q.setValue("ui/calendar", value if value in CALENDARS else "western")


class Session(QObject):
    """Owns the one ``Store`` of this app and its locked/unlocked state."""

    unlocked = Signal()
    about_to_lock = Signal()
    locked = Signal()
    changed = Signal(object)  # ChangeSummary, delivered on the GUI thread
    unlock_failed = Signal(str)  # a Japanese message for the unlock screen
    busy = Signal(str)  # progress text while creating/unlocking/generating
    wiped = Signal(str)  # the store was erased (the server revoked this laptop): why

    def __init__(self, data_dir: Path, settings: Settings | None = None, *, demo: bool = False,
                 kdf: keystore.KdfParams = keystore.DEFAULT_KDF, parent=None):
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.settings = settings or Settings()
        self.demo = demo
        self.kdf = kdf
        self._store: Store | None = None
        self.drafts = DraftKeeper(lambda: self._store if self.is_unlocked else None, self.lock,
                                  self)
        self._failures = 0
        self._blocked_until = 0.0
        self._working = False
        self._last_activity = time.monotonic()
        self._idle_ms = DEFAULT_LOCK_MINUTES * 60_000
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._idle_timeout)
        self.set_lock_minutes(self.settings.lock_minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # -- state ------------------------------------------------------------------------------

    @property
    def exists(self) -> bool:
        return (self.data_dir / KEY_FILE).exists()

    @property
    def is_unlocked(self) -> bool:
        return self._store is not None and not self._store.locked

    @property
    def store(self) -> Store:
        if not self.is_unlocked:
            raise StoreLocked("the store is locked")
        return self._store

    @property
    def working(self) -> bool:
        return self._working

    # -- first run, unlock, lock -------------------------------------------------------------

    def create(self, passphrase: str, worker_name: str, team_name: str) -> None:
        """Make the store in the background; ``unlocked`` or ``unlock_failed`` follows."""
        self._start(self.tr("記録の保存場所を準備しています…"), lambda: Store.create(
            self.data_dir, passphrase, worker_name=worker_name, team_name=team_name or None,
            kdf=self.kdf))

    def create_demo(self, cases: int = DEMO_CASES) -> None:
        """A throw-away store filled with fictional demo data (``--demo``)."""
        from outreach_desk import demo
        from outreach_desk.demo_sync import add_demo_conflict, settle_demo_changes

        def progress(done: int, total: int) -> None:  # on the worker thread: a queued signal
            self.busy.emit(self.tr("デモデータを作成しています…（ケース {done} / {total} 件）")
                           .format(done=done, total=total))

        def make() -> Store:
            store = Store.create(self.data_dir, DEMO_PASSPHRASE, kdf=self.kdf)
            demo.generate(store, cases=cases, visits_per_case=12, seed=7, progress=progress)
            self.busy.emit(self.tr("デモデータの仕上げをしています…"))
            demo.work_as_first_worker(store)  # the demo user is one of the fictional workers
            note = add_demo_conflict(store, kdf=self.kdf)  # a colleague's concurrent revision
            settle_demo_changes(store, note)  # no server waits for them; one refused to explore
            return store

        self._start(self.tr("デモデータを作成しています…"), make)

    def unlock(self, passphrase: str) -> None:
        wait = self.seconds_to_wait()
        if wait:
            self.unlock_failed.emit(
                self.tr("あと {n} 秒待ってから入力してください。").format(n=wait))
            return
        self._start(self.tr("解錠しています…"), lambda: Store.open(self.data_dir, passphrase))

    def restore(self, backup: Path, passphrase: str) -> None:
        """Put a backup into the data folder (which holds no store) and open it."""
        from outreach_desk.backup import restore_backup

        def restore_and_open() -> Store:
            restore_backup(backup, self.data_dir, passphrase)
            return Store.open(self.data_dir, passphrase)

        self._start(self.tr("バックアップを確認して復元しています…"), restore_and_open)

    def seconds_to_wait(self) -> int:
        return max(0, int(round(self._blocked_until - time.monotonic())))

    @property
    def failures(self) -> int:
        return self._failures

    def _start(self, message: str, opener) -> None:
        if self._working:
            return
        self._working = True
        self.busy.emit(message)
        run_async(self, opener, self._opened, self._open_failed)

    def _opened(self, store: Store) -> None:
        self._working = False
        self._failures = 0
        self._blocked_until = 0.0
        self._store = store
        store.subscribe(self.changed.emit)
        self.notify_activity()
        self._idle.start(self._idle_ms)
        log.info("store unlocked")
        self.unlocked.emit()

    def _open_failed(self, exc: BaseException) -> None:
        self._working = False
        if isinstance(exc, WrongPassphrase):
            self._failures += 1
            delay = retry_delay(self._failures)
            self._blocked_until = time.monotonic() + delay
            message = self.tr("パスフレーズが違います。")
            if delay:
                message += " " + self.tr("続けて間違えたため、{n} 秒待ってから入力してください。"
                                         ).format(n=delay)
            log.info("wrong passphrase (%d in a row)", self._failures)
        elif (known := open_failure_text(exc)) is not None:
            message = known  # damaged key or data file, full disk …: never "wrong passphrase"
            log.warning("store not opened: %s", getattr(exc, "code", type(exc).__name__))
        elif getattr(exc, "code", "") == "backup_invalid":
            message = self.tr("このファイルは Outreach Desk のバックアップではないか、"
                              "壊れています。")
            log.warning("backup not restored: %s", exc.__class__.__name__)
        elif isinstance(exc, OutreachDeskError):
            message = self.tr("記録を開けませんでした: {reason}").format(reason=str(exc))
            log.warning("store could not be opened: %s", exc.__class__.__name__)
        else:
            log.error("unexpected error while opening the store", exc_info=exc)
            message = self.tr("記録を開けませんでした。もう一度お試しください。")
        self.unlock_failed.emit(message)

    def lock(self) -> None:
        """Keep every open form as a draft, tell the screens (``about_to_lock``), close the
        store and drop its key."""
        if self._store is None:
            return
        self._idle.stop()
        try:
            with self.drafts.locking():
                self.about_to_lock.emit()
        finally:
            store, self._store = self._store, None
            store.lock()
            log.info("store locked")
            self.locked.emit()

    def wipe(self, reason: str) -> None:
        """Erase the data folder for good (every key file first, then the store, backups and
        copies kept there: :mod:`outreach_desk.erasure`): the server says this laptop was
        revoked. What was never synced is lost, by design; ``wiped`` says why."""
        self.lock()
        try:
            erasure.erase_data_folder(self.data_dir)
            log.warning("store erased: this device was revoked")
        except OutreachDeskError as exc:  # what could be removed is gone, key files first
            log.error("store erased only in part: %s", exc.code)
        self.wiped.emit(reason)

    def close(self) -> None:
        self.lock()
        if self.demo:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    # -- auto-lock ---------------------------------------------------------------------------

    def set_lock_minutes(self, minutes: float) -> None:
        self.set_idle_timeout_ms(int(minutes * 60_000))

    def set_idle_timeout_ms(self, ms: int) -> None:
        self._idle_ms = max(50, ms)
        self._idle.setInterval(self._idle_ms)
        if self.is_unlocked:
            self.notify_activity()
            self._idle.start(self._idle_ms)

    @property
    def idle_timeout_ms(self) -> int:
        return self._idle_ms

    def _idle_timeout(self) -> None:
        if not self.is_unlocked:
            return
        idle_ms = (time.monotonic() - self._last_activity) * 1000
        remaining = self._idle_ms - idle_ms
        if remaining > 10:  # there was activity since the timer started: wait for the rest
            self._idle.start(int(remaining))
            return
        log.info("auto-lock after %d ms idle", self._idle_ms)
        self.lock()

    _ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel,
                 QEvent.Type.MouseMove, QEvent.Type.InputMethod}

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        # Runs for every event of the app: only note the time; the timer checks it when it fires.
        if event.type() in self._ACTIVITY:
            self._last_activity = time.monotonic()
        return False

    def notify_activity(self) -> None:
        self._last_activity = time.monotonic()


def demo_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="outreach-desk-demo-"))


__all__ = ["DEMO_PASSPHRASE", "Session", "Settings", "demo_folder", "retry_delay",
           "ChangeSummary"]
