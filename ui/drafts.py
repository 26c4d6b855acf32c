"""Drafts (下書き): what a worker typed into a form and has not saved, kept encrypted in the store.

One mechanism for every form and dialog. A form that can hold typed text is a ``Draftable``:

- ``draft_id()`` — its key in the store's ``drafts`` table (``"visit:<case>"``,
  ``"consent:<person>"``, ``"meeting_prep"`` …; the part before the first ``:`` is the draft's
  kind), or None when nothing is open that could be kept;
- ``draft_state()`` — what is typed, as plain JSON values, or None when nothing was typed;
- ``restore_draft(state)`` — put a kept state back into the widgets.

It registers with the session's ``DraftKeeper`` (``session.drafts``) while it is open. The keeper

- saves a form's state a couple of seconds after typing stops (``watch``/``touch``), so a crash
  or a killed process loses at most those seconds;
- saves every registered form at once when the screen locks (``Session.lock`` asks it before the
  key is dropped), on a crash (``ui.crash``) and when the app closes, and remembers which forms
  were open so the screens reopen them after unlocking (``was_open``);
- gives a form its draft back when it opens again (``restore``), after a lock, a crash or a
  restart alike.

A draft is removed only by the form itself (``discard``): when what it holds is saved, or when
the worker discards it on purpose. Nothing else deletes one — not closing a form, not locking,
not a blank form being closed — and while the screen locks, the dialogs it closes cannot discard
theirs. ``form_state``/``restore_form_state`` read and set the usual input widgets generically
(by object name), so a field added to a form is carried in its draft without more code — as
long as it has an object name (``tests/test_ui_drafts.py`` checks the visit form's).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from typing import Any, Protocol, runtime_checkable

import shiboken6
from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QObject, Qt, QTime, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDoubleSpinBox,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QTextEdit,
    QTimeEdit,
    QWidget,
)

from outreach_desk.errors import OutreachDeskError

log = logging.getLogger(__name__)

AUTOSAVE_MS = 2000


@runtime_checkable
class Draftable(Protocol):
    def draft_id(self) -> str | None: ...

    def draft_state(self) -> dict[str, Any] | None: ...

    def restore_draft(self, state: dict[str, Any]) -> None: ...


def draft_kind(key: str) -> str:
    return key.split(":", 1)[0]


# -- the widgets of a form, generically -----------------------------------------------------------

_TEXTS = (QLineEdit, QPlainTextEdit, QTextEdit)


def _inputs(root: QWidget, skip: set[str]) -> list[QWidget]:
    """The named input widgets under ``root`` (and ``root`` itself when it is one), in order."""
    found = [root, *root.findChildren(QWidget)]
    return [w for w in found if w.objectName() and not w.objectName().startswith("qt_")
            and w.objectName() not in skip and _readable(w)]


def _readable(widget: QWidget) -> bool:
    if isinstance(widget, QAbstractButton):
        return widget.isCheckable()
    if isinstance(widget, QListWidget):
        return any(widget.item(i).flags() & Qt.ItemFlag.ItemIsUserCheckable
                   for i in range(widget.count()))
    if isinstance(widget, _TEXTS):
        return not widget.isReadOnly()
    return isinstance(widget, (QComboBox, QAbstractSpinBox))


def _item_key(item) -> Any:
    data = item.data(Qt.ItemDataRole.UserRole + 1)
    return data if data is not None else item.text()


def widget_value(widget: QWidget) -> Any:
    """The value shown by one input widget, as plain JSON."""
    if isinstance(widget, QAbstractButton):
        return widget.isChecked()
    if isinstance(widget, QComboBox):
        if widget.currentIndex() < 0:
            return None
        data = widget.currentData()
        return data if isinstance(data, (str, int, float, bool)) else widget.currentText()
    if isinstance(widget, QListWidget):
        return [_item_key(widget.item(i)) for i in range(widget.count())
                if widget.item(i).checkState() == Qt.CheckState.Checked]
    if isinstance(widget, QDateEdit):
        return widget.date().toPython().isoformat()
    if isinstance(widget, QTimeEdit):
        return widget.time().toPython().isoformat(timespec="minutes")
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTime().toPython().replace(tzinfo=None).isoformat(timespec="minutes")
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return widget.value()
    if isinstance(widget, QLineEdit):
        return widget.text()
    return widget.toPlainText()


def set_widget_value(widget: QWidget, value: Any) -> None:
    """Show ``value`` (from ``widget_value``) in the widget; a value it cannot show is left."""
    try:
        if isinstance(widget, QAbstractButton):
            widget.setChecked(bool(value))
        elif isinstance(widget, QComboBox):
            index = -1 if value is None else widget.findData(value)
            if index < 0 and value is not None:
                index = widget.findText(str(value))
            if index >= 0 or value is None:
                widget.setCurrentIndex(index)
        elif isinstance(widget, QListWidget):
            wanted = set(value or ())
            for i in range(widget.count()):
                item = widget.item(i)
                if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                    item.setCheckState(Qt.CheckState.Checked if _item_key(item) in wanted
                                       else Qt.CheckState.Unchecked)
        elif isinstance(widget, QDateEdit):
            day = date.fromisoformat(value)
            widget.setDate(QDate(day.year, day.month, day.day))
        elif isinstance(widget, QTimeEdit):
            clock = time.fromisoformat(value)
            widget.setTime(QTime(clock.hour, clock.minute))
        elif isinstance(widget, QDateTimeEdit):
            when = datetime.fromisoformat(value)
            widget.setDateTime(QDateTime(QDate(when.year, when.month, when.day),
                                         QTime(when.hour, when.minute)))
        elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
            widget.setValue(value)
        elif isinstance(widget, QLineEdit):
            widget.setText(value or "")
        elif isinstance(widget, _TEXTS):
            widget.setPlainText(value or "")
    except (TypeError, ValueError):
        log.info("a draft value no longer fits its field (%s)", widget.objectName())


def form_state(root: QWidget, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every named input widget under ``root``: object name → value."""
    return {w.objectName(): widget_value(w) for w in _inputs(root, set(skip))}


