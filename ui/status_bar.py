"""The main window's status bar: where synchronisation stands, calmly.

Left: オフライン / 同期中 (n/N) / 最終同期 HH:MM / 同期先未設定, or the server's message when a
sync failed for another reason (the details and the time of the next try in the tooltip).
Right: 送信できなかった変更 N件 (changes the server refused: a button that lists them, hidden
while there is none), 未送信 N件 (changes on this laptop the server does not hold yet) and
競合 N件, a button that opens the conflicts screen (hidden while there is none).

Shown only while the session is unlocked (the main window hides it at the gate).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QLabel, QStatusBar, QToolButton, QWidget

from ui.sync_controller import (
    ERROR,
    LOCKED,
    OFFLINE,
    SYNCING,
    UNCONFIGURED,
    SyncController,
)

# The sync client's messages (``sync.client.MESSAGES``, Japanese; ``sync`` has no Qt), listed
# literally so that they are translated like every other string (a test keeps the lists equal).
SYNC_MESSAGES = (
    QT_TRANSLATE_NOOP("SyncMessages", "サーバーに接続できません（オフライン）"),  # noqa: E501
    QT_TRANSLATE_NOOP("SyncMessages", "サーバーから応答がありません（オフライン）"),  # noqa: E501
    QT_TRANSLATE_NOOP("SyncMessages", "サーバーとアプリのバージョンが合いません。アプリを更新してください"),  # noqa: E501
    QT_TRANSLATE_NOOP("SyncMessages", "サーバーでエラーが起きました。しばらくしてから再試行します"),  # noqa: E501
    QT_TRANSLATE_NOOP("SyncMessages", "サーバーの応答を読み取れませんでした。しばらくしてから再試行します"),  # noqa: E501
    QT_TRANSLATE_NOOP("SyncMessages", "サーバーが同期を受け付けませんでした（{status}）"),  # noqa: E501
    QT_TRANSLATE_NOOP("SyncMessages", "サーバーのアドレスが正しくありません"),  # noqa: E501
    QT_TRANSLATE_NOOP("SyncMessages", "この端末のデータがサーバーの記録より古い状態です（バックアップから戻しましたか？）。管理者に連絡してください"),  # noqa: E501
    QT_TRANSLATE_NOOP("SyncMessages", "この端末はサーバーに登録されていません。管理者から登録コードを受け取ってください"),  # noqa: E501
    QT_TRANSLATE_NOOP("SyncMessages", "この端末の登録は管理者により取り消されました。端末内のデータは消去されます"),  # noqa: E501
    QT_TRANSLATE_NOOP("SyncMessages", "サーバーがこの操作を許可しませんでした（利用者が無効か、権限がありません）"),  # noqa: E501
    QT_TRANSLATE_NOOP("SyncMessages", "サーバーへの要求が多すぎます。しばらくしてから再試行します"),  # noqa: E501
    QT_TRANSLATE_NOOP("SyncMessages", "登録コードが正しくないか、期限切れか、使用済みです"),  # noqa: E501
    QT_TRANSLATE_NOOP("SyncMessages", "サーバーの証明書を確認できませんでした。設定のサーバー証明書（CA）を確認してください"),  # noqa: E501
    QT_TRANSLATE_NOOP("SyncMessages", "暗号化されていない http:// では同期できません。https:// のアドレスを使ってください"),  # noqa: E501
)


def localize(message: str) -> str:
    """The sync client's Japanese message in the UI language."""
    for source in SYNC_MESSAGES:
        if "{status}" in source:
            head, _, tail = source.partition("{status}")
            if message.startswith(head) and message.endswith(tail) and len(message) > len(
                    head) + len(tail):
                status = message[len(head):len(message) - len(tail)]
                return QCoreApplication.translate("SyncMessages", source).format(status=status)
        elif message == source:
            return QCoreApplication.translate("SyncMessages", source)
    return message




