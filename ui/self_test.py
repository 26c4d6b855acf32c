"""``outreach-desk --self-test [--server URL]``: does this build work on this machine?

Runs the parts a worker relies on, end to end, in a throw-away folder (the worker's own data and
settings are not touched): create an encrypted store (real Argon2id parameters), write a visit
and read it back, search it in Japanese, one sync round with ``--server`` (skipped with a line
saying so when none is given), and render the main window offscreen over that store. Prints one
line per step (``ok``, ``FAIL`` or ``skip``) and exits 0 only when no step failed. Made for the
frozen build (CI runs it against a real server) and works from source too.
"""

from __future__ import annotations

import logging
import os
import secrets
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from outreach_desk.self_check import CheckFailed, SelfCheck

logger = logging.getLogger(__name__)


class SelfTest:
    def __init__(self, folder: Path, server: str | None, code: str | None = None,
                 ca_file: str | None = None):
        self.folder = folder
        self.server = server
        self.code = code
        self.ca_file = ca_file
        self.failed = False
        self.data = SelfCheck(folder / "data", secrets.token_urlsafe(18))

    def say(self, line: str) -> None:
        logger.info("self-test: %s", line)
        if sys.stdout is not None:  # a windowed build on Windows has no stdout: see the log
            print(line, flush=True)

    def step(self, name: str, check: Callable[[], str]) -> None:
        if self.failed:
            self.say(f"skip {name}: an earlier step failed")
            return
        try:
            self.say(f"ok   {name}: {check()}")
        except Exception as exc:  # every failure is reported, then the test ends non-zero
            self.failed = True
            logger.error("self-test step %s failed", name, exc_info=exc)
            reason = str(exc) if isinstance(exc, CheckFailed) else type(exc).__name__
            self.say(f"FAIL {name}: {reason}")

    # -- steps (store, visit and search are outreach_desk.self_check's) ---------------------

    def sync(self) -> str:
        from outreach_desk.store import Store
        from sync.client import SyncClient, enroll

        with Store.open(self.data.data_dir, self.data.passphrase) as store:
            if self.ca_file:
                store.set_server_ca(Path(self.ca_file).read_text("ascii"))
            if self.code:  # a server needs an enrolled device
                enroll(store, self.server, self.code, timeout=30)
            report = SyncClient(store, self.server, timeout=30).sync_once()
            if report.pending or not report.pushed:
                raise CheckFailed(f"sync incomplete ({report.summary()})")
        return f"{self.server}: {report.summary()}"

    def window(self) -> str:
        from PySide6.QtCore import QEventLoop, QSettings, QTimer
        from PySide6.QtWidgets import QApplication

        from ui.app import apply_look, install_translators
        from ui.main_window import MainWindow
        from ui.session import Session, Settings

        app = QApplication.instance() or QApplication([sys.argv[0]])
        apply_look(app)
        install_translators(app, "ja")
        settings = Settings(QSettings(str(self.folder / "settings.ini"),
                                      QSettings.Format.IniFormat))
        session = Session(self.data.data_dir, settings)
        window = MainWindow(session)
        window.show()
        loop = QEventLoop()
        outcome: list[str] = []
        session.unlocked.connect(lambda: (outcome.append("unlocked"), loop.quit()))
        session.unlock_failed.connect(lambda _m: (outcome.append("failed"), loop.quit()))
        QTimer.singleShot(60_000, loop.quit)
        session.unlock(self.data.passphrase)
        loop.exec()
        try:
            if outcome != ["unlocked"]:
                raise CheckFailed("the window could not unlock the store")
            window.open_case(self.data.case_id)
            app.processEvents()
            picture = window.grab()
            if picture.isNull() or picture.width() < 200:
                raise CheckFailed("the main window did not render")
            if app.windowIcon().pixmap(64).isNull():
                raise CheckFailed("the application icon could not be drawn")
            about = window.show_about()
            shipped = {entry["name"].lower() for entry in about.entries}
            about.reject()
            if not {"pyside6_essentials", "sqlcipher3", "cryptography"} <= shipped:
                raise CheckFailed("the licence list is incomplete")
            return (f"main window rendered {picture.width()}x{picture.height()} "
                    f"({app.platformName()}), {window.tabs.count()} tabs, icon, "
                    f"{len(shipped)} licences")
        finally:
            window.close()
            session.close()

    def run(self) -> int:
        self.step("store", self.data.create_store)
        self.step("visit", self.data.write_and_read_visit)
        self.step("search", self.data.search)
        if self.server:
            self.step("sync", self.sync)
        else:
            self.say("skip sync: no server given (add --server URL to include one sync round)")
        self.step("window", self.window)
        self.say("self-test passed" if not self.failed else "self-test FAILED")
        return 1 if self.failed else 0


def run(server: str | None, code: str | None = None, ca_file: str | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before the QApplication exists
    with tempfile.TemporaryDirectory(prefix="outreach-desk-self-test-") as folder:
        return SelfTest(Path(folder), server, code, ca_file).run()


__all__ = ["run"]
