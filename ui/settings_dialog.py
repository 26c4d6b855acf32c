"""Settings (設定): language, 日付の書き方 (西暦／和暦), auto-lock, data folder, server address,
enrollment.

Nothing here is personal data. Saving applies the auto-lock time at once; the language takes
effect at the next start (translators are installed before any window exists). The server
address is where the app syncs to (on unlock, every few minutes, when the network returns).
Enrolling (登録) spends the administrator's one-time code on this laptop at once, in the
background; the credential the server gives goes into the encrypted store, never into settings.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.fmt import format_date
from ui.passphrase_dialog import ChangePassphraseDialog
from ui.status_bar import localize
from ui.tasks import run_async
from ui.widgets import ErrorLabel, field_cell, hint_label, row, scroll_body

LOCK_MINUTES_RANGE = (1, 240)
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)\Z")


def _valid_host(host: str, bracketed: bool) -> bool:
    if bracketed:
        try:
            return isinstance(ipaddress.ip_address(host), ipaddress.IPv6Address)
        except ValueError:
            return False
    try:
        ipaddress.IPv4Address(host)
        return True
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii")  # 日本語ドメイン → xn--…
    except UnicodeError:
        return False
    labels = ascii_host.rstrip(".").split(".")
    if len(ascii_host) > 253 or not all(_LABEL.match(label) for label in labels):
        return False
    return not all(label.isdigit() for label in labels)  # 999.1.1.1 is no host name


def is_valid_server_url(text: str) -> bool:
    """Empty, or ``http(s)://host[:port]`` (a trailing ``/`` is allowed, nothing else)."""
    text = text.strip()
    if not text:
        return True
    if any(char.isspace() for char in text):
        return False
    try:
        parts = urlsplit(text)
        port = parts.port  # ValueError when not a number or out of range
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https"):
        return False
    if parts.path not in ("", "/") or parts.query or parts.fragment or "?" in text or "#" in text:
        return False
    netloc = parts.netloc
    if not netloc or "@" in netloc or netloc.endswith(":") or port == 0:
        return False
    host = parts.hostname or ""
    return bool(host) and _valid_host(host, netloc.startswith("["))


