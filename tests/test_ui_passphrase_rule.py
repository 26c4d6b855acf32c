"""The passphrase rule in the real forms: 「aaaaaaaaaa」 typed into the first-run page and into
設定 → パスフレーズを変更 keeps the button disabled and says why, in Japanese; a good passphrase
enables it and works."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from support import FAST_KDF, PASSPHRASE
from ui_fixtures import (  # noqa: F401
    TEAM,
    WORKER,
    make_window,
    session,
    settings,
    type_text,
    wait_idle,
)

from outreach_desk.paths import KEY_FILE
from outreach_desk.store import Store
from ui.session import Session
from ui.settings_dialog import SettingsDialog

GOOD = "あたらしい あいことば 2027"


@pytest.fixture
def first_run(qtbot, tmp_path, settings):  # noqa: F811
    made = Session(tmp_path / "records", settings, kdf=FAST_KDF)
    window = make_window(qtbot, made)
    assert window.stack.currentWidget() is window.first_run
    yield made, window.first_run
    made.close()
    wait_idle(qtbot)


def test_a_repeated_passphrase_cannot_create_the_store_and_the_page_says_why(
        qtbot, first_run, tmp_path):
    made, page = first_run
    type_text(qtbot, page.passphrase, "aaaaaaaaaa")
    type_text(qtbot, page.confirm, "aaaaaaaaaa")
    type_text(qtbot, page.worker_name, WORKER)
    type_text(qtbot, page.team_name, TEAM)
    assert not page.create_button.isEnabled()
    assert page.strength.text() == "強さ: 弱い（推測されやすいため使えません）"
    assert not page.blocked.isHidden()
    assert page.blocked.text() == (
        "まだ作成できません: 同じ文字や言葉の繰り返しは推測されやすいため使えません。")
    assert page.create_button.toolTip() == page.blocked.text()
    qtbot.keyClick(page.team_name, Qt.Key.Key_Return)  # Enter tries, and shows it at the field
    assert page.errors["passphrase"].message == (
        "同じ文字や言葉の繰り返しは推測されやすいため使えません。")
    wait_idle(qtbot)
    assert not made.working and not made.is_unlocked
    assert not (tmp_path / "records" / KEY_FILE).exists()

    page.passphrase.clear()
    page.confirm.clear()
    type_text(qtbot, page.passphrase, PASSPHRASE)
    assert page.create_button.isEnabled() is False  # the confirmation is still empty
    assert page.blocked.text().startswith("まだ作成できません: 確認のため")
    type_text(qtbot, page.confirm, PASSPHRASE)
    assert page.create_button.isEnabled() and page.blocked.isHidden()
    assert page.strength.text() == "強さ: 強い"
    with qtbot.waitSignal(made.unlocked, timeout=20_000):
        qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert made.store.worker()["name"] == WORKER


def test_a_common_password_and_the_workers_own_name_are_refused(qtbot, first_run):
    _, page = first_run
    type_text(qtbot, page.worker_name, "sato hanako")
    type_text(qtbot, page.team_name, TEAM)
    for text, reason in (("password123456", "よく使われるパスワード"),
                         ("satohanako", "あなたの名前や担当チームの名前"),
                         ("abcdefghijkl", "「abc」「6543」のような並び")):
        page.passphrase.clear()
        page.confirm.clear()
        type_text(qtbot, page.passphrase, text)
        type_text(qtbot, page.confirm, text)
        assert not page.create_button.isEnabled(), text
        assert reason in page.blocked.text(), (text, page.blocked.text())


def open_change(qtbot, session):  # noqa: F811
    settings_dialog = SettingsDialog(session)
    qtbot.addWidget(settings_dialog)
    settings_dialog.show()
    qtbot.mouseClick(settings_dialog.passphrase_button, Qt.MouseButton.LeftButton)
    dialog = settings_dialog.findChild(QDialog, "changePassphraseDialog")
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_the_passphrase_change_refuses_a_guessable_one_and_says_why(qtbot, session):  # noqa: F811
    dialog = open_change(qtbot, session)
    key_before = (session.data_dir / KEY_FILE).read_bytes()
    assert not dialog.save_button.isEnabled()
    assert dialog.blocked.text() == "まだ変更できません: いまのパスフレーズを入力してください。"
    type_text(qtbot, dialog.current, PASSPHRASE)
    type_text(qtbot, dialog.new, "aaaaaaaaaa")
    type_text(qtbot, dialog.confirm, "aaaaaaaaaa")
    assert not dialog.save_button.isEnabled()
    assert dialog.new_error.message == "同じ文字や言葉の繰り返しは推測されやすいため使えません。"
    assert dialog.blocked.text() == (
        "まだ変更できません: 同じ文字や言葉の繰り返しは推測されやすいため使えません。")
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    wait_idle(qtbot)
    assert dialog.isVisible()
    assert (session.data_dir / KEY_FILE).read_bytes() == key_before


def test_the_passphrase_change_works_with_a_good_one(qtbot, session):  # noqa: F811
    dialog = open_change(qtbot, session)
    type_text(qtbot, dialog.current, PASSPHRASE)
    type_text(qtbot, dialog.new, GOOD)
    type_text(qtbot, dialog.confirm, GOOD)
    assert dialog.save_button.isEnabled() and dialog.blocked.isHidden()
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    folder = session.data_dir
    session.lock()
    Store.open(folder, GOOD).close()


def test_the_passphrase_change_says_when_the_current_one_is_wrong(qtbot, session):  # noqa: F811
    dialog = open_change(qtbot, session)
    key_before = (session.data_dir / KEY_FILE).read_bytes()
    type_text(qtbot, dialog.current, "まちがった あいことば 99")
    type_text(qtbot, dialog.new, GOOD)
    type_text(qtbot, dialog.confirm, GOOD)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: dialog.current_error.message != "", timeout=20_000)
    assert dialog.current_error.message == "いまのパスフレーズが違います。"
    assert dialog.isVisible()
    assert (session.data_dir / KEY_FILE).read_bytes() == key_before
