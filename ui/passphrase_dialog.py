"""パスフレーズの変更: re-wrap the store's key under a new passphrase (設定 → パスフレーズを変更…).

The new passphrase must pass the same rule as on the first run (:mod:`outreach_desk.
passphrase_rule`); while it does not, 変更 stays disabled and the dialog says why, beside the
button. The change runs in the background (two Argon2id derivations) and only touches the key
file, atomically: on any failure the current passphrase still opens the store.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from outreach_desk import passphrase_rule
from outreach_desk.errors import WrongPassphrase
from ui.passphrase_text import open_failure_text, reason_text
from ui.tasks import run_async
from ui.widgets import ErrorLabel, field_cell, hint_label, save_cancel_buttons

log = logging.getLogger(__name__)


class ChangePassphraseDialog(QDialog):
    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changePassphraseDialog")
        self.setWindowTitle(self.tr("パスフレーズの変更"))
        self.session = session
        self.resize(520, 0)
        self._working = False
        store = session.store
        worker = store.worker()
        team = store.get("team", worker["team_id"])["name"] if worker and worker[
            "team_id"] else ""
        self._user_words = (worker["name"] if worker else "", team)

        self.current = self._line_edit("currentPassphrase")
        self.new = self._line_edit("newPassphrase")
        self.confirm = self._line_edit("confirmNewPassphrase")
        self.current_error = ErrorLabel("currentPassphraseError")
        self.new_error = ErrorLabel("newPassphraseError")
        self.confirm_error = ErrorLabel("confirmNewPassphraseError")
        self.blocked = hint_label(name="changeBlockedReason")
        self.error = ErrorLabel("changePassphraseError")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, field, cell in (
            (self.tr("いまのパスフレーズ(&O)"), self.current,
             field_cell(self.current, self.current_error)),
            (self.tr("新しいパスフレーズ(&N)"), self.new, field_cell(
                self.new, hint_label(self.tr(
                    "{n}文字以上。推測されやすいもの（同じ文字の繰り返し、よく使われるパスワード、"
                    "名前だけ）は使えません。").format(n=passphrase_rule.MIN_LENGTH)),
                self.new_error)),
            (self.tr("もう一度入力(&C)"), self.confirm,
             field_cell(self.confirm, self.confirm_error)),
        ):
            caption = QLabel(text)
            caption.setBuddy(field)
            form.addRow(caption, cell)

        layout = QVBoxLayout(self)
        layout.addWidget(hint_label(self.tr(
            "記録そのものは変わりません。次からは新しいパスフレーズで開きます。以前に作成した"
            "バックアップは、作成したときのパスフレーズで開きます。")))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.blocked)
        layout.addWidget(save_cancel_buttons(self, self.tr("変更する"), "changePassphraseButton"))
        for field in (self.current, self.new, self.confirm):
            field.textChanged.connect(self._refresh)
            field.returnPressed.connect(self.save)
        self.current.setFocus()
        self._refresh()

    def _line_edit(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def problems(self) -> dict[str, str]:
        """What stops the change now, by field, in Japanese (empty when it can go ahead)."""
        found: dict[str, str] = {}
        if not self.current.text():
            found["current"] = self.tr("いまのパスフレーズを入力してください。")
        new = self.new.text()
        if not new:
            found["new"] = self.tr("新しいパスフレーズを入力してください。")
        else:
            verdict = passphrase_rule.assess(new, self._user_words)
            if not verdict.acceptable:
                found["new"] = reason_text(verdict.reason, len(new))
            elif new == self.current.text():
                found["new"] = self.tr("いまのパスフレーズと同じです。")
        if not self.confirm.text():
            found["confirm"] = self.tr("確認のため、新しいパスフレーズをもう一度入力してください。")
        elif self.confirm.text() != new:
            found["confirm"] = self.tr("確認用のパスフレーズが一致しません。")
        return found

    def _refresh(self) -> None:
        found = self.problems()
        # a problem with what was typed shows under its field; an empty field only beside 変更
        self.new_error.set(found.get("new") if self.new.text() else None)
        self.confirm_error.set(found.get("confirm") if self.confirm.text() else None)
        first = next((found[name] for name in ("current", "new", "confirm") if name in found), "")
        self.blocked.setText(self.tr("まだ変更できません: {reason}").format(reason=first)
                             if first else "")
        self.blocked.setVisible(bool(first))
        self.save_button.setEnabled(not found and not self._working)
        self.save_button.setToolTip(self.blocked.text())

    def save(self) -> None:
        if self.problems() or self._working:
            self._refresh()
            return
        old, new = self.current.text(), self.new.text()
        store = self.session.store
        self._working = True
        self.error.clear()
        self.current_error.clear()
        self._refresh()
        run_async(self, lambda: store.change_passphrase(old, new, user_inputs=self._user_words),
                  self._changed, self._failed)

    def _changed(self, _result) -> None:
        self._working = False
        log.info("passphrase changed")
        for field in (self.current, self.new, self.confirm):
            field.clear()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._working = False
        if isinstance(exc, WrongPassphrase):
            self.current_error.set(self.tr("いまのパスフレーズが違います。"))
            self.current.clear()
            self.current.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            known = open_failure_text(exc)
            if known is None:
                log.error("the passphrase could not be changed", exc_info=exc)
            self.error.set(known or self.tr(
                "パスフレーズを変更できませんでした。いまのパスフレーズのままです。"))
        self._refresh()


__all__ = ["ChangePassphraseDialog"]
