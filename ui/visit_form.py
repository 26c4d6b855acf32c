"""The visit form (訪問・連絡記録): a new visit, or a correction (訂正) of one already written.

It lives inside the case view (a side panel, never a modal dialog), so locking the screen can keep
what was typed as an encrypted draft. ``draft_state()`` is that draft (every field of the form by
name, read generically by ``ui.drafts``, so a new field is kept without more code);
``restore_draft`` takes it back after ``open_new``/``open_amend``. Ctrl+Enter (or Ctrl+Return)
saves; Alt+A fills a 不在 visit with a letter left at the door and proposes 「再訪」 (due after the
再訪までの日数 setting), so such a visit takes two key presses. 会えた人 is a set of check boxes;
同行者, 場所 and 所要時間 are optional; the due date has quick picks (Alt+3 3日後, Alt+1 1週間後,
Alt+2 2週間後, Alt+4 1か月後). Mistakes the worker can make are shown in Japanese under the field
concerned and nothing is written; a date before the case was opened asks, in the form, to confirm
a late entry of an old record.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, Qt, QTime, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from outreach_desk.errors import NotFound, OutreachDeskError, ValidationError
from outreach_desk.model import Visit
from outreach_desk.visit_dates import BEFORE_BIRTH, BEFORE_OPENING, DateOutOfBounds
from outreach_desk.vocab import MetWith, RelationshipStage, VisitKind, met_with_set
from ui.drafts import form_state, restore_form_state
from ui.fmt import format_date, label
from ui.visit_fields import CompanionCombo, DuePicks, MetWithChoice, due_after
from ui.widgets import ErrorLabel, scroll_body

log = logging.getLogger(__name__)

FIELDS = ("occurred_at", "kind", "met_with", "narrative", "reaction", "relationship_stage",
          "next_action", "next_action_due", "companion_workers", "companion_agencies", "place",
          "duration_minutes", "late_entry_confirmed")
DEFAULT_REVISIT_DAYS = 7  # when the session has no settings (ui.session.Settings says)
TEXT_FIELDS = ("narrative", "reaction", "next_action")


def ui_locale() -> QLocale:
    """Japanese weekday names in date editors unless the worker chose English."""
    monday = QCoreApplication.translate("Dates", "月")  # fmt.py's weekday: "Mon" in English
    if monday.isascii():
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return QLocale(QLocale.Language.Japanese, QLocale.Country.Japan)


def _wall_time(value: str) -> datetime:
    """The visit's date and time as written (its own time zone), to the minute, naive."""
    return datetime.fromisoformat(value).replace(tzinfo=None, second=0, microsecond=0)


def _same(name: str, old: Any, new: Any) -> bool:
    if name == "occurred_at":
        return old is not None and _wall_time(old) == new
    if name == "next_action_due":
        return (old or None) == (new.isoformat() if new else None)
    if name == "met_with":
        return [m.value for m in met_with_set(old)] == list(new or [])
    if name in ("companion_workers", "companion_agencies", "duration_minutes",
                "late_entry_confirmed"):
        return (old or None) == (new or None)
    return (old or "").strip() == (new or "").strip()


