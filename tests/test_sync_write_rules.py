"""Who may write what, with real server processes (SQLite and PostgreSQL) and real laptops: a
change naming another team's record is refused on every change, not only on a record's first
one; a moved case takes only its own team's person, household and consent; a record is not
re-pointed under another team's case; teams, agencies and worker records are changed only by
the administrator (a device: what it created, its own display fields); records only a
supervisor writes need the role on the server; a change's author is its user's; the laptop acts
on the role the server gives, never on a synced worker record.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa
from access_matrix import raw_device
from sync_fixtures import (  # noqa: F401 (fixtures)
    postgres_cluster,
    postgres_url,
    running_server,
    sync_server,
)

from outreach_desk.disclosure import DisclosureRefused, disclose_meeting_material
from outreach_desk.errors import NotPermitted
from outreach_desk.meetings import MeetingPlan
from outreach_desk.vocab import LegalBasis, MeetingKind, Role
from sync.client import SyncClient
from sync.server.data_key import change_aad

TEAM_A, TEAM_B, TEAM_C = "野尻担当", "小林担当", "須木担当"


@pytest.fixture(params=["sqlite", "postgresql"])
def any_server(request, tmp_path):
    url = (f"sqlite:///{tmp_path / 'server.db'}" if request.param == "sqlite"
           else request.getfixturevalue("postgres_url"))
    with running_server(url, tmp_path) as server:
        yield server


def _team_ids(server) -> dict[str, str]:
    with server.accounts() as accounts, accounts.db.reading() as conn:
        return dict(conn.execute(sa.text("SELECT name, id FROM teams")).all())


def _sync(*stores, url: str):
    return [SyncClient(store, url).sync_once() for store in stores]


def _absent(store, entity: str, entity_id: str) -> bool:
    return all(row.id != entity_id for row in store.list_entities(entity, include_deleted=True))


def _stored_text(store) -> str:
    """Everything the laptop's store shows of its records, as one text to search in."""
    seen = []
    for entity in ("person", "household", "case", "note", "plan"):
        seen.extend(repr(row) for row in store.list_entities(entity, include_deleted=True))
    for person in store.list_entities("person", include_deleted=True):
        seen.append(repr(store.consent_events(person.id)))
    return "\n".join(seen)


