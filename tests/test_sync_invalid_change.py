"""One change the server cannot take (HTTP 422) does not block the laptop's queue.

A real server process on loopback, real encrypted stores on disk, the real client. The bad
change is written the way a laptop of another app version could have written it: past the
store's own field limits, straight into its change log (``Engine.write_fields``).
"""

from __future__ import annotations

import httpx
import pytest
from sync_fixtures import (  # noqa: F401 (fixtures)
    postgres_cluster,
    postgres_url,
    running_server,
    sync_server,
)

from outreach_desk.store import Store
from sync.client import SyncClient, SyncReport
from sync.protocol import MAX_VALUE_CHARS, PullResponse, auth_headers, version_headers

TOO_LONG = "あ" * MAX_VALUE_CHARS  # with its quotes, two characters over the limit


def sync(store: Store, server) -> SyncReport:
    return SyncClient(store, server.url, timeout=30.0).sync_once()


def served(server) -> list[dict]:
    """Every change the server serves, as a reader device sees them."""
    headers = {**version_headers(), **auth_headers(server.token("reader-device"))}
    found, since = [], 0
    while True:
        response = httpx.get(f"{server.url}/v1/changes", params={"since": since},
                             headers=headers, timeout=30)
        assert response.status_code == 200, response.text
        page = PullResponse.model_validate_json(response.content)
        found += [change.to_wire() for change in page.changes]
        if not page.more:
            return found
        since = page.cursor


def write_bad_change(store: Store, person: str) -> int:
    """A field value over the protocol's limit, in the change log and the outbox."""
    with store.batch():
        written = store.engine.write_fields("person", person, {"address_note": TOO_LONG},
                                            new=False)
    bad = next(change for change in written if change.field == "address_note")
    return bad.seq


def test_a_change_refused_with_422_is_kept_listed_and_the_changes_after_it_arrive(
        make_store, sync_server):  # noqa: F811
    a = make_store("a", worker_name="佐藤 花子")
    b = make_store("b", worker_name="鈴木 一郎")
    sync_server.enroll(a, login="sato")
    sync_server.enroll(b, login="suzuki")
    person = a.add_person("山田 太郎", "やまだ たろう", "野尻")
    sync(a, sync_server)

    bad_seq = write_bad_change(a, person)
    later = a.add_person("田中 次郎", "たなか じろう", "須木")
    case = a.open_case(referral_source="sns", opened_on="2025-05-01", district="須木", person_id=later)
    a.record_visit(case, occurred_at="2025-06-01T10:00+09:00", kind="phone",
                   met_with="person", relationship_stage="met_person", narrative="電話で話せた")
    last_seq = a.sync_state()["last_seq"]
    assert last_seq > bad_seq + 3

    report = sync(a, sync_server)
    assert report.pending == 0
    assert [op for op, _ in report.refused] == [f"{a.site}:{bad_seq}"]

    # the bad change is listed for the worker (送信できなかった変更) with the server's reason
    refused = a.refused_changes()
    assert [(r.op_id, r.entity, r.entity_id, r.field) for r in refused] == [
        (f"{a.site}:{bad_seq}", "person", person, "address_note")]
    assert refused[0].reason_in("ja") == "サーバーが受け付けない形式の変更です"
    assert "longer than" in refused[0].reason_in("en")
    assert refused[0].text == TOO_LONG
    # nothing is lost: it stays in the change log as written
    assert [c.value for c in a.changes() if c.site == a.site and c.seq == bad_seq] == [TOO_LONG]

    # the good changes after it arrived; the bad one is not served to anyone
    held = {(c["site"], c["seq"]) for c in served(sync_server)}
    assert {(a.site, seq) for seq in range(1, last_seq + 1) if seq != bad_seq} <= held
    assert (a.site, bad_seq) not in held
    sync(b, sync_server)
    assert b.get("person", later)["name"] == "田中 次郎"
    assert b.get("case", case)["person_id"] == later
    assert not b.get("person", person)["address_note"]

    # the queue goes on: the next round has nothing to redo, the next change is stored
    again = sync(a, sync_server)
    assert again.pushed == 0 and again.refused == [] and again.pending == 0
    a.update("person", later, {"district": "野尻"})
    after = sync(a, sync_server)
    assert after.pushed >= 1 and after.refused == [] and after.pending == 0
    sync(b, sync_server)
    assert b.get("person", later)["district"] == "野尻"
    assert len(a.refused_changes()) == 1


@pytest.fixture(params=["sqlite", "postgresql"])
def any_server(request, tmp_path):
    url = (f"sqlite:///{tmp_path / 'server.db'}" if request.param == "sqlite"
           else request.getfixturevalue("postgres_url"))
    with running_server(url, tmp_path, "--no-access-log") as server:
        yield server


def test_a_push_that_is_wrong_as_a_whole_is_still_refused_whole(any_server):
    """Only a change's own fault is pinned on it: another device's change in the batch gets
    422 without verdicts, and nothing is stored; the change alone gets 422 naming it, and
    withdrawn it is stored as refused and never served (on both databases)."""
    sync_server = any_server
    token = sync_server.token("dev-w")
    headers = {**version_headers(), **auth_headers(token)}
    change = {"site": "dev-w", "seq": 1, "hlc": 1, "entity": "person", "entity_id": "p1",
              "field": "name", "value": "x" * (MAX_VALUE_CHARS + 1), "ctx": [],
              "author": "w", "schema": 1}
    other = {**change, "site": "dev-other", "seq": 2, "value": "y"}
    body = {"protocol": 1, "schema": 1, "device": "dev-w", "changes": [change, other]}
    answer = httpx.post(f"{sync_server.url}/v1/push", json=body, headers=headers, timeout=30)
    assert answer.status_code == 422 and answer.json()["invalid"] == []
    alone = httpx.post(f"{sync_server.url}/v1/push", json={**body, "changes": [change]},
                       headers=headers, timeout=30)
    assert alone.status_code == 422
    assert [item["seq"] for item in alone.json()["invalid"]] == [1]
    state = httpx.get(f"{sync_server.url}/v1/devices/dev-w", headers=headers, timeout=30)
    assert state.json()["acked_through"] == 0  # a 422 stores nothing
    withdrawn = httpx.post(f"{sync_server.url}/v1/push",
                           json={**body, "changes": [], "withdrawn": [1]},
                           headers=headers, timeout=30)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["acked_through"] == 1
    assert [item["seq"] for item in withdrawn.json()["refused"]] == [1]
    assert served(sync_server) == []