class VisitForm(QWidget):
    saved = Signal(str)  # the id of the visit written or corrected
    close_requested = Signal()  # 閉じる: keep what was typed as a draft
    discard_requested = Signal()  # 破棄: forget what was typed
    edited = Signal()  # any change typed by the worker (the case view autosaves a draft)

    def __init__(self, session, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visitForm")
        self.session = session
        self.case_id = case_id
        self.mode = "new"
        self.visit: Visit | None = None
        self._filling = False
        self._touched = False
        self._baseline: dict[str, Any] = {}
        self._build()

    # -- widgets --------------------------------------------------------------------------------

    def _build(self) -> None:
        locale = ui_locale()
        self.heading = QLabel()
        self.heading.setObjectName("visitFormHeading")
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.notice = QLabel()
        self.notice.setObjectName("visitFormNotice")
        self.notice.setProperty("role", "hint")
        self.notice.setWordWrap(True)
        self.notice.hide()
        # Alt+A is a shortcut, not a mnemonic: a mnemonic clicks 100 ms later (animateClick),
        # so a quick Alt+A, Ctrl+Enter would try to save before the form was filled.
        self.absent_button = QPushButton(self.tr("不在（置き手紙） Alt+A"))
        self.absent_button.setObjectName("absentButton")
        self.absent_button.setToolTip(self.tr(
            "会えなかった訪問を入力します: 種別「手紙・置き手紙」、会えた人「会えず」、"
            "次回の予定「再訪」。続けて Ctrl+Enter で保存します。"))
        self.absent_button.clicked.connect(self.fill_absent)

        self.occurred_at = QDateTimeEdit()
        self.occurred_at.setObjectName("occurredAt")
        self.occurred_at.setLocale(locale)
        self.occurred_at.setDisplayFormat(self.tr("yyyy年M月d日(ddd) HH:mm"))
        self.occurred_at.setCalendarPopup(True)
        self.kind = self._combo("visitKind", VisitKind)
        self.met_with = MetWithChoice()
        self.companion = CompanionCombo()
        self.place = QLineEdit()
        self.place.setObjectName("place")
        self.place.setPlaceholderText(self.tr("例: 自宅、公民館"))
        self.duration = QSpinBox()
        self.duration.setObjectName("durationMinutes")
        self.duration.setRange(0, 24 * 60)
        self.duration.setSingleStep(5)
        self.duration.setSuffix(self.tr(" 分"))
        self.duration.setSpecialValueText(self.tr("未記入"))
        self.late_entry = QCheckBox(self.tr("古い記録の後日入力です"))
        self.late_entry.setToolTip(self.tr(
            "ケースの開始日より前の日付で記録します。紙の記録などを後から入力するときに使います。"))
        self.late_entry.setObjectName("lateEntryConfirmed")
        self.late_entry.hide()
        self.narrative = QPlainTextEdit()
        self.narrative.setObjectName("narrative")
        self.narrative.setTabChangesFocus(True)
        self.narrative.setPlaceholderText(self.tr("様子、話したこと、気づいたこと"))
        self.narrative.setMinimumHeight(110)
        self.reaction = QPlainTextEdit()
        self.reaction.setObjectName("reaction")
        self.reaction.setTabChangesFocus(True)
        self.reaction.setMaximumHeight(70)
        self.relationship_stage = self._combo("relationshipStage", RelationshipStage)
        self.next_action = QLineEdit()
        self.next_action.setObjectName("nextAction")
        self.next_action.setPlaceholderText(self.tr("例: 時間帯を変えて再訪する"))
        self.has_due = QCheckBox(self.tr("期限を設定"))
        self.has_due.setObjectName("hasDue")
        self.due = QDateEdit()
        self.due.setObjectName("nextActionDue")
        self.due.setLocale(locale)
        self.due.setDisplayFormat(self.tr("yyyy年M月d日(ddd)"))
        self.due.setCalendarPopup(True)
        self.due.setEnabled(False)
        self.has_due.toggled.connect(self.due.setEnabled)
        self.due_picks = DuePicks()
        self.due_picks.picked.connect(self.pick_due)
        self.reason = QLineEdit()
        self.reason.setObjectName("amendReason")
        self.reason.setPlaceholderText(self.tr("例: 日時の入力誤り"))

        self.inputs: dict[str, QWidget] = {
            "occurred_at": self.occurred_at, "kind": self.kind, "met_with": self.met_with,
            "companion_workers": self.companion, "place": self.place,
            "duration_minutes": self.duration,
            "narrative": self.narrative, "reaction": self.reaction,
            "relationship_stage": self.relationship_stage, "next_action": self.next_action,
            "next_action_due": self.due, "reason": self.reason,
        }
        self.errors: dict[str, QLabel] = {}
        for name in (*self.inputs, "form"):
            self.errors[name] = ErrorLabel(f"error_{name}")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due, 1)
        when_row = QVBoxLayout()
        when_row.setSpacing(2)
        when_row.addWidget(self.occurred_at)
        when_row.addWidget(self.late_entry)
        place_row = QHBoxLayout()
        place_row.addWidget(self.place, 1)
        self._duration_label = QLabel(self.tr("所要時間(&I)"))
        self._duration_label.setBuddy(self.duration)
        place_row.addWidget(self._duration_label)
        place_row.addWidget(self.duration)
        rows = (
            (self.tr("日時(&D)"), "occurred_at", when_row),
            (self.tr("種別(&K)"), "kind", self.kind),
            (self.tr("会えた人(&M)"), "met_with", self.met_with),
            (self.tr("同行者(&W)"), "companion_workers", self.companion),
            (self.tr("場所(&L)"), "place", place_row),
            (self.tr("内容(&T)"), "narrative", self.narrative),
            (self.tr("本人の反応(&R)"), "reaction", self.reaction),
            (self.tr("関係の段階(&S)"), "relationship_stage", self.relationship_stage),
            (self.tr("次回の予定(&X)"), "next_action", self.next_action),
            (self.tr("期限(&U)"), "next_action_due", due_row),
            (self.tr("訂正の理由(&Y)"), "reason", self.reason),
        )
        self._reason_label = None
        for text, name, field in rows:
            caption = QLabel(text)
            caption.setBuddy({"next_action_due": self.has_due, "occurred_at": self.occurred_at,
                              "met_with": self.met_with.boxes[MetWith.PERSON.value],
                              "place": self.place}.get(name, field))
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(field) if isinstance(field, QWidget) else cell.addLayout(field)
            cell.addWidget(self.errors[name])
            if name == "next_action_due":  # the quick picks, under the date and its message
                cell.addWidget(self.due_picks)
            form.addRow(caption, cell)
            if name == "reason":
                self._reason_label = caption
        self.save_button = QPushButton(self.tr("保存 (Ctrl+Enter)"))
        self.save_button.setObjectName("saveVisitButton")
        self.save_button.setDefault(False)
        self.save_button.clicked.connect(self.submit)
        self.close_button = QPushButton(self.tr("閉じる"))
        self.close_button.setObjectName("closeVisitButton")
        self.close_button.setToolTip(self.tr("入力中の内容は下書きとして残ります (Esc)"))
        self.close_button.clicked.connect(self.close_requested)
        self.discard_button = QPushButton(self.tr("破棄"))
        self.discard_button.setObjectName("discardVisitButton")
        self.discard_button.setToolTip(self.tr("入力中の内容と下書きを消します"))
        self.discard_button.clicked.connect(self.discard_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.close_button)

        # the fields scroll; 保存 and the form's message stay in view under them, however
        # many messages a small screen shows
        fields = QWidget()
        fields.setObjectName("visitFormFields")
        layout = scroll_body(fields)
        layout.addWidget(self.heading)
        layout.addWidget(self.notice)
        layout.addWidget(self.absent_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(form)
        layout.addStretch(1)
        footer = QVBoxLayout()
        footer.setContentsMargins(9, 0, 9, 9)
        footer.addWidget(self.errors["form"])
        footer.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(fields, 1)
        outer.addLayout(footer)

        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.submit)
        absent = QShortcut(QKeySequence("Alt+A"), self)
        absent.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        absent.activated.connect(lambda: self.fill_absent() if self.mode == "new" else None)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.close_requested)

        for name, widget in self.inputs.items():
            signal = next(signal for kind, signal in (
                (QDateTimeEdit, "dateTimeChanged"), (QComboBox, "currentIndexChanged"),
                (QPlainTextEdit, "textChanged"), (QLineEdit, "textChanged"),
                (QDateEdit, "dateChanged"), (QSpinBox, "valueChanged"),
                (MetWithChoice, "changed")) if type(widget) is kind or (
                    kind is QComboBox and isinstance(widget, QComboBox)))
            getattr(widget, signal).connect(lambda *_, n=name: self._on_edit(n))
        self.has_due.toggled.connect(lambda *_: self._on_edit("next_action_due"))
        self.late_entry.toggled.connect(lambda *_: self._on_edit("occurred_at"))
        order = [self.absent_button, self.occurred_at, self.late_entry, self.kind,
                 *self.met_with.boxes.values(), self.companion, self.place, self.duration,
                 self.narrative, self.reaction, self.relationship_stage, self.next_action,
                 self.has_due, self.due, *self.due_picks.buttons, self.reason, self.save_button,
                 self.discard_button, self.close_button]
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)

    def _combo(self, name: str, vocab) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        for value in vocab:
            combo.addItem(label(value), value.value)
        return combo

    @staticmethod
    def _set_combo(combo: QComboBox, code: str | None) -> None:
        index = combo.findData(code)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _on_edit(self, name: str) -> None:
        if self._filling:
            return
        self._touched = True
        self.errors[name].hide()
        self.inputs[name].setAccessibleDescription("")
        self.edited.emit()

    # -- opening ------------------------------------------------------------------------------

    def open_new(self, stage: str, payload: dict[str, Any] | None = None) -> None:
        """A blank visit dated now, at the case's current relationship stage."""
        self.mode, self.visit = "new", None
        now = datetime.now().replace(second=0, microsecond=0)
        self._fill_choices()
        self._fill({"occurred_at": now.isoformat(), "kind": VisitKind.HOME_VISIT.value,
                    "met_with": [MetWith.PERSON.value], "relationship_stage": stage})
        self._baseline = form_state(self)
        if payload:
            self._fill(payload)
        self._touched = bool(payload)
        self._show_mode()

    def open_amend(self, visit: Visit, payload: dict[str, Any] | None = None) -> None:
        """The visit's effective values, to correct; a reason is required."""
        self.mode, self.visit = "amend", visit
        self._fill_choices()
        self._fill(dict(visit.effective))
        self._baseline = form_state(self)
        if payload:
            self._fill(payload)
        self._touched = bool(payload)
        self._show_mode()

    def _fill_choices(self) -> None:
        try:
            self.companion.fill(self.session.store)
        except OutreachDeskError:  # locked meanwhile: the list stays as it was
            log.info("companion list not refreshed")

    def _show_mode(self) -> None:
        amend = self.mode == "amend"
        self.heading.setText(self.tr("訪問記録の訂正") if amend else self.tr("新しい訪問記録"))
        self.absent_button.setVisible(not amend)
        self.reason.setVisible(amend)
        self._reason_label.setVisible(amend)
        self.clear_errors()
        self.set_notice("")

    def set_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _fill(self, values: dict[str, Any]) -> None:
        self._filling = True
        try:
            if values.get("occurred_at"):
                when = _wall_time(values["occurred_at"])
                self.occurred_at.setDateTime(QDateTime(
                    QDate(when.year, when.month, when.day), QTime(when.hour, when.minute)))
            for name in ("kind", "relationship_stage"):
                if values.get(name):
                    self._set_combo(self.inputs[name], values[name])
            if values.get("met_with"):
                self.met_with.set_values(m.value for m in met_with_set(values["met_with"]))
            self.companion.set_current(CompanionCombo.data_of(
                values.get("companion_workers"), values.get("companion_agencies")))
            self.place.setText(values.get("place") or "")
            self.duration.setValue(int(values.get("duration_minutes") or 0))
            late = bool(values.get("late_entry_confirmed"))
            self.late_entry.setChecked(late)
            self.late_entry.setVisible(late)
            self.narrative.setPlainText(values.get("narrative") or "")
            self.reaction.setPlainText(values.get("reaction") or "")
            self.next_action.setText(values.get("next_action") or "")
            due = values.get("next_action_due")
            self.has_due.setChecked(bool(due))
            self.due.setEnabled(bool(due))
            if due:
                self.due.setDate(QDate.fromString(due, Qt.DateFormat.ISODate))
            else:
                self.due.setDate(QDate.currentDate().addDays(14))
            self.reason.setText(values.get("reason") or "")
        finally:
            self._filling = False

    # -- reading the widgets ------------------------------------------------------------------

    def _values(self) -> dict[str, Any]:
        when = self.occurred_at.dateTime()
        day, clock = when.date(), when.time()
        due = self.due.date()
        return {
            "occurred_at": datetime(day.year(), day.month(), day.day(), clock.hour(),
                                    clock.minute()),
            "kind": self.kind.currentData(),
            "met_with": self.met_with.values(),
            "narrative": self.narrative.toPlainText().strip(),
            "reaction": self.reaction.toPlainText().strip(),
            "relationship_stage": self.relationship_stage.currentData(),
            "next_action": self.next_action.text().strip(),
            "next_action_due": date(due.year(), due.month(), due.day())
            if self.has_due.isChecked() else None,
            "companion_workers": self.companion.current()[0],
            "companion_agencies": self.companion.current()[1],
            "place": self.place.text().strip(),
            "duration_minutes": self.duration.value() or None,
            "late_entry_confirmed": self.late_entry.isChecked() or None,
        }

    def payload(self) -> dict[str, Any]:
        """What is typed, as plain JSON values (the draft)."""
        values = self._values()
        values["occurred_at"] = values["occurred_at"].isoformat(timespec="minutes")
        due = values["next_action_due"]
        values["next_action_due"] = due.isoformat() if due else None
        return {"mode": self.mode, "visit_id": self.visit.id if self.visit else None,
                **values, "reason": self.reason.text().strip()}

    def is_dirty(self) -> bool:
        """True when the worker typed something that differs from what the form opened with."""
        return self._touched and form_state(self) != self._baseline

    # -- the draft ----------------------------------------------------------------------------

    def draft_state(self) -> dict[str, Any]:
        """What is shown, for the draft: a new visit or a correction, and every field by name."""
        return {"mode": self.mode, "visit_id": self.visit.id if self.visit else None,
                "fields": form_state(self)}

    def restore_draft(self, state: dict[str, Any]) -> None:
        """Show a kept draft in the form just opened (``open_new``/``open_amend``)."""
        self._filling = True
        try:
            if isinstance(state.get("fields"), dict):
                restore_form_state(self, state["fields"])
            else:  # a draft kept as plain values (``payload()``), before fields were read by name
                self._fill(state)
        finally:
            self._filling = False
        self._touched = True

    # -- actions ------------------------------------------------------------------------------

    def fill_absent(self) -> None:
        """不在: nobody answered, a letter was left; 「再訪」 is proposed, due after the
        再訪までの日数 setting (a week by default). Ctrl+Enter then saves it."""
        self._set_combo(self.kind, VisitKind.LETTER.value)
        self.met_with.set_values([MetWith.NOBODY.value])
        self._on_edit("met_with")
        if not self.narrative.toPlainText().strip():
            self.narrative.setPlainText(self.tr("不在のため置き手紙"))
        if not self.next_action.text().strip():
            self.next_action.setText(self.tr("再訪"))
            settings = getattr(self.session, "settings", None)
            days = getattr(settings, "revisit_days", DEFAULT_REVISIT_DAYS)
            self.pick_due(days, 0)
        self.narrative.setFocus()
        self.narrative.moveCursor(self.narrative.textCursor().MoveOperation.End)

    def pick_due(self, days: int, months: int) -> None:
        """A quick pick (3日後 … 1か月後): the due date that far after the visit's day."""
        self.has_due.setChecked(True)
        self.due.setDate(due_after(self.occurred_at.date(), days, months))

    def clear_errors(self) -> None:
        for error in self.errors.values():
            error.clear()
            error.hide()
        for widget in self.inputs.values():
            widget.setAccessibleDescription("")

    def show_error(self, name: str, message: str) -> None:
        error = self.errors.get(name, self.errors["form"])
        error.setText(message)
        error.show()
        widget = self.inputs.get(name)
        if widget is not None:
            widget.setAccessibleDescription(message)

    def _check(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        """Mistakes caught before anything is written, in the order of the form."""
        problems = []
        now = datetime.now().replace(second=0, microsecond=0)
        if values["occurred_at"] > now:
            problems.append(("occurred_at", self.tr(
                "未来の日時は記録できません。訪問した日時を入力してください。")))
        had_narrative = self.mode == "new" or bool(self.visit and self.visit["narrative"])
        if not values["narrative"] and had_narrative:
            problems.append(("narrative", self.tr("内容を入力してください。")))
        if not values["met_with"]:
            problems.append(("met_with", self.tr(
                "会えた人を選んでください。会えなかったときは「会えず」です。")))
        if values["next_action_due"] and not values["next_action"]:
            problems.append(("next_action", self.tr(
                "期限を入れるときは、次回の予定も書いてください。")))
        due = values["next_action_due"]
        if due and due < values["occurred_at"].date():
            problems.append(("next_action_due", self.tr(
                "期限は訪問日より前にはできません。訪問日以降の日付にしてください。")))
        if self.mode == "amend" and not self.reason.text().strip():
            problems.append(("reason", self.tr("訂正の理由を入力してください。")))
        return problems

    def _changes(self, values: dict[str, Any]) -> dict[str, Any]:
        effective = self.visit.effective
        return {name: values[name] or None for name in FIELDS
                if not _same(name, effective.get(name), values[name])}

    def submit(self) -> str | None:
        """Validate and write; returns the visit id, or None when something must be fixed."""
        self.clear_errors()
        values = self._values()
        problems = self._check(values)
        changes = self._changes(values) if self.mode == "amend" else {}
        if self.mode == "amend" and not problems and not changes:
            problems.append(("form", self.tr(
                "変更された項目がありません。訂正する内容を入力してください。")))
        if problems:
            for name, message in problems:
                self.show_error(name, message)
            self._focus(problems[0][0])
            return None
        store = self.session.store
        try:
            if self.mode == "new":
                fields = {name: values[name] or None for name in FIELDS}
                visit_id = store.record_visit(self.case_id, **fields)
            else:
                store.amend_visit(self.visit.id, changes, self.reason.text().strip())
                visit_id = self.visit.id
        except DateOutOfBounds as exc:
            log.info("visit date refused by the store: %s", exc.rule)
            self.show_error("occurred_at", date_bound_message(exc))
            if exc.rule == BEFORE_OPENING:  # ask, in the form, whether it is a late entry
                self.late_entry.show()
                self.late_entry.setFocus()
            else:
                self._focus("occurred_at")
            return None
        except ValidationError as exc:
            log.info("visit refused by the store: %s/%s", exc.field, exc.rule)
            field = {"companion_agencies": "companion_workers",
                     "duration_minutes": "place"}.get(exc.field, exc.field)
            name = field if field in self.inputs else "form"
            self.show_error(name, validation_message(exc.field, exc.rule))
            self._focus(name)
            return None
        except NotFound:
            self.show_error("form", self.tr("この記録は見つかりませんでした。"))
            return None
        except OutreachDeskError as exc:
            log.warning("visit not saved: %s", exc.__class__.__name__)
            self.show_error("form", self.tr("保存できませんでした。もう一度お試しください。"))
            return None
        log.info("visit %s", "saved" if self.mode == "new" else "amended")
        self._touched = False
        self.saved.emit(visit_id)
        return visit_id

    def _focus(self, name: str) -> None:
        widget = self.inputs.get(name)
        if widget is not None and widget.isVisible():
            widget.setFocus()

    def focus_first(self) -> None:
        (self.reason if self.mode == "amend" else self.narrative).setFocus()


def validation_message(field: str, rule: str) -> str:
    """A Japanese message for a rule the core refused (``ValidationError.field/.rule``)."""
    translate = QCoreApplication.translate
    if rule == "required":
        return {
            "narrative": translate("VisitForm", "内容を入力してください。"),
            "next_action": translate(
                "VisitForm", "期限を入れるときは、次回の予定も書いてください。"),
            "reason": translate("VisitForm", "訂正の理由を入力してください。"),
            "changes": translate(
                "VisitForm", "変更された項目がありません。訂正する内容を入力してください。"),
        }.get(field, translate("VisitForm", "この項目を入力してください。"))
    return {
        "future": translate(
            "VisitForm", "未来の日時は記録できません。訪問した日時を入力してください。"),
        "too_long": translate("VisitForm", "文字数が多すぎます。短くしてください。"),
        "inconsistent": translate(
            "VisitForm", "同行支援では「会えず」は選べません。会えた人を確認してください。"),
        "nobody_alone": translate(
            "VisitForm", "「会えず」と会えた人は同時に選べません。会えた人を確認してください。"),
        "range": translate("VisitForm", "値が範囲外です。確認してください。"),
        "choice": translate("VisitForm", "一覧から選んでください。"),
        "date": translate("VisitForm", "日付が正しくありません。"),
        "datetime": translate("VisitForm", "日時が正しくありません。"),
        "not_amendable": translate("VisitForm", "この項目は訂正できません。"),
    }.get(rule, translate("VisitForm", "入力内容を確認してください。"))


def date_bound_message(exc: DateOutOfBounds) -> str:
    """The Japanese message for a visit date the core refused, naming the bound it broke."""
    translate = QCoreApplication.translate
    if exc.rule == BEFORE_BIRTH:
        return translate(
            "VisitForm", "本人の生まれ年（{year}年）より前の日付です。訪問した日付を確認してください。"
        ).format(year=exc.bound)
    if exc.rule == BEFORE_OPENING:
        return translate(
            "VisitForm", "ケースの開始日（{date}）より前の日付です。古い記録を後から入力する場合は、"
            "下の「古い記録の後日入力です」にチェックを入れて保存してください。"
        ).format(date=format_date(exc.bound))
    return translate(
        "VisitForm", "未来の日時は記録できません（この端末の時計より{hours}時間以上先です）。"
        "訪問した日時を入力してください。").format(hours=exc.bound)


__all__ = ["FIELDS", "VisitForm", "date_bound_message", "ui_locale", "validation_message"]
