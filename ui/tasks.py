"""Run slow work (unlocking, big searches, loading 10,000 cases) off the GUI thread.

``run_async(owner, fn, on_done, on_error)`` runs ``fn()`` on Qt's global thread pool and calls
``on_done(result)`` or ``on_error(exception)`` back on the GUI thread — unless ``owner`` was
destroyed meanwhile, in which case the result is dropped. The store's connection serialises
statements between threads (see ``outreach_desk.database``), so a background read and a save
typed by the worker never interleave inside one transaction.

The work runs on a Python thread pool, not on ``QThreadPool`` with a ``QRunnable``: a runnable
that Qt deletes after ``run()`` leaves a Python wrapper behind, and when an exception's
traceback kept that wrapper in a reference cycle, the garbage collector on the GUI thread
deleted the C++ object a second time (a rare segfault in the test suite).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives in the GUI thread; the job emits from the pool, the slots run queued here."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, owner, on_done, on_error):
        # Parented to the application: C++ owns it, so a Python reference dropped on the
        # worker thread can never delete it there; deleteLater() ends it on the GUI thread.
        super().__init__(QCoreApplication.instance())
        self.owner, self.on_done, self.on_error = owner, on_done, on_error
        self.done.connect(self._done, Qt.ConnectionType.QueuedConnection)
        self.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)

    def _finish(self):
        """Forget everything this relay holds (here, on the GUI thread); return the callbacks
        to call, or ``None`` when the owner is gone."""
        _pending.discard(self)
        owner, on_done, on_error = self.owner, self.on_done, self.on_error
        self.owner = self.on_done = self.on_error = None
        self.deleteLater()
        return (on_done, on_error) if shiboken6.isValid(owner) else None

    @Slot(object)
    def _done(self, result: Any) -> None:
        callbacks = self._finish()
        if callbacks is not None:
            callbacks[0](result)

    @Slot(object)
    def _failed(self, exc: BaseException) -> None:
        callbacks = self._finish()
        if callbacks is None:
            return
        if callbacks[1] is None:
            log.error("background task failed", exc_info=exc)
            raise exc
        callbacks[1](exc)


def _run(box: list[Callable[[], Any]], relay: _Relay) -> None:
    # Drop the function (and whatever widgets its closure holds) before the result is handed
    # over, so their last reference is never released on this worker thread.
    fn = box.pop()
    try:
        result = fn()
    except BaseException as exc:  # handed to the GUI thread, never lost in the pool
        del fn
        relay.failed.emit(exc)
        return
    del fn
    relay.done.emit(result)


_pool = ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 2)),
                           thread_name_prefix="background")
_pending: set[_Relay] = set()


def run_async(
    owner: QObject,
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    """Run ``fn`` in the background; call back on the GUI thread while ``owner`` lives."""
    relay = _Relay(owner, on_done, on_error)
    _pending.add(relay)  # keeps the relay alive until its result is delivered
    _pool.submit(_run, [fn], relay)


def pending() -> int:
    """Background tasks not yet finished (tests wait for this to reach 0)."""
    return len(_pending)


__all__ = ["pending", "run_async"]
