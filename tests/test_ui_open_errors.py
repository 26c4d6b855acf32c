"""The unlock and first-run screens name what is really wrong, in Japanese: a damaged key file, a
key file asking for an absurd Argon2id cost, a damaged data file, a full disk; never 「パスフレーズ
が違います」 for any of them (and no retry delay is started). Real stores, real widgets."""

from __future__ import annotations

import json

import pytest
from full_disk import disk  # noqa: F401 (fixture)
from PySide6.QtCore import Qt
from support import FAST_KDF, PASSPHRASE
from ui_fixtures import TEAM, WORKER, make_window, settings, type_text, wait_idle  # noqa: F401

from outreach_desk import keystore
from outreach_desk.paths import KEY_FILE
from outreach_desk.store import Store
from ui.session import Session


@pytest.fixture
def locked_store(tmp_path):
    """A store on disk (closed) whose files a test may damage."""
    folder = tmp_path / "data"
    with Store.create(folder, PASSPHRASE, kdf=FAST_KDF, worker_name=WORKER) as store:
        with store.batch():
            for i in range(200):
                store.add_person(f"山田 {i}", "やまだ", "野尻")
    return folder


def unlock_through_the_page(qtbot, folder, settings):  # noqa: F811
    made = Session(folder, settings, kdf=FAST_KDF)
    window = make_window(qtbot, made)
    page = window.unlock_page
    assert window.stack.currentWidget() is page
    type_text(qtbot, page.passphrase, PASSPHRASE)
    with qtbot.waitSignal(made.unlock_failed, timeout=20_000):
        qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert not made.is_unlocked and window.stack.currentWidget() is page
    assert made.failures == 0 and made.seconds_to_wait() == 0  # not counted as a wrong guess
    assert "パスフレーズが違います" not in page.error.message
    message = page.error.message
    made.close()
    return message


def test_a_damaged_key_file_is_named_on_the_unlock_screen(qtbot, locked_store, settings):  # noqa: F811
    key = locked_store / KEY_FILE
    key.write_bytes(key.read_bytes()[:120])  # truncated
    message = unlock_through_the_page(qtbot, locked_store, settings)
    assert message.startswith("鍵ファイル（outreach-desk.key）が壊れているため")
    assert "パスフレーズの誤りではありません" in message


def test_a_bit_flipped_key_file_is_damage_not_a_wrong_passphrase(qtbot, locked_store, settings):  # noqa: F811
    key = locked_store / KEY_FILE
    document = json.loads(key.read_text())
    wrapped = document["wrapped_key"]
    document["wrapped_key"] = ("B" if wrapped[0] != "B" else "C") + wrapped[1:]
    key.write_text(json.dumps(document))
    message = unlock_through_the_page(qtbot, locked_store, settings)
    assert message.startswith("鍵ファイル（outreach-desk.key）が壊れているため")


def test_an_absurd_kdf_cost_is_refused_with_its_own_message(qtbot, locked_store, settings):  # noqa: F811
    key = locked_store / KEY_FILE
    document = json.loads(key.read_text())
    document["kdf"]["memory_kib"] = 64 << 20  # 64 GiB
    document["checksum"] = keystore._checksum(document)
    key.write_text(json.dumps(document))
    message = unlock_through_the_page(qtbot, locked_store, settings)
    assert "扱える範囲を超えています" in message and "開く前に止めました" in message


def test_a_damaged_data_file_reads_as_damaged(qtbot, locked_store, settings):  # noqa: F811
    db = locked_store / "outreach-desk.db"
    db.write_bytes(db.read_bytes()[:4096])
    message = unlock_through_the_page(qtbot, locked_store, settings)
    assert message.startswith("記録のファイルが壊れているため")


def test_a_full_disk_at_unlock_says_so_and_loses_nothing(qtbot, disk, settings):  # noqa: F811
    folder = disk.root / "data"
    with Store.create(folder, PASSPHRASE, kdf=FAST_KDF, worker_name=WORKER) as store:
        store.add_person("山田 太郎", "やまだ たろう", "野尻")
    disk.fill()
    with disk.limited():
        message = unlock_through_the_page(qtbot, folder, settings)
    assert message.startswith("ディスクの空き容量が足りないため")
    assert "失われていません" in message
    disk.free()
    with Store.open(folder, PASSPHRASE) as reopened:
        assert [p["name"] for p in reopened.list_entities("person")] == ["山田 太郎"]


def test_a_full_disk_on_the_first_run_page_says_so_and_makes_nothing(qtbot, disk, settings):  # noqa: F811
    folder = disk.root / "records"
    made = Session(folder, settings, kdf=FAST_KDF)
    window = make_window(qtbot, made)
    page = window.first_run
    for field, text in ((page.passphrase, PASSPHRASE), (page.confirm, PASSPHRASE),
                        (page.worker_name, WORKER), (page.team_name, TEAM)):
        type_text(qtbot, field, text)
    assert page.create_button.isEnabled()
    disk.fill()
    with disk.limited(), qtbot.waitSignal(made.unlock_failed, timeout=20_000):
        qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert window.stack.currentWidget() is page
    assert page.error.message.startswith("ディスクの空き容量が足りないため")
    assert not (folder / KEY_FILE).exists()
    made.close()


def test_a_damaged_search_index_reads_as_damaged_in_the_caseload(qtbot, locked_store, settings):  # noqa: F811
    from ui.caseload import CaseloadView

    with Store.open(locked_store, PASSPHRASE) as store:  # the page holding search_grams' setup
        root = int(store.db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                                    ("search_grams_config",)).fetchone()[0])
        page_size = int(store.db.execute("PRAGMA page_size").fetchone()[0])
        store.db.checkpoint()
    db = locked_store / "outreach-desk.db"
    data = bytearray(db.read_bytes())
    data[(root - 1) * page_size + 100] ^= 0xFF
    db.write_bytes(bytes(data))

    made = Session(locked_store, settings, kdf=FAST_KDF)
    with qtbot.waitSignal(made.unlocked, timeout=20_000):
        made.unlock(PASSPHRASE)  # the damage is not on the way in: only the search meets it
    view = CaseloadView(made)
    qtbot.addWidget(view)
    view.reload()
    wait_idle(qtbot)
    type_text(qtbot, view.search, "山田")
    qtbot.waitUntil(lambda: "壊れている" in view.count.text(), timeout=10_000)
    assert "検索用の索引" in view.count.text() and "バックアップから復元" in view.count.text()
    made.close()
    wait_idle(qtbot)
