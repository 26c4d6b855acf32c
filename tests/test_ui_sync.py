"""Sync in the desktop client: the status bar, 今すぐ同期 in the background, back-off when the
server is away, the conflicts screen and the caseload's conflict mark.

Real widgets over real encrypted stores; the sync tests talk to a real server process
(``sync_fixtures.sync_server``). Conflicts for the screen-only tests are made the way two
laptops make them: each store writes the same field, then each applies the other's changes.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QPushButton
from support import FAST_KDF, PASSPHRASE
from sync_fixtures import free_port, sync_server  # noqa: F401
from ui_fixtures import commit_text, make_window, session, settings, type_text, wait_idle, window  # noqa: F401,E501

from outreach_desk.store import Store
from ui.caseload_model import CONFLICT_MARK, CONFLICT_ROLE, CaseloadModel
from ui.conflicts_view import ConflictsView
from ui.session import Session, Settings
from ui.sync_controller import IDLE, LOCKED, OFFLINE, UNCONFIGURED, SyncController

OTHER_WORKER = "鈴木 一郎"
SYNC_TIMEOUT = 60_000


@pytest.fixture(autouse=True)
def no_sync_at_unlock(monkeypatch):
    """Syncs in these tests start when a test says so, not a few seconds after unlocking."""
    monkeypatch.setattr(SyncController, "INITIAL_DELAY_MS", 600_000)


# -- helpers ---------------------------------------------------------------------------------


def make_case(store: Store, name: str = "山田 太郎",
              kana: str = "やまだ たろう") -> tuple[str, str]:
    person = store.add_person(name, kana, "野尻", birth_year=1958)
    case = store.open_case(referral_source="minsei_iin", district="野尻", person_id=person,
                           opened_on=date.today() - timedelta(days=30))
    return person, case


def exchange(first: Store, second: Store) -> None:
    """What a sync does between two laptops, without the server: each applies the other's log."""
    second.apply_remote(first.changes())
    first.apply_remote(second.changes())


def other_store(tmp_path) -> Store:
    return Store.create(tmp_path / "other-laptop", PASSPHRASE, kdf=FAST_KDF,
                        worker_name=OTHER_WORKER)


def wait_counts(qtbot, window, *, pending=None, conflicts=None) -> None:  # noqa: F811
    def ready() -> bool:
        counts = window.sync.counts
        return counts is not None and (pending is None or counts.pending == pending) and (
            conflicts is None or counts.conflicts == conflicts)
    qtbot.waitUntil(ready, timeout=20_000)


def sync_and_wait(qtbot, window) -> None:  # noqa: F811
    """Press 今すぐ同期 and wait for the round to end well."""
    assert window.sync_action.isEnabled()
    with qtbot.waitSignal(window.sync.sync_finished, timeout=SYNC_TIMEOUT):
        window.sync_action.trigger()
    assert window.sync.state == IDLE, window.sync.failure


def name_cell(window, case_id: str):  # noqa: F811
    model = window.caseload.model
    return model.index(model.row_of(case_id), CaseloadModel.NAME)


def wait_case_row(qtbot, window, case_id: str) -> None:  # noqa: F811
    qtbot.waitUntil(lambda: window.caseload.model.row_of(case_id) >= 0, timeout=20_000)


def open_conflicts(qtbot, window) -> ConflictsView:  # noqa: F811
    """Click 競合 N件 in the status bar; wait until the screen shows the store's conflicts."""
    button = window.status_bar.conflicts_button
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    view = window.conflicts_view()
    assert view is not None and window.tabs.currentWidget() is view
    qtbot.waitUntil(lambda: not view.loading, timeout=20_000)
    return view


def value_texts(card) -> list[str]:
    return [box.value_label.text() for box in card.value_boxes]


def who_texts(card) -> list[str]:
    return [box.who_label.text() for box in card.value_boxes]


@pytest.fixture
def second_session(qtbot, tmp_path):
    """A second laptop: its own store (worker 鈴木 一郎) and its own settings."""
    folder = tmp_path / "laptop-b"
    folder.mkdir()
    made = Session(folder / "data",
                   Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)),
                   kdf=FAST_KDF)
    with qtbot.waitSignal(made.unlocked, timeout=20_000):
        made.create(PASSPHRASE, OTHER_WORKER, "野尻担当")
    yield made
    made.close()
    wait_idle(qtbot)