def restore_form_state(root: QWidget, state: dict[str, Any]) -> None:
    """Set the widgets named in ``state``: choices first, then texts (which a choice's own
    handler may have filled in), a radio button turned on after its group's others."""
    widgets = {w.objectName(): w for w in _inputs(root, set())}

    def order(name: str) -> int:
        widget = widgets[name]
        if isinstance(widget, _TEXTS):
            return 3
        if isinstance(widget, QRadioButton):
            return 1 if state[name] else 0
        return 2

    for name in sorted((n for n in state if n in widgets), key=order):
        set_widget_value(widgets[name], state[name])


def change_signals(root: QWidget, skip: tuple[str, ...] = ()) -> Iterator:
    """The signal each input widget under ``root`` emits when the worker changes it."""
    for widget in _inputs(root, set(skip)):
        if isinstance(widget, QAbstractButton):
            yield widget.toggled
        elif isinstance(widget, QComboBox):
            yield widget.currentIndexChanged
        elif isinstance(widget, QListWidget):
            yield widget.itemChanged
        elif isinstance(widget, QDateTimeEdit):
            yield widget.dateTimeChanged
        elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
            yield widget.valueChanged
        else:
            yield widget.textChanged


def confirm_discard(parent: QWidget) -> bool:
    """「入力中の内容を破棄しますか？」: True when the worker answers 破棄する (入力に戻る is the
    default and the answer to Esc)."""
    title = QCoreApplication.translate("DialogDrafts", "入力中の内容の破棄")
    question = QCoreApplication.translate("DialogDrafts", "入力中の内容を破棄しますか？")
    box = QMessageBox(QMessageBox.Icon.Question, title, question,
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("discardDraftBox")
    discard = box.addButton(QCoreApplication.translate("DialogDrafts", "破棄する"),
                            QMessageBox.ButtonRole.DestructiveRole)
    discard.setObjectName("confirmDiscardButton")
    keep = box.addButton(QCoreApplication.translate("DialogDrafts", "入力に戻る"),
                         QMessageBox.ButtonRole.RejectRole)
    keep.setObjectName("keepDraftButton")
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


# -- the keeper --------------------------------------------------------------------------------


class DraftKeeper(QObject):
    """Keeps the drafts of the open forms of one session (``Session.drafts``)."""

    def __init__(self, store: Callable[[], Any], lock: Callable[[], None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store  # the unlocked store, or None
        self.lock = lock or (lambda: None)  # Ctrl+L in a dialog (the window's is blocked)
        self._forms: list[Draftable] = []
        self._timers: dict[int, QTimer] = {}
        self._locking = False
        self._open: list[str] | None = None  # the keys of the forms open at the last lock

    # registration

    def register(self, form: Draftable) -> None:
        if form not in self._forms:
            self._forms.append(form)

    def unregister(self, form: Draftable) -> None:
        if form in self._forms:
            self._forms.remove(form)
        timer = self._timers.pop(id(form), None)
        if timer is not None and shiboken6.isValid(timer):
            timer.stop()
            timer.deleteLater()

    def forms(self) -> list[Draftable]:
        self._forms = [f for f in self._forms if shiboken6.isValid(f)]
        return list(self._forms)

    def watch(self, form: Draftable, root: QWidget, skip: tuple[str, ...] = ()) -> None:
        """Register ``form`` and save its draft a moment after any change under ``root``."""
        self.register(form)
        for signal in change_signals(root, skip):
            signal.connect(lambda *_, f=form: self.touch(f))

    def touch(self, form: Draftable) -> None:
        """Something was typed: save the form's draft once typing stops."""
        timer = self._timers.get(id(form))
        if timer is None or not shiboken6.isValid(timer):
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(AUTOSAVE_MS)
            timer.timeout.connect(lambda f=form: self.keep(f))
            self._timers[id(form)] = timer
        timer.start()

    # saving, restoring, discarding

    def keep(self, form: Draftable) -> bool:
        """Save what ``form`` holds (nothing typed: nothing saved, and no draft deleted)."""
        timer = self._timers.get(id(form))
        if timer is not None and shiboken6.isValid(timer):
            timer.stop()
        store = self._store()
        if store is None or not shiboken6.isValid(form):
            return False
        key = form.draft_id()
        state = form.draft_state() if key else None
        if key is None or state is None:
            return False
        try:
            store.save_draft(key, draft_kind(key), state)
        except OutreachDeskError as exc:
            log.warning("draft not saved: %s", exc.__class__.__name__)
            return False
        return True

    def keep_all(self) -> int:
        """Save every open form's draft (before locking, on a crash, on closing)."""
        kept = 0
        for form in self.forms():
            try:
                kept += self.keep(form)
            except Exception:  # one broken form must not cost the others their drafts
                log.exception("draft of one form could not be read")
        return kept

    def restore(self, form: Draftable) -> bool:
        """Give ``form`` its kept draft back, if there is one."""
        state = self.draft(form.draft_id())
        if state is None:
            return False
        form.restore_draft(state)
        log.info("%s draft restored", draft_kind(form.draft_id()))
        return True

    def draft(self, key: str | None) -> dict[str, Any] | None:
        store = self._store()
        if store is None or not key:
            return None
        return store.draft(key)

    def discard(self, key: str | None) -> None:
        """The form saved what it held, or the worker discarded it on purpose."""
        store = self._store()
        if store is None or not key or self._locking:
            return
        store.discard_draft(key)

    # locking

    @contextlib.contextmanager
    def locking(self) -> Iterator[None]:
        """Around the lock: keep every draft first; closing a form meanwhile discards none."""
        forms = self.forms()
        self._open = [key for form in forms if (key := form.draft_id())]
        self.keep_all()
        self._locking = True
        try:
            yield
        finally:
            self._locking = False
            for form in self.forms():
                self.unregister(form)

    def release(self, root: QWidget) -> None:
        """``root`` closes (a workspace tab): keep the drafts of its forms and let them go."""
        for form in self.forms():
            if form is root or (isinstance(form, QWidget) and root.isAncestorOf(form)):
                self.keep(form)
                self.unregister(form)

    def was_open(self, key: str) -> bool:
        """Whether the form with this key was open when the screen last locked."""
        return key in (self._open or ())

    @property
    def reopening(self) -> bool:
        """Between a lock and the screens reopening what was open then."""
        return self._open is not None

    def forget_open(self) -> None:
        """The screens reopened what was open at the lock."""
        self._open = None

    @property
    def is_locking(self) -> bool:
        """The screen is locking: the forms it closes are kept, not given up."""
        return self._locking


class DialogDrafts:
    """For a ``QDialog`` whose draft is its named input widgets (``form_state``).

    ``keep_drafts_with(drafts, key)`` at the end of the dialog's ``__init__``: from then on what
    is typed is saved as it is typed, a draft kept under ``key`` is shown at once, and the draft
    goes when the dialog is saved or given up — not when the lock closes it. Giving up
    (キャンセル, Esc, the window's close button: all ``reject``) asks first when anything was typed
    or changed (or a kept draft was shown): 「入力中の内容を破棄しますか？」,
    入力に戻る by default; an untouched dialog closes without asking. Without a keeper
    (``drafts=None``) the dialog keeps nothing, and still asks.
    """

    _draft_key: str | None = None
    _drafts: DraftKeeper | None = None
    _draft_baseline: dict[str, Any] | None = None

    def keep_drafts_with(self, drafts: DraftKeeper | None, key: str) -> None:
        self._draft_key, self._drafts = key, drafts
        self._draft_baseline = form_state(self)
        if drafts is None:
            return
        drafts.watch(self, self)
        drafts.restore(self)
        self.finished.connect(self._draft_finished)
        lock = QShortcut(QKeySequence("Ctrl+L"), self)  # the window's Ctrl+L waits behind us
        lock.activated.connect(drafts.lock)

    def draft_id(self) -> str | None:
        return self._draft_key if self._drafts is not None else None

    def draft_state(self) -> dict[str, Any] | None:
        state = form_state(self)
        return None if state == self._draft_baseline else {"fields": state}

    def restore_draft(self, state: dict[str, Any]) -> None:
        restore_form_state(self, state.get("fields") or {})

    def has_typed_content(self) -> bool:
        """Something was typed or changed since the dialog opened (a restored draft counts)."""
        return self._draft_baseline is not None and self.draft_state() is not None

    def reject(self) -> None:  # キャンセル, Esc, the close button (QDialog.closeEvent calls it)
        locking = self._drafts is not None and self._drafts.is_locking
        if not locking and self.isVisible() and self.has_typed_content():
            if not confirm_discard(self) or not self.isVisible():
                return  # 入力に戻る (or the lock closed the dialog meanwhile, keeping its draft)
        super().reject()

    def _draft_finished(self, _result: int) -> None:
        if self._drafts is not None:
            self._drafts.discard(self._draft_key)  # saved, or cancelled by the worker
            self._drafts.unregister(self)


__all__ = ["AUTOSAVE_MS", "DialogDrafts", "DraftKeeper", "Draftable", "change_signals",
           "confirm_discard", "draft_kind", "form_state", "restore_form_state",
           "set_widget_value", "widget_value"]
