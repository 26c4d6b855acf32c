"""The sync client against a real server process, with real encrypted stores on disk.

Laptops are stores in the test's folder; the server is ``python -m sync.server.cli`` on
127.0.0.1 (``sync_fixtures``). Cut connections go through :class:`CuttingProxy`, a small TCP
proxy on loopback that forwards to the server and can drop a connection part-way through the
answer to a chosen request. Each scenario ends by comparing what the stores and the server hold.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from support import PASSPHRASE, recent, visit_fields
from sync_fixtures import (  # noqa: F401 (fixture)
    ensure_enrolled,
    in_front_of,
    running_server,
    sync_server,
)

from outreach_desk.changes import canonical
from outreach_desk.hlc import wall_clock_ms
from outreach_desk.model import ENTITIES
from outreach_desk.store import Store
from sync.client import SyncClient, SyncError, SyncReport, backoff
from sync.protocol import (
    MAX_BODY_BYTES,
    PullResponse,
    auth_headers,
    version_headers,
    versions,
)

ROOT = Path(__file__).resolve().parent.parent
DAY_MS = 24 * 3600 * 1000
HEADERS = version_headers()


# -- helpers ----------------------------------------------------------------------------------


def sync(store: Store, server_or_url, **kwargs) -> SyncReport:
    url = server_or_url if isinstance(server_or_url, str) else server_or_url.url
    ensure_enrolled(store, url)
    return SyncClient(store, url, timeout=10.0, **kwargs).sync_once()


def reader_headers(server) -> dict[str, str]:
    """Headers of an enrolled device that only reads (to look at what the server holds)."""
    token = getattr(server, "_reader_token", None) or server.token("reader-device")
    server._reader_token = token
    return {**HEADERS, **auth_headers(token)}


def server_changes(server) -> list[dict]:
    """Every change the server holds, in its order (paged like a client)."""
    found: list[dict] = []
    since = 0
    while True:
        response = httpx.get(f"{server.url}/v1/changes", params={"since": since, "limit": 1000},
                             headers=reader_headers(server), timeout=10)
        assert response.status_code == 200, response.text
        page = PullResponse.model_validate_json(response.content)
        found += [change.to_wire() for change in page.changes]
        if not page.more:
            return found
        since = page.cursor


def held_once(server) -> Counter:
    """(site, seq) → how many times the server holds it."""
    return Counter((change["site"], change["seq"]) for change in server_changes(server))


def own_ops(store: Store) -> set[tuple[str, int]]:
    return {(c.site, c.seq) for c in store.changes() if c.site == store.site}


def snapshot(store: Store) -> dict:
    """Everything a replica shows, independent of which device it is and how it synced."""
    counts = store.counts()
    counts.pop("outbox")
    return {
        "counts": counts,
        "changes": sorted(canonical(c.to_wire()) for c in store.changes()),
        "entities": {kind: store.list_entities(kind, include_deleted=True)
                     for kind, spec in ENTITIES.items() if spec.mutable},
        "conflicts": [(c.entity, c.entity_id, c.field) for c in store.open_conflicts()],
        "held": store.held_changes(),
        "cases": [(row.case_id, row.last_visit_at) for row in store.caseload()],
    }


def add_visits(store: Store, case_id: str, count: int, *, start_hours: float = 2.0) -> None:
    with store.batch():
        for i in range(count):
            store.record_visit(case_id, **visit_fields(
                occurred_at=recent(start_hours + i * 0.01),
                narrative=f"訪問 {i}: 玄関先で短く話せた。次回は午後に伺う。"))


def new_case(store: Store, name: str = "山田 太郎") -> tuple[str, str]:
    person = store.add_person(name, "やまだ たろう", "北区")
    case = store.open_case(referral_source="neighbour", district="北区", person_id=person,
                           opened_on=date.today() - timedelta(days=60))  # before its visits
    return person, case


class CuttingProxy:
    """A TCP proxy on loopback in front of the server.

    ``cut(b"GET /v1/changes", nth=3, after=300)``: the third request whose head contains that
    text is forwarded, but the connection is closed after 300 bytes of its answer (``after=0``:
    the server handles the request, the client never hears back). Counts bytes both ways.
    """

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.rule: tuple[bytes, int, int] | None = None
        self.matches = 0
        self.cuts = 0
        self.sent = self.received = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cut(self, text: bytes, *, nth: int, after: int) -> None:
        with self._lock:
            self.rule, self.matches = (text, nth, after), 0

    def clear(self) -> None:
        with self._lock:
            self.rule = None

    def close(self) -> None:
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
        except OSError:
            client.close()
            return
        budget: list[int | None] = [None]  # answer bytes left before the cut, when armed

        def close_both() -> None:
            for sock in (client, upstream):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()

        def up() -> None:
            try:
                while data := client.recv(65536):
                    with self._lock:
                        self.sent += len(data)
                        if self.rule and self.rule[0] in data:
                            self.matches += 1
                            if self.matches == self.rule[1]:
                                budget[0] = self.rule[2]
                    upstream.sendall(data)
            except OSError:
                pass
            try:
                upstream.shutdown(socket.SHUT_WR)
            except OSError:
                pass

        def down() -> None:
            try:
                while data := upstream.recv(65536):
                    if budget[0] is not None:
                        allowed = budget[0]
                        if len(data) >= allowed:
                            client.sendall(data[:allowed])
                            with self._lock:
                                self.received += allowed
                                self.cuts += 1
                            break
                        budget[0] = allowed - len(data)
                    client.sendall(data)
                    with self._lock:
                        self.received += len(data)
            except OSError:
                pass
            close_both()

        threading.Thread(target=up, daemon=True).start()
        down()


@pytest.fixture
def proxy(sync_server):  # noqa: F811
    made = CuttingProxy(sync_server.port)
    in_front_of(made.url, sync_server)
    yield made
    made.close()


# -- the client's own rules, no server needed --------------------------------------------------


def test_backoff_grows_from_five_seconds_to_ten_minutes_with_jitter():
    rng = random.Random(7)
    first = [backoff(0, rng=rng) for _ in range(200)]
    assert 4.0 <= min(first) and max(first) <= 6.0 and len(set(first)) > 100  # jittered
    assert 8.0 <= backoff(1, rng=rng) <= 12.0
    assert all(backoff(n, rng=rng) <= 600.0 for n in range(0, 200))
    assert backoff(20, rng=rng) >= 480.0


def pretend_enrolled(store: Store) -> None:
    """A credential for a server that is not there (the answers come from a MockTransport)."""
    store.set_enrollment("https://sync.invalid", "not-a-real-token", "tester", "worker", [])


@pytest.mark.parametrize(
    ("status", "kind", "wipe"),
    [(426, "protocol", False), (500, "server", False), (503, "server", False),
     (401, "unenrolled", False), (403, "denied", False), (403, "revoked", True),
     (429, "offline", False), (413, "refused", False), (302, "server", False)])
def test_error_statuses_become_sync_errors_with_a_japanese_message(store, status, kind, wipe):
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == "Bearer not-a-real-token"
        return httpx.Response(status, json={"code": "x", "message": "nope", "wipe": wipe})

    pretend_enrolled(store)
    with pytest.raises(SyncError) as caught:
        SyncClient(store, "https://sync.invalid", transport=httpx.MockTransport(answer)).sync_once()
    assert caught.value.kind == kind
    assert caught.value.message.isascii() is False  # Japanese, for the status bar
    assert str(caught.value) == caught.value.message
    assert str(status) in caught.value.detail


def test_an_unreadable_answer_is_a_server_error(store):
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"<html>captive portal</html>")

    pretend_enrolled(store)
    with pytest.raises(SyncError) as caught:
        SyncClient(store, "https://sync.invalid", transport=httpx.MockTransport(answer)).sync_once()
    assert caught.value.kind == "server"


def test_nobody_listening_is_offline_and_nothing_changes(store):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    pretend_enrolled(store)
    before = store.sync_state()
    with pytest.raises(SyncError) as caught:
        SyncClient(store, f"http://127.0.0.1:{port}", timeout=10.0).sync_once()
    assert caught.value.kind == "offline"
    assert caught.value.message == "サーバーに接続できません（オフライン）"
    assert store.sync_state() == before and before["pending"] > 0


# -- scenarios against the real server ---------------------------------------------------------


def test_same_field_edited_on_two_laptops_converges_and_a_resolution_travels(
        make_store, sync_server):  # noqa: F811
    a = make_store("a", worker_name="佐藤 花子")
    b = make_store("b", worker_name="鈴木 一郎")
    person = a.add_person("山田 太郎", "やまだ たろう", "北区")
    sync(a, sync_server)
    first = sync(b, sync_server)
    assert first.pulled >= 6 and b.get("person", person)["district"] == "北区"

    a.update("person", person, {"district": "南区"})  # both offline
    b.update("person", person, {"district": "東区"})
    reports = [sync(a, sync_server), sync(b, sync_server), sync(a, sync_server)]
    assert [r.conflicts for r in reports] == [0, 1, 1]
    for store in (a, b):
        assert store.pending_count() == 0
        assert [(c.entity, c.entity_id, c.field) for c in store.open_conflicts()] == [
            ("person", person, "district")]
        assert {v.value for v in store.field_values("person", person, "district")} == {
            "南区", "東区"}
    assert a.get("person", person)["district"] == b.get("person", person)["district"]

    a.resolve_conflict("person", person, "district", "西区")
    sync(a, sync_server)
    report = sync(b, sync_server)
    assert report.conflicts == 0 and b.open_conflicts() == []
    for store in (a, b):
        assert store.get("person", person)["district"] == "西区"
    assert snapshot(a)["changes"] == snapshot(b)["changes"]


def test_a_withdrawal_stands_everywhere_against_offline_edits(make_store, sync_server):  # noqa: F811
    a = make_store("a", worker_name="佐藤 花子")
    b = make_store("b", worker_name="鈴木 一郎")
    person = a.add_person("山田 太郎", "やまだ たろう", "北区")
    agency = a.add_agency("福祉課")
    a.record_consent(person, agencies=[agency], method="written")
    sync(a, sync_server)
    sync(b, sync_server)
    assert b.consent(person).covers({agency})

    a.record_withdrawal(person, agencies=[agency], method="oral")  # A: withdrawn
    b.update("person", person, {"district": "南区"})  # B, offline: edits the person …
    b.record_consent(person, agencies=[agency], method="oral")  # … and records a grant
    sync(b, sync_server)  # B reaches the server first
    sync(a, sync_server)
    sync(b, sync_server)
    c = make_store("c")  # a third laptop (enrolling, it writes only its team record)
    sync(c, sync_server)
    sync(a, sync_server)
    sync(b, sync_server)
    for store in (a, b, c):
        state = store.consent(person)
        assert agency in state.withdrawn and not state.covers({agency}), store.data_dir
        assert store.get("person", person)["district"] == "南区"  # the edit is kept too
        assert f"consent:{agency}" in {x.field for x in store.open_conflicts()}
    assert snapshot(a)["changes"] == snapshot(b)["changes"] == snapshot(c)["changes"]


def test_server_killed_between_push_batches_then_every_change_is_held_exactly_once(
        make_store, sync_server):  # noqa: F811
    a = make_store("a", worker_name="佐藤 花子")
    _, case = new_case(a)
    add_visits(a, case, 240)
    sync_server.enroll(a)
    client = SyncClient(a, sync_server.url, batch_size=40, timeout=10.0)
    killed: list[int] = []

    def progress(done: int, total: int) -> None:
        if done >= 80 and not killed:  # two batches acknowledged: power cut
            sync_server.kill()
            killed.append(done)

    with pytest.raises(SyncError) as caught:
        client.sync_once(progress)
    assert caught.value.kind == "offline" and killed
    kept = a.sync_state()
    assert 80 <= kept["acked_through"] < kept["last_seq"]  # progress kept per batch
    assert a.pending_count() == kept["last_seq"] - kept["acked_through"]

    sync_server.start()
    report = client.sync_once()
    assert report.pushed == kept["last_seq"] - kept["acked_through"]  # no batch sent twice
    assert report.pending == 0 and report.resent == 0
    held = held_once(sync_server)
    assert set(held) == own_ops(a) and set(held.values()) == {1}


def test_a_push_answer_lost_on_the_way_is_not_sent_again(make_store, sync_server, proxy):  # noqa: F811
    a = make_store("a", worker_name="佐藤 花子")
    _, case = new_case(a)
    add_visits(a, case, 150)
    proxy.cut(b"POST /v1/push", nth=2, after=0)  # the server stores batch 2; no answer
    ensure_enrolled(a, proxy.url)
    client = SyncClient(a, proxy.url, batch_size=50, timeout=10.0)
    with pytest.raises(SyncError) as caught:
        client.sync_once()
    assert caught.value.kind == "offline" and proxy.cuts == 1
    assert a.sync_state()["acked_through"] == 50
    proxy.clear()
    report = client.sync_once()  # learns from the device state that batch 2 arrived
    assert a.pending_count() == 0
    assert report.pushed == len(own_ops(a)) - 100
    held = held_once(sync_server)
    assert set(held) == own_ops(a) and set(held.values()) == {1}


def test_a_pull_cut_in_the_middle_resumes_and_ends_as_a_clean_sync(
        make_store, sync_server, proxy):  # noqa: F811
    a = make_store("a", worker_name="佐藤 花子")
    person, case = new_case(a)
    add_visits(a, case, 300)
    a.update("person", person, {"district": "南区"})
    sync(a, sync_server)

    b = make_store("b")
    proxy.cut(b"GET /v1/changes", nth=3, after=400)  # third page: cut after 400 bytes
    with pytest.raises(SyncError) as caught:
        sync(b, proxy.url, page_size=60)
    assert caught.value.kind == "offline" and proxy.cuts == 1
    partial = b.sync_state()["pull_cursor"]
    assert partial > 0 and b.counts()["changes"] == 120  # two pages applied, the third not
    proxy.clear()
    report = sync(b, proxy.url, page_size=60)  # resumes through the proxy
    assert report.duplicates == 0 and report.pulled == len(own_ops(a)) - 120

    clean = make_store("clean")
    sync(clean, sync_server)
    assert snapshot(b) == snapshot(clean)
    assert b.counts()["visit"] == 300 and b.get("person", person)["district"] == "南区"


def test_two_interrupted_halves_equal_one_go(make_store, sync_server, proxy):  # noqa: F811
    a = make_store("a", worker_name="佐藤 花子")
    person, case = new_case(a)
    add_visits(a, case, 100)
    a.record_consent(person, agencies=[a.add_agency("福祉課")], method="written")
    proxy.cut(b"POST /v1/push", nth=2, after=120)  # a's push: cut inside the second answer
    with pytest.raises(SyncError):
        sync(a, proxy.url, batch_size=30)
    proxy.clear()
    sync(a, proxy.url, batch_size=30)

    halves = make_store("halves")
    proxy.cut(b"GET /v1/changes", nth=2, after=150)
    with pytest.raises(SyncError):
        sync(halves, proxy.url, page_size=25)
    proxy.clear()
    sync(halves, proxy.url, page_size=25)
    one_go = make_store("one_go")
    sync(one_go, sync_server)
    assert snapshot(halves) == snapshot(one_go)
    assert sorted(canonical(c.to_wire()) for c in a.changes()) == snapshot(one_go)["changes"]
    assert set(held_once(sync_server).values()) == {1}


def test_duplicate_and_reordered_delivery_change_nothing(make_store, sync_server):  # noqa: F811
    a = make_store("a", worker_name="佐藤 花子")
    b = make_store("b", worker_name="鈴木 一郎")
    person, case = new_case(a)
    add_visits(a, case, 20)
    sync(a, sync_server)
    sync(b, sync_server)
    a.update("person", person, {"district": "南区"})
    b.update("person", person, {"district": "東区"})
    b.archive("person", person)
    sync(a, sync_server)
    sync(b, sync_server)

    pages = []
    since = 0
    while True:
        response = httpx.get(f"{sync_server.url}/v1/changes",
                             headers=reader_headers(sync_server),
                             params={"since": since, "limit": 9}, timeout=10)
        page = PullResponse.model_validate_json(response.content)
        pages.append(([w.to_change() for w in page.changes], page.cursor))
        if not page.more:
            break
        since = page.cursor
    in_order, shuffled = make_store("in_order"), make_store("shuffled")
    for changes, cursor in pages:
        in_order.apply_pulled(changes, cursor)
    replay = pages + pages[::-1]  # every page twice, the second time backwards
    random.Random(3).shuffle(replay)
    for changes, _ in replay:
        shuffled.apply_remote(list(reversed(changes)))
    assert snapshot(in_order) == snapshot(shuffled)
    assert snapshot(in_order)["conflicts"] != []  # the edit-vs-delete conflict is there

    # through the client: the same pull again from the start adds nothing
    before = snapshot(b)
    b.restart_pull()
    report = sync(b, sync_server)
    assert report.pulled == 0 and report.duplicates == len(server_changes(sync_server))
    assert snapshot(b) == before


def test_a_laptop_whose_clock_is_a_day_ahead_is_held_aside_not_lost(
        make_store, sync_server):  # noqa: F811
    offset = [0]
    ahead = make_store("ahead", wall=lambda: wall_clock_ms() + DAY_MS)
    person = ahead.add_person("山田 太郎", "やまだ たろう", "北区")
    b = make_store("b", wall=lambda: wall_clock_ms() + offset[0])
    sync(ahead, sync_server)
    report = sync(b, sync_server)
    held = b.held_changes()
    assert report.held == len(held) == len(own_ops(ahead)) and report.pulled == len(held)
    assert all("clock ahead" in reason for _, reason in held)
    assert b.counts()["person"] == 0
    assert sync(b, sync_server).held == len(held)  # a second round holds them still, once
    assert len(b.held_changes()) == len(held)

    offset[0] = DAY_MS  # b's clock reaches the same day: the held changes apply
    b.retry_held()
    assert b.held_changes() == [] and b.get("person", person)["name"] == "山田 太郎"


def test_a_month_offline_with_5000_changes_syncs_completely_starting_with_small_batches(
        make_store, sync_server):  # noqa: F811
    bodies: list[tuple[str, int, str | None]] = []

    class Recording(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.method == "POST":
                bodies.append((request.url.path, len(request.content),
                               request.headers.get("content-encoding")))
            return super().handle_request(request)

    a = make_store("a", worker_name="佐藤 花子")
    cases = [new_case(a, f"山田 {i}")[1] for i in range(10)]
    for day, case in enumerate(cases * 5):  # 50 "days" of 100 visits
        add_visits(a, case, 100, start_hours=24 * 30 - day * 12)
    assert a.pending_count() >= 5000
    started = time.monotonic()
    sync_server.enroll(a)
    report = SyncClient(a, sync_server.url, transport=Recording()).sync_once()
    assert report.pushed == len(own_ops(a)) and report.pending == 0
    assert len(bodies) >= 2 and {enc for _, _, enc in bodies} == {"gzip"}
    sizes = [size for _, size, _ in bodies]
    assert sizes[0] <= 48 * 1024  # ~6 s at 64 kbit/s: a round starts with a small batch …
    assert max(sizes) > 48 * 1024  # … and grows on a fast line (sync.pacing)
    assert max(sizes) <= MAX_BODY_BYTES
    b = make_store("b")
    pulled = sync(b, sync_server)
    assert pulled.pulled == report.pushed and b.counts()["visit"] == 5000
    assert time.monotonic() - started < 60
    assert snapshot(b)["changes"] == sorted(canonical(c.to_wire()) for c in a.changes())


def _backup(db_file: Path, target: Path) -> None:
    """A consistent copy of the server's live SQLite file (the online backup API)."""
    source, copy = sqlite3.connect(db_file), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