# -- status bar without a server --------------------------------------------------------------


def test_status_bar_counts_unsent_changes_and_says_when_no_server_is_set(
        qtbot, window):  # noqa: F811
    bar = window.status_bar
    store = window.session.store
    assert window.statusBar() is bar and bar.isVisible()
    qtbot.waitUntil(lambda: window.sync.counts is not None, timeout=20_000)
    assert window.sync.state == UNCONFIGURED
    assert bar.state_text == "同期先未設定"
    before = store.pending_count()
    assert before > 0  # the worker's own record, made on this laptop
    assert bar.pending_text == f"未送信 {before}件"

    make_case(store)
    expected = len(store.outbox())
    assert expected > before
    wait_counts(qtbot, window, pending=expected)
    assert bar.pending_text == f"未送信 {expected}件"
    assert bar.conflicts_text == ""  # no conflict: nothing about conflicts

    # no server address: 今すぐ同期 starts nothing and says why, calmly
    window.sync_action.trigger()
    assert not window.sync.running
    assert "同期先が設定されていません" in bar.currentMessage()

    window.session.lock()
    assert not bar.isVisible()
    assert window.sync.state == LOCKED and not window.sync.sync_now()


def test_an_address_nobody_answers_is_offline_and_retried_later(qtbot, window):  # noqa: F811
    controller = window.sync
    assert controller.state == UNCONFIGURED
    window.session.settings.server_url = f"http://127.0.0.1:{free_port()}"  # nothing listens
    window.session.store.set_enrollment(window.session.settings.server_url, "a-token", "sato",
                                        "worker", ["野尻担当"])
    controller.settings_changed()  # what closing the settings dialog does
    assert controller.state == IDLE
    assert controller.next_sync_in_ms is not None  # a first sync comes by itself
    with qtbot.waitSignal(controller.sync_failed, timeout=SYNC_TIMEOUT):
        window.sync_action.trigger()
    assert controller.failure.kind == "offline" and controller.failure.message
    assert window.status_bar.state_text.startswith("オフライン")
    tip = window.status_bar.state_label.toolTip()
    assert controller.failure.message in tip and "もう一度試します" in tip
    assert controller.retry_scheduled and 4.0 <= controller.retry_delay_s <= 6.0
    assert 3_000 < controller.next_sync_in_ms <= 6_000

    window.session.settings.server_url = ""  # the worker clears the address: all quiet
    controller.settings_changed()
    assert controller.state == UNCONFIGURED and controller.next_sync_in_ms is None
    assert window.status_bar.state_text == "同期先未設定"


# -- against the real server ------------------------------------------------------------------


def test_sync_now_sends_everything_and_shows_the_time(qtbot, session, sync_server):  # noqa: F811
    session.settings.server_url = sync_server.url
    sync_server.enroll(session.store)
    window = make_window(qtbot, session)  # noqa: F811
    store = session.store
    make_case(store)
    wait_counts(qtbot, window, pending=store.pending_count())
    assert window.status_bar.state_text == "未同期"
    assert window.status_bar.pending_text.startswith("未送信 ")

    sync_and_wait(qtbot, window)
    assert store.pending_count() == 0
    assert window.sync.last_report.pushed > 0
    text = window.status_bar.state_text
    assert text.startswith("最終同期 ")
    hhmm = text.removeprefix("最終同期 ")
    assert len(hhmm) == 5 and hhmm[2] == ":"
    wait_counts(qtbot, window, pending=0)
    assert window.status_bar.pending_text == "未送信 0件"
    assert window.sync.next_sync_in_ms is not None  # the next periodic sync is scheduled
    assert window.sync.next_sync_in_ms > SyncController.INTERVAL_MS - 10_000
    # the time is kept with the settings: after a restart the bar still says when it was
    again = SyncController(session)
    assert again.last_sync == window.sync.last_sync
    again.deleteLater()


