"""The one place an unexpected error ends up: keep the worker's drafts, log, tell the worker.

``install(keep_drafts)`` makes :func:`handle` the process's ``sys.excepthook`` (exceptions
raised in Qt slots arrive there too). For each error it

1. saves what is typed but unsaved as encrypted drafts (``keep_drafts``: the main window's
   ``keep_drafts``, the same step as before locking), before anything else can go wrong;
2. writes the traceback to the log under a short reference id — frames and exception type only,
   see :mod:`outreach_desk.logs` — never the message or variable values;
3. shows a Japanese dialog (window-modal, not blocking) with that reference id.
"""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

logger = logging.getLogger(__name__)

_keep_drafts: Callable[[], None] | None = None
_dialogs: list[QMessageBox] = []  # open crash dialogs (kept referenced until closed)


def new_reference() -> str:
    return uuid.uuid4().hex[:8]


def handle(exc_type, exc, tb) -> str | None:
    """Deal with one unexpected exception; return its reference id."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return None
    ref = new_reference()
    kept = _save_drafts()
    if exc is not None and exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    logger.critical("unexpected error (ref %s; drafts kept: %s)", ref, kept,
                    exc_info=(exc_type, exc, tb))
    if QApplication.instance() is not None:
        try:
            show_dialog(ref)
        except Exception:  # never let the crash dialog itself crash the hook
            logger.exception("could not show the error dialog (ref %s)", ref)
    return ref


def _save_drafts() -> bool:
    if _keep_drafts is None:
        return False
    try:
        _keep_drafts()
        return True
    except Exception:
        logger.exception("drafts could not be kept")
        return False


def show_dialog(ref: str) -> QMessageBox:
    parent = QApplication.activeWindow()
    box = QMessageBox(QMessageBox.Icon.Critical,
                      QCoreApplication.translate("ErrorDialog", "エラー"),
                      QCoreApplication.translate(
                          "ErrorDialog",
                          "予期しないエラーが発生しました。入力中の内容は下書きとして保存しました。"
                          "\n作業内容を確認してください。問い合わせの際は参照番号をお伝えください。"
                          "\n参照番号: {ref}").format(ref=ref),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("crashDialog")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    _dialogs.append(box)
    box.finished.connect(lambda *_: _dialogs.remove(box) if box in _dialogs else None)
    box.open()
    return box


def install(keep_drafts: Callable[[], None] | None) -> None:
    global _keep_drafts
    _keep_drafts = keep_drafts
    sys.excepthook = handle


def open_dialogs() -> list[QMessageBox]:
    return list(_dialogs)


__all__ = ["handle", "install", "open_dialogs", "show_dialog"]