def test_a_server_restored_from_a_backup_is_refilled_and_pullers_start_over(
        tmp_path, make_store):
    db_file = tmp_path / "server.db"
    with running_server(f"sqlite:///{db_file}", tmp_path) as server:
        a = make_store("a", worker_name="佐藤 花子")
        _, case = new_case(a)
        add_visits(a, case, 40)
        sync(a, server)
        b = make_store("b")  # pulls only: its cursor will be past the backup
        server.enroll(b)  # (enrollments made after a backup are lost with the restore)
        _backup(db_file, tmp_path / "backup.db")
        add_visits(a, case, 30)
        sync(a, server)
        sync(b, server)
        assert b.counts()["visit"] == 70

        server.stop()
        for leftover in tmp_path.glob("server.db*"):
            leftover.unlink()
        shutil.copyfile(tmp_path / "backup.db", db_file)
        server.start()
        assert len(server_changes(server)) < len(own_ops(a))

        c = make_store("c", worker_name="田中 一")  # reaches the restored server first
        c_person = c.add_person("田中 次郎", "たなか じろう", "南区")
        sync(c, server)
        report = sync(a, server)
        assert report.resent == 30 and report.pending == 0
        report_b = sync(b, server)
        assert report_b.repulled
        assert b.get("person", c_person)["name"] == "田中 次郎"  # c's changes reached b
        held = held_once(server)
        assert set(held) == own_ops(a) | own_ops(c) and set(held.values()) == {1}
        sync(c, server)
        assert snapshot(b)["changes"] == snapshot(a)["changes"] == snapshot(c)["changes"]


