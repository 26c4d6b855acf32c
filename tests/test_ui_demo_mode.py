"""Demo mode (``--demo``): it says who the user is and that every record is fictional, its
changes wait for no server (no 「未送信 8034件」), one refused change is there to explore, and
the busy page says what it is doing."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from support import FAST_KDF
from ui_fixtures import make_window, settings, wait_idle  # noqa: F401

from ui.session import Session


def test_demo_says_who_and_fictional_waits_for_no_server_and_shows_progress(
        qtbot, tmp_path, settings):  # noqa: F811
    session = Session(tmp_path / "demo", settings, demo=True, kdf=FAST_KDF)
    window = make_window(qtbot, session)
    messages: list[str] = []
    shown: list[str] = []
    session.busy.connect(messages.append)
    session.busy.connect(lambda _: shown.append(window.busy_page.label.text()))
    with qtbot.waitSignal(session.unlocked, timeout=120_000):
        session.create_demo(cases=30)
    try:
        assert messages[0] == "デモデータを作成しています…"
        assert "デモデータを作成しています…（ケース 30 / 30 件）" in messages
        assert shown == messages  # the busy page said each of them
        store = session.store
        state = store.sync_state()
        assert state["pending"] == 0 and store.pending_count() == 0
        assert state["acked_through"] == state["last_seq"] > 1000
        assert len(store.changes()) >= state["last_seq"]  # the change log is whole
        (refused,) = store.refused_changes()
        assert refused.entity == "note" and refused.text
        assert "担当チームの外" in refused.reason_in("ja")
        # one open conflict, merged from a colleague's concurrent revision of a note
        (conflict,) = store.open_conflicts()
        assert (conflict.entity, conflict.field) == ("note", "text")
        texts = sorted(v.value for v in conflict.values)
        assert len(texts) == 2 and len({v.site for v in conflict.values}) == 2
        assert any("午後に来てほしい" in t for t in texts)
        assert any("夜も眠れている" in t for t in texts)
        authors = {v.author for v in conflict.values}
        assert store.author in authors and all(store.get("worker", a) for a in authors)
        assert refused.entity_id != conflict.entity_id

        wait_idle(qtbot)
        qtbot.waitUntil(lambda: window.sync.counts is not None, timeout=20_000)
        bar = window.status_bar
        assert bar.pending_text == ""  # nothing waits: no 「未送信 n件」 at all
        assert window.sync.counts.pending == 0
        assert bar.refused_text != ""
        assert "1" in bar.conflicts_text  # 競合 1件, a button to the conflicts screen
        worker = store.worker()
        team = store.get("team", worker["team_id"])
        note = window.demo_note
        assert note is not None and not note.isHidden()
        assert worker["name"] in note.text() and team["name"] in note.text()
        assert "支援員" in note.text() and "架空" in note.text()
    finally:
        session.close()
        wait_idle(qtbot)


def test_an_ordinary_session_has_no_demo_note(qtbot, tmp_path, settings):  # noqa: F811
    from support import PASSPHRASE
    session = Session(tmp_path / "data", settings, kdf=FAST_KDF)
    with qtbot.waitSignal(session.unlocked, timeout=20_000):
        session.create(PASSPHRASE, "佐藤 花子", "野尻担当")
    try:
        window = make_window(qtbot, session)
        assert window.demo_note is None
        assert window.status_bar.findChild(QLabel, "demoNote") is None
    finally:
        session.close()
        wait_idle(qtbot)