def test_a_case_move_never_carries_another_teams_person(make_store, any_server):
    """The attack: a supervisor of teams A and C pushes a case of team A naming team B's person
    and household, then moves the case to C. Nothing of B's person reaches C, and team B goes
    on editing its own person."""
    server = any_server
    b = make_store("b", worker_name="小林 一郎")
    boss = make_store("boss", worker_name="田中 課長")
    c = make_store("c", worker_name="須木 三郎")
    server.enroll(b, login="kobayashi", teams=(TEAM_B,))
    server.enroll(boss, login="tanaka", role="supervisor", teams=(TEAM_A, TEAM_C))
    server.enroll(c, login="suki", teams=(TEAM_C,))
    teams = _team_ids(server)
    known = boss.enrollment()
    boss.adopt_teams(list(zip(known["team_ids"], known["teams"], strict=True)))

    household = b.create_household("秘密家", "小林", address_note="川沿いの青い屋根の家")
    person = b.add_person("秘密 花子", "ひみつ はなこ", "小林", household_id=household,
                          birth_year=1961)
    agency = b.add_agency("小林市地域包括支援センター")
    b.record_consent(person, agencies=[agency], method="written", note="娘さん同席で同意")
    _sync(b, url=server.url)

    # the supervisor's laptop has B's person (learnt some other way) and names it in A's case
    boss.apply_remote([ch for ch in b.changes() if ch.entity in ("person", "household")])
    case = boss.open_case(referral_source="sns", district="野尻", person_id=person,
                          household_id=household, team_id=teams[TEAM_A])
    first = _sync(boss, url=server.url)[0]
    assert len(first.refused) == 2  # person_id and household_id
    assert all("担当チームの外" in why for _, why in first.refused)
    # a case of its own team, given B's person later: refused too
    own = boss.add_person("自分 一郎", "じぶん いちろう", "野尻")
    later = boss.open_case(referral_source="sns", district="野尻", person_id=own,
                           team_id=teams[TEAM_A])
    _sync(boss, url=server.url)
    boss.update("case", later, {"person_id": person})
    assert len(_sync(boss, url=server.url)[0].refused) == 1

    boss.update("case", case, {"team_id": teams[TEAM_C]})
    boss.update("case", later, {"team_id": teams[TEAM_C]})
    assert _sync(boss, url=server.url)[0].refused == []
    _sync(c, url=server.url)
    assert {row.id for row in c.list_entities("case")} == {case, later}
    assert _absent(c, "person", person) and _absent(c, "household", household)
    assert c.consent_events(person) == []
    seen = _stored_text(c)
    for secret in ("秘密 花子", "ひみつ", "1961", "川沿い", "娘さん同席"):
        assert secret not in seen
    assert not c.search("秘密")
    assert c.get("person", own)["name"] == "自分 一郎"  # the case's own person did move

    # team B's person is still team B's: its next edit is accepted and reaches no one else
    b.update("person", person, {"name": "秘密 華子"})
    assert _sync(b, url=server.url)[0].refused == []
    _sync(c, boss, url=server.url)
    assert _absent(c, "person", person)
    with server.accounts() as accounts, accounts.db.reading() as conn:
        moved = conn.execute(sa.text(
            "SELECT count(*) FROM scopes WHERE team_id = :c AND entity IN "
            "('person', 'household', 'consent_event')"), {"c": teams[TEAM_C]}).scalar()
        of_b = conn.execute(sa.text(
            "SELECT count(*) FROM redeliveries r JOIN changes ch ON ch.server_seq = r.change_seq "
            "WHERE ch.team_id = :b"), {"b": teams[TEAM_B]}).scalar()
    assert moved == 1 and of_b == 0  # only the own person moved; nothing of B re-delivered


def test_a_record_is_not_re_pointed_under_another_teams_case(make_store, any_server):
    """A note and a plan made under the writer's own case and then given team B's case (in
    the same batch and in a later push) are refused; a supervisor of both teams sees nothing
    of them under B's case."""
    server = any_server
    a = make_store("a", worker_name="佐藤 花子")
    b = make_store("b", worker_name="小林 一郎")
    boss = make_store("boss", worker_name="田中 課長")
    server.enroll(a, login="sato", teams=(TEAM_A,))
    server.enroll(b, login="kobayashi", teams=(TEAM_B,))
    server.enroll(boss, login="tanaka", role="supervisor", teams=(TEAM_A, TEAM_B))
    own_case = a.open_case(referral_source="sns", district="野尻",
                           person_id=a.add_person("山田 太郎", "やまだ たろう", "野尻"))
    b_case = b.open_case(referral_source="sns", district="小林",
                         person_id=b.add_person("鈴木 次郎", "すずき じろう", "小林"))
    _sync(a, b, url=server.url)
    a.apply_remote([ch for ch in b.changes() if ch.entity == "case"])

    same_batch = a.add_note(own_case, "注入されたメモ(同じ送信)")
    a.update("note", same_batch, {"case_id": b_case})
    plan = a.save_plan(own_case, goals=["注入された目標"], monitoring_date="2025-09-01")
    a.update("plan", plan, {"case_id": b_case})
    first = _sync(a, url=server.url)[0]
    assert len(first.refused) == 2
    later = a.add_note(own_case, "注入されたメモ(後の送信)")
    assert _sync(a, url=server.url)[0].refused == []
    a.update("note", later, {"case_id": b_case})
    assert len(_sync(a, url=server.url)[0].refused) == 1

    _sync(boss, b, url=server.url)
    for store in (boss, b):
        notes_under_b = [n for n in store.list_entities("note") if n["case_id"] == b_case]
        plans_under_b = [p for p in store.list_entities("plan") if p["case_id"] == b_case]
        assert notes_under_b == [] and plans_under_b == []
    assert {n["case_id"] for n in boss.list_entities("note")} == {own_case}