def test_a_server_restored_during_a_round_answers_gap_and_gets_the_changes_again(
        tmp_path, make_store):
    db_file = tmp_path / "server.db"
    with running_server(f"sqlite:///{db_file}", tmp_path) as server:
        a = make_store("a", worker_name="佐藤 花子")
        _, case = new_case(a)
        add_visits(a, case, 40)
        sync(a, server)
        _backup(db_file, tmp_path / "backup.db")
        add_visits(a, case, 30)
        sync(a, server)
        add_visits(a, case, 10)
        restored: list[bool] = []

        def restore_once(done: int, total: int) -> None:
            # called first right after the device state was read: the server now forgets
            if not restored:
                server.stop()
                for leftover in tmp_path.glob("server.db*"):
                    leftover.unlink()
                shutil.copyfile(tmp_path / "backup.db", db_file)
                server.start()
                restored.append(True)

        report = SyncClient(a, server.url, timeout=10.0).sync_once(restore_once)
        assert restored and report.repulled
        assert report.resent == 30 and report.pushed == 40 and report.pending == 0
        held = held_once(server)
        assert set(held) == own_ops(a) and set(held.values()) == {1}


def test_a_stale_cursor_is_checked_before_the_pull_skips_an_own_push(tmp_path, make_store):
    """After a restore, this laptop's own push may land right after its stale cursor: the pull
    must still notice that the history before it is not the one it pulled."""
    db_file = tmp_path / "server.db"
    with running_server(f"sqlite:///{db_file}", tmp_path) as server:
        a, b, c = make_store("a"), make_store("b"), make_store("c")
        for store in (a, b, c):
            server.enroll(store)
        _backup(db_file, tmp_path / "backup.db")  # the server with no change yet
        a.add_person("山田 太郎", "やまだ たろう", "北区")
        sync(a, server)
        sync(b, server)  # b's cursor: after a's 6 changes
        server.stop()
        for leftover in tmp_path.glob("server.db*"):
            leftover.unlink()
        shutil.copyfile(tmp_path / "backup.db", db_file)
        server.start()
        c_person = c.add_person("田中 次郎", "たなか じろう", "南区")  # also 6 changes
        sync(c, server)
        b.add_person("鈴木 三郎", "すずき さぶろう", "東区")
        report = sync(b, server)  # b's push lands at server_seq 7: right after its cursor
        assert report.repulled
        assert b.get("person", c_person)["name"] == "田中 次郎"


