"""バックアップから復元 on the first-run page: a new laptop gets the worker's records back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from support import FAST_KDF, PASSPHRASE
from test_ui_case import make_case
from ui_fixtures import make_window, settings, type_text, wait_idle  # noqa: F401

from outreach_desk.backup import create_backup
from outreach_desk.store import Store
from ui.restore_dialog import RestoreDialog
from ui.session import Session


@pytest.fixture
def backup(tmp_path):
    with Store.create(tmp_path / "old-laptop", PASSPHRASE, kdf=FAST_KDF,
                      worker_name="佐藤 花子") as store:
        case = make_case(store, visits=2)
        create_backup(store, tmp_path / "sato.odbackup")
    return tmp_path / "sato.odbackup", case


@pytest.fixture
def new_laptop(qtbot, tmp_path, settings):  # noqa: F811
    session = Session(tmp_path / "new-laptop", settings, kdf=FAST_KDF)
    window = make_window(qtbot, session)
    assert window.stack.currentWidget() is window.first_run
    yield window
    session.close()
    wait_idle(qtbot)


def fill_in(qtbot, window, path, passphrase: str) -> RestoreDialog:
    qtbot.mouseClick(window.first_run.restore_button, Qt.MouseButton.LeftButton)
    dialog = window.first_run.findChild(RestoreDialog, "restoreDialog")
    assert dialog is not None and dialog.isVisible()
    type_text(qtbot, dialog.file, str(path))
    type_text(qtbot, dialog.passphrase, passphrase)
    return dialog


def test_restore_on_first_run_opens_the_workers_records(qtbot, new_laptop, backup):
    path, case = backup
    dialog = fill_in(qtbot, new_laptop, path, PASSPHRASE)
    with qtbot.waitSignal(new_laptop.session.unlocked, timeout=20_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert new_laptop.stack.currentWidget() is new_laptop.workspace
    assert [row.case_id for row in new_laptop.session.store.caseload()] == [case]
    assert len(new_laptop.session.store.visits(case)) == 2
    qtbot.waitUntil(lambda: new_laptop.caseload.model.rowCount() == 1)


def test_restore_explains_a_wrong_passphrase_and_a_bad_file(qtbot, new_laptop, backup,
                                                            tmp_path):
    path, _ = backup
    dialog = fill_in(qtbot, new_laptop, path, "ちがう あいことば 2026")
    with qtbot.waitSignal(new_laptop.session.unlock_failed, timeout=20_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "パスフレーズが違います" in new_laptop.first_run.error.text()
    assert not new_laptop.session.exists  # nothing was put in place

    not_a_backup = tmp_path / "notes.odbackup"
    not_a_backup.write_text("これはバックアップではない", encoding="utf-8")
    dialog = fill_in(qtbot, new_laptop, not_a_backup, PASSPHRASE)
    with qtbot.waitSignal(new_laptop.session.unlock_failed, timeout=20_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "バックアップではないか、壊れています" in new_laptop.first_run.error.text()
    assert new_laptop.stack.currentWidget() is new_laptop.first_run


def test_restore_dialog_asks_for_a_file_and_a_passphrase(qtbot, new_laptop, tmp_path):
    dialog = fill_in(qtbot, new_laptop, tmp_path / "missing.odbackup", "")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.file_error.text() == "バックアップファイルを選んでください。"
    assert dialog.passphrase_error.text() == "パスフレーズを入力してください。"
    dialog.reject()
