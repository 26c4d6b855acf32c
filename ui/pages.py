"""The gate pages shown before the store is open: first run (作成) and unlock (ロック解除).

Neither page shows personal data: the store is locked (or does not exist yet) while they are
visible. The first-run page checks everything before it asks the session to create the store,
so a mistake creates nothing on disk. The unlock page waits out the session's retry delay after
repeated wrong passphrases with a visible countdown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from outreach_desk import passphrase_rule
from outreach_desk.keystore import MIN_PASSPHRASE_LENGTH
from ui.passphrase_text import reason_text
from ui.restore_dialog import RestoreDialog
from ui.session import DEMO_PASSPHRASE
from ui.widgets import ErrorLabel, centred, field_cell, heading_label, hint_label

NAME_MAX = 100  # the core's limit for worker and team names

TOO_SHORT, WEAK, FAIR, STRONG = range(4)


def passphrase_strength(text: str, user_inputs=()) -> int:
    """TOO_SHORT, WEAK (refused: guessable), FAIR or STRONG, by the core's passphrase rule
    (:mod:`outreach_desk.passphrase_rule`, zxcvbn's score): only FAIR and STRONG are accepted."""
    found = passphrase_rule.assess(text, user_inputs)
    if found.reason == passphrase_rule.TOO_SHORT:
        return TOO_SHORT
    if not found.acceptable:
        return WEAK
    return STRONG if found.score >= 4 else FAIR


class FirstRunPage(QWidget):
    """Create the encrypted store: passphrase (twice), the worker's name and team."""

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunPage")
        self.session = session
        self._touched: set[str] = set()
        self._attempted = False

        title = heading_label(self.tr("Outreach Desk をはじめる"), name="firstRunTitle")
        intro = QLabel(self.tr(
            "記録はこの端末に暗号化して保存されます。最初に、記録を開くためのパスフレーズと、"
            "あなたの名前・担当チームを決めてください。"))
        intro.setWordWrap(True)
        warning = QLabel(self.tr(
            "パスフレーズは再発行できず、忘れるとこの端末の記録は誰にも開けなくなります"
            "（サーバーと同期した記録は、サーバーから復元できます）。"))
        warning.setObjectName("recoveryNotice")
        warning.setWordWrap(True)

        self.passphrase = self._line_edit("newPassphrase", password=True)
        self.rule = hint_label(self.tr(
            "{n}文字以上。ひらがな・漢字・スペースも使えます。覚えやすい言葉をいくつか"
            "つなげると、長くて強いパスフレーズになります。同じ文字の繰り返しや、よく使われる"
            "パスワード、名前だけのものは使えません。").format(n=MIN_PASSPHRASE_LENGTH),
            name="passphraseRule")
        self.strength = hint_label(name="passphraseStrength")
        self.confirm = self._line_edit("confirmPassphrase", password=True)
        self.show_passphrase = QCheckBox(self.tr("入力したパスフレーズを表示する(&S)"))
        self.show_passphrase.setObjectName("showNewPassphrase")
        self.show_passphrase.setToolTip(self.tr(
            "かな漢字変換を使って入力するときは、表示にすると入力しやすくなります。"))
        self.show_passphrase.toggled.connect(self._toggle_echo)
        self.worker_name = self._line_edit("workerName")
        self.worker_name.setMaxLength(NAME_MAX)
        self.worker_name.setPlaceholderText(self.tr("例: 佐藤 花子"))
        self.team_name = self._line_edit("teamName")
        self.team_name.setMaxLength(NAME_MAX)
        self.team_name.setPlaceholderText(self.tr("例: 野尻担当"))

        self.errors = {
            "passphrase": ErrorLabel("passphraseError"),
            "confirm": ErrorLabel("confirmError"),
            "worker_name": ErrorLabel("workerNameError"),
            "team_name": ErrorLabel("teamNameError"),
        }
        self.error = ErrorLabel("firstRunError")  # what the session reports (disk full …)
        self.create_button = QPushButton(self.tr("記録を作成してはじめる"))
        self.create_button.setObjectName("createStoreButton")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.submit)
        self.blocked = hint_label(name="createBlockedReason")
        self.blocked.setWordWrap(True)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        rows = (
            (self.tr("パスフレーズ(&P)"), self.passphrase,
             field_cell(self.passphrase, self.rule, self.strength, self.errors["passphrase"])),
            (self.tr("もう一度入力(&C)"), self.confirm,
             field_cell(self.confirm, self.errors["confirm"], self.show_passphrase)),
            (self.tr("あなたの名前(&N)"), self.worker_name,
             field_cell(self.worker_name, self.errors["worker_name"])),
            (self.tr("担当チーム(&T)"), self.team_name,
             field_cell(self.team_name, self.errors["team_name"])),
        )
        for text, field, cell in rows:
            caption = QLabel(text)
            caption.setBuddy(field)
            form.addRow(caption, cell)

        content = QWidget()
        column = QVBoxLayout(content)
        column.setSpacing(12)
        column.addWidget(title)
        column.addWidget(intro)
        column.addWidget(warning)
        column.addLayout(form)
        column.addWidget(self.error)
        column.addWidget(self.blocked)
        column.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignRight)
        self.restore_button = QPushButton(self.tr("バックアップから復元…"))
        self.restore_button.setObjectName("restoreFromBackup")
        self.restore_button.setToolTip(self.tr(
            "以前に作成したバックアップファイルから、この端末の記録を復元します。"))
        self.restore_button.clicked.connect(self.open_restore)
        column.addWidget(self.restore_button, 0, Qt.AlignmentFlag.AlignLeft)
        centred(self, content, 560)

        for name, field in (("passphrase", self.passphrase), ("confirm", self.confirm),
                            ("worker_name", self.worker_name), ("team_name", self.team_name)):
            field.textChanged.connect(self._refresh)
            field.editingFinished.connect(lambda n=name: self._touch(n))
            field.returnPressed.connect(self.submit)
        session.unlocked.connect(self._forget_passphrase)
        self.setFocusProxy(self.passphrase)
        self._refresh()

    def _line_edit(self, name: str, *, password: bool = False) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        if password:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)
        self.confirm.setEchoMode(mode)

    # -- checking -----------------------------------------------------------------------------

    def problems(self) -> dict[str, str]:
        """What is wrong with the form now, by field, in Japanese (empty when it can be sent)."""
        found: dict[str, str] = {}
        passphrase = self.passphrase.text()
        if not passphrase:
            found["passphrase"] = self.tr("パスフレーズを入力してください。")
        else:
            verdict = passphrase_rule.assess(passphrase, self._user_words())
            if not verdict.acceptable:
                found["passphrase"] = reason_text(verdict.reason, len(passphrase))
        confirm = self.confirm.text()
        if not confirm:
            found["confirm"] = self.tr("確認のため、同じパスフレーズをもう一度入力してください。")
        elif confirm != passphrase:
            found["confirm"] = self.tr("確認用のパスフレーズが一致しません。")
        if not self.worker_name.text().strip():
            found["worker_name"] = self.tr("あなたの名前を入力してください。")
        if not self.team_name.text().strip():
            found["team_name"] = self.tr("担当チームの名前を入力してください（例: 野尻担当）。")
        return found

    def _user_words(self) -> tuple[str, str]:
        """The name and team typed here: a passphrase made of them is easy to guess."""
        return self.worker_name.text(), self.team_name.text()

    def _touch(self, name: str) -> None:
        self._touched.add(name)
        self._refresh()

    def _refresh(self) -> None:
        found = self.problems()
        confirm, passphrase = self.confirm.text(), self.passphrase.text()
        for name, label in self.errors.items():
            shown = self._attempted or name in self._touched
            if name == "confirm" and confirm and not passphrase.startswith(confirm):
                shown = True  # a typo in the confirmation shows at once
            label.set(found.get(name) if shown else None)
        self.create_button.setEnabled(not found and not self.session.working)
        # why 作成 cannot be pressed yet: the first thing to fix, shown beside the button
        first = next((found[name] for name in self.errors if name in found), "")
        self.blocked.setText(self.tr("まだ作成できません: {reason}").format(reason=first)
                             if first else "")
        self.blocked.setVisible(bool(first))
        self.create_button.setToolTip(self.blocked.text())
        self._show_strength(passphrase)

    def _show_strength(self, passphrase: str) -> None:
        level = passphrase_strength(passphrase, self._user_words())
        if not passphrase:
            text = ""
        elif level == TOO_SHORT:
            text = self.tr("あと {n} 文字必要です").format(
                n=MIN_PASSPHRASE_LENGTH - len(passphrase))
        elif level == WEAK:
            text = self.tr("強さ: 弱い（推測されやすいため使えません）")
        elif level == FAIR:
            text = self.tr("強さ: ふつう")
        else:
            text = self.tr("強さ: 強い")
        self.strength.setText(text)
        # "あと n 文字" says the same as the error under it: show one of them
        self.strength.setVisible(bool(text) and not self.errors["passphrase"].message)
        self.strength.setProperty("level", level)

    # -- actions ------------------------------------------------------------------------------

    def submit(self) -> None:
        """Create the store if everything is filled in; otherwise show what is missing."""
        self._attempted = True
        self._refresh()
        found = self.problems()
        if found:
            first = next(name for name in self.errors if name in found)
            getattr(self, first).setFocus()
            return
        if self.session.working:
            return
        self.error.clear()
        self.session.create(self.passphrase.text(), self.worker_name.text().strip(),
                            self.team_name.text().strip())

    def show_error(self, message: str) -> None:
        self.error.set(message)
        self._refresh()

    def open_restore(self) -> RestoreDialog:
        dialog = RestoreDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _forget_passphrase(self) -> None:
        """The store is open: the typed passphrase need not stay in the widgets."""
        self.passphrase.clear()
        self.confirm.clear()
        self._attempted = False
        self._touched.clear()
        self._refresh()