def test_an_old_copy_of_a_store_does_not_push_over_its_newer_self(
        tmp_path, make_store, sync_server):  # noqa: F811
    a = make_store("a", worker_name="佐藤 花子")
    person = a.add_person("山田 太郎", "やまだ たろう", "北区")
    sync(a, sync_server)
    a.close()
    shutil.copytree(tmp_path / "a", tmp_path / "old")  # a backup of the laptop's folder
    a = Store.open(tmp_path / "a", PASSPHRASE)
    try:
        a.update("person", person, {"district": "南区", "birth_year": 1950})
        sync(a, sync_server)
    finally:
        a.close()
    old = Store.open(tmp_path / "old", PASSPHRASE)  # restored from the backup, then used
    try:
        old.update("person", person, {"district": "東区"})
        before = old.sync_state()
        with pytest.raises(SyncError) as caught:
            sync(old, sync_server)
        assert caught.value.kind == "refused" and "バックアップ" in caught.value.message
        assert old.sync_state() == before  # its unsent change stays in the outbox
        assert old.get("person", person)["district"] == "東区"
    finally:
        old.close()


def test_own_changes_are_not_downloaded_again_after_a_push(make_store, sync_server):  # noqa: F811
    a = make_store("a", worker_name="佐藤 花子")
    _, case = new_case(a)
    add_visits(a, case, 50)
    first = sync(a, sync_server)
    assert first.pushed == len(own_ops(a)) and first.duplicates == 0
    second = sync(a, sync_server)
    assert second.pushed == second.pulled == second.duplicates == 0 and not second.repulled
    b = make_store("b", worker_name="鈴木 一郎")
    b.add_person("鈴木 三郎", "すずき さぶろう", "東区")
    sync(b, sync_server)  # the server's cursor moves past a's
    add_visits(a, case, 30)
    third = sync(a, sync_server, batch_size=20)  # two batches of a's own after b's changes
    assert third.pushed == 30 and third.pulled == len(own_ops(b)) and third.duplicates == 0
    before = len(own_ops(b))
    b.add_person("鈴木 四郎", "すずき しろう", "東区")
    sync(b, sync_server)
    fourth = sync(a, sync_server)  # the next round starts from the skipped range's end
    assert fourth.pulled == len(own_ops(b)) - before and fourth.duplicates == 0
    assert not fourth.repulled
    sync(b, sync_server)
    assert snapshot(a)["changes"] == snapshot(b)["changes"]