# -- shared records, roles and authors -----------------------------------------------------------


def test_shared_records_are_changed_only_by_the_administrator(sync_server):  # noqa: F811
    """Teams, agencies and worker records: a device creates them and changes only what it
    created and its own worker record's display fields; a role only the administrator sets."""
    server = sync_server
    a = raw_device(server, "sato", "dev-a", teams=(TEAM_A,))
    b = raw_device(server, "kobayashi", "dev-b", teams=(TEAM_B,))
    admin = raw_device(server, "admin", "dev-admin", role="administrator", teams=(TEAM_A,))
    team_a = _team_ids(server)[TEAM_A]
    assert admin.refused(("agency", "ag-1", "name", "地域包括支援センター")) == []
    # a's laptop makes its own worker record (signed by it) and an agency of its own
    assert a.refused(("worker", a.author, "name", "佐藤 花子"),
                     ("worker", a.author, "role", "worker"),
                     ("worker", a.author, "team_id", team_a),
                     ("agency", "ag-a", "name", "こども家庭センター")) == []

    # another device renames or deletes the administrator's agency: refused
    for change in (("agency", "ag-1", "name", "警察署"), ("agency", "ag-1", "_alive", False)):
        [why] = b.refused(change)
        assert "管理者" in why
    # nor renames a team of this server, nor a's worker record, nor a's agency
    assert b.refused(("team", team_a, "name", "乗っ取り")) != []
    assert b.refused(("worker", a.author, "name", "別人")) != []
    assert b.refused(("worker", a.author, "role", "supervisor")) != []
    assert b.refused(("agency", "ag-a", "name", "偽の機関")) != []
    # a device re-roles nothing, not even its own record, and does not delete itself
    [why] = a.refused(("worker", a.author, "role", "supervisor"))
    assert "役割" in why
    assert a.refused(("worker", a.author, "_alive", False)) != []
    assert a.refused(("worker", "w-new", "role", "administrator")) != []  # nor on creation
    # what a device may do: its own display fields, what it created, what the server agrees to
    assert a.refused(("worker", a.author, "name", "佐藤 花子(野尻)"),
                     ("agency", "ag-a", "name", "こども家庭センター(小林市)"),
                     ("team", team_a, "name", TEAM_A), ("team", team_a, "_alive", True)) == []
    # the administrator changes anything
    assert admin.refused(("agency", "ag-1", "name", "小林市地域包括支援センター"),
                         ("worker", a.author, "role", "supervisor"),
                         ("team", team_a, "name", TEAM_A)) == []

    with server.accounts() as accounts, accounts.db.reading() as conn:
        served = [json.loads(accounts.db.data_key.open(body, change_aad(site, seq)))
                  for site, seq, body in conn.execute(sa.text(
                      "SELECT site, seq, body FROM changes WHERE refused IS NULL "
                      "ORDER BY server_seq"))]  # bodies are sealed at rest
    names = [c["value"] for c in served if c["entity"] == "agency" and c["field"] == "name"]
    assert "警察署" not in names and "偽の機関" not in names
    roles = [(c["site"], c["value"]) for c in served if c["field"] == "role"]
    assert roles == [("dev-a", "worker"), ("dev-admin", "supervisor")]