class SettingsDialog(QDialog):
    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("設定"))
        self.setMinimumWidth(520)
        self.session = session
        settings = session.settings

        self.language = QComboBox()
        self.language.setObjectName("languageCombo")
        self.language.addItem(self.tr("日本語"), "ja")
        self.language.addItem("English", "en")
        index = self.language.findData(settings.language)
        self.language.setCurrentIndex(max(0, index))
        language_hint = hint_label(self.tr(
            "表示言語の変更は、アプリを再起動すると反映されます。"), name="languageHint")

        self.calendar = QComboBox()
        self.calendar.setObjectName("calendarCombo")
        self.calendar.addItem(self.tr("西暦（2026年12月8日）"), "western")
        self.calendar.addItem(self.tr("和暦（令和8年12月8日）"), "wareki")
        self.calendar.setCurrentIndex(max(0, self.calendar.findData(settings.calendar)))
        calendar_hint = hint_label(self.tr("会議資料と事業報告の PDF の日付の書き方です。"))

        self.lock_minutes = QSpinBox()
        self.lock_minutes.setObjectName("lockMinutes")
        self.lock_minutes.setRange(*LOCK_MINUTES_RANGE)
        self.lock_minutes.setSuffix(self.tr(" 分"))
        self.lock_minutes.setValue(settings.lock_minutes)
        self.lock_minutes.setAccessibleName(self.tr("自動ロックまでの時間（分）"))
        lock_hint = hint_label(self.tr(
            "この時間、操作がないと画面をロックします。入力中の内容は下書きとして残ります。"))

        self.data_folder = QLineEdit(str(session.data_dir))
        self.data_folder.setObjectName("dataFolder")
        self.data_folder.setReadOnly(True)
        self.data_folder.setCursorPosition(0)
        self.open_folder_button = QPushButton(self.tr("フォルダを開く(&O)"))
        self.open_folder_button.setObjectName("openDataFolderButton")
        self.open_folder_button.setAutoDefault(False)
        self.open_folder_button.clicked.connect(self.open_data_folder)

        self.passphrase_button = QPushButton(self.tr("パスフレーズを変更(&P)…"))
        self.passphrase_button.setObjectName("changePassphraseOpen")
        self.passphrase_button.setAutoDefault(False)
        self.passphrase_button.clicked.connect(self.open_passphrase_change)

        self.server_url = QLineEdit(settings.server_url)
        self.server_url.setObjectName("serverUrl")
        self.server_url.setPlaceholderText(self.tr("例: https://sync.example.jp"))
        self.server_error = ErrorLabel("serverUrlError")
        self.server_warning = hint_label(name="serverUrlWarning")
        self.server_warning.hide()
        server_hint = hint_label(self.tr(
            "ネットワークにつながっているとき、記録はこのサーバーと自動で同期されます。"))
        self.server_url.textChanged.connect(self._check_server_url)
        self.server_url.editingFinished.connect(lambda: self._check_server_url(show=True))

        self.ca_status = hint_label(name="caStatus")
        self.ca_error = ErrorLabel("caError")
        self.ca_button = QPushButton(self.tr("証明書ファイルを選ぶ(&R)…"))
        self.ca_button.setObjectName("caButton")
        self.ca_button.setAutoDefault(False)
        self.ca_button.clicked.connect(self.choose_ca_file)
        self.ca_clear = QPushButton(self.tr("解除"))
        self.ca_clear.setObjectName("caClearButton")
        self.ca_clear.setAutoDefault(False)
        self.ca_clear.clicked.connect(lambda: self.set_server_ca(None))
        self._show_ca()

        self.enroll_code = QLineEdit()
        self.enroll_code.setObjectName("enrollCode")
        self.enroll_code.setPlaceholderText(self.tr("例: K7QF-2M9X-P4TR-8HWD"))
        self.enroll_button = QPushButton(self.tr("この端末を登録(&E)"))
        self.enroll_button.setObjectName("enrollButton")
        self.enroll_button.setAutoDefault(False)
        self.enroll_button.clicked.connect(self.enroll)
        self.enroll_code.returnPressed.connect(self.enroll)
        self.enroll_error = ErrorLabel("enrollError")
        self.enroll_status = hint_label(name="enrollStatus")
        self._show_enrollment()

        # a grid, not a QFormLayout: a form layout keeps row heights worked out before a message
        # wrapped onto a second line, and cuts the message off (seen at 1366×768, 125 %)
        form = QGridLayout()
        form.setColumnStretch(1, 1)
        rows = (
            (self.tr("表示言語(&L)"), self.language, field_cell(self.language, language_hint)),
            (self.tr("日付の書き方(&W)"), self.calendar,
             field_cell(self.calendar, calendar_hint)),
            (self.tr("自動ロック(&A)"), self.lock_minutes,
             field_cell(row(self.lock_minutes, stretch=True), lock_hint)),
            (self.tr("データフォルダ(&D)"), self.data_folder,
             field_cell(row(self.data_folder, self.open_folder_button))),
            (self.tr("パスフレーズ"), self.passphrase_button,
             field_cell(row(self.passphrase_button, stretch=True))),
            (self.tr("サーバーのアドレス(&S)"), self.server_url,
             field_cell(self.server_url, self.server_error, self.server_warning, server_hint)),
            (self.tr("サーバー証明書"), self.ca_button,
             field_cell(row(self.ca_button, self.ca_clear, stretch=True), self.ca_error,
                        self.ca_status)),
            (self.tr("登録コード(&C)"), self.enroll_code,
             field_cell(row(self.enroll_code, self.enroll_button), self.enroll_error,
                        self.enroll_status)),
        )
        for number, (text, field, cell) in enumerate(rows):
            caption = QLabel(text)
            caption.setBuddy(field)
            caption.setMinimumHeight(field.sizeHint().height())  # level with the field's line
            form.addWidget(caption, number, 0, Qt.AlignmentFlag.AlignTop)
            form.addLayout(cell, number, 1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.setObjectName("settingsButtons")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)

        fields = QWidget()  # scrolls on a small screen; 保存 stays in view under it
        fields.setObjectName("settingsFields")
        fields_layout = scroll_body(fields, margins=False)
        fields_layout.addLayout(form)
        fields_layout.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(fields, 1)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.language, self.calendar)
        self.setTabOrder(self.calendar, self.lock_minutes)
        self.setTabOrder(self.lock_minutes, self.data_folder)
        self.setTabOrder(self.data_folder, self.open_folder_button)
        self.setTabOrder(self.open_folder_button, self.server_url)
        self.setTabOrder(self.server_url, self.enroll_code)
        self.setTabOrder(self.enroll_code, self.enroll_button)
        self.language.setFocus()
        self._check_server_url()

    def _check_server_url(self, *_args, show: bool = False) -> bool:
        text = self.server_url.text().strip()
        valid = is_valid_server_url(text)
        if valid:
            self.server_error.clear()
        elif show or self.server_error.message:
            self.server_error.set(self.tr(
                "http:// か https:// で始まるアドレスを入力してください"
                "（例: https://sync.example.jp:8443）。使わないときは空欄にします。"))
        insecure = valid and text.lower().startswith("http://")
        self.server_warning.setText(self.tr(
            "http:// の通信は暗号化されません。ふつうは https:// を使ってください。")
            if insecure else "")
        self.server_warning.setVisible(insecure)
        return valid

    def _show_ca(self) -> None:
        pem = self.session.store.server_ca() if self.session.is_unlocked else None
        self.ca_clear.setEnabled(bool(pem))
        if not pem:
            self.ca_status.setText(self.tr(
                "パソコンの証明書ストアでサーバーを確認します。自治体の認証局を使う場合は、"
                "その証明書ファイル（PEM）を選んでください。"))
            return
        first = x509.load_pem_x509_certificates(pem.encode())[0]
        self.ca_status.setText(self.tr("設定済み: {subject}（有効期限 {until}）").format(
            subject=first.subject.rfc4514_string(),
            until=format_date(first.not_valid_after_utc.date())))

    def choose_ca_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("サーバー証明書（CA）を選ぶ"), "",
            self.tr("証明書 (*.pem *.crt *.cer);;すべてのファイル (*)"))
        if path:
            self.load_ca_file(path)

    def load_ca_file(self, path: str) -> bool:
        """Keep the CA certificate(s) in the store at once (enrolling may need them next)."""
        try:
            data = Path(path).read_bytes()
            x509.load_pem_x509_certificates(data)
            pem = data.decode("ascii")
        except (OSError, ValueError, UnicodeDecodeError):
            self.ca_error.set(self.tr("PEM 形式の証明書ファイルではありません。"))
            return False
        self.set_server_ca(pem)
        return True

    def set_server_ca(self, pem: str | None) -> None:
        self.ca_error.clear()
        self.session.store.set_server_ca(pem)
        self._show_ca()

    def _show_enrollment(self) -> None:
        if self.session.demo:  # fictional records never go to a real server
            self.enroll_code.setEnabled(False)
            self.enroll_button.setEnabled(False)
            self.enroll_status.setText(self.tr(
                "デモ版の記録（架空のデータ）はサーバーに登録・同期できません。"))
            return
        enrolled = self.session.store.enrollment() if self.session.is_unlocked else None
        if enrolled:
            self.enroll_status.setText(self.tr("登録済み: {login}（{teams}）").format(
                login=enrolled["login"], teams="、".join(enrolled["teams"]) or "-"))
        else:
            self.enroll_status.setText(self.tr(
                "未登録です。同期するには、管理者から受け取った登録コードを入力して登録します。"))

    def enroll(self) -> None:
        """Spend the code on this laptop with the server above (in the background)."""
        if self.session.demo:
            return
        if not self._check_server_url(show=True) or not self.server_url.text().strip():
            self.server_error.set(self.tr("登録の前に、サーバーのアドレスを入力してください。"))
            self.server_url.setFocus()
            return
        code = self.enroll_code.text().strip()
        if not code:
            self.enroll_error.set(self.tr("登録コードを入力してください。"))
            self.enroll_code.setFocus()
            return
        self.enroll_error.clear()
        self.enroll_button.setEnabled(False)
        self.enroll_status.setText(self.tr("登録しています…"))
        url, store = self.server_url.text().strip(), self.session.store

        def work():
            from sync.client import enroll

            return enroll(store, url, code, adopt_teams=True)

        run_async(self, work, lambda _answer: self._enrolled(url), self._enroll_failed)

    def _enrolled(self, url: str) -> None:
        self.enroll_button.setEnabled(True)
        self.enroll_code.clear()
        self.session.settings.server_url = url  # the server this laptop is enrolled with
        self._show_enrollment()

    def _enroll_failed(self, exc: BaseException) -> None:
        self.enroll_button.setEnabled(True)
        message = getattr(exc, "message", None)
        self.enroll_error.set(localize(message) if isinstance(message, str) else self.tr(
            "登録できませんでした。もう一度お試しください。"))
        self._show_enrollment()

    def open_passphrase_change(self) -> ChangePassphraseDialog:
        dialog = ChangePassphraseDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.session.data_dir)))

    def accept(self) -> None:
        """Save; the auto-lock time applies at once, the language at the next start."""
        if not self._check_server_url(show=True):
            self.server_url.setFocus()
            self.server_url.selectAll()
            return
        settings = self.session.settings
        minutes = self.lock_minutes.value()
        settings.language = self.language.currentData()
        settings.calendar = self.calendar.currentData()
        settings.lock_minutes = minutes
        settings.server_url = self.server_url.text().strip()
        self.session.set_lock_minutes(minutes)
        super().accept()


__all__ = ["SettingsDialog", "is_valid_server_url"]