def run_cli(*args: str | Path, stdin: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONUTF8": "1", "QT_QPA_PLATFORM": "offscreen",
           "OUTREACH_DESK_DATA_DIR": str(ROOT / "tests" / "no-such-default-store")}
    return subprocess.run(
        [sys.executable, "-m", "ui.launcher", *map(str, args)], input=stdin,
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env, timeout=120)


def test_cli_sync_prints_a_summary_and_fails_in_one_line(make_store, sync_server):  # noqa: F811
    a = make_store("a", worker_name="佐藤 花子")
    a.add_person("山田 太郎", "やまだ たろう", "北区")
    sync(a, sync_server)
    b = make_store("b", worker_name="鈴木 一郎")
    person = b.add_person("鈴木 三郎", "すずき さぶろう", "東区")
    expected_sent = len(own_ops(b))
    sync_server.enroll(b)
    b.close()
    result = run_cli("sync", "--data-dir", b.data_dir, "--server", sync_server.url,
                     stdin=PASSPHRASE + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"sent {expected_sent}, received {len(own_ops(a))}, conflicts 0, pending 0")
    sync(a, sync_server)
    assert a.get("person", person)["name"] == "鈴木 三郎"

    sync_server.kill()
    result = run_cli("sync", "--data-dir", b.data_dir, "--server", sync_server.url,
                     stdin=PASSPHRASE + "\n")
    assert result.returncode == 75 and result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "outreach-desk: sync failed (offline): サーバーに接続できません（オフライン）"]


def test_push_bodies_are_gzip_json_the_server_reads(make_store, sync_server):  # noqa: F811
    """The request as sent decompresses to a valid PushRequest (a guard for the hand-built
    body in SyncClient)."""
    seen: list[bytes] = []

    class Recording(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.method == "POST":
                seen.append(gzip.decompress(request.content))
            return super().handle_request(request)

    a = make_store("a", worker_name="佐藤 花子")
    a.add_person("山田 \"太郎\" \\ ｱ", "やまだ たろう", "北区")
    sync_server.enroll(a)
    SyncClient(a, sync_server.url, transport=Recording()).sync_once()
    body = json.loads(seen[0])
    assert body["device"] == a.site and body["protocol"] == versions()["protocol"]
    assert [c["seq"] for c in body["changes"]] == sorted(s for _, s in own_ops(a))