def test_sync_runs_in_the_background(qtbot, session, sync_server):  # noqa: F811
    session.settings.server_url = sync_server.url
    sync_server.enroll(session.store)
    window = make_window(qtbot, session)  # noqa: F811
    store = session.store
    with store.batch():
        for n in range(300):
            make_case(store, f"対象者 {n}", "たいしょうしゃ")
    assert store.pending_count() > 3000

    ticks: list[float] = []
    seen: set[str] = set()
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: (ticks.append(time.monotonic()),
                                   seen.add(window.status_bar.state_text)))
    timer.start()
    started: list[float] = []
    window.sync.sync_started.connect(lambda: started.append(time.monotonic()))
    with qtbot.waitSignal(window.sync.sync_finished, timeout=SYNC_TIMEOUT):
        before = time.monotonic()
        window.sync_action.trigger()
        returned = time.monotonic() - before
        assert window.sync.running  # the action returned while the sync goes on
        assert not window.sync_action.isEnabled()  # never two at once
        assert not window.sync.sync_now()
    finished = time.monotonic()
    timer.stop()
    assert returned < 0.5, returned
    during = [t for t in ticks if started[0] <= t <= finished]
    assert len(during) >= 3, (len(during), finished - started[0])  # the GUI kept ticking
    assert any(text.startswith("同期中") for text in seen), seen
    assert store.pending_count() == 0
    assert window.sync_action.isEnabled()


def test_server_away_says_offline_and_retries_with_growing_back_off(
        qtbot, session, sync_server):  # noqa: F811
    session.settings.server_url = sync_server.url
    sync_server.enroll(session.store)
    window = make_window(qtbot, session)  # noqa: F811
    controller = window.sync
    controller.RETRY_UNIT_MS = 40  # one second of back-off lasts 40 ms in this test
    make_case(session.store)
    sync_server.stop()

    with qtbot.waitSignal(controller.sync_failed, timeout=SYNC_TIMEOUT):
        window.sync_action.trigger()
    assert controller.state == OFFLINE and controller.failure.kind == "offline"
    assert window.status_bar.state_text.startswith("オフライン")
    assert "サーバー" in window.status_bar.state_label.toolTip()
    assert controller.retry_scheduled
    first = controller.retry_delay_s
    assert 4.0 <= first <= 6.0  # backoff(0): 5 s ± 20 %
    assert abs(controller.next_sync_in_ms - first * 40) <= 60

    # nobody presses anything: the retry comes by itself, and waits longer after it fails
    qtbot.waitUntil(lambda: controller.failures == 2 and not controller.running,
                    timeout=SYNC_TIMEOUT)
    second = controller.retry_delay_s
    assert 8.0 <= second <= 12.0 and second > first  # backoff(1): 10 s ± 20 %
    assert window.status_bar.state_text.startswith("オフライン")
    assert session.store.pending_count() > 0  # nothing lost meanwhile

    sync_server.start()
    with qtbot.waitSignal(controller.sync_finished, timeout=SYNC_TIMEOUT):
        pass  # the next scheduled retry reaches the server
    assert controller.failures == 0 and controller.state == IDLE
    assert window.status_bar.state_text.startswith("最終同期 ")
    assert session.store.pending_count() == 0


def test_network_coming_back_starts_a_sync_and_going_away_waits(
        qtbot, session, sync_server):  # noqa: F811
    session.settings.server_url = sync_server.url
    sync_server.enroll(session.store)
    window = make_window(qtbot, session)  # noqa: F811
    controller = window.sync
    controller.network_changed(False)
    assert controller.state == OFFLINE and not controller.running
    assert controller.next_sync_in_ms is None  # no attempts while the network is away
    assert window.status_bar.state_text.startswith("オフライン")
    with qtbot.waitSignal(controller.sync_finished, timeout=SYNC_TIMEOUT):
        controller.network_changed(True)
        assert controller.running
    assert session.store.pending_count() == 0


