"""支援段階の変更: the new stage of a case, the date it changed and why.

Every stage change is dated (the seeds' flow: 把握 → 関係づくり → アセスメント → プラン作成 →
支援実施・モニタリング → 終結, or 中断). The dialog writes the change itself and stays open with a
message next to the field when something must be fixed. What is typed is kept as a draft
(``ui.drafts``) until it is saved or cancelled.
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from outreach_desk.errors import OutreachDeskError, ValidationError
from outreach_desk.vocab import CaseStage
from ui.drafts import DialogDrafts
from ui.fmt import format_date, label
from ui.visit_form import ui_locale
from ui.widgets import ErrorLabel, save_cancel_buttons

log = logging.getLogger(__name__)


class StageDialog(DialogDrafts, QDialog):
    def __init__(self, store, case_id: str, parent: QWidget | None = None, *,
                 drafts=None) -> None:
        super().__init__(parent)
        self.setObjectName("stageDialog")
        self.setWindowTitle(self.tr("支援段階の変更"))
        self.store = store
        self.case_id = case_id
        current = store.get("case", case_id)["stage"] or {}
        self.current_stage = current.get("stage")
        self.current_since = current.get("date")

        now = QLabel(self.tr("現在の支援段階: {stage}（{since}から）").format(
            stage=label(CaseStage(self.current_stage)) if self.current_stage else "",
            since=format_date(self.current_since)))
        now.setObjectName("currentStage")
        self.stage = QComboBox()
        self.stage.setObjectName("stageCombo")
        for stage in CaseStage:
            self.stage.addItem(label(stage), stage.value)
        index = self.stage.findData(self.current_stage)
        if index >= 0:
            self.stage.setCurrentIndex(index)
        self.changed_on = QDateEdit(QDate.currentDate())
        self.changed_on.setObjectName("stageDate")
        self.changed_on.setLocale(ui_locale())
        self.changed_on.setDisplayFormat(self.tr("yyyy年M月d日(ddd)"))
        self.changed_on.setCalendarPopup(True)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("stageReason")
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(self.tr("例: 本人と初めて会えたため"))
        self.reason.setMaximumHeight(90)
        self.errors: dict[str, QLabel] = {}
        for name in ("stage", "date", "reason", "form"):
            self.errors[name] = ErrorLabel(f"stageError_{name}")

        form = QFormLayout()
        for text, widget, name in ((self.tr("新しい段階(&S)"), self.stage, "stage"),
                                   (self.tr("変更日(&D)"), self.changed_on, "date"),
                                   (self.tr("理由(&R)"), self.reason, "reason")):
            caption = QLabel(text)
            caption.setBuddy(widget)
            cell = QWidget()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            cell_layout.addWidget(widget)
            cell_layout.addWidget(self.errors[name])
            form.addRow(caption, cell)
        buttons = save_cancel_buttons(self, self.tr("変更する"), "stageSaveButton")
        layout = QVBoxLayout(self)
        layout.addWidget(now)
        layout.addLayout(form)
        layout.addWidget(self.errors["form"])
        layout.addWidget(buttons)
        self.stage.setFocus()
        self.keep_drafts_with(drafts, f"stage:{case_id}")

    def _show(self, name: str, message: str) -> None:
        error = self.errors.get(name, self.errors["form"])
        error.setText(message)
        error.show()

    def save(self) -> None:
        for error in self.errors.values():
            error.hide()
        stage = self.stage.currentData()
        on = self.changed_on.date().toPython()
        reason = self.reason.toPlainText().strip()
        problems = []
        if stage == self.current_stage:
            problems.append(("stage", self.tr("現在と同じ段階です。新しい段階を選んでください。")))
        if on > date.today():
            problems.append(("date", self.tr("未来の日付にはできません。")))
        elif self.current_since and on.isoformat() < self.current_since:
            problems.append(("date", self.tr("今の段階になった日（{day}）より前にはできません。")
                             .format(day=format_date(self.current_since))))
        if not reason:
            problems.append(("reason", self.tr("変更の理由を入力してください。")))
        if problems:
            for name, message in problems:
                self._show(name, message)
            return
        try:
            self.store.change_case_stage(self.case_id, stage, on=on, reason=reason)
        except ValidationError as exc:
            log.info("stage change refused by the store: %s/%s", exc.field, exc.rule)
            self._show("form", self.tr("入力内容を確認してください。"))
            return
        except OutreachDeskError as exc:
            log.warning("stage not changed: %s", exc.__class__.__name__)
            self._show("form", self.tr("変更できませんでした。もう一度お試しください。"))
            return
        log.info("case stage changed")
        self.accept()


__all__ = ["StageDialog"]
