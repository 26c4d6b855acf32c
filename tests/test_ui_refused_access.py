"""In the app: changes the server refused (送信できなかった変更) and supervisors' access events.

Real widgets over real encrypted stores, a real server process with two teams.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from support import FAST_KDF, PASSPHRASE
from sync_fixtures import sync_server  # noqa: F401
from ui_fixtures import make_window, session, settings, wait_idle  # noqa: F401

from outreach_desk.store import Store
from sync.client import SyncClient
from ui.caseload_model import CASE_ID_ROLE
from ui.caseload_model import CaseloadModel as M
from ui.refused_dialog import RefusedChangesDialog
from ui.sync_controller import IDLE, SyncController

ROOT = Path(__file__).resolve().parent.parent
SYNC_TIMEOUT = 60_000


@pytest.fixture(autouse=True)
def no_sync_at_unlock(monkeypatch):
    monkeypatch.setattr(SyncController, "INITIAL_DELAY_MS", 600_000)


def sync_and_wait(qtbot, window) -> None:
    with qtbot.waitSignal(window.sync.sync_finished, timeout=SYNC_TIMEOUT):
        window.sync_action.trigger()
    assert window.sync.state == IDLE, window.sync.failure


def nojiri_laptop(tmp_path, server) -> tuple[Store, str]:
    """野尻担当's laptop with one case, synced."""
    store = Store.create(tmp_path / "nojiri", PASSPHRASE, kdf=FAST_KDF, worker_name="佐藤 花子")
    server.enroll(store, login="sato", teams=("野尻担当",))
    person = store.add_person("山田 太郎", "やまだ たろう", "野尻")
    case = store.open_case(opened_on="2025-01-06", referral_source="sns", district="野尻",
                           person_id=person)
    SyncClient(store, server.url).sync_once()
    return store, case


def test_the_worker_sees_copies_and_dismisses_a_refused_change(
        qtbot, session, sync_server, tmp_path):  # noqa: F811
    nojiri, case = nojiri_laptop(tmp_path, sync_server)
    store = session.store  # this laptop belongs to 小林担当
    session.settings.server_url = sync_server.url
    sync_server.enroll(store, login="kobayashi", teams=("小林担当",))
    store.apply_remote([c for c in nojiri.changes() if c.entity in ("case", "person")])
    nojiri.close()
    store.record_visit(case, occurred_at="2025-06-02T10:00+09:00", kind="home_visit",
                       met_with="family", relationship_stage="family_contact",
                       narrative="母親と玄関先で10分話した")
    window = make_window(qtbot, session)
    bar = window.status_bar
    qtbot.waitUntil(lambda: window.sync.counts is not None, timeout=20_000)
    assert bar.refused_text == ""  # nothing refused: no indicator

    sync_and_wait(qtbot, window)
    qtbot.waitUntil(lambda: bar.refused_text == "送信できなかった変更 1件", timeout=20_000)
    assert store.pending_count() == 0

    bar.refused_button.click()
    dialog = window.findChild(RefusedChangesDialog, "refusedDialog")
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: len(dialog.cards) == 1, timeout=20_000)
    card = dialog.cards[0]
    assert card.title.text() == "訪問・連絡記録（山田 太郎）"
    assert "母親と玄関先で10分話した" in card.text.toPlainText()
    assert "会えた人: 家族" in card.text.toPlainText()
    assert card.text.isReadOnly()
    assert card.text.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert card.why.text() == "理由: 担当チームの外の記録です"
    assert "に送信を拒否されました" in card.when.text()
    qtbot.mouseClick(card.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == card.text.toPlainText()

    with qtbot.waitSignal(dialog.changed, timeout=20_000):
        qtbot.mouseClick(card.dealt_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.cards == [] and dialog.empty.isVisibleTo(dialog),
                    timeout=20_000)
    qtbot.waitUntil(lambda: bar.refused_text == "", timeout=20_000)  # the indicator goes
    assert store.refused_count() == 0
    dialog.reject()

    # the sequence stays contiguous: the next change of this laptop is stored
    store.add_person("鈴木 次郎", "すずき じろう", "小林")
    sync_and_wait(qtbot, window)
    assert window.sync.last_report.refused == [] and window.sync.last_report.pushed >= 1
    assert store.pending_count() == 0


def admin(server, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sync.server.cli", "admin", "--db", server.db_url, *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60)


def open_from_caseload(qtbot, window, case_id: str) -> None:
    view = window.caseload
    qtbot.waitUntil(lambda: view.model.row_of(case_id) >= 0, timeout=20_000)
    for row in range(view.proxy.rowCount()):
        index = view.proxy.index(row, M.NAME)
        if index.data(CASE_ID_ROLE) == case_id:
            view.table.setCurrentIndex(index)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(v.case_id == case_id for v in window.case_views()),
                    timeout=20_000)


@pytest.mark.parametrize("role", ["supervisor", "worker"])
def test_a_supervisor_opening_a_case_leaves_a_trace_in_the_audit_trail(
        qtbot, session, sync_server, tmp_path, role):  # noqa: F811
    nojiri, case = nojiri_laptop(tmp_path, sync_server)
    nojiri.close()
    store = session.store
    session.settings.server_url = sync_server.url
    sync_server.enroll(store, login="tanaka", role=role, teams=("野尻担当",))
    window = make_window(qtbot, session)
    sync_and_wait(qtbot, window)  # the team's case arrives

    open_from_caseload(qtbot, window, case)
    wait_idle(qtbot)
    events = store.access_events(case)
    view = next(v for v in window.case_views() if v.case_id == case)
    assert len(view.history.visits) == 0  # the timeline shows no access event
    if role == "worker":
        assert events == []  # a worker's reads leave no trace
        return
    assert [(e["action"], e["by_worker"]) for e in events] == [("open_case", store.author)]
    sync_and_wait(qtbot, window)

    exported = tmp_path / "audit.csv"
    assert admin(sync_server, "export-audit", "--to", str(exported)).returncode == 0
    rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    opened = [row for row in rows if row["action"] == "case_opened"]
    assert [(row["login"], row["case_ids"]) for row in opened] == [("tanaka", case)]
    assert opened[0]["device"] == store.site
    verified = admin(sync_server, "verify-audit")
    assert verified.returncode == 0, verified.stderr
