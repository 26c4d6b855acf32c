"""First-run and unlock pages (placeholder: being written)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget


class FirstRunPage(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("newPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setObjectName("confirmPassphrase")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.worker_name = QLineEdit()
        self.worker_name.setObjectName("workerName")
        self.team_name = QLineEdit()
        self.team_name.setObjectName("teamName")
        self.error = QLabel()
        self.error.setObjectName("firstRunError")
        self.create_button = QPushButton(self.tr("はじめる"))
        self.create_button.setObjectName("createStoreButton")
        self.create_button.clicked.connect(self.submit)
        layout = QVBoxLayout(self)
        for w in (self.passphrase, self.confirm, self.worker_name, self.team_name, self.error,
                  self.create_button):
            layout.addWidget(w)

    def submit(self):
        self.session.create(self.passphrase.text(), self.worker_name.text(), self.team_name.text())

    def show_error(self, message: str) -> None:
        self.error.setText(message)


class UnlockPage(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("unlockPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.returnPressed.connect(self.submit)
        self.error = QLabel()
        self.error.setObjectName("unlockError")
        self.unlock_button = QPushButton(self.tr("解錠"))
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.clicked.connect(self.submit)
        layout = QVBoxLayout(self)
        for w in (self.passphrase, self.error, self.unlock_button):
            layout.addWidget(w)

    def submit(self):
        text = self.passphrase.text()
        self.passphrase.clear()
        self.session.unlock(text)

    def reset(self) -> None:
        self.passphrase.clear()
        self.passphrase.setFocus()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
