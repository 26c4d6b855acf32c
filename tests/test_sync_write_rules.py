"""Who may write what, with real server processes (SQLite and PostgreSQL) and real laptops: a
change naming another team's record is refused on every change, not only on a record's first
one; a moved case takes only its own team's person, household and consent; a record is not
re-pointed under another team's case.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sync_fixtures import (  # noqa: F401 (fixtures)
    postgres_cluster,
    postgres_url,
    running_server,
)

from sync.client import SyncClient

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
