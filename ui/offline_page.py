"""オフライン期間の上限を過ぎました: the page shown instead of the workspace when this laptop has
not synced for longer than the server allows (see ``outreach_desk.offline``).

The store is open (so a sync can run) but no personal data is shown: the page offers only
今すぐ同期 — a successful sync lifts the limit — and a one-time unlock code from the
administrator, checked on this laptop without a network. Wrong codes make the worker wait, as
wrong passphrases do. The main window decides when to show the page and what lifts it.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.session import retry_delay
from ui.tasks import run_async
from ui.widgets import ErrorLabel, centred, field_cell, heading_label, hint_label

log = logging.getLogger(__name__)


class OfflineExpiredPage(QWidget):
    """``sync_requested`` for 今すぐ同期; ``lifted`` once a valid unlock code was accepted."""

    sync_requested = Signal()
    lifted = Signal()

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offlineExpiredPage")
        self.session = session
        self._failures = 0
        self._blocked_until = 0.0
        title = heading_label(self.tr("オフライン期間の上限を過ぎました"), name="offlineTitle")
        self.intro = QLabel()
        self.intro.setObjectName("offlineIntro")
        self.intro.setWordWrap(True)
        self.sync_button = QPushButton(self.tr("今すぐ同期"))
        self.sync_button.setObjectName("offlineSync")
        self.sync_button.setDefault(True)
        self.sync_button.clicked.connect(self.sync_requested.emit)
        self.sync_status = hint_label(name="offlineSyncStatus")
        self.code = QLineEdit()
        self.code.setObjectName("offlineCode")
        self.code.setPlaceholderText("XXXXX-XXXXX")
        self.code.setMaxLength(20)
        self.code.setAccessibleName(self.tr("解除コード"))
        self.code.returnPressed.connect(self.submit_code)
        caption = QLabel(self.tr("管理者から受け取った解除コード(&C)"))
        caption.setBuddy(self.code)
        self.code_button = QPushButton(self.tr("コードで解除"))
        self.code_button.setObjectName("offlineCodeButton")
        self.code_button.clicked.connect(self.submit_code)
        self.error = ErrorLabel("offlineError")

        content = QWidget()
        column = QVBoxLayout(content)
        column.setSpacing(10)
        column.addWidget(title)
        column.addWidget(self.intro)
        column.addWidget(self.sync_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.sync_status)
        column.addSpacing(12)
        column.addLayout(field_cell(caption, self.code))
        column.addWidget(self.error)
        column.addWidget(self.code_button, 0, Qt.AlignmentFlag.AlignRight)
        centred(self, content, 520)
        self.setFocusProxy(self.code)

    def show_limit(self, max_days: int | None) -> None:
        """Shown again: say why, with the limit in days, and clear old input."""
        self.intro.setText(self.tr(
            "この端末は {days} 日以上サーバーと同期していません。紛失した端末を守るため、"
            "記録を開く前に一度同期してください。同期できない場所では、管理者に電話で"
            "解除コードを発行してもらえます。").format(days=max_days or "?"))
        self.code.clear()
        self.error.clear()
        self.sync_status.clear()

    def show_sync_result(self, message: str) -> None:
        self.sync_status.setText(message)

    def submit_code(self) -> None:
        wait = max(0, int(round(self._blocked_until - time.monotonic())))
        if wait:
            self.error.set(self.tr("あと {n} 秒待ってから入力してください。").format(n=wait))
            return
        text = self.code.text().strip()
        if not text:
            self.error.set(self.tr("解除コードを入力してください。"))
            return
        if not self.session.is_unlocked:
            return
        store = self.session.store
        self.code_button.setEnabled(False)
        run_async(self, lambda: store.use_unlock_code(text), self._checked, self._failed)

    def _checked(self, accepted: bool) -> None:
        self.code_button.setEnabled(True)
        if accepted:
            self._failures = 0
            self.code.clear()
            self.error.clear()
            self.lifted.emit()
            return
        self._failures += 1
        self._blocked_until = time.monotonic() + retry_delay(self._failures)
        self.error.set(self.tr("解除コードが正しくないか、すでに使われています。"))
        self.code.selectAll()

    def _failed(self, exc: BaseException) -> None:
        self.code_button.setEnabled(True)
        log.warning("unlock code not checked: %s", exc.__class__.__name__)
        self.error.set(self.tr("解除コードを確認できませんでした。"))


__all__ = ["OfflineExpiredPage"]