class UnlockPage(QWidget):
    """Passphrase to open the store; waits out the retry delay after repeated mistakes."""

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlockPage")
        self.session = session

        title = heading_label(self.tr("記録はロックされています"), name="unlockTitle")
        intro = QLabel(self.tr("パスフレーズを入力して、ロックを解除してください。"))
        intro.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("unlockPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("パスフレーズ"))
        self.passphrase.returnPressed.connect(self.submit)
        caption = QLabel(self.tr("パスフレーズ(&P)"))
        caption.setBuddy(self.passphrase)
        self.show_passphrase = QCheckBox(self.tr("入力したパスフレーズを表示する(&S)"))
        self.show_passphrase.setObjectName("showUnlockPassphrase")
        self.show_passphrase.toggled.connect(
            lambda shown: self.passphrase.setEchoMode(
                QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password))
        self.error = ErrorLabel("unlockError")
        self.countdown = hint_label(name="unlockCountdown")
        self.countdown.hide()
        self.demo_hint = hint_label(self.tr(
            "デモ版です（架空のデータ）。パスフレーズ: {passphrase}").format(
                passphrase=DEMO_PASSPHRASE), name="demoPassphraseHint")
        self.demo_hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo_hint.setVisible(bool(session.demo))
        self.unlock_button = QPushButton(self.tr("ロック解除"))
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.submit)

        content = QWidget()
        column = QVBoxLayout(content)
        column.setSpacing(10)
        column.addWidget(title)
        column.addWidget(intro)
        column.addWidget(self.demo_hint)
        column.addLayout(field_cell(caption, self.passphrase, self.show_passphrase))
        column.addWidget(self.error)
        column.addWidget(self.countdown)
        column.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignRight)
        centred(self, content, 440)
        self.setFocusProxy(self.passphrase)

        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_wait)
        session.unlocked.connect(self._on_unlocked)

    def submit(self) -> None:
        if self.session.working or self.session.seconds_to_wait() > 0:
            self._update_wait()
            return
        text = self.passphrase.text()
        if not text:
            self.error.set(self.tr("パスフレーズを入力してください。"))
            self.passphrase.setFocus()
            return
        self.passphrase.clear()
        self.session.unlock(text)

    def reset(self) -> None:
        """Shown again (after locking or a failed try): empty field, focused, no old message."""
        self.passphrase.clear()
        self.error.clear()
        self.show_passphrase.setChecked(False)
        self._update_wait()
        self.passphrase.setFocus()

    def show_error(self, message: str) -> None:
        self.error.set(message)
        self._update_wait()

    def _update_wait(self) -> None:
        """Disable input while the session makes the worker wait; count the seconds down."""
        wait = self.session.seconds_to_wait()
        blocked = wait > 0
        was_blocked = not self.passphrase.isEnabled()
        for widget in (self.passphrase, self.unlock_button, self.show_passphrase):
            widget.setEnabled(not blocked)
        if blocked:
            self.countdown.setText(
                self.tr("あと {n} 秒で、もう一度入力できます。").format(n=wait))
            self.countdown.show()
            if not self._tick.isActive():
                self._tick.start()
            return
        self._tick.stop()
        self.countdown.hide()
        if was_blocked:
            self.passphrase.setFocus()

    def _on_unlocked(self) -> None:
        self.passphrase.clear()
        self.error.clear()
        self._update_wait()


__all__ = ["FAIR", "STRONG", "TOO_SHORT", "WEAK", "FirstRunPage", "UnlockPage",
           "passphrase_strength"]
