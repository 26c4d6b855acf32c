"""Supervision across laptops through a real sync server: a supervisor's comment reaches the
worker and the worker's 既読 comes back; an approval made on the supervisor's laptop shows on the
worker's; a check-in made on the worker's laptop clears the office's warning.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from support import visit_fields
from sync_fixtures import sync_server  # noqa: F401 (fixture)

from outreach_desk.dashboard import team_dashboard
from sync.client import SyncClient


def _pair(make_store, server, *, worker_wall=None):
    kwargs = {"wall": worker_wall} if worker_wall else {}
    worker = make_store("worker", worker_name="佐藤 花子", **kwargs)
    boss = make_store("boss", worker_name="田中 課長")
    server.enroll(worker, login="sato", teams=("野尻担当",))
    server.enroll(boss, login="tanaka", role="supervisor", teams=("野尻担当", _other_team(server)))
    return worker, boss


def _other_team(server) -> str:
    """A team whose server id sorts before 野尻担当's: the supervisor's first team (where a
    record naming no case would be filed) is then not the team of the worker's cases."""
    with server.accounts() as accounts:
        with accounts.db.reading() as conn:
            nojiri = conn.scalar(sa.text("SELECT id FROM teams WHERE name = '野尻担当'"))
        for n in range(64):
            if accounts.add_team(f"他チーム{n}") < nojiri:
                return f"他チーム{n}"
    raise AssertionError("no team id sorted first")


def _sync(server, *stores) -> None:
    for store in stores:
        report = SyncClient(store, server.url).sync_once()
        assert report.refused == []


def _case(store) -> str:
    person = store.add_person("山田 太郎", "やまだ たろう", "野尻")
    return store.open_case(referral_source="sns", district="野尻", person_id=person,
                           worker_id=store.author)


def test_a_comment_reaches_the_worker_and_the_read_mark_comes_back(
        make_store, sync_server):  # noqa: F811
    worker, boss = _pair(make_store, sync_server)
    case = _case(worker)
    visit = worker.record_visit(case, **visit_fields())
    note = worker.add_note(case, "庭の柿の話")
    _sync(sync_server, worker, boss)
    assert boss.may_supervise() and not worker.may_supervise()
    on_visit = boss.add_comment("visit", visit, "玄関先での声かけが丁寧です")
    on_note = boss.add_comment("note", note, "次回もこの話題で")
    _sync(sync_server, boss, worker)

    unread = worker.unread_comments()
    assert [c.id for c in unread] == [on_note, on_visit]  # newest first
    assert {c.text for c in worker.comments(case)} == {"玄関先での声かけが丁寧です",
                                                        "次回もこの話題で"}
    worker.mark_comment_read(on_visit)
    _sync(sync_server, worker, boss)
    seen = {c.id: c for c in boss.comments(case)}
    assert seen[on_visit].read_at is not None and seen[on_visit].read_by == worker.author
    assert seen[on_note].unread


def test_an_approval_on_the_supervisors_laptop_shows_on_the_workers(
        make_store, sync_server):  # noqa: F811
    worker, boss = _pair(make_store, sync_server)
    case = _case(worker)
    plan = worker.save_plan(case, goals=["見守りを続ける"], monitoring_date="2027-01-10")
    _sync(sync_server, worker, boss)
    assert worker.current_plan(case) is None
    approval = boss.approve_plan(plan)
    _sync(sync_server, boss, worker)
    status = worker.plan_status(plan)
    assert status.approved and status.approval.id == approval
    assert status.approval.approved_by == boss.author
    assert worker.current_plan(case).values["goals"] == ["見守りを続ける"]
    # the server filed the approval under the case's team, whichever team is the supervisor's
    # first: the approval names its case
    with sync_server.accounts() as accounts, accounts.db.reading() as conn:
        rows = conn.execute(sa.text("SELECT entity, team_id FROM changes")).all()
    teams = dict(rows)  # (the bodies are sealed; each change's kind is kept beside them)
    assert teams["plan_approval"] == teams["case"] is not None

    # the worker edits the plan offline: on both laptops it is back to 決裁待ち once synced
    worker.save_plan(case, goals=["見守りを続ける", "通いの場へ"], monitoring_date="2027-01-10",
                     plan_id=plan)
    assert not worker.plan_status(plan).approved
    _sync(sync_server, worker, boss)
    assert not boss.plan_status(plan).approved
    assert boss.current_plan(case).values["goals"] == ["見守りを続ける"]
    assert boss.current_plan(case).pending


def _overdue_outing(make_store, sync_server):  # noqa: F811
    """A worker (on a clock of their own) left three hours ago saying they would be back in
    one; the office's laptop has synced that. Returns (worker, boss, case, clock, start)."""
    start = datetime.now().astimezone().replace(second=0, microsecond=0) - timedelta(hours=3)
    clock = {"at": start}
    worker, boss = _pair(make_store, sync_server,
                         worker_wall=lambda: int(clock["at"].timestamp() * 1000))
    case = _case(worker)
    worker.plan_outing([case], start + timedelta(hours=1))
    _sync(sync_server, worker, boss)
    return worker, boss, case, clock, start


def test_a_check_in_on_the_workers_laptop_clears_the_offices_warning(
        make_store, sync_server):  # noqa: F811
    worker, boss, case, clock, start = _overdue_outing(make_store, sync_server)
    now = datetime.now().astimezone()
    alerts = team_dashboard(boss, now=now).field_alerts
    assert [a.worker_id for a in alerts] == [worker.author]
    assert alerts[0].checkin.case_ids == (case,)

    clock["at"] = start + timedelta(minutes=50)  # back before the expected return
    assert worker.check_in() is not None
    _sync(sync_server, worker, boss)
    assert team_dashboard(boss, now=now).field_alerts == []


def test_a_record_written_after_the_expected_return_is_a_sign_of_life_once_synced(
        make_store, sync_server):  # noqa: F811
    worker, boss, case, clock, start = _overdue_outing(make_store, sync_server)
    now = datetime.now().astimezone()
    assert len(team_dashboard(boss, now=now).field_alerts) == 1

    clock["at"] = start + timedelta(minutes=30)  # a visit written while still out: no sign
    worker.record_visit(case, **visit_fields(occurred_at=clock["at"].isoformat()))
    _sync(sync_server, worker, boss)
    assert len(team_dashboard(boss, now=now).field_alerts) == 1

    clock["at"] = start + timedelta(hours=2)  # written after the expected return, then synced
    worker.record_visit(case, **visit_fields(occurred_at=clock["at"].isoformat()))
    assert worker.field_checkin(start.date()).is_open  # the outing itself stays open
    _sync(sync_server, worker, boss)
    assert team_dashboard(boss, now=now).field_alerts == []
