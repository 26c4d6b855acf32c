"""バックアップから復元: put an encrypted backup into this computer's (empty) data folder.

Offered on the first-run page, e.g. on a replacement laptop. The worker picks the backup file and
types the passphrase that was in use when the backup was made; the session then checks and
restores it in the background (:func:`outreach_desk.backup.restore_backup`) and opens it, or the
first-run page shows why not.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.widgets import ErrorLabel, field_cell, hint_label, row, save_cancel_buttons


class RestoreDialog(QDialog):
    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle(self.tr("バックアップから復元"))
        self.session = session
        self.resize(560, 0)
        self.file = QLineEdit()
        self.file.setObjectName("backupFile")
        self.file.setPlaceholderText(self.tr("例: outreach-desk-20260501-1730.odbackup"))
        browse = QPushButton(self.tr("参照…"))
        browse.setObjectName("browseBackup")
        browse.clicked.connect(self.browse)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("backupPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.file_error = ErrorLabel("backupFileError")
        self.passphrase_error = ErrorLabel("backupPassphraseError")

        form = QFormLayout()
        form.addRow(self.tr("バックアップファイル"),
                    field_cell(row(self.file, browse), self.file_error))
        form.addRow(self.tr("パスフレーズ"), field_cell(
            self.passphrase, hint_label(self.tr("バックアップを作成したときのパスフレーズです。")),
            self.passphrase_error))
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label(self.tr(
            "バックアップの内容を確認してから、この端末の記録として復元します。")))
        layout.addLayout(form)
        layout.addWidget(save_cancel_buttons(self, self.tr("復元する"), "restoreButton"))
        self.passphrase.returnPressed.connect(self.save)

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("バックアップファイルを選ぶ"), str(Path.home()),
            self.tr("Outreach Desk バックアップ (*.odbackup);;すべてのファイル (*)"))
        if path:
            self.file.setText(path)

    def save(self) -> None:
        path = Path(self.file.text().strip()).expanduser()
        self.file_error.set(None if self.file.text().strip() and path.is_file() else
                            self.tr("バックアップファイルを選んでください。"))
        self.passphrase_error.set(None if self.passphrase.text() else
                                  self.tr("パスフレーズを入力してください。"))
        if self.file_error.text() or self.passphrase_error.text():
            return
        passphrase = self.passphrase.text()
        self.passphrase.clear()
        self.accept()
        self.session.restore(path, passphrase)


__all__ = ["RestoreDialog"]
