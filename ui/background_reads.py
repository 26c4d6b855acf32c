"""Reading the store in the background from a screen, safe to abandon.

:func:`read_in_background` runs a read on the store's worker thread (``ui.tasks.run_async``)
without letting the job hold a widget, the session or the store past its run;
:func:`weak_callback` makes the callbacks that go with it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from PySide6.QtCore import QObject

from outreach_desk.errors import StoreLocked
from ui.tasks import run_async


def weak_callback(method: Callable, *args) -> Callable:
    """``method(*args, *more)`` while its object lives; holds no strong reference to it."""
    ref = weakref.WeakMethod(method)

    def call(*more) -> None:
        target = ref()
        if target is not None:
            target(*args, *more)

    return call


def read_in_background(owner: QObject, store, work: Callable, on_done: Callable,
                       on_error: Callable) -> None:
    """``run_async(owner, lambda: work(store), on_done, on_error)``, made safe to abandon.

    The job and its callbacks may be released on the worker thread, after the GUI thread let go
    of them; if they held a widget or the session (the store holds the session's ``changed``
    signal), it would be destroyed there and Qt would crash. So pass an ``owner`` that holds
    nothing (a bare child ``QObject``), callbacks from :func:`weak_callback`; the store is held
    only while the work runs, and an error is handed over without its traceback.
    """
    store_ref = weakref.ref(store)

    def job():
        live = store_ref()
        try:
            if live is None or live.locked:
                raise StoreLocked("the store was locked")
            return work(live)
        except BaseException as exc:
            failure = exc
        finally:
            live = None
        # the traceback's frames hold the store: hand over the error without them
        failure.__traceback__ = failure.__context__ = failure.__cause__ = None
        raise failure

    run_async(owner, job, on_done, on_error)
