"""First run, unlock, settings and the new-case dialog, driven through their real widgets.

Every test runs over a real encrypted store in its own temporary folder. Japanese text is typed
the way an input method delivers it: committed strings (QInputMethodEvent); ASCII as key clicks.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QLabel
from support import FAST_KDF, PASSPHRASE
from test_ui_drafts import answer_box
from ui_fixtures import (  # noqa: F401
    TEAM,
    WORKER,
    make_window,
    session,
    settings,
    type_text,
    wait_idle,
)

from outreach_desk.vocab import ReferralSource
from ui.new_case_dialog import NewCaseDialog
from ui.pages import FAIR, STRONG, TOO_SHORT, WEAK, UnlockPage, passphrase_strength
from ui.session import DEMO_PASSPHRASE, Session
from ui.settings_dialog import SettingsDialog, is_valid_server_url


def press_enter(qtbot, widget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def labels_text(widget) -> str:
    """The text of every label the worker can see on ``widget``."""
    return "\n".join(label.text() for label in widget.findChildren(QLabel)
                     if label.isVisibleTo(widget))


# -- first run --------------------------------------------------------------------------------


@pytest.fixture
def fresh(qtbot, tmp_path, settings):  # noqa: F811
    """A session over a folder with no store yet, and the main window on the first-run page."""
    made = Session(tmp_path / "records", settings, kdf=FAST_KDF)
    window = make_window(qtbot, made)
    assert window.stack.currentWidget() is window.first_run
    yield made, window
    made.close()
    wait_idle(qtbot)


def fill_first_run(qtbot, page, passphrase, confirm, name=WORKER, team=TEAM) -> None:
    type_text(qtbot, page.passphrase, passphrase)
    type_text(qtbot, page.confirm, confirm)
    type_text(qtbot, page.worker_name, name)
    type_text(qtbot, page.team_name, team)


def test_first_run_through_the_widgets_creates_store_worker_and_team(qtbot, fresh):
    made, window = fresh
    page = window.first_run
    type_text(qtbot, page.passphrase, PASSPHRASE)
    type_text(qtbot, page.confirm, PASSPHRASE)
    type_text(qtbot, page.worker_name, WORKER)
    assert not page.create_button.isEnabled(), "the team is still missing"
    type_text(qtbot, page.team_name, TEAM)
    assert page.create_button.isEnabled()

    with qtbot.waitSignal(made.unlocked, timeout=20_000):
        qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert made.is_unlocked
    assert window.stack.currentWidget() is window.workspace
    worker = made.store.worker()
    assert worker["name"] == WORKER
    assert made.store.get("team", worker["team_id"])["name"] == TEAM
    assert page.passphrase.text() == "" and page.confirm.text() == "", "passphrase forgotten"

    made.lock()  # the passphrase typed through the IME is the one that opens the store
    with qtbot.waitSignal(made.unlocked, timeout=20_000):
        made.unlock(PASSPHRASE)


def test_enter_submits_the_first_run_page(qtbot, fresh):
    made, window = fresh
    fill_first_run(qtbot, window.first_run, PASSPHRASE, PASSPHRASE)
    with qtbot.waitSignal(made.unlocked, timeout=20_000):
        press_enter(qtbot, window.first_run.team_name)
    assert made.store.worker()["name"] == WORKER


def test_mismatched_confirmation_shows_japanese_error_and_creates_nothing(
        qtbot, fresh, tmp_path):
    made, window = fresh
    page = window.first_run
    fill_first_run(qtbot, page, PASSPHRASE, PASSPHRASE + "x")
    assert not page.create_button.isEnabled()
    press_enter(qtbot, page.confirm)
    assert page.errors["confirm"].message == "確認用のパスフレーズが一致しません。"
    assert page.errors["passphrase"].message == ""
    wait_idle(qtbot)
    assert not made.working and not made.is_unlocked
    assert not (tmp_path / "records").exists()


def test_short_passphrase_shows_japanese_error_and_creates_nothing(qtbot, fresh, tmp_path):
    made, window = fresh
    page = window.first_run
    fill_first_run(qtbot, page, "みじかい", "みじかい")
    assert not page.create_button.isEnabled()
    page.submit()  # what Enter does
    assert "10文字以上" in page.errors["passphrase"].message
    assert page.passphrase.hasFocus() or not window.isActiveWindow()
    wait_idle(qtbot)
    assert not made.working and not (tmp_path / "records").exists()


def test_strength_hint_follows_typing(qtbot, fresh):
    _, window = fresh
    page = window.first_run
    type_text(qtbot, page.passphrase, "abc")
    assert page.strength.text() == "あと 7 文字必要です"
    type_text(qtbot, page.passphrase, "defghij")
    assert page.strength.text().startswith("強さ: 弱い")
    page.passphrase.clear()
    type_text(qtbot, page.passphrase, PASSPHRASE)
    assert page.strength.text() == "強さ: 強い"


@pytest.mark.parametrize(("text", "level"), [
    ("", TOO_SHORT), ("123456789", TOO_SHORT), ("aaaaaaaaaaaaaaaaaaaaaaaa", WEAK),
    ("1212121212121212", WEAK), ("abcdefghij", WEAK), ("aaaaaaaaaa", WEAK),
    ("password123456", WEAK), ("qwertyuiop1234", WEAK), ("kirishima2026", STRONG),
    ("やまなみときりしま", TOO_SHORT), ("ああいいううええおお", FAIR),
    ("やまなみときりしまの里", STRONG),
    (PASSPHRASE, STRONG), ("correct horse battery staple", STRONG),
])
def test_passphrase_strength(text, level):
    assert passphrase_strength(text) == level


# -- unlock -----------------------------------------------------------------------------------


@pytest.fixture
def locked(qtbot, session):  # noqa: F811
    window = make_window(qtbot, session)
    session.lock()
    assert window.stack.currentWidget() is window.unlock_page
    return session, window


def try_passphrase(qtbot, made, window, text: str) -> None:
    type_text(qtbot, window.unlock_page.passphrase, text)
    press_enter(qtbot, window.unlock_page.passphrase)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: not made.working)


def test_wrong_passphrase_shows_message_and_does_not_unlock(qtbot, locked):
    made, window = locked
    page = window.unlock_page
    try_passphrase(qtbot, made, window, "まちがった パスフレーズ")
    assert not made.is_unlocked
    assert window.stack.currentWidget() is page
    assert page.error.message.startswith("パスフレーズが違います。")
    assert page.passphrase.text() == "" and page.passphrase.isEnabled()

    with qtbot.waitSignal(made.unlocked, timeout=20_000):
        type_text(qtbot, page.passphrase, PASSPHRASE)
        qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.workspace
    assert page.error.message == ""


def test_three_wrong_passphrases_disable_the_field_with_a_countdown(qtbot, locked):
    made, window = locked
    page = window.unlock_page
    for _ in range(3):
        try_passphrase(qtbot, made, window, "wrong passphrase")
    assert made.failures == 3
    assert made.seconds_to_wait() > 0
    assert not page.passphrase.isEnabled() and not page.unlock_button.isEnabled()
    assert not page.countdown.isHidden()
    first = page.countdown.text()
    assert first.startswith("あと ") and "秒" in first
    page.submit()  # a click while waiting tries nothing
    assert made.failures == 3 and not made.working

    qtbot.waitUntil(lambda: page.countdown.text() != first, timeout=3_000)  # 1 s ticks
    qtbot.waitUntil(page.passphrase.isEnabled, timeout=10_000)
    assert page.unlock_button.isEnabled() and page.countdown.isHidden()
    with qtbot.waitSignal(made.unlocked, timeout=20_000):
        type_text(qtbot, page.passphrase, PASSPHRASE)
        press_enter(qtbot, page.passphrase)


def test_unlock_page_shows_no_personal_data(qtbot, locked):
    made, window = locked
    try_passphrase(qtbot, made, window, "wrong passphrase")
    shown = labels_text(window.unlock_page) + window.windowTitle()
    assert WORKER not in shown and TEAM not in shown
    assert DEMO_PASSPHRASE not in shown and window.unlock_page.demo_hint.isHidden()


def test_demo_mode_shows_the_demo_passphrase(qtbot, tmp_path, settings):  # noqa: F811
    demo = Session(tmp_path / "demo", settings, kdf=FAST_KDF, demo=True)
    page = UnlockPage(demo)
    qtbot.addWidget(page)
    assert not page.demo_hint.isHidden()
    assert DEMO_PASSPHRASE in page.demo_hint.text()


# -- settings ---------------------------------------------------------------------------------


def open_settings(qtbot, session):  # noqa: F811
    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_settings_apply_lock_minutes_at_once_and_save_language(qtbot, session):  # noqa: F811
    assert session.idle_timeout_ms == 5 * 60_000
    dialog = open_settings(qtbot, session)
    assert dialog.lock_minutes.value() == 5
    assert dialog.data_folder.text() == str(session.data_dir) and dialog.data_folder.isReadOnly()
    dialog.lock_minutes.selectAll()
    qtbot.keyClicks(dialog.lock_minutes, "12")
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert session.idle_timeout_ms == 12 * 60_000 and session._idle.isActive()
    assert session.settings.lock_minutes == 12
    assert session.settings.language == "en"


def test_settings_cancel_changes_nothing(qtbot, session):  # noqa: F811
    dialog = open_settings(qtbot, session)
    dialog.lock_minutes.setValue(30)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert session.idle_timeout_ms == 5 * 60_000 and session.settings.lock_minutes == 5


def test_settings_refuse_an_invalid_server_address(qtbot, session):  # noqa: F811
    dialog = open_settings(qtbot, session)
    qtbot.keyClicks(dialog.server_url, "ftp://sync.example.jp")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert "https://" in dialog.server_error.message
    assert session.settings.server_url == ""

    dialog.server_url.clear()
    assert dialog.server_error.message == ""
    qtbot.keyClicks(dialog.server_url, "https://sync.example.jp:8443")
    press_enter(qtbot, dialog.server_url)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert session.settings.server_url == "https://sync.example.jp:8443"


def test_settings_warn_about_plain_http(qtbot, session):  # noqa: F811
    dialog = open_settings(qtbot, session)
    qtbot.keyClicks(dialog.server_url, "http://192.168.1.20:8080")
    assert dialog.server_error.message == "" and not dialog.server_warning.isHidden()


@pytest.mark.parametrize("url", [
    "", "https://sync.example.jp", "http://localhost:8080", "https://10.0.0.5:443/",
    "https://[::1]:8443", "https://小林市.jp", "  https://sync.example.jp  ",
])
def test_valid_server_urls(url):
    assert is_valid_server_url(url)


@pytest.mark.parametrize("url", [
    "sync.example.jp", "ftp://sync.example.jp", "https://", "https://:8443",
    "https://sync.example.jp:99999", "https://sync.example.jp:", "https://user@sync.example.jp",
    "https://sync.example.jp/path", "https://sync example.jp", "https://-bad-.jp",
    "https://999.1.1.1", "https://sync.example.jp?x=1", "https://[zz::1]",
])
def test_invalid_server_urls(url):
    assert not is_valid_server_url(url)


def test_open_data_folder_asks_the_desktop(qtbot, session):  # noqa: F811
    class Handler(QObject):
        def __init__(self):
            super().__init__()
            self.urls: list[QUrl] = []

        @Slot(QUrl)
        def handle(self, url):
            self.urls.append(url)

    handler = Handler()
    QDesktopServices.setUrlHandler("file", handler, "handle")
    try:
        dialog = open_settings(qtbot, session)
        qtbot.mouseClick(dialog.open_folder_button, Qt.MouseButton.LeftButton)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [url.toLocalFile() for url in handler.urls] == [str(session.data_dir)]
    assert dialog.isVisible(), "opening the folder does not close the dialog"


# -- new case and 名寄せ ----------------------------------------------------------------------


def new_case(qtbot, store) -> NewCaseDialog:
    dialog = NewCaseDialog(store)
    # at teardown, close it unsaved without the discard question (a typed dialog asks first)
    qtbot.addWidget(dialog, before_close_func=lambda d: d.done(QDialog.DialogCode.Rejected))
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def choose_referral(dialog, source: ReferralSource = ReferralSource.MINSEI_IIN) -> None:
    dialog.referral.setCurrentIndex(dialog.referral.findData(source.value))


def count(store, entity: str) -> int:
    return store.counts()[entity]


def test_new_case_creates_person_and_case_assigned_to_the_worker(qtbot, session):  # noqa: F811
    store = session.store
    dialog = new_case(qtbot, store)
    assert dialog.district.currentText() == "野尻", "preselected from the team 野尻担当"
    type_text(qtbot, dialog.name, "黒木 花子")
    type_text(qtbot, dialog.kana, "くろき はなこ")
    type_text(qtbot, dialog.birth_year, "1950")
    choose_referral(dialog)
    type_text(qtbot, dialog.note, "民生委員から、最近姿を見かけないと相談。")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.case_id
    case = store.get("case", dialog.case_id)
    person = store.get("person", case["person_id"])
    assert (person["name"], person["kana"], person["birth_year"], person["district"]) == (
        "黒木 花子", "くろき はなこ", 1950, "野尻")
    worker = store.worker()
    assert case["worker_id"] == worker.id and case["team_id"] == worker["team_id"]
    assert case["referral_source"] == ReferralSource.MINSEI_IIN
    assert case["referral_note"] == "民生委員から、最近姿を見かけないと相談。"
    assert count(store, "person") == 1 and count(store, "case") == 1
    assert count(store, "household") == 0


def test_new_case_mistakes_are_shown_in_japanese_and_nothing_is_written(
        qtbot, session):  # noqa: F811
    store = session.store
    before = store.counts()
    dialog = new_case(qtbot, store)
    type_text(qtbot, dialog.kana, "黒木")
    assert dialog.errors["kana"].message == "ふりがなは、ひらがなかカタカナで入力してください。", \
        "a reading in kanji is pointed out while typing"
    type_text(qtbot, dialog.birth_year, "1850")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible() and dialog.case_id is None
    assert dialog.errors["name"].message == "氏名を入力してください。"
    assert "1900年から" in dialog.errors["birth_year"].message
    assert dialog.errors["referral"].message == "把握の経路を選んでください。"
    assert store.counts() == before

    dialog.kana.clear()
    assert dialog.errors["kana"].message == "ふりがなを入力してください。"
    type_text(qtbot, dialog.kana, "くろき")
    assert dialog.errors["kana"].message == "", "fixed mistakes stop being shown"
    dialog.done(QDialog.DialogCode.Rejected)  # closing a typed dialog would ask first


def test_enter_saves_and_escape_cancels(qtbot, session):  # noqa: F811
    store = session.store
    dialog = new_case(qtbot, store)
    type_text(qtbot, dialog.name, "山下 一郎")
    type_text(qtbot, dialog.kana, "やました いちろう")
    choose_referral(dialog, ReferralSource.NEIGHBOUR)
    press_enter(qtbot, dialog.kana)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.case_id

    other = new_case(qtbot, store)
    type_text(qtbot, other.name, "山下 二郎")
    seen: list[str] = []
    answer_box(qtbot, "confirmDiscardButton", seen)  # typed: Esc asks before discarding
    qtbot.keyClick(other.name, Qt.Key.Key_Escape)
    assert seen == ["入力中の内容を破棄しますか？"]
    assert other.result() == QDialog.DialogCode.Rejected and other.case_id is None
    assert count(store, "person") == 1


@pytest.fixture
def existing(session):  # noqa: F811
    store = session.store
    person_id = store.add_person("黒木 花子", "くろき はなこ", "野尻", birth_year=1950)
    store.add_person("山下 一郎", "やました いちろう", "須木", birth_year=1948)
    return store, person_id


@pytest.mark.parametrize("reading", ["ｸﾛｷ ﾊﾅｺ", "クロキ　ハナコ", "くろき・はなこ"])
def test_nayose_finds_a_person_typed_another_way_and_picking_opens_their_case(
        qtbot, existing, reading):
    store, person_id = existing
    dialog = new_case(qtbot, store)
    type_text(qtbot, dialog.kana, reading)
    qtbot.waitUntil(lambda: dialog.candidate_list.count() == 1, timeout=3_000)  # debounced
    item = dialog.candidate_list.item(0)
    assert "黒木 花子" in item.text() and "同じよみ" in item.text()
    assert not dialog.candidate_box.isHidden()

    qtbot.mouseClick(dialog.pick_button, Qt.MouseButton.LeftButton)
    assert dialog.picked_person_id == person_id
    assert not dialog.picked_box.isHidden() and "黒木 花子" in dialog.picked_label.text()
    assert dialog.kana.isReadOnly() and dialog.birth_year.text() == "1950"
    choose_referral(dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    case = store.get("case", dialog.case_id)
    assert case["person_id"] == person_id
    assert count(store, "person") == 2, "no new person"


def test_picking_a_person_with_an_open_case_offers_that_case_instead(qtbot, existing):
    store, person_id = existing
    open_case = store.open_case(referral_source="neighbour", district="野尻", person_id=person_id)
    before = store.counts()
    dialog = new_case(qtbot, store)
    type_text(qtbot, dialog.kana, "クロキ ハナコ")
    qtbot.waitUntil(lambda: dialog.candidate_list.count() == 1, timeout=3_000)
    qtbot.mouseClick(dialog.pick_button, Qt.MouseButton.LeftButton)
    assert not dialog.open_existing_button.isHidden()
    assert "対応中のケースがあります" in dialog.picked_label.text()
    qtbot.mouseClick(dialog.open_existing_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.case_id == open_case
    assert store.counts() == before, "nothing written"

    store.change_case_stage(open_case, "closed", reason="転居")
    other = new_case(qtbot, store)
    type_text(qtbot, other.kana, "クロキ ハナコ")
    qtbot.waitUntil(lambda: other.candidate_list.count() == 1, timeout=3_000)
    qtbot.mouseClick(other.pick_button, Qt.MouseButton.LeftButton)
    assert other.open_existing_button.isHidden(), "a closed case is not offered"


def test_nayose_lists_reasons_and_enter_in_the_list_picks_without_saving(qtbot, existing):
    store, person_id = existing
    dialog = new_case(qtbot, store)
    type_text(qtbot, dialog.name, "黒木 はな")
    type_text(qtbot, dialog.kana, "くろき はな")
    type_text(qtbot, dialog.birth_year, "1950")
    dialog.refresh_candidates()
    assert dialog.candidate_list.count() == 1
    assert "同じ姓・同じ生年・同じ地区" in dialog.candidate_list.item(0).text()
    assert dialog.confirm_new.isHidden(), "a weak match needs no confirmation"
    choose_referral(dialog)  # the form could be saved: Enter must still only pick

    dialog.candidate_list.setFocus()
    press_enter(qtbot, dialog.candidate_list)
    assert dialog.picked_person_id == person_id
    assert dialog.isVisible() and dialog.case_id is None, "Enter in the list only picks"
    qtbot.mouseClick(dialog.unpick_button, Qt.MouseButton.LeftButton)
    assert dialog.picked_person_id is None and dialog.kana.text() == "くろき はな"
    assert not dialog.kana.isReadOnly()


def test_strong_match_needs_explicit_confirmation_before_a_new_person(qtbot, existing):
    store, person_id = existing
    before = store.counts()
    dialog = new_case(qtbot, store)
    type_text(qtbot, dialog.name, "黒木 花子")
    type_text(qtbot, dialog.kana, "クロキ ハナコ")
    type_text(qtbot, dialog.birth_year, "1962")
    choose_referral(dialog, ReferralSource.LIFELINE)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # before the debounce

    assert dialog.isVisible() and dialog.case_id is None
    assert "別の人として登録する" in dialog.candidate_error.message
    assert not dialog.confirm_new.isHidden()
    assert store.counts() == before, "a strong match is never saved silently"

    qtbot.mouseClick(dialog.confirm_new, Qt.MouseButton.LeftButton)
    assert dialog.confirm_new.isChecked()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    person = store.get("person", store.get("case", dialog.case_id)["person_id"])
    assert person.id != person_id and person["kana"] == "クロキ ハナコ"
    assert count(store, "person") == before["person"] + 1


def test_confirmation_is_asked_again_for_a_new_strong_match(qtbot, existing):
    store, _ = existing
    dialog = new_case(qtbot, store)
    type_text(qtbot, dialog.kana, "くろき はなこ")
    dialog.refresh_candidates()
    dialog.confirm_new.setChecked(True)
    type_text(qtbot, dialog.name, "山下 一郎")  # now also the same written name as 山下 一郎
    dialog.refresh_candidates()
    assert dialog.candidate_list.count() == 2
    assert not dialog.confirm_new.isChecked()


def test_household_only_case(qtbot, session):  # noqa: F811
    store = session.store
    dialog = new_case(qtbot, store)
    qtbot.mouseClick(dialog.household_mode, Qt.MouseButton.LeftButton)
    assert dialog.name.isHidden() and not dialog.household_name.isHidden()
    type_text(qtbot, dialog.household_name, "黒木家")
    type_text(qtbot, dialog.address_note, "商店の裏")
    choose_referral(dialog, ReferralSource.DOOR_TO_DOOR)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    case = store.get("case", dialog.case_id)
    assert case["person_id"] is None
    household = store.get("household", case["household_id"])
    assert (household["name"], household["district"], household["address_note"]) == (
        "黒木家", "野尻", "商店の裏")
    assert count(store, "person") == 0 and case["worker_id"] == store.worker().id


def test_person_with_new_household_is_written_together(qtbot, session):  # noqa: F811
    store = session.store
    dialog = new_case(qtbot, store)
    type_text(qtbot, dialog.name, "黒木 花子")
    type_text(qtbot, dialog.kana, "くろき はなこ")
    qtbot.keyClick(dialog.with_household, Qt.Key.Key_Space)
    assert dialog.with_household.isChecked()
    assert dialog.household_name.text() == "黒木家", "suggested from the family name"
    dialog.district.setCurrentText("須木")
    choose_referral(dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    case = store.get("case", dialog.case_id)
    person = store.get("person", case["person_id"])
    assert person["household_id"] == case["household_id"] is not None
    assert store.get("household", case["household_id"])["district"] == "須木"
    assert case["district"] == person["district"] == "須木"


def test_a_refused_case_writes_no_household_or_person(qtbot, session):  # noqa: F811
    """All or nothing: the team was removed meanwhile, so the case (written last) is refused."""
    store = session.store
    store.archive("team", store.worker()["team_id"])
    before = store.counts()
    dialog = new_case(qtbot, store)
    type_text(qtbot, dialog.name, "黒木 花子")
    type_text(qtbot, dialog.kana, "くろき はなこ")
    dialog.with_household.setChecked(True)
    dialog.district.setCurrentText("野尻")
    choose_referral(dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible() and dialog.case_id is None
    assert "見つかりません" in dialog.error.message
    assert store.counts() == before