def test_role_dependent_records_need_the_role_on_the_server(sync_server):  # noqa: F811
    """決裁, a supervision comment and a 緊急 disclosure from a worker's device are refused; a
    worker marks a comment read; a supervisor writes them all."""
    server = sync_server
    worker = raw_device(server, "sato", "dev-w", teams=(TEAM_A,))
    boss = raw_device(server, "tanaka", "dev-s", role="supervisor", teams=(TEAM_A,))
    assert worker.refused(("case", "k1", "district", "野尻"),
                          ("plan", "p1", "case_id", "k1")) == []
    emergency = {"case_ids": ["k1"], "meeting_kind": "multi_agency",
                 "meeting_date": "2026-12-01", "basis": "emergency", "reason": "倒れている",
                 "output": "meeting_pdf", "produced_at": "2026-12-01T10:00:00+09:00",
                 "produced_by": "x"}
    attempts = [
        ("plan_approval", "ap1", "*", {"case_id": "k1", "plan_id": "p1", "version": "v",
                                        "approved_by": worker.author,
                                        "approved_at": "2026-12-01T10:00:00+09:00"}),
        ("comment", "cm1", "case_id", "k1"),
        ("comment", "cm1", "text", "スーパービジョンのふり"),
        ("disclosure", "d1", "*", emergency),
    ]
    reasons = worker.refused(*attempts)
    assert len(reasons) == 4 and all("スーパーバイザー" in why for why in reasons)
    assert worker.refused(("disclosure", "d2", "*", {**emergency, "basis": "consent"})) == []

    signed = {**attempts[0][3], "approved_by": boss.author}  # 決裁 in the supervisor's name
    assert boss.refused(*[(entity, f"{entity_id}-s", fld, value)
                          for entity, entity_id, fld, value in [
                              (*attempts[0][:3], signed), *attempts[1:]]]) == []
    assert worker.refused(("comment", "cm1-s", "read_at", "2026-12-02T09:00:00+09:00"),
                          ("comment", "cm1-s", "read_by", worker.author),
                          ("comment", "cm1-s", "_alive", True)) == []
    assert worker.refused(("comment", "cm1-s", "_alive", False)) != []
    assert worker.refused(("comment", "cm1-s", "text", "書き換え")) != []


def test_a_change_signed_with_another_users_author_is_refused(sync_server):  # noqa: F811
    server = sync_server
    a = raw_device(server, "sato", "dev-a", teams=(TEAM_A,))
    a2 = raw_device(server, "sato", "dev-a2", teams=(TEAM_A,))  # the same user's second laptop
    b = raw_device(server, "kobayashi", "dev-b", teams=(TEAM_A,))
    assert a.refused(("case", "k1", "district", "野尻")) == []
    b.author = a.author  # b signs as a
    [why] = b.refused(("case", "k1", "referral_note", "佐藤さんが書いたことに"))
    assert "作成者" in why
    a2.author = a.author
    assert a2.refused(("case", "k1", "referral_note", "二台目から")) == []
    b.author = "w-dev-b"
    assert b.refused(("case", "k1", "referral_note", "自分の名前で")) == []
    # a supervisor's 決裁 or comment in the name of another user is forged the same way
    boss = raw_device(server, "tanaka", "dev-s", role="supervisor", teams=(TEAM_A,))
    assert boss.refused(("plan", "p1", "case_id", "k1")) == []
    approval = {"case_id": "k1", "plan_id": "p1", "version": "v", "approved_by": a.author,
                "approved_at": "2026-12-01T10:00:00+09:00"}
    assert "作成者" in boss.refused(("plan_approval", "ap1", "*", approval))[0]
    assert "作成者" in boss.refused(("comment", "cm1", "written_by", a.author))[0]
    assert boss.refused(("plan_approval", "ap2", "*", {**approval,
                                                       "approved_by": boss.author})) == []


