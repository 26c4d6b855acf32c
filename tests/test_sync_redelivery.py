"""A case moved to another team brings its history along: the new team's laptops, which had
pulled past the case's earlier changes, receive them again (re-delivered, never stored twice),
and the old team stops receiving the case. Real server process, real stores on disk.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sync_fixtures import (  # noqa: F401 (fixtures)
    postgres_cluster,
    postgres_url,
    running_server,
    sync_server,
)

from sync.client import SyncClient

NOJIRI, KOBAYASHI = "野尻担当", "小林担当"


def _sync(*stores, url: str) -> None:
    for store in stores:
        SyncClient(store, url).sync_once()


def _count(server, sql: str) -> int:
    with server.accounts() as accounts, accounts.db.reading() as conn:
        return conn.execute(sa.text(sql)).scalar()


def _team_id(server, name: str) -> str:
    with server.accounts() as accounts, accounts.db.reading() as conn:
        return conn.execute(sa.text("SELECT id FROM teams WHERE name = :n"), {"n": name}).scalar()


def _state(store) -> dict:
    """What a worker sees of the records that came from other laptops."""
    seen = {}
    for entity in ("case", "person", "household", "note", "plan", "worker", "agency", "team"):
        seen[entity] = sorted(repr(row) for row in store.list_entities(entity))
    seen["consent"] = sorted(repr(store.consent_events(row.id))
                             for row in store.list_entities("person"))
    seen["visits"] = sorted(
        (visit.id, len(visit.amendments)) for case in store.list_entities("case")
        for visit in store.visits(case.id))
    return seen


def _world(make_store, server):
    worker = make_store("nojiri", worker_name="佐藤 花子")
    boss = make_store("boss", worker_name="田中 課長")
    other = make_store("kobayashi", worker_name="小林 一郎")
    server.enroll(worker, login="sato", teams=(NOJIRI,))
    server.enroll(boss, login="tanaka", role="supervisor", teams=(NOJIRI, KOBAYASHI))
    server.enroll(other, login="kobayashi", teams=(KOBAYASHI,))
    teams = boss.enrollment()
    boss.adopt_teams(list(zip(teams["team_ids"], teams["teams"], strict=True)))
    _sync(boss, url=server.url)

    household = worker.create_household("山田家", "野尻")
    person = worker.add_person("山田 太郎", "やまだ たろう", "野尻", household_id=household)
    case = worker.open_case(opened_on="2025-01-06", referral_source="sns", district="野尻",
                            person_id=person,
                            household_id=household)
    first = worker.record_visit(case, occurred_at="2025-06-01T10:00+09:00", kind="home_visit",
                                met_with="person", relationship_stage="met_person",
                                narrative="玄関先で話せた")
    worker.amend_visit(first, {"narrative": "玄関先で母親と話せた"}, "聞き違いの訂正")
    worker.record_visit(case, occurred_at="2025-06-08T10:00+09:00", kind="phone",
                        met_with="family", relationship_stage="met_person")
    note = worker.add_note(case, "昼夜逆転の生活が続いている")
    worker.revise_note(note, "昼夜逆転の生活が続いている。食事はとれている")
    agency = worker.add_agency("地域包括支援センター")
    worker.record_consent(person, agencies=[agency], method="written")
    worker.record_withdrawal(person, method="oral")
    worker.save_plan(case, goals=["通院の再開"], monitoring_date="2025-09-01")
    # an unrelated case stays with team A
    stays = worker.open_case(opened_on="2025-01-06", referral_source="sns", district="野尻",
                             person_id=worker.add_person("鈴木 一郎", "すずき いちろう", "野尻"))
    _sync(worker, other, boss, url=server.url)
    assert other.list_entities("case") == []
    return worker, boss, other, case, person, stays


@pytest.fixture(params=["sqlite", "postgresql"])
def any_server(request, tmp_path):
    url = (f"sqlite:///{tmp_path / 'server.db'}" if request.param == "sqlite"
           else request.getfixturevalue("postgres_url"))
    with running_server(url, tmp_path) as server:
        yield server


def test_a_moved_case_brings_its_whole_history_to_the_new_teams_laptops(
        make_store, any_server):
    server = any_server
    worker, boss, other, case, person, stays = _world(make_store, server)
    stored_before = _count(server, "SELECT count(*) FROM changes")

    boss.update("case", case, {"team_id": _team_id(server, KOBAYASHI)})
    moved = SyncClient(boss, server.url).sync_once()
    assert moved.refused == [] and moved.pushed == 2  # the field and its _alive register

    report = SyncClient(other, server.url).sync_once()
    assert report.pulled > 0
    assert {row.id for row in other.list_entities("case")} == {case}
    assert other.get("person", person)["name"] == "山田 太郎"
    visits = other.visits(case)
    assert len(visits) == 2 and sum(len(v.amendments) for v in visits) == 1
    [note] = other.list_entities("note")
    assert note["text"] == "昼夜逆転の生活が続いている。食事はとれている"
    assert len(other.consent_events(person)) == 2
    assert other.consent(person) == worker.consent(person)
    assert len(other.list_entities("plan")) == 1 and len(other.list_entities("household")) == 1
    assert other.open_conflicts() == []

    # every accepted change is stored once: the move added its own two changes, and the
    # history went out again as redeliveries pointing at the stored changes
    assert _count(server, "SELECT count(*) FROM changes") == stored_before + 2
    redelivered = _count(server, "SELECT count(*) FROM redeliveries")
    assert redelivered > 0
    assert _count(server, "SELECT count(DISTINCT change_seq) FROM redeliveries") == \
        redelivered

    # a fresh laptop of team B pulls everything and sees exactly what the old laptop sees now
    fresh = make_store("fresh")
    server.enroll(fresh, login="kobayashi-2", teams=(KOBAYASHI,))
    _sync(fresh, url=server.url)
    _sync(other, url=server.url)  # (fresh pushed nothing of its own)
    assert _state(fresh) == _state(other)
    assert {c.op_id for c in fresh.changes()} == {c.op_id for c in other.changes()}

    # the supervisor, in both teams, got each change twice and holds it once
    before = len(boss.changes())
    assert SyncClient(boss, server.url).sync_once().pulled == 0
    assert len(boss.changes()) == before


def test_after_a_move_the_old_team_stops_receiving_the_case_and_the_new_one_works_on_it(
        make_store, sync_server):  # noqa: F811
    worker, boss, other, case, person, stays = _world(make_store, sync_server)
    boss.update("case", case, {"team_id": _team_id(sync_server, KOBAYASHI)})
    _sync(boss, other, url=sync_server.url)

    # team B carries on: a visit, a consent event for the case's person (the person moved too)
    other.record_visit(case, occurred_at="2025-07-01T10:00+09:00", kind="home_visit",
                       met_with="person", relationship_stage="met_person",
                       narrative="小林担当として初めての訪問")
    other.record_consent(person, agencies=[other.list_entities("agency")[0].id], method="oral")
    assert SyncClient(other, sync_server.url).sync_once().refused == []

    # team A's laptop receives none of it, and its own writes to the case are refused
    _sync(worker, url=sync_server.url)
    assert len(worker.visits(case)) == 2
    assert worker.search("小林担当として") == []
    worker.update("case", case, {"referral_note": "野尻担当から追記"})
    refused = SyncClient(worker, sync_server.url).sync_once().refused
    assert len(refused) == 2 and all("担当チームの外" in why for _, why in refused)
    # … while its other case stays its own
    worker.update("case", stays, {"referral_note": "引き続き野尻担当"})
    assert SyncClient(worker, sync_server.url).sync_once().refused == []
    _sync(other, url=sync_server.url)
    assert {row.id for row in other.list_entities("case")} == {case}
    assert other.get("case", case)["referral_note"] != "野尻担当から追記"


def test_moving_a_case_back_redelivers_only_what_the_team_lacks(make_store, sync_server):  # noqa: F811
    worker, boss, other, case, person, stays = _world(make_store, sync_server)
    nojiri, kobayashi = _team_id(sync_server, NOJIRI), _team_id(sync_server, KOBAYASHI)
    boss.update("case", case, {"team_id": kobayashi})
    _sync(boss, other, url=sync_server.url)
    first = _count(sync_server, "SELECT count(*) FROM redeliveries")
    other.record_visit(case, occurred_at="2025-07-01T10:00+09:00", kind="phone",
                       met_with="person", relationship_stage="met_person")
    _sync(other, boss, url=sync_server.url)

    boss.update("case", case, {"team_id": nojiri})
    _sync(boss, worker, url=sync_server.url)
    # back in team A: the changes stored for team B (the move, team B's visit) are re-delivered
    # to A; A's own earlier changes are not (A held them all along)
    added = _count(sync_server, "SELECT count(*) FROM redeliveries") - first
    assert 0 < added < first
    assert len(worker.visits(case)) == 3
    assert worker.get("case", case)["team_id"] == nojiri


def test_the_migration_gives_the_changes_already_stored_their_case(tmp_path):
    """Revision 0005: ``changes.case_id`` filled in from the scopes of a database at 0004."""
    import json

    from alembic import command

    from sync.server.db import Database, alembic_config

    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        with db.writing() as conn:
            command.upgrade(alembic_config(conn), "0004")

        def body(seq: int, entity: str, entity_id: str, fld: str, value) -> str:
            return json.dumps({"site": "s", "seq": seq, "hlc": 1, "entity": entity,
                               "entity_id": entity_id, "field": fld, "value": value, "ctx": [],
                               "author": "a", "schema": 1}, ensure_ascii=False)

        rows = [(1, "case", "c1", "district", "野尻"), (2, "visit", "v1", "*", {"case_id": "c1"}),
                (3, "note", "n1", "case_id", "c1"), (4, "note", "n1", "text", "メモ"),
                (5, "person", "p1", "name", "山田"), (6, "visit", "v2", "*", {"case_id": "c2"})]
        with db.writing() as conn:
            conn.execute(sa.text(
                "INSERT INTO changes (server_seq, site, seq, body, received_at, team_id) "
                "VALUES (:n, 's', :n, :body, '2026-11-23 00:00:00', 't')"),
                [{"n": n, "body": body(n, *rest)} for n, *rest in rows])
            conn.execute(sa.text("INSERT INTO scopes (entity, entity_id, team_id, case_id) "
                                 "VALUES (:e, :i, 't', :c)"),
                [{"e": "case", "i": "c1", "c": "c1"}, {"e": "visit", "i": "v1", "c": "c1"},
                 {"e": "note", "i": "n1", "c": "c1"}, {"e": "person", "i": "p1", "c": None}])
        db.migrate()
        with db.reading() as conn:
            found = dict(conn.execute(sa.text("SELECT server_seq, case_id FROM changes")).all())
        assert found == {1: "c1", 2: "c1", 3: "c1", 4: "c1", 5: None, 6: None}
        from alembic.script import ScriptDirectory

        from sync.server.db import MIGRATIONS

        assert db.revision() == ScriptDirectory(str(MIGRATIONS)).get_current_head()  # the newest
    finally:
        db.close()


def test_audit_entries_name_the_case_of_changes_that_do_not_name_it_themselves(
        make_store, sync_server):  # noqa: F811
    """A note's later revision names only the note: its case comes from the scoping."""
    import json

    worker, boss, other, case, person, stays = _world(make_store, sync_server)
    [note] = worker.list_entities("note")
    worker.revise_note(note.id, "三回目の改訂")
    SyncClient(worker, sync_server.url).sync_once()
    SyncClient(boss, sync_server.url).sync_once()
    with sync_server.accounts() as accounts, accounts.db.reading() as conn:
        def last(action: str, login: str) -> list[str]:
            return json.loads(conn.execute(sa.text(
                "SELECT case_ids FROM audit_log WHERE action = :a AND login = :l "
                "ORDER BY seq DESC LIMIT 1"), {"a": action, "l": login}).scalar())

        pushed, pulled = last("push", "sato"), last("pull", "tanaka")
    assert pushed == [case] and pulled == [case]
