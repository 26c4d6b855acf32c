"""Enrolling a laptop links its own team records to the server's teams.

At first run a worker names their team (野尻担当) before any server exists, so the laptop makes
a team record of its own. Enrolling brings the server's teams in under the server's ids; a local
team of the same name is linked to it (its cases and workers move, it is archived), so cases
name a team the server knows. A real server process, real stores on disk.
"""

from __future__ import annotations

from sync_fixtures import sync_server  # noqa: F401 (fixture)

from sync.client import SyncClient, enroll


def enroll_as(server, store, login: str, **kwargs):
    """What the app's 登録 and ``outreach-desk enroll`` do with the administrator's code."""
    return enroll(store, server.url, server.issue_code(login, **kwargs), adopt_teams=True)


def live_teams(store) -> dict[str, str]:
    return {team.id: team["name"] for team in store.list_entities("team")}


def test_enrolling_links_the_first_run_team_to_the_servers(make_store, sync_server):  # noqa: F811
    laptop = make_store("a", worker_name="佐藤 花子", team_name="野尻担当")
    [local_team] = live_teams(laptop)
    person = laptop.add_person("山田 太郎", "やまだ たろう", "野尻")
    case = laptop.open_case(referral_source="sns", district="野尻", person_id=person,
                            team_id=local_team)

    answer = enroll_as(sync_server, laptop, "sato", teams=("野尻担当",))
    [server_team] = answer.team_ids
    assert server_team != local_team
    assert live_teams(laptop) == {server_team: "野尻担当"}  # one team of that name, the server's
    assert laptop.get("team", local_team, include_deleted=True).deleted
    assert laptop.get("case", case)["team_id"] == server_team
    assert laptop.worker()["team_id"] == server_team
    report = SyncClient(laptop, sync_server.url).sync_once()
    assert report.refused == [] and report.pending == 0

    # a second laptop of the same team, also with a first-run team of that name
    other = make_store("b", worker_name="鈴木 一郎", team_name="野尻担当")
    enroll_as(sync_server, other, "suzuki", teams=("野尻担当",))
    SyncClient(other, sync_server.url).sync_once()
    assert live_teams(other) == {server_team: "野尻担当"}
    assert other.get("case", case)["team_id"] == server_team  # the team's case reached it
    assert not other.adopt_teams([(server_team, "野尻担当")])  # nothing left to do


def test_a_library_caller_enrolls_without_writing(make_store, sync_server):  # noqa: F811
    laptop = make_store("c", worker_name="佐藤 花子", team_name="野尻担当")
    before = laptop.pending_count()
    sync_server.enroll(laptop, login="sato")  # adopt_teams left off
    assert laptop.pending_count() == before and len(live_teams(laptop)) == 1


def test_a_supervisor_of_two_teams_gets_both_and_keeps_other_local_teams(
        make_store, sync_server):  # noqa: F811
    boss = make_store("boss", worker_name="田中 課長", team_name="本部")
    answer = enroll_as(sync_server, boss, "tanaka", role="supervisor",
                       teams=("野尻担当", "小林担当"))
    teams = live_teams(boss)
    assert set(teams.values()) == {"本部", "野尻担当", "小林担当"}  # 本部 is not the server's
    assert {teams[t] for t in answer.team_ids} == {"野尻担当", "小林担当"}
    assert boss.worker()["team_id"] == answer.team_ids[0]  # in none of them: the first
