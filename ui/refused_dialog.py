"""送信できなかった変更: this laptop's changes the server refused, one card each.

The server refuses a change to a record outside the worker's teams; the change stays in this
store's log, but the server never passes it on. Each card says which record it was written to
(the case's person, where this laptop knows the case), what was written (selectable text and a
コピー button, so it can be given to the right team another way), when the refusal came back and
why. 確認済み takes a card off the list once the worker has dealt with it.

Reads and the 確認済み write run in the background (``ui.tasks``); widgets never touch SQL.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from outreach_desk.refusals import RefusedChange, value_text
from outreach_desk.vocab import MetWith, RelationshipStage, VisitKind
from ui.fmt import format_datetime, label, met_with_text
from ui.tasks import run_async
from ui.widgets import heading_label, hint_label

log = logging.getLogger(__name__)

# What each kind of record is called, and the fields a worker writes, in the 'Refused' context.
RECORD_NAMES = {
    "visit": QT_TRANSLATE_NOOP("Refused", "訪問・連絡記録"),
    "visit_amendment": QT_TRANSLATE_NOOP("Refused", "訂正"),
    "case": QT_TRANSLATE_NOOP("Refused", "ケース"),
    "person": QT_TRANSLATE_NOOP("Refused", "対象者"),
    "household": QT_TRANSLATE_NOOP("Refused", "世帯"),
    "note": QT_TRANSLATE_NOOP("Refused", "関係づくりメモ"),
    "plan": QT_TRANSLATE_NOOP("Refused", "支援プラン"),
    "meeting": QT_TRANSLATE_NOOP("Refused", "会議"),
    "consent_event": QT_TRANSLATE_NOOP("Refused", "同意の記録"),
    "access_event": QT_TRANSLATE_NOOP("Refused", "アクセス記録"),
}
FIELD_NAMES = {
    "occurred_at": QT_TRANSLATE_NOOP("Refused", "日時"),
    "kind": QT_TRANSLATE_NOOP("Refused", "種別"),
    "met_with": QT_TRANSLATE_NOOP("Refused", "会えた人"),
    "narrative": QT_TRANSLATE_NOOP("Refused", "内容"),
    "reaction": QT_TRANSLATE_NOOP("Refused", "本人の反応"),
    "relationship_stage": QT_TRANSLATE_NOOP("Refused", "関係の段階"),
    "next_action": QT_TRANSLATE_NOOP("Refused", "次回の予定"),
    "next_action_due": QT_TRANSLATE_NOOP("Refused", "期限"),
    "text": QT_TRANSLATE_NOOP("Refused", "メモ"),
    "referral_note": QT_TRANSLATE_NOOP("Refused", "把握の経緯"),
    "reason": QT_TRANSLATE_NOOP("Refused", "理由"),
    "note": QT_TRANSLATE_NOOP("Refused", "備考"),
    "decisions": QT_TRANSLATE_NOOP("Refused", "決定事項"),
}
VOCAB_FIELDS = {"kind": VisitKind, "met_with": MetWith, "relationship_stage": RelationshipStage}
HIDDEN_FIELDS = {"case_id", "visit_id", "person_id", "household_id", "by_worker",
                 "recorded_by"}  # ids: nothing a person could read


def _tr(text: str) -> str:
    return QCoreApplication.translate("Refused", text)


def _shown_value(name: str, value: Any) -> str:
    if name == "met_with" and isinstance(value, (str, list)):
        return met_with_text(value) or value_text(value)
    kind = VOCAB_FIELDS.get(name)
    if kind is not None and isinstance(value, str):
        try:
            return label(kind.parse(value))
        except ValueError:
            return value
    if name == "occurred_at" and isinstance(value, str):
        try:
            return format_datetime(value)
        except ValueError:
            return value
    return value_text(value)


def written_text(item: RefusedChange) -> str:
    """What the change wrote, as text a worker can paste elsewhere (field names translated)."""
    value = item.value
    if isinstance(value, dict):
        lines = []
        for name, part in value.items():
            if name in HIDDEN_FIELDS or part in (None, "", [], {}):
                continue
            lines.append(f"{_tr(FIELD_NAMES.get(name, name))}: {_shown_value(name, part)}")
        return "\n".join(lines)
    if item.deletion:
        return QCoreApplication.translate("Refused", "（記録の削除）")
    if item.field in HIDDEN_FIELDS:
        return ""
    return f"{_tr(FIELD_NAMES.get(item.field, item.field))}: {_shown_value(item.field, value)}"


def record_title(item: RefusedChange) -> str:
    kind = _tr(RECORD_NAMES.get(item.entity, item.entity))
    if item.record_name:
        return QCoreApplication.translate("Refused", "{kind}（{name}）").format(
            kind=kind, name=item.record_name)
    return kind


class RefusedCard(QFrame):
    """One refused change."""

    dealt = Signal(str)  # op id

    def __init__(self, item: RefusedChange, language: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.item = item
        self.setObjectName("refusedCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = heading_label(record_title(item), 1.1, "refusedRecord")
        self.when = hint_label(self.tr("{when} に送信を拒否されました").format(
            when=format_datetime(item.refused_at.astimezone())), "refusedWhen")
        self.why = QLabel(self.tr("理由: {reason}").format(reason=item.reason_in(language)))
        self.why.setObjectName("refusedReason")
        self.why.setWordWrap(True)
        self.text = QPlainTextEdit(written_text(item))
        self.text.setObjectName("refusedText")
        self.text.setReadOnly(True)  # still selectable with the mouse and the keyboard
        self.text.setMaximumHeight(140)
        self.copy_button = QPushButton(self.tr("コピー"))
        self.copy_button.setObjectName("refusedCopy")
        self.copy_button.setToolTip(self.tr("書いた内容をクリップボードにコピーします"))
        self.copy_button.clicked.connect(self.copy)
        self.dealt_button = QPushButton(self.tr("確認済み"))
        self.dealt_button.setObjectName("refusedDealt")
        self.dealt_button.setToolTip(self.tr("対応が済んだら一覧から外します"))
        self.dealt_button.clicked.connect(lambda: self.dealt.emit(item.op_id))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.dealt_button)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.when, self.why, self.text):
            layout.addWidget(widget)
        layout.addLayout(buttons)

    def copy(self) -> None:
        QApplication.clipboard().setText(self.text.toPlainText())


class RefusedChangesDialog(QDialog):
    """The list of refused changes; ``changed`` after one is marked 確認済み."""

    changed = Signal()

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("refusedDialog")
        self.setWindowTitle(self.tr("送信できなかった変更"))
        self.resize(640, 560)
        self.cards: list[RefusedCard] = []
        intro = hint_label(self.tr(
            "次の変更は担当チームの外の記録に書かれたため、サーバーが受け付けませんでした。"
            "この端末には残っていますが、ほかの端末には届きません。内容をコピーして担当チームに"
            "伝え、済んだら「確認済み」を押してください。"), "refusedIntro")
        intro.setWordWrap(True)
        self.empty = hint_label(self.tr("送信できなかった変更はありません。"), "refusedEmpty")
        self.list_widget = QWidget()
        self.list_layout = QVBoxLayout(self.list_widget)
        self.list_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.list_widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("閉じる"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.empty.hide()
        self.reload()

    def reload(self) -> None:
        if not self.session.is_unlocked:
            return
        store = self.session.store
        run_async(self, store.refused_changes, self._show, self._failed)

    def _show(self, items: list[RefusedChange]) -> None:
        for card in self.cards:
            self.list_layout.removeWidget(card)
            card.deleteLater()
        language = self.session.settings.language
        self.cards = [RefusedCard(item, language) for item in items]
        for index, card in enumerate(self.cards):
            card.dealt.connect(self.mark_dealt)
            self.list_layout.insertWidget(index, card)
        self.empty.setVisible(not items)

    def _failed(self, exc: BaseException) -> None:
        log.warning("refused changes could not be read: %s", exc.__class__.__name__)

    def mark_dealt(self, op_id: str) -> None:
        if not self.session.is_unlocked:
            return
        store = self.session.store
        for card in self.cards:
            if card.item.op_id == op_id:
                card.dealt_button.setEnabled(False)
        run_async(self, lambda: store.mark_refused_dealt(op_id), self._marked, self._failed)

    def _marked(self, _result) -> None:
        self.changed.emit()
        self.reload()


__all__ = ["RefusedChangesDialog", "record_title", "written_text"]
