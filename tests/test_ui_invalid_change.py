"""In the app: a change the server cannot take (HTTP 422) is listed under 送信できなかった変更
and the changes after it are sent. Real widgets, a real encrypted store, a real server process.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sync_fixtures import sync_server  # noqa: F401
from ui_fixtures import make_window, session, settings  # noqa: F401

from sync.protocol import MAX_VALUE_CHARS
from ui.refused_dialog import RefusedChangesDialog
from ui.sync_controller import IDLE, SyncController

SYNC_TIMEOUT = 60_000


@pytest.fixture(autouse=True)
def no_sync_at_unlock(monkeypatch):
    monkeypatch.setattr(SyncController, "INITIAL_DELAY_MS", 600_000)


def test_the_worker_sees_the_change_the_server_cannot_take_and_the_rest_is_sent(
        qtbot, session, sync_server):  # noqa: F811
    store = session.store
    session.settings.server_url = sync_server.url
    sync_server.enroll(store, login="sato")
    person = store.add_person("山田 太郎", "やまだ たろう", "野尻")
    with store.batch():  # as a laptop of another app version could have written it
        store.engine.write_fields("person", person, {"address_note": "あ" * MAX_VALUE_CHARS},
                                  new=False)
    later = store.add_person("田中 次郎", "たなか じろう", "須木")
    window = make_window(qtbot, session)
    bar = window.status_bar
    qtbot.waitUntil(lambda: window.sync.counts is not None, timeout=20_000)

    with qtbot.waitSignal(window.sync.sync_finished, timeout=SYNC_TIMEOUT):
        window.sync_action.trigger()
    assert window.sync.state == IDLE, window.sync.failure  # the round did not fail
    qtbot.waitUntil(lambda: bar.refused_text == "送信できなかった変更 1件", timeout=20_000)
    assert store.pending_count() == 0  # the changes after it were sent

    qtbot.mouseClick(bar.refused_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(RefusedChangesDialog, "refusedDialog")
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: len(dialog.cards) == 1, timeout=20_000)
    card = dialog.cards[0]
    assert card.why.text() == "理由: サーバーが受け付けない形式の変更です"
    assert card.text.toPlainText().count("あ") == MAX_VALUE_CHARS  # the text as written
    dialog.reject()

    held = {(c.site, c.seq) for c in store.changes() if c.site == store.site}
    assert len(held) == store.sync_state()["last_seq"]  # nothing of it was dropped
    assert store.get("person", later)["name"] == "田中 次郎"
