"""このアプリについて and バックアップを作成 in the real main window."""

from __future__ import annotations

import tomllib
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
from support import PASSPHRASE, visit_fields
from test_ui_case import make_case
from ui_fixtures import session, settings, wait_idle, window  # noqa: F401

from outreach_desk.backup import restore_backup
from outreach_desk.store import Store
from ui.about_dialog import AboutDialog

ROOT = Path(__file__).resolve().parent.parent
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]


def test_about_shows_version_folders_server_and_generated_licences(qtbot, window,  # noqa: F811
                                                                   settings):  # noqa: F811
    settings.server_url = "https://sync.example.jp:8443"
    window.about_action.trigger()
    dialog = window.findChild(AboutDialog, "aboutDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Outreach Desk について"
    assert dialog.version_label.text() == VERSION
    assert dialog.data_dir_label.text() == str(window.data_dir)
    assert dialog.server_label.text() == "https://sync.example.jp:8443"
    assert dialog.findChild(QLabel, "aboutCipher").text().startswith("SQLCipher 4.")
    names = {entry["name"].lower() for entry in dialog.entries}
    assert {"pyside6_essentials", "sqlcipher3", "cryptography", "python"} <= names
    assert "fastapi" not in names  # server-only: not shipped with the desktop app
    assert dialog.select("cryptography")
    text = dialog.licence_text.toPlainText()
    assert "Apache" in text and "BSD" in text and "--- LICENSE" in text
    assert dialog.select("PySide6_Essentials")
    assert "LGPL-3.0" in dialog.licence_text.toPlainText()
    dialog.reject()


def test_backup_menu_writes_a_backup_that_restores_every_record(qtbot, window,  # noqa: F811
                                                                tmp_path):
    store = window.session.store
    case = make_case(store, visits=3)
    assert window.backup_action in window.menuBar().actions()[0].menu().actions()
    target = tmp_path / "from-menu.odbackup"
    with qtbot.waitSignal(window.backup_finished, timeout=30_000) as finished:
        window.backup_to(target)
        store.record_visit(case, **visit_fields(narrative="バックアップ中に保存した訪問"))
    assert finished.args == [str(target)]
    assert "バックアップを保存しました" in window.status_bar.currentMessage()
    wait_idle(qtbot)
    counts = store.counts()
    report = restore_backup(target, tmp_path / "restored", PASSPHRASE)
    assert report.counts["case"] == counts["case"] == 1
    # the visit saved meanwhile is either wholly in the backup or wholly not
    assert report.counts["visit"] in (counts["visit"], counts["visit"] - 1)
    with Store.open(tmp_path / "restored", PASSPHRASE) as restored:
        assert len(restored.visits(case)) == report.counts["visit"]


def test_backup_failure_is_reported_in_japanese(qtbot, window, tmp_path):  # noqa: F811
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with qtbot.waitSignal(window.backup_finished, timeout=30_000) as finished:
        def close_warning():
            box = QApplication.activeModalWidget()
            if box is None:
                QTimer.singleShot(50, close_warning)
                return
            assert "バックアップを作成できませんでした" in box.text()
            box.accept()

        QTimer.singleShot(50, close_warning)
        window.backup_to(blocker / "b.odbackup")
    assert finished.args == [""]
    assert window.backup_action.isEnabled()