def test_locking_stops_syncing(qtbot, session, sync_server):  # noqa: F811
    session.settings.server_url = sync_server.url
    sync_server.enroll(session.store)
    window = make_window(qtbot, session)  # noqa: F811
    sync_and_wait(qtbot, window)
    assert window.sync.next_sync_in_ms is not None  # the next periodic sync is planned …
    session.lock()
    assert window.sync.state == LOCKED and window.sync.next_sync_in_ms is None  # … and dropped
    assert not window.status_bar.isVisible()
    assert not window.sync.sync_now()

    with qtbot.waitSignal(session.unlocked, timeout=20_000):
        session.unlock(PASSPHRASE)
    assert window.status_bar.isVisible() and window.sync.state == IDLE
    make_case(session.store)
    finished, failed = [], []
    window.sync.sync_finished.connect(finished.append)
    window.sync.sync_failed.connect(failed.append)
    window.sync_action.trigger()
    assert window.sync.running
    session.lock()  # while the round is under way
    assert window.sync.state == LOCKED and not window.sync.running
    wait_idle(qtbot)
    qtbot.wait(100)
    assert finished == [] and failed == []  # the round's end is not shown, not retried
    assert window.sync.state == LOCKED and window.sync.next_sync_in_ms is None


def test_two_laptops_see_the_same_conflict_until_one_resolves_it(
        qtbot, session, second_session, sync_server):  # noqa: F811
    session.settings.server_url = sync_server.url
    sync_server.enroll(session.store)
    second_session.settings.server_url = sync_server.url
    sync_server.enroll(second_session.store)
    a = make_window(qtbot, session)
    b = make_window(qtbot, second_session)
    person, case = make_case(session.store)
    sync_and_wait(qtbot, a)
    sync_and_wait(qtbot, b)
    assert second_session.store.get("person", person)["name"] == "山田 太郎"

    session.store.update("person", person, {"name": "山田 太朗"})
    second_session.store.update("person", person, {"name": "山田 多郎"})
    sync_and_wait(qtbot, a)
    sync_and_wait(qtbot, b)
    sync_and_wait(qtbot, a)

    for laptop, here, there in ((a, "佐藤 花子", OTHER_WORKER), (b, OTHER_WORKER, "佐藤 花子")):
        wait_counts(qtbot, laptop, conflicts=1)
        assert laptop.status_bar.conflicts_text == "競合 1件"
        view = open_conflicts(qtbot, laptop)
        assert view.keys() == [("person", person, "name")]
        card = view.card("person", person, "name")
        assert card.title.text() == "対象者：山田 多郎" or card.title.text() == "対象者：山田 太朗"
        assert card.field_label.text() == "項目：氏名"
        assert sorted(value_texts(card)) == ["山田 多郎", "山田 太朗"]
        who = who_texts(card)
        mine = next(w for w in who if "この端末" in w)
        theirs = next(w for w in who if "この端末" not in w)
        assert mine.startswith(here) and theirs.startswith(there) and "端末 " in theirs
        # the caseload marks the case
        wait_case_row(qtbot, laptop, case)
        qtbot.waitUntil(lambda w=laptop: name_cell(w, case).data().endswith(CONFLICT_MARK),
                        timeout=20_000)
        assert name_cell(laptop, case).data(CONFLICT_ROLE) is True
        assert "競合" in name_cell(laptop, case).data(Qt.ItemDataRole.ToolTipRole)

    # laptop A keeps 山田 太朗
    view_a = a.conflicts_view()
    card = view_a.card("person", person, "name")
    box = next(box for box in card.value_boxes if box.value_label.text() == "山田 太朗")
    qtbot.mouseClick(box.choose_button, Qt.MouseButton.LeftButton)
    assert view_a.keys() == [] and view_a.card("person", person, "name") is None
    assert session.store.get("person", person)["name"] == "山田 太朗"
    assert session.store.open_conflicts() == []
    wait_counts(qtbot, a, conflicts=0)
    assert a.status_bar.conflicts_text == ""
    qtbot.waitUntil(lambda: name_cell(a, case).data() == "山田 太朗", timeout=20_000)

    # laptop B still shows it until its next sync
    view_b = b.conflicts_view()
    assert view_b.keys() == [("person", person, "name")]
    sync_and_wait(qtbot, a)
    sync_and_wait(qtbot, b)
    wait_counts(qtbot, b, conflicts=0)
    qtbot.waitUntil(lambda: view_b.keys() == [] and not view_b.loading, timeout=20_000)
    assert view_b.empty.isVisible() and "ありません" in view_b.empty.text()
    assert second_session.store.get("person", person)["name"] == "山田 太朗"
    qtbot.waitUntil(lambda: name_cell(b, case).data() == "山田 太朗", timeout=20_000)
    assert name_cell(b, case).data(CONFLICT_ROLE) is False
    assert b.status_bar.conflicts_text == ""


