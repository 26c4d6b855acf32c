"""Refused changes kept for the worker, and supervisors' case reads in the server's audit trail.

A real server process with two teams (``sync_fixtures``), real stores on disk, the real client.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sync_fixtures import sync_server  # noqa: F401 (fixture)

from outreach_desk.errors import NotFound
from sync.client import SyncClient
from sync.protocol import auth_headers, version_headers, versions
from sync.server.record_audit import AUDITED_RECORDS, entry_for

ROOT = Path(__file__).resolve().parent.parent


def admin(server, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sync.server.cli", "admin", "--db", server.db_url, *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60)


def audit_rows(server, tmp_path) -> list[dict[str, str]]:
    path = tmp_path / "audit.csv"
    assert admin(server, "export-audit", "--to", str(path)).returncode == 0
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def nojiri_case(store) -> tuple[str, str]:
    person = store.add_person("山田 太郎", "やまだ たろう", "野尻")
    case = store.open_case(opened_on="2025-01-06", referral_source="sns", district="野尻",
                           person_id=person)
    store.record_visit(case, occurred_at="2025-06-01T10:00+09:00", kind="phone",
                       met_with="person", relationship_stage="met_person",
                       narrative="電話で話せた")
    return person, case


@pytest.fixture
def two_teams(make_store, sync_server):  # noqa: F811
    """野尻担当's laptop with a synced case, and 小林担当's laptop that knows the case's id."""
    nojiri = make_store("nojiri", worker_name="佐藤 花子")
    kobayashi = make_store("kobayashi", worker_name="小林 一郎")
    sync_server.enroll(nojiri, login="sato", teams=("野尻担当",))
    sync_server.enroll(kobayashi, login="kobayashi", teams=("小林担当",))
    person, case = nojiri_case(nojiri)
    SyncClient(nojiri, sync_server.url).sync_once()
    # kobayashi's laptop learns the case some other way (e.g. a copied store) and writes to it
    kobayashi.apply_remote([c for c in nojiri.changes() if c.entity in ("case", "person")])
    return nojiri, kobayashi, person, case


def test_a_refused_change_is_kept_with_its_text_until_marked_dealt_with(
        two_teams, sync_server):  # noqa: F811
    nojiri, kobayashi, _, case = two_teams
    visit = kobayashi.record_visit(case, occurred_at="2025-06-02T10:00+09:00", kind="home_visit",
                                   met_with="family", relationship_stage="family_contact",
                                   narrative="母親と玄関先で10分話した", next_action="来週再訪")
    report = SyncClient(kobayashi, sync_server.url).sync_once()
    # the visit, and the case's next action it set (its follow_up register and lifecycle)
    assert report.pending == 0 and len(report.refused) == 3

    refused = kobayashi.refused_changes()
    # kept for the worker: the visit and the next action (not the "still there" lifecycle)
    assert kobayashi.refused_count() == 2 and len(refused) == 2
    assert sorted((r.entity, r.field) for r in refused) == [("case", "follow_up"), ("visit", "*")]
    item = next(r for r in refused if r.entity == "visit")
    assert item.op_id in {op for op, _ in report.refused}
    assert (item.entity, item.entity_id, item.case_id) == ("visit", visit, case)
    assert item.record_name == "山田 太郎"  # which record, by the person's name
    assert "母親と玄関先で10分話した" in item.text and "来週再訪" in item.text
    assert item.reason_in("ja") == "担当チームの外の記録です"
    assert "outside" in item.reason_in("en")
    assert item.dealt_at is None and item.refused_at.year >= 2025

    # the sequence stays contiguous: the next change pushes and is not refused
    kobayashi.add_person("鈴木 次郎", "すずき じろう", "小林")
    again = SyncClient(kobayashi, sync_server.url).sync_once()
    assert again.pushed >= 1 and again.refused == [] and again.pending == 0
    assert kobayashi.refused_count() == 2  # still listed: nobody has dealt with them

    kobayashi.mark_refused_dealt(item.op_id)
    assert item.op_id not in {r.op_id for r in kobayashi.refused_changes()}
    assert kobayashi.refused_count() == 1
    kept = kobayashi.refused_changes(include_dealt=True)
    dealt = next(r for r in kept if r.op_id == item.op_id)
    assert len(kept) == 2 and dealt.dealt_at is not None
    with pytest.raises(NotFound):
        kobayashi.mark_refused_dealt(item.op_id)  # once only
    SyncClient(nojiri, sync_server.url).sync_once()
    assert len(nojiri.visits(case)) == 1  # never served to the team that owns the case


