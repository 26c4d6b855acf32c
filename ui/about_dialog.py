"""このアプリについて: version, folders, server, and the licences of everything the app ships.

The licence list is never typed by hand: the frozen build writes ``licences.json`` from the
metadata of the distributions it collected (see ``build.spec``); from source it is read from
the installed distributions when the dialog opens (:mod:`outreach_desk.licences`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from outreach_desk.database import engine_versions
from outreach_desk.licences import LICENCES_FILE, load_licences
from outreach_desk.paths import default_log_dir
from ui.widgets import heading_label, hint_label

EntryRole = Qt.ItemDataRole.UserRole


def bundled_licences() -> list[dict]:
    frozen = getattr(sys, "_MEIPASS", None)
    return load_licences(Path(frozen) / LICENCES_FILE if frozen else None)


class AboutDialog(QDialog):
    def __init__(self, version: str, data_dir: Path, server_url: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("Outreach Desk について"))
        self.resize(760, 560)
        self.entries = bundled_licences()

        facts = QFormLayout()
        self.version_label = self._value("aboutVersion", version)
        self.data_dir_label = self._value("aboutDataDir", str(data_dir))
        self.server_label = self._value("aboutServer", server_url or self.tr("未設定"))
        self.log_dir_label = self._value("aboutLogDir", str(default_log_dir()))
        facts.addRow(self.tr("バージョン"), self.version_label)
        facts.addRow(self.tr("データフォルダ"), self.data_dir_label)
        facts.addRow(self.tr("同期サーバー"), self.server_label)
        facts.addRow(self.tr("ログフォルダ"), self.log_dir_label)
        facts.addRow("Qt", self._value("aboutQt", qVersion()))
        facts.addRow(self.tr("暗号化"), self._value("aboutCipher", engine_versions()))

        self.components = QListWidget()
        self.components.setObjectName("licenceList")
        for entry in self.entries:
            item = QListWidgetItem(f"{entry['name']} {entry['version']} — {entry['licence']}")
            item.setData(EntryRole, entry)
            self.components.addItem(item)
        self.licence_text = QPlainTextEdit()
        self.licence_text.setObjectName("licenceText")
        self.licence_text.setReadOnly(True)
        self.components.currentItemChanged.connect(self._show_entry)
        split = QSplitter()
        split.addWidget(self.components)
        split.addWidget(self.licence_text)
        split.setSizes([300, 440])

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(self.tr("Outreach Desk {version}").format(version=version)))
        layout.addWidget(hint_label(self.tr(
            "アウトリーチ支援員のための、オフラインで使える支援記録アプリです。"
            "記録はこの端末に暗号化して保存されます。")))
        layout.addLayout(facts)
        layout.addWidget(QLabel(self.tr("同梱しているソフトウェアとライセンス")))
        layout.addWidget(hint_label(self.tr(
            "Qt for Python (PySide6) は LGPL-3.0 に基づき、差し替え可能な共有ライブラリとして"
            "同梱しています。各ソフトウェアの配布元は一覧から確認できます。")))
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        if self.entries:
            self.components.setCurrentRow(0)

    def _value(self, name: str, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setWordWrap(True)
        return label

    def _show_entry(self, item: QListWidgetItem | None) -> None:
        if item is None:
            self.licence_text.clear()
            return
        entry = item.data(EntryRole)
        parts = [f"{entry['name']} {entry['version']}", entry["licence"]]
        if entry.get("homepage"):
            parts.append(entry["homepage"])
        for text in entry.get("texts", []):
            parts.append(f"--- {text['file']} ---\n{text['text']}")
        if not entry.get("texts"):
            parts.append(self.tr("（このパッケージはライセンス文を同梱していません。"
                                 "上記のライセンス名と配布元を参照してください。）"))
        self.licence_text.setPlainText("\n\n".join(parts))

    def select(self, name: str) -> bool:
        """Show the licence of the component ``name`` (case-insensitive); False if absent."""
        for row in range(self.components.count()):
            if self.components.item(row).data(EntryRole)["name"].lower() == name.lower():
                self.components.setCurrentRow(row)
                return True
        return False


__all__ = ["AboutDialog", "bundled_licences"]
