"""Recording consent (同意) or its withdrawal (撤回) for one person.

Which agencies, how (口頭 / 書面), on which date, and who recorded it (the worker signed in). A
withdrawal (撤回) lists only the agencies the person consents to now, and its words say 撤回; one
with no agency ticked withdraws consent for every agency, after the worker confirms it. The
dialog writes the event itself, so a refused value is shown next to its field and the dialog
stays open; on success the case view's banner changes at once (``Session.changed``). What is
ticked and typed is kept as a draft (``ui.drafts``) until it is recorded or cancelled, so locking
the screen reopens the dialog as it was.
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from outreach_desk.errors import OutreachDeskError, ValidationError
from outreach_desk.vocab import ConsentMethod
from ui.drafts import DialogDrafts
from ui.visit_form import ui_locale
from ui.widgets import ErrorLabel, save_cancel_buttons

log = logging.getLogger(__name__)


class ConsentDialog(DialogDrafts, QDialog):
    def __init__(self, store, person_id: str, person_name: str, *, withdraw: bool = False,
                 parent: QWidget | None = None, drafts=None) -> None:
        super().__init__(parent)
        self.setObjectName("consentDialog")
        self.setWindowTitle(self.tr("同意・撤回の記録"))
        self.store = store
        self.person_id = person_id
        self.event_id: str | None = None
        worker = store.worker()
        self.worker_id = worker.id if worker else None

        self.person_name = person_name
        self.consented = set(store.consent(person_id).granted)  # what a withdrawal can name
        self.intro = intro = QLabel()
        intro.setObjectName("consentIntro")
        intro.setWordWrap(True)
        self.grant = QRadioButton(self.tr("同意(&G)"))
        self.grant.setObjectName("consentGrant")
        self.withdraw = QRadioButton(self.tr("撤回(&W)"))
        self.withdraw.setObjectName("consentWithdraw")
        actions = QButtonGroup(self)
        actions.addButton(self.grant)
        actions.addButton(self.withdraw)
        (self.withdraw if withdraw else self.grant).setChecked(True)
        action_row = QHBoxLayout()
        action_row.addWidget(self.grant)
        action_row.addWidget(self.withdraw)
        action_row.addStretch(1)

        self.agency_boxes: dict[str, QCheckBox] = {}
        self.agencies_box = agencies_box = QGroupBox()
        inner = QWidget()
        agency_layout = QVBoxLayout(inner)
        for agency in sorted(store.list_entities("agency"), key=lambda a: a["name"] or ""):
            box = QCheckBox(agency["name"] or "")
            box.setObjectName(f"agency_{agency.id}")
            agency_layout.addWidget(box)
            self.agency_boxes[agency.id] = box
        self.no_agencies = QLabel(self.tr("関係機関が登録されていません。"))
        self.no_consented = QLabel(self.tr("現在同意している関係機関はありません。"))
        self.no_consented.setObjectName("noConsentedAgencies")
        agency_layout.addWidget(self.no_agencies)
        agency_layout.addWidget(self.no_consented)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setMinimumHeight(180)
        group_layout = QVBoxLayout(agencies_box)
        group_layout.addWidget(scroll)
        self.all_hint = QLabel(self.tr(
            "1つも選ばないときは、すべての関係機関への同意を撤回します（確認があります）。"))
        self.all_hint.setObjectName("withdrawAllHint")
        self.all_hint.setProperty("role", "hint")
        self.all_hint.setWordWrap(True)
        group_layout.addWidget(self.all_hint)

        self.oral = QRadioButton(self.tr("口頭(&O)"))
        self.oral.setObjectName("methodOral")
        self.written = QRadioButton(self.tr("書面(&P)"))
        self.written.setObjectName("methodWritten")
        methods = QButtonGroup(self)
        methods.addButton(self.oral)
        methods.addButton(self.written)
        self.oral.setChecked(True)
        method_row = QHBoxLayout()
        method_row.addWidget(self.oral)
        method_row.addWidget(self.written)
        method_row.addStretch(1)
        self.given_on = QDateEdit(QDate.currentDate())
        self.given_on.setObjectName("consentDate")
        self.given_on.setLocale(ui_locale())
        self.given_on.setDisplayFormat(self.tr("yyyy年M月d日(ddd)"))
        self.given_on.setCalendarPopup(True)
        self.recorded_by = QLabel(worker["name"] if worker else self.tr("（支援員が未設定）"))
        self.recorded_by.setObjectName("consentRecordedBy")
        self.note = QLineEdit()
        self.note.setObjectName("consentNote")
        self.note.setPlaceholderText(self.tr("任意: 説明した内容など"))

        self.errors: dict[str, QLabel] = {}
        for name in ("agencies", "method", "given_on", "recorded_by", "note", "form"):
            self.errors[name] = ErrorLabel(f"consentError_{name}")

        form = QFormLayout()
        form.addRow(self.tr("記録の種類"), action_row)
        form.addRow(agencies_box)
        form.addRow(self.errors["agencies"])
        form.addRow(self.tr("方法"), method_row)
        date_label = QLabel(self.tr("日付(&D)"))
        date_label.setBuddy(self.given_on)
        form.addRow(date_label, self._with_error(self.given_on, "given_on"))
        form.addRow(self.tr("記録者"), self._with_error(self.recorded_by, "recorded_by"))
        note_label = QLabel(self.tr("メモ(&N)"))
        note_label.setBuddy(self.note)
        form.addRow(note_label, self._with_error(self.note, "note"))

        buttons = save_cancel_buttons(self, self.tr("同意を記録"), "consentSaveButton")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.errors["form"])
        layout.addWidget(buttons)
        self.grant.toggled.connect(self._update_hint)
        self._update_hint()
        self.resize(480, 560)
        self.keep_drafts_with(drafts, f"consent:{person_id}")

    def _with_error(self, widget: QWidget, name: str) -> QWidget:
        cell = QWidget()
        layout = QVBoxLayout(cell)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(self.errors[name])
        return cell

    def _update_hint(self) -> None:
        """Grant and withdrawal (撤回) say what they are; a withdrawal lists only what is
        consented now."""
        withdrawing = self.withdraw.isChecked()
        self.all_hint.setVisible(withdrawing)
        if withdrawing:
            self.setWindowTitle(self.tr("同意の撤回の記録"))
            self.intro.setText(self.tr("{name} さんの同意の撤回を記録します。").format(
                name=self.person_name))
            self.agencies_box.setTitle(self.tr("同意を撤回する関係機関"))
            self.save_button.setText(self.tr("撤回を記録"))
        else:
            self.setWindowTitle(self.tr("同意の記録"))
            self.intro.setText(self.tr("{name} さんの同意を記録します。").format(
                name=self.person_name))
            self.agencies_box.setTitle(self.tr("情報を提供してよい関係機関"))
            self.save_button.setText(self.tr("同意を記録"))
        for agency_id, box in self.agency_boxes.items():
            box.setVisible(not withdrawing or agency_id in self.consented)
        self.no_agencies.setVisible(not self.agency_boxes)
        self.no_consented.setVisible(withdrawing and bool(self.agency_boxes)
                                     and not self.consented)

    def _confirm_withdraw_all(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("すべての同意の撤回"),
                          self.tr("関係機関が選ばれていません。{name} さんの、すべての関係機関への"
                                  "同意を撤回します。よろしいですか？").format(
                              name=self.person_name),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("withdrawAllBox")
        confirm = box.addButton(self.tr("すべて撤回する"), QMessageBox.ButtonRole.DestructiveRole)
        confirm.setObjectName("confirmWithdrawAllButton")
        back = box.addButton(self.tr("選び直す"), QMessageBox.ButtonRole.RejectRole)
        back.setObjectName("chooseAgainButton")
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        box.exec()
        return box.clickedButton() is confirm

    def set_agencies(self, agency_ids) -> None:
        for agency_id, box in self.agency_boxes.items():
            box.setChecked(agency_id in set(agency_ids))

    def chosen_agencies(self) -> list[str]:
        """The ticked agencies (for a withdrawal, only among those consented now)."""
        withdrawing = self.withdraw.isChecked()
        return [agency_id for agency_id, box in self.agency_boxes.items() if box.isChecked()
                and (not withdrawing or agency_id in self.consented)]

    def _show(self, name: str, message: str) -> None:
        error = self.errors.get(name, self.errors["form"])
        error.setText(message)
        error.show()

    def save(self) -> None:
        for error in self.errors.values():
            error.hide()
        agencies = self.chosen_agencies()
        given_on = self.given_on.date().toPython()
        problems = []
        if self.grant.isChecked() and not agencies:
            problems.append(("agencies", self.tr("同意した関係機関を1つ以上選んでください。")))
        if given_on > date.today():
            problems.append(("given_on", self.tr("未来の日付は記録できません。")))
        if self.worker_id is None:
            problems.append(("recorded_by", self.tr(
                "記録する支援員が設定されていないため、記録できません。")))
        if problems:
            for name, message in problems:
                self._show(name, message)
            return
        if self.withdraw.isChecked() and not agencies and not self._confirm_withdraw_all():
            return
        method = ConsentMethod.WRITTEN if self.written.isChecked() else ConsentMethod.ORAL
        fields = {"method": method, "given_on": given_on, "recorded_by": self.worker_id,
                  "note": self.note.text().strip() or None}
        try:
            if self.grant.isChecked():
                self.event_id = self.store.record_consent(self.person_id, agencies=agencies,
                                                          **fields)
            else:
                self.event_id = self.store.record_withdrawal(self.person_id, agencies=agencies,
                                                             **fields)
        except ValidationError as exc:
            log.info("consent refused by the store: %s/%s", exc.field, exc.rule)
            messages = {
                "agencies": self.tr("関係機関の選択を確認してください。"),
                "given_on": self.tr("日付が正しくありません。"),
                "note": self.tr("メモが長すぎます。"),
            }
            self._show(exc.field, messages.get(exc.field, self.tr("入力内容を確認してください。")))
            return
        except OutreachDeskError as exc:
            log.warning("consent not saved: %s", exc.__class__.__name__)
            self._show("form", self.tr("記録できませんでした。もう一度お試しください。"))
            return
        log.info("consent event recorded")
        self.accept()


__all__ = ["ConsentDialog"]
