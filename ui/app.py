"""QApplication set-up: translations, crash dialog, main window."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import uuid
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QSettings, QTimer, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from ui import fmt
from ui.main_window import MainWindow, default_data_dir
from ui.session import Session, Settings, demo_folder

logger = logging.getLogger(__name__)

# Frozen builds unpack resources/ next to the code; source checkouts keep it at the repo root.
RESOURCES = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent)) / "resources"
I18N_DIR = RESOURCES / "translations"
SOURCE_LANGUAGE = "ja"


def ui_language() -> str:
    """The language chosen in Settings; Japanese unless the worker chose English."""
    saved = QSettings().value("ui/language", "", type=str)
    return saved if saved in ("ja", "en") else SOURCE_LANGUAGE


def install_translators(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Install our .qm (and Qt's own, for standard buttons) for *lang*; return those loaded."""
    candidates = [(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath), f"qtbase_{lang}")]
    if lang != SOURCE_LANGUAGE:
        candidates.append((str(I18N_DIR), f"outreach_desk_{lang}"))
    fmt.set_language(lang)
    loaded = []
    for directory, name in candidates:
        translator = QTranslator(app)
        if translator.load(name, directory):
            app.installTranslator(translator)
            loaded.append(translator)
            logger.info("translation loaded: %s", name)
    return loaded


def apply_look(app: QApplication) -> None:
    """Application icon (SVG: sharp at any DPI) and the calm stylesheet."""
    app.setWindowIcon(QIcon(str(RESOURCES / "icons" / "outreach-desk.svg")))
    style = RESOURCES / "styles" / "app.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))


def _excepthook(exc_type, exc, tb) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    ref = uuid.uuid4().hex[:8]
    logger.critical("unhandled exception (ref %s)", ref, exc_info=(exc_type, exc, tb))
    if QApplication.instance() is None:
        return
    try:
        QMessageBox.critical(
            None,
            QCoreApplication.translate("ErrorDialog", "エラー"),
            QCoreApplication.translate(
                "ErrorDialog",
                "予期しないエラーが発生しました。作業内容を確認してください。\n参照番号: {ref}",
            ).format(ref=ref),
        )
    except Exception:  # never let the crash dialog itself crash the hook
        logger.exception("could not show the error dialog")


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="outreach-desk", description="Outreach Desk")
    parser.add_argument("--data-dir", type=Path, help="data folder (default: per-user folder)")
    parser.add_argument("--demo", action="store_true",
                        help="open a throw-away store filled with fictional demo data")
    return parser.parse_known_args(argv)  # unknown options are left for Qt (-platform, ...)


def main(argv: list[str] | None = None) -> int:
    args, qt_args = parse_args(list(sys.argv[1:] if argv is None else argv))
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    QCoreApplication.setOrganizationName("Outreach Desk")
    QCoreApplication.setApplicationName("Outreach Desk")
    QGuiApplication.setDesktopFileName("outreach-desk")  # window class / app id on Linux
    app = QApplication([sys.argv[0], *qt_args])
    apply_look(app)
    install_translators(app, ui_language())
    sys.excepthook = _excepthook
    # Ctrl+C in a terminal, or a logout's SIGTERM, ends the app the orderly way: drafts are
    # kept, the store is locked, a demo folder is removed. Qt's loop runs no Python while idle,
    # so a slow timer gives Python the chance to run the handler.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: QApplication.quit())
    pulse = QTimer()
    pulse.timeout.connect(lambda: None)
    pulse.start(300)

    if args.demo:
        session = Session(demo_folder(), Settings(), demo=True)
        session.create_demo()
    else:
        session = Session(args.data_dir or default_data_dir(), Settings())
    window = MainWindow(session)
    window.show()
    try:
        return app.exec()
    finally:
        session.close()
