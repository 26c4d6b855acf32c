"""Main window. For now a calm placeholder that shows which data folder is in use."""

from __future__ import annotations

import logging
from importlib import metadata
from pathlib import Path

import platformdirs
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QVBoxLayout, QWidget

logger = logging.getLogger(__name__)


def app_version() -> str:
    try:
        return metadata.version("outreach-desk")
    except metadata.PackageNotFoundError:
        return "dev"


def default_data_dir() -> Path:
    """Per-user data folder. Only computed: nothing is created or opened here."""
    return Path(platformdirs.user_data_dir("outreach-desk", appauthor=False))


class MainWindow(QMainWindow):
    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.setWindowTitle(self.tr("Outreach Desk"))
        self.resize(900, 600)
        self._build_menus()
        self._build_body()
        logger.info("main window ready (data folder %s)", self.data_dir)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("ファイル(&F)"))
        self.quit_action = QAction(self.tr("終了(&X)"), self)
        self.quit_action.setObjectName("actionQuit")
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        help_menu = self.menuBar().addMenu(self.tr("ヘルプ(&H)"))
        self.about_action = QAction(self.tr("このアプリについて(&A)"), self)
        self.about_action.setObjectName("actionAbout")
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    def _build_body(self) -> None:
        heading = QLabel(self.tr("アウトリーチ支援記録 — Outreach Desk"))
        heading.setObjectName("headingLabel")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)

        status = QLabel(self.tr("データ基盤の準備ができています。画面は次の版で追加されます。"))
        status.setObjectName("statusLabel")
        status.setWordWrap(True)

        self.data_dir_label = QLabel(self.tr("データフォルダ: {path}").format(path=self.data_dir))
        self.data_dir_label.setObjectName("dataDirLabel")
        self.data_dir_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        muted = self.data_dir_label.palette()
        role = QPalette.ColorRole
        muted.setColor(role.WindowText, muted.color(role.PlaceholderText))
        self.data_dir_label.setPalette(muted)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.setSpacing(16)
        layout.addStretch(1)
        for label in (heading, status, self.data_dir_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        layout.addStretch(1)
        self.setCentralWidget(body)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("Outreach Desk について"),
            self.tr(
                "Outreach Desk {version}\n\n"
                "アウトリーチ支援員のための、オフラインで使える支援記録アプリです。\n"
                "記録はこの端末に暗号化して保存されます。"
            ).format(version=app_version()),
        )