# -- the conflicts screen with conflicts made between two local stores ----------------------


def test_merged_text_resolves_a_note_conflict(qtbot, window, tmp_path):  # noqa: F811
    store = window.session.store
    other = other_store(tmp_path)
    person, case = make_case(store)
    note = store.add_note(case, "母親は午前中なら話せる。")
    exchange(store, other)
    store.revise_note(note, "母親は午前中なら話せる。犬がいる。")
    other.revise_note(note, "母親は午前中なら話せる。月曜は通院。")
    exchange(store, other)
    other.close()
    wait_counts(qtbot, window, conflicts=1)

    view = open_conflicts(qtbot, window)
    card = view.card("note", note, "text")
    assert card is not None
    assert card.title.text() == "関係づくりメモ：山田 太郎"
    assert card.field_label.text() == "項目：メモの本文"
    assert sorted(value_texts(card)) == sorted(["母親は午前中なら話せる。犬がいる。",
                                                "母親は午前中なら話せる。月曜は通院。"])
    assert any(text.startswith(OTHER_WORKER) for text in who_texts(card))
    # the merge box starts with both texts, to be edited into one
    assert "犬がいる" in card.merged_text() and "月曜は通院" in card.merged_text()
    card.merge_edit.clear()
    commit_text(card.merge_edit, "母親は午前中なら話せる。犬がいる。月曜は通院。")
    # another write meanwhile reloads the list: the card being typed in stays as it is
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        store.add_note(case, "別のメモ。")
    assert view.card("note", note, "text") is card
    assert card.merged_text() == "母親は午前中なら話せる。犬がいる。月曜は通院。"
    assert view.list_layout.count() == len(view.cards) + 1  # the cards and the stretch
    qtbot.mouseClick(card.merge_button, Qt.MouseButton.LeftButton)
    assert view.keys() == []
    assert store.get("note", note)["text"] == "母親は午前中なら話せる。犬がいる。月曜は通院。"
    assert store.open_conflicts() == []
    wait_counts(qtbot, window, conflicts=0)


def test_consent_conflict_is_explained_and_sends_the_worker_to_the_case(
        qtbot, window, tmp_path):  # noqa: F811
    store = window.session.store
    other = other_store(tmp_path)
    person, case = make_case(store)
    agency = store.add_agency("地域包括支援センター野尻", "包括")
    exchange(store, other)
    store.record_consent(person, agencies=[agency], method="oral")
    other.record_withdrawal(person, agencies=[agency], method="oral")
    exchange(store, other)
    other.close()
    wait_counts(qtbot, window, conflicts=1)
    wait_case_row(qtbot, window, case)
    qtbot.waitUntil(lambda: name_cell(window, case).data().endswith(CONFLICT_MARK),
                    timeout=20_000)

    view = open_conflicts(qtbot, window)
    card = view.card("person", person, f"consent:{agency}")
    assert card is not None
    assert card.field_label.text() == "項目：同意（地域包括支援センター野尻）"
    assert "撤回として扱っています" in card.explanation.text()
    assert card.value_boxes == [] and card.merge_edit is None
    assert not card.findChildren(QPushButton, "chooseValue")  # no value to pick here
    qtbot.mouseClick(card.open_button, Qt.MouseButton.LeftButton)
    opened = window.tabs.currentWidget()
    assert getattr(opened, "case_id", None) == case
    assert window.conflicts_view() is not None  # the conflicts tab stays open beside it