def test_the_laptop_acts_on_the_role_the_server_gives(make_store, sync_server):  # noqa: F811
    """A synced edit of the worker record's role unlocks nothing; the server's role, given at
    enrollment and brought by every sync, decides 決裁, comments and 緊急."""
    server = sync_server
    laptop = make_store("w", worker_name="佐藤 花子")
    other = make_store("o", worker_name="鈴木 一郎")
    server.enroll(laptop, login="sato", teams=(TEAM_A,))
    server.enroll(other, login="suzuki", teams=(TEAM_A,))
    agency = laptop.add_agency("福祉課")
    person = laptop.add_person("山田 太郎", "やまだ たろう", "野尻")
    case = laptop.open_case(referral_source="sns", district="野尻", person_id=person)
    _sync(laptop, other, url=server.url)

    # another laptop's change of this worker's record makes it a supervisor (as a server that
    # did not guard shared records passed on)
    other.update("worker", laptop.author, {"role": Role.SUPERVISOR})
    laptop.apply_remote([c for c in other.changes() if c.entity == "worker"
                         and c.entity_id == laptop.author and c.field == "role"])
    assert laptop.worker()["role"] == Role.SUPERVISOR.value
    assert laptop.acting_role() is Role.WORKER and not laptop.may_supervise()
    plan = MeetingPlan(MeetingKind.MULTI_AGENCY, date(2026, 12, 1), (agency,), (case,))
    with pytest.raises(DisclosureRefused, match="スーパーバイザー"):
        disclose_meeting_material(laptop, plan, basis=LegalBasis.EMERGENCY,
                                  reason="本人が倒れている可能性", render=lambda m: b"pdf")
    assert not laptop.reads_leave_trace()

    # the administrator makes the user a supervisor: the next sync brings the role
    with server.accounts() as accounts:
        accounts.set_user("sato", role="supervisor")
    _sync(laptop, url=server.url)
    assert laptop.enrollment()["role"] == "supervisor" and laptop.may_supervise()
    done = disclose_meeting_material(laptop, plan, basis=LegalBasis.EMERGENCY,
                                     reason="本人が倒れている可能性", render=lambda m: b"pdf")
    assert done.material.basis is LegalBasis.EMERGENCY
    with server.accounts() as accounts:
        accounts.set_user("sato", role="worker")
    _sync(laptop, url=server.url)
    assert not laptop.may_supervise()
    with pytest.raises(NotPermitted):
        laptop.add_comment("plan", laptop.save_plan(case, goals=["通院"],
                                                    monitoring_date="2025-09-01"), "確認")


def test_the_migration_binds_the_authors_and_creators_of_what_is_stored(tmp_path):
    """Revision 0010 on a database at 0006: the first accepted change signed by an author binds
    it to its device's user, the first device that wrote a team, worker or agency created it
    (refused changes bind nothing)."""
    from alembic import command

    from sync.server.db import Database, alembic_config

    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        with db.writing() as conn:
            command.upgrade(alembic_config(conn), "0006")
            conn.execute(sa.text(
                "INSERT INTO users (id, login, name, role, disabled, created_at) VALUES "
                "(:id, :id, :id, 'worker', false, '2026-11-23 00:00:00')"),
                [{"id": "u1"}, {"id": "u2"}])
            conn.execute(sa.text(
                "INSERT INTO device_keys (site, user_id, token_hash, enrolled_at) VALUES "
                "(:s, :u, :s, '2026-11-23 00:00:00')"),
                [{"s": "s1", "u": "u1"}, {"s": "s2", "u": "u2"}])

            def body(site: str, seq: int, entity: str, entity_id: str, author: str) -> str:
                return json.dumps({"site": site, "seq": seq, "hlc": 1, "entity": entity,
                                   "entity_id": entity_id, "field": "name", "value": "x",
                                   "ctx": [], "author": author, "schema": 1})

            rows = [(1, "s1", 1, "agency", "ag1", "w1", None),
                    (2, "s2", 1, "agency", "ag1", "w2", None),  # a later writer: not creator
                    (3, "s2", 2, "worker", "w2", "w2", None),
                    (4, "s2", 3, "worker", "w9", "w9", "refused")]  # refused: binds nothing
            conn.execute(sa.text(
                "INSERT INTO changes (server_seq, site, seq, body, received_at, refused) "
                "VALUES (:n, :site, :seq, :body, '2026-11-23 00:00:00', :refused)"),
                [{"n": n, "site": site, "seq": seq, "refused": refused,
                  "body": body(site, seq, entity, entity_id, author)}
                 for n, site, seq, entity, entity_id, author, refused in rows])
        db.migrate()
        with db.reading() as conn:
            authors = dict(conn.execute(sa.text("SELECT author, user_id FROM authors")).all())
            creators = dict(conn.execute(sa.text(
                "SELECT entity_id, site FROM scopes WHERE team_id IS NULL")).all())
    finally:
        db.close()
    assert authors == {"w1": "u1", "w2": "u2"}
    assert creators == {"ag1": "s1", "w2": "s2"}