class SyncStatusBar(QStatusBar):
    """Follows a :class:`SyncController`; ``conflicts_requested`` when 競合 is clicked."""

    conflicts_requested = Signal()
    refused_requested = Signal()

    def __init__(self, controller: SyncController, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("syncStatusBar")
        self.setSizeGripEnabled(False)
        self.controller = controller
        self.state_label = QLabel()
        self.state_label.setObjectName("syncState")
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        self.pending_label = QLabel()
        self.pending_label.setObjectName("syncPending")
        self.conflicts_button = QToolButton()
        self.conflicts_button.setObjectName("syncConflicts")
        self.conflicts_button.setAutoRaise(True)
        self.conflicts_button.setToolTip(self.tr("競合の一覧を開きます"))
        self.conflicts_button.clicked.connect(self.conflicts_requested.emit)
        self.refused_button = QToolButton()
        self.refused_button.setObjectName("syncRefused")
        self.refused_button.setAutoRaise(True)
        self.refused_button.setToolTip(self.tr(
            "サーバーが受け付けなかった変更の一覧を開きます（書いた内容をコピーできます）"))
        self.refused_button.clicked.connect(self.refused_requested.emit)
        self.refused_allowed = True  # False while records may not be shown (offline limit)
        self.addWidget(self.state_label, 1)
        self.addPermanentWidget(self.refused_button)
        self.addPermanentWidget(self.pending_label)
        self.addPermanentWidget(self.conflicts_button)
        controller.state_changed.connect(self.refresh)
        controller.counts_changed.connect(self.refresh)
        self.refresh()

    # -- what is shown (also read by tests) -----------------------------------------------

    @property
    def state_text(self) -> str:
        return self.state_label.text()

    @property
    def pending_text(self) -> str:
        return self.pending_label.text() if not self.pending_label.isHidden() else ""

    @property
    def refused_text(self) -> str:
        return self.refused_button.text() if not self.refused_button.isHidden() else ""

    @property
    def conflicts_text(self) -> str:
        return self.conflicts_button.text() if not self.conflicts_button.isHidden() else ""

    def refresh(self) -> None:
        c = self.controller
        text, tip = self._state(c)
        self.state_label.setText(text)
        self.state_label.setToolTip(tip)
        counts = c.counts
        if c.state == LOCKED or counts is None:
            self.pending_label.hide()
            self.conflicts_button.hide()
            self.refused_button.hide()
            return
        self.refused_button.setText(self.tr("送信できなかった変更 {n}件").format(
            n=counts.refused))
        self.refused_button.setVisible(counts.refused > 0 and self.refused_allowed)
        self.pending_label.setText(self.tr("未送信 {n}件").format(n=counts.pending))
        self.pending_label.setToolTip(self.tr(
            "この端末で記録し、まだサーバーに送っていない変更の数です。") if counts.pending else
            self.tr("この端末の変更はすべてサーバーに送ってあります。"))
        self.pending_label.setVisible(counts.pending > 0 or c.configured)
        self.conflicts_button.setText(self.tr("競合 {n}件").format(n=counts.conflicts))
        self.conflicts_button.setVisible(counts.conflicts > 0)

    def _state(self, c: SyncController) -> tuple[str, str]:
        state = c.state
        if state == LOCKED:
            return "", ""
        if state == UNCONFIGURED:
            return (self.tr("同期先未設定"),
                    self.tr("設定でサーバーのアドレスを入力すると、記録をサーバーと同期できます。"))
        if state == SYNCING:
            if c.progress is not None and c.progress[1] > 0:
                done, total = c.progress
                return self.tr("同期中 ({done}/{total})").format(done=done, total=total), ""
            return self.tr("同期中…"), ""
        last = self._last(c.last_sync)
        retry = self._retry(c)
        if state == OFFLINE:
            text = self.tr("オフライン")
            if last:
                text = self.tr("{state}・{last}").format(state=text, last=last)
            tip = localize(c.failure.message) if c.failure is not None and c.failure.message \
                else \
                self.tr("サーバーにつながっていません。記録はこの端末に保存され、つながったときに"
                        "送られます。")
            return text, "\n".join(part for part in (tip, retry) if part)
        if state == ERROR:
            message = localize(c.failure.message) if c.failure is not None else ""
            text = message or self.tr("同期できませんでした")
            first_line = text.splitlines()[0] if text else text
            return first_line, "\n".join(part for part in (text, last, retry) if part)
        return (last or self.tr("未同期"), "")

    def _last(self, when: datetime | None) -> str:
        if when is None:
            return ""
        local = when.astimezone() if when.tzinfo is not None else when
        time = f"{local:%H:%M}"
        if local.date() == datetime.now().date():
            return self.tr("最終同期 {time}").format(time=time)
        return self.tr("最終同期 {month}月{day}日 {time}").format(month=local.month,
                                                               day=local.day, time=time)

    def _retry(self, c: SyncController) -> str:
        if c.retry_at is None or c.state not in (OFFLINE, ERROR):
            return ""
        return self.tr("{time} にもう一度試します。").format(time=f"{c.retry_at:%H:%M:%S}")


__all__ = ["SyncStatusBar"]