def test_edit_versus_delete_offers_keep_or_delete(qtbot, window, tmp_path):  # noqa: F811
    store = window.session.store
    other = other_store(tmp_path)
    person, case = make_case(store)
    note = store.add_note(case, "初回の印象。")
    exchange(store, other)
    store.archive("note", note)
    other.revise_note(note, "初回の印象。玄関まで出てきた。")
    exchange(store, other)
    other.close()
    wait_counts(qtbot, window, conflicts=1)
    view = open_conflicts(qtbot, window)
    card = view.card("note", note, "_alive")
    assert card is not None
    assert card.field_label.text() == "項目：削除・復元"
    assert sorted(value_texts(card)) == ["削除する", "残す"]
    shown = [box for box in card.value_boxes if box.current_label.isVisibleTo(card)]
    assert [box.value_label.text() for box in shown] == ["削除する"]  # deletion wins meanwhile
    keep = next(box for box in card.value_boxes if box.value_label.text() == "残す")
    qtbot.mouseClick(keep.choose_button, Qt.MouseButton.LeftButton)
    assert view.card("note", note, "_alive") is None
    assert not store.get("note", note).deleted


# -- enrollment and revocation ---------------------------------------------------------------


def test_the_worker_enrolls_the_laptop_in_settings(qtbot, session, sync_server):  # noqa: F811
    from ui.settings_dialog import SettingsDialog

    window = make_window(qtbot, session)  # noqa: F811
    dialog = SettingsDialog(session, window)
    qtbot.addWidget(dialog)
    assert "未登録です" in dialog.enroll_status.text()
    dialog.enroll_button.click()  # no address, no code: said next to the fields
    assert "サーバーのアドレスを入力" in dialog.server_error.text()

    type_text(qtbot, dialog.server_url, sync_server.url)
    type_text(qtbot, dialog.enroll_code, "WRONG-CODE-0000-0000")
    dialog.enroll_button.click()
    qtbot.waitUntil(lambda: dialog.enroll_error.text() != "", timeout=SYNC_TIMEOUT)
    assert dialog.enroll_error.text() == "登録コードが正しくないか、期限切れか、使用済みです"
    assert session.store.enrollment() is None

    code = sync_server.issue_code("sato", teams=("野尻担当",))
    dialog.enroll_code.clear()
    type_text(qtbot, dialog.enroll_code, code)
    dialog.enroll_button.click()
    qtbot.waitUntil(lambda: dialog.enroll_status.text().startswith("登録済み"),
                    timeout=SYNC_TIMEOUT)
    assert dialog.enroll_status.text() == "登録済み: sato（野尻担当）"
    assert dialog.enroll_error.isHidden() and dialog.enroll_code.text() == ""
    assert session.store.enrollment()["login"] == "sato"
    assert session.settings.server_url == sync_server.url
    dialog.reject()

    make_case(session.store)
    sync_and_wait(qtbot, window)  # and it syncs
    assert session.store.pending_count() == 0


def test_the_demo_cannot_be_enrolled(qtbot, tmp_path, settings):  # noqa: F811
    """Fictional demo records never reach a real server: 設定 offers no enrollment."""
    from ui.session import Session
    from ui.settings_dialog import SettingsDialog

    demo = Session(tmp_path / "demo", settings, demo=True)
    dialog = SettingsDialog(demo)
    qtbot.addWidget(dialog)
    assert not dialog.enroll_button.isEnabled() and not dialog.enroll_code.isEnabled()
    assert "デモ版" in dialog.enroll_status.text()
    dialog.enroll()  # even if called: nothing starts
    assert dialog.enroll_status.text().startswith("デモ版")


def test_a_revoked_laptop_erases_its_store_and_says_why(qtbot, session, sync_server):  # noqa: F811
    session.settings.server_url = sync_server.url
    sync_server.enroll(session.store, login="sato")
    window = make_window(qtbot, session)  # noqa: F811
    make_case(session.store)
    sync_and_wait(qtbot, window)
    site, folder = session.store.site, session.data_dir
    make_case(session.store, "田中 次郎", "たなか じろう")  # never synced: lost by design
    with sync_server.accounts() as accounts:
        accounts.revoke_device(site)

    with qtbot.waitSignal(session.wiped, timeout=SYNC_TIMEOUT):
        window.sync_action.trigger()
    assert not session.is_unlocked and not session.exists
    assert list(folder.iterdir()) == []
    assert window.stack.currentWidget() is window.first_run
    shown = window.first_run.error.text()
    assert "取り消されました" in shown and "消去しました" in shown
    assert "田中" not in window.windowTitle()