def test_refusals_of_a_push_whose_answer_was_lost_are_kept_too(
        two_teams, sync_server):  # noqa: F811
    _, kobayashi, _, case = two_teams
    kobayashi.record_visit(case, occurred_at="2025-06-02T10:00+09:00", kind="phone",
                           met_with="nobody", relationship_stage="family_contact",
                           narrative="留守電に伝言")
    # the push reaches the server, its answer never reaches the laptop
    body = {**versions(), "device": kobayashi.site,
            "changes": [c.to_wire() for c in kobayashi.own_changes_after(0, 500)]}
    lost = httpx.post(f"{sync_server.url}/v1/push", json=body, timeout=30, headers={
        **version_headers(), **auth_headers(kobayashi.enrollment()["token"])})
    assert lost.status_code == 200 and len(lost.json()["refused"]) == 1
    assert kobayashi.refused_count() == 0 and kobayashi.pending_count() > 0

    report = SyncClient(kobayashi, sync_server.url).sync_once()
    assert report.pending == 0 and len(report.refused) == 1
    [kept] = kobayashi.refused_changes()
    assert kept.entity == "visit" and "留守電に伝言" in kept.text


def test_a_field_edit_outside_the_team_is_kept_as_its_value(two_teams, sync_server):  # noqa: F811
    _, kobayashi, person, case = two_teams
    kobayashi.update("case", case, {"referral_note": "小林担当から書き換え"})
    kobayashi.update("person", person, {"district": "小林"})
    SyncClient(kobayashi, sync_server.url).sync_once()
    by_field = {r.field: r for r in kobayashi.refused_changes()}
    assert by_field["referral_note"].text == "小林担当から書き換え"
    assert by_field["referral_note"].case_id == case
    assert by_field["district"].record_name == "山田 太郎"
    assert {r.entity for r in by_field.values()} == {"case", "person"}


# -- access events ------------------------------------------------------------------------------


def test_a_supervisor_opening_a_case_reaches_the_audit_trail(
        make_store, sync_server, tmp_path):  # noqa: F811
    worker = make_store("worker", worker_name="佐藤 花子")
    boss = make_store("boss", worker_name="田中 課長")
    sync_server.enroll(worker, login="sato", teams=("野尻担当",))
    sync_server.enroll(boss, login="tanaka", role="supervisor", teams=("野尻担当", "小林担当"))
    _, case = nojiri_case(worker)
    SyncClient(worker, sync_server.url).sync_once()
    SyncClient(boss, sync_server.url).sync_once()

    assert worker.record_case_opened(case) is None  # a worker's reads leave no event
    assert worker.access_events(case) == []
    event = boss.record_case_opened(case)
    assert event is not None
    [stored] = boss.access_events(case)
    assert stored["action"] == "open_case" and stored["by_worker"] == boss.author
    assert boss.visits(case)[0].id  # not a visit: the timeline is unchanged
    assert len(boss.visits(case)) == 1
    SyncClient(boss, sync_server.url).sync_once()

    rows = audit_rows(sync_server, tmp_path)
    opened = [row for row in rows if row["action"] == "case_opened"]
    assert len(opened) == 1
    assert opened[0]["login"] == "tanaka" and opened[0]["device"] == boss.site
    assert opened[0]["case_ids"].split() == [case]
    detail = json.loads(opened[0]["detail"])
    assert detail["record"] == event and detail["at"] == stored["at"]
    assert "山田" not in opened[0]["detail"]
    verified = admin(sync_server, "verify-audit")
    assert verified.returncode == 0 and f"{len(rows)} entries" in verified.stdout
    with sync_server.accounts() as accounts, accounts.db.reading() as conn:
        teams = dict(conn.execute(sa.text(
            "SELECT entity, team_id FROM changes "  # the bodies are sealed; the kind is not
            "WHERE entity IN ('access_event', 'visit')")).all())
    assert teams["access_event"] == teams["visit"]  # the event belongs to the case's team
    # pushed again (e.g. the answer was lost): no second entry
    SyncClient(boss, sync_server.url).sync_once()
    assert [r["action"] for r in audit_rows(sync_server, tmp_path)].count("case_opened") == 1


def test_an_unenrolled_store_decides_by_the_workers_own_role(make_store):
    store = make_store("alone", worker_name="佐藤 花子")
    person = store.add_person("山田 太郎", "やまだ たろう", "野尻")
    case = store.open_case(opened_on="2025-01-06", referral_source="sns", district="野尻",
                           person_id=person)
    assert not store.reads_leave_trace() and store.record_case_opened(case) is None
    store.update("worker", store.author, {"role": "supervisor"})
    assert store.reads_leave_trace()
    assert store.record_case_opened(case) is not None
    assert [e["case_id"] for e in store.access_events(case)] == [case]


def test_the_registry_names_an_action_per_record_kind():
    assert AUDITED_RECORDS["access_event"] == "case_opened"
    change = {"entity": "access_event", "entity_id": "x1", "field": "*",
              "value": {"case_id": "c1", "action": "open_case", "at": "2026-01-01T09:00+09:00",
                        "by_worker": "w1"}}
    assert entry_for(change) == ("case_opened", ["c1"], {
        "record": "x1", "at": "2026-01-01T09:00+09:00", "what": "open_case"})
    assert entry_for({**change, "entity": "visit"}) is None
    assert entry_for({**change, "field": "case_id"}) is None
