"""QApplication set-up: translations, crash dialog, main window."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSettings,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from outreach_desk.logs import setup_logging
from outreach_desk.paths import default_data_dir
from ui import crash, fmt
from ui.main_window import MainWindow, app_version
from ui.session import Session, Settings, demo_folder
from ui.wheel_guard import install_wheel_guard

logger = logging.getLogger(__name__)

# Frozen builds unpack resources/ next to the code; source checkouts keep it at the repo root.
RESOURCES = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent)) / "resources"
I18N_DIR = RESOURCES / "translations"
SOURCE_LANGUAGE = "ja"
APP_ID = "OutreachDesk.Desktop"  # Windows taskbar grouping (AppUserModelID); see build.spec


def ui_language() -> str:
    """The language chosen in Settings; Japanese unless the worker chose English."""
    saved = QSettings().value("ui/language", "", type=str)
    return saved if saved in ("ja", "en") else SOURCE_LANGUAGE


def qt_translations_dirs() -> list[str]:
    """Where Qt's own translations (qtbase_ja.qm: file dialogs, standard buttons) may be: where
    Qt says, then PySide6's folder (a frozen build keeps it under PySide6/Qt/translations)."""
    import PySide6

    dirs = [QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
            str(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")]
    if hasattr(sys, "_MEIPASS"):
        dirs.append(str(Path(sys._MEIPASS) / "PySide6" / "Qt" / "translations"))
    return list(dict.fromkeys(dirs))


def install_translators(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Install our .qm (and Qt's own, for file dialogs and standard buttons) for *lang*; return
    those loaded. Dates follow the language too: Japanese weekday and month names in date
    fields and calendars (the default locale), 2026年12月8日(火) in ``ui.fmt``."""
    candidates = [(directory, f"qtbase_{lang}") for directory in qt_translations_dirs()]
    if lang == "ja":  # what qtbase_ja lacks (the file dialog's 「Look in:」 …), loaded over it
        candidates.append((str(I18N_DIR), "qt_gaps_ja"))
    if lang != SOURCE_LANGUAGE:
        candidates.append((str(I18N_DIR), f"outreach_desk_{lang}"))
    fmt.set_language(lang)
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
                       if lang == "en" else QLocale(QLocale.Language.Japanese,
                                                    QLocale.Country.Japan))
    loaded, names = [], set()
    for directory, name in candidates:
        if name in names:
            continue
        translator = QTranslator(app)
        if translator.load(name, directory):
            app.installTranslator(translator)
            loaded.append(translator)
            names.add(name)
            logger.info("translation loaded: %s", name)
        elif name.startswith("qtbase_") and lang != "en":
            logger.info("Qt's own translation %s not in %s", name, directory)
    return loaded


def apply_look(app: QApplication) -> None:
    """Application icon (SVG: sharp at any DPI) and the calm stylesheet."""
    app.setWindowIcon(QIcon(str(RESOURCES / "icons" / "outreach-desk.svg")))
    style = RESOURCES / "styles" / "app.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))


def set_windows_app_id() -> None:
    """Group the windows under the app's own taskbar icon, not Python's (Windows only)."""
    if sys.platform != "win32":
        return
    import ctypes

    try:
        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(APP_ID)
    except (AttributeError, OSError):
        logger.warning("could not set the Windows app id")


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="outreach-desk", description="Outreach Desk")
    parser.add_argument("--data-dir", type=Path, help="data folder (default: per-user folder)")
    parser.add_argument("--demo", action="store_true",
                        help="open a throw-away store filled with fictional demo data")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation in a temporary folder, then exit")
    parser.add_argument("--server", help="with --self-test: also sync once with this server")
    parser.add_argument("--enroll-code", help="with --self-test --server: the one-time code "
                        "that enrolls the test store with the server")
    parser.add_argument("--ca-file", help="with --self-test --server: the CA certificate (PEM) "
                        "the server's certificate comes from (default: the system's store)")
    return parser.parse_known_args(argv)  # unknown options are left for Qt (-platform, ...)


def make_session(args: argparse.Namespace, settings: Settings | None = None) -> Session:
    """The session for these arguments: the demo folder, ``--data-dir``, or the per-user folder
    (``OUTREACH_DESK_DATA_DIR`` overrides it, as for the command line). Opens nothing yet."""
    settings = settings or Settings()
    if args.demo:
        return Session(demo_folder(), settings, demo=True)
    return Session(args.data_dir or default_data_dir(), settings)


def main(argv: list[str] | None = None) -> int:
    args, qt_args = parse_args(list(sys.argv[1:] if argv is None else argv))
    log_file = setup_logging(console=not args.self_test)
    crash.install(None)
    if args.self_test:
        from ui import self_test

        return self_test.run(args.server, args.enroll_code, args.ca_file)
    logger.info("Outreach Desk %s starting (log file: %s)", app_version(),
                "yes" if log_file else "none")
    set_windows_app_id()
    QCoreApplication.setOrganizationName("Outreach Desk")
    QCoreApplication.setApplicationName("Outreach Desk")
    QGuiApplication.setDesktopFileName("outreach-desk")  # window class / app id on Linux
    app = QApplication([sys.argv[0], *qt_args])
    apply_look(app)
    install_wheel_guard(app)  # the wheel scrolls forms, never changes an unfocused field
    install_translators(app, ui_language())
    # Ctrl+C in a terminal, or a logout's SIGTERM, ends the app the orderly way: drafts are
    # kept, the store is locked, a demo folder is removed. Qt's loop runs no Python while idle,
    # so a slow timer gives Python the chance to run the handler. The handler may run in the
    # middle of any Python code, e.g. a delegate painting the caseload; quitting there would
    # close the window (and lock the store, clearing that model) under the painter and crash,
    # so it only asks the event loop to quit once the current event is done.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: QTimer.singleShot(0, QApplication.quit))
    pulse = QTimer()
    pulse.timeout.connect(lambda: None)
    pulse.start(300)

    session = make_session(args)
    if args.demo:
        session.create_demo()
    window = MainWindow(session)
    crash.install(window.keep_drafts)
    window.show()
    # once the event loop has run: the first frame is up (bench/bench_start.py waits for this)
    QTimer.singleShot(0, lambda: logger.info("main window shown"))
    try:
        return app.exec()
    finally:
        session.close()
