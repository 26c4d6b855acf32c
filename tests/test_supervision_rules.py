"""Supervision rules in the store: comments (スーパービジョン), plan approval (決裁) and field
safety (外出・帰所予定), on real stores. The dashboard's field-safety figures are checked against
a computation made here from the check-ins and changes the test wrote.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from support import visit_fields

from outreach_desk.dashboard import team_dashboard
from outreach_desk.errors import NotPermitted, ValidationError
from outreach_desk.field_safety import check_in, plan_outing
from outreach_desk.history import plan_versions


def _case(store, name="山田 太郎", kana="やまだ たろう", worker_id=None) -> str:
    person = store.add_person(name, kana, "野尻")
    return store.open_case(referral_source="sns", district="野尻", person_id=person,
                           worker_id=worker_id or store.author)


def _make_supervisor(store) -> None:
    store.update("worker", store.author, {"role": "supervisor"})


def _snapshot(store) -> tuple:
    return store.engine.next_seq, store.counts(), store.pending_count()


# -- comments --------------------------------------------------------------------------------


def test_a_supervisor_comments_on_a_visit_a_note_and_a_plan_and_the_worker_reads_them(store):
    case = _case(store)
    visit = store.record_visit(case, **visit_fields())
    note = store.add_note(case, "猫の話で打ち解けた")
    plan = store.save_plan(case, goals=["見守り"], monitoring_date="2027-01-10")
    _make_supervisor(store)
    ids = [store.add_comment("visit", visit, "玄関先での声かけが丁寧です"),
           store.add_comment("note", note, "この話題は次回も使えそう"),
           store.add_comment("plan", plan, "目標をもう少し具体的に")]
    on_case = store.comments(case)
    assert {c.id for c in on_case} == set(ids)
    assert {(c.target_kind, c.target_id) for c in on_case} == {
        ("visit", visit), ("note", note), ("plan", plan)}
    assert all(c.case_id == case and c.written_by == store.author and c.unread
               for c in on_case)
    assert [c.id for c in store.unread_comments()] == [c.id for c in on_case]

    assert store.mark_comment_read(ids[1]) is True
    assert store.mark_comment_read(ids[1]) is False  # already read: nothing written
    unread = {c.id for c in store.unread_comments()}
    assert unread == {ids[0], ids[2]}
    read = next(c for c in store.comments(case) if c.id == ids[1])
    assert read.read_at and read.read_by == store.author


def test_unread_comments_list_only_the_workers_own_cases(store):
    me = store.author
    other = store.add_worker("林 二美")
    mine, theirs = _case(store), _case(store, "鈴木 花", "すずき はな", worker_id=other)
    _make_supervisor(store)
    on_mine = store.add_comment("visit", store.record_visit(mine, **visit_fields()), "良い")
    on_theirs = store.add_comment("visit", store.record_visit(theirs, **visit_fields()), "確認")
    assert [c.id for c in store.unread_comments(me)] == [on_mine]
    assert [c.id for c in store.unread_comments(other)] == [on_theirs]


@pytest.mark.parametrize("text", ["", "   ", "あ" * 2001])
def test_an_empty_or_too_long_comment_stores_nothing(store, text):
    case = _case(store)
    visit = store.record_visit(case, **visit_fields())
    _make_supervisor(store)
    before = _snapshot(store)
    with pytest.raises(ValidationError) as caught:
        store.add_comment("visit", visit, text)
    assert caught.value.field == "text"
    assert _snapshot(store) == before and store.comments(case) == []


def test_a_worker_cannot_comment_and_a_comment_needs_a_real_target(store):
    case = _case(store)
    visit = store.record_visit(case, **visit_fields())
    before = _snapshot(store)
    with pytest.raises(NotPermitted, match="スーパーバイザー"):
        store.add_comment("visit", visit, "コメント")
    _make_supervisor(store)
    before = _snapshot(store)
    with pytest.raises(ValidationError):
        store.add_comment("meeting", visit, "会議には付けられない")
    with pytest.raises(Exception, match="no visit"):
        store.add_comment("visit", "no-such-visit", "存在しない記録")
    assert _snapshot(store) == before


def test_the_enrolled_role_decides_over_the_local_worker_record(store):
    assert not store.may_supervise()
    store.set_enrollment("https://example.invalid", "t", "tanaka", "supervisor", ["野尻担当"])
    assert store.may_supervise() and store.worker()["role"] == "worker"
    store.set_enrollment("https://example.invalid", "t", "sato", "worker", ["野尻担当"])
    _make_supervisor(store)  # the local record says supervisor, the server says worker
    assert not store.may_supervise()


# -- plan approval ---------------------------------------------------------------------------


def test_approve_edit_and_approve_again(store):
    case = _case(store)
    plan = store.save_plan(case, goals=["見守りを続ける"], monitoring_date="2027-01-10")
    assert store.current_plan(case) is None and not store.plan_status(plan).approved
    _make_supervisor(store)
    first = store.approve_plan(plan, note="この内容で進めてください")
    status = store.plan_status(plan)
    assert status.approved and status.approval.id == first
    assert store.approve_plan(plan) == first  # approved as it stands: not twice
    current = store.current_plan(case)
    assert current.plan_id == plan and not current.pending
    assert current.values["goals"] == ["見守りを続ける"]
    assert current.approval.approved_by == store.author

    store.save_plan(case, goals=["見守りを続ける", "通いの場へ"], monitoring_date="2027-02-01",
                    plan_id=plan)
    assert not store.plan_status(plan).approved  # back to 決裁待ち
    current = store.current_plan(case)
    assert current.pending and current.values["goals"] == ["見守りを続ける"]  # still v1

    second = store.approve_plan(plan)
    assert second != first and store.plan_status(plan).approval.id == second
    current = store.current_plan(case)
    assert current.values["goals"] == ["見守りを続ける", "通いの場へ"] and not current.pending
    versions = plan_versions(store, plan)
    assert [v.approval.id if v.approval else None for v in versions] == [first, second]
    assert versions[0].approval.note == "この内容で進めてください"


def test_a_worker_cannot_approve_and_nothing_is_written(store):
    case = _case(store)
    plan = store.save_plan(case, goals=["見守り"], monitoring_date="2027-01-10")
    before = _snapshot(store)
    with pytest.raises(NotPermitted) as caught:
        store.approve_plan(plan)
    assert str(caught.value) == "支援プランを決裁できるのはスーパーバイザーだけです。"
    assert _snapshot(store) == before and not store.plan_status(plan).approved


def test_the_newest_approved_plan_is_current_and_an_archived_one_is_not(store):
    case = _case(store)
    _make_supervisor(store)
    old = store.save_plan(case, goals=["最初のプラン"], monitoring_date="2027-01-10")
    store.approve_plan(old)
    new = store.save_plan(case, goals=["見直したプラン"], monitoring_date="2027-03-10")
    assert store.current_plan(case).plan_id == old  # the new one awaits 決裁
    store.approve_plan(new)
    assert store.current_plan(case).plan_id == new
    store.archive("plan", new)
    assert store.current_plan(case).plan_id == old


# -- field safety ----------------------------------------------------------------------------


def test_outing_check_in_and_the_overdue_list(store):
    case = _case(store)
    start = store.now()
    plan_outing(store, [case], start + timedelta(hours=2), now=start)
    assert store.field_checkin().case_ids == (case,)
    assert store.overdue_returns(now=start + timedelta(hours=1)) == []
    late = store.overdue_returns(now=start + timedelta(hours=3))
    assert [a.worker_id for a in late] == [store.author]
    assert late[0].checkin.case_ids == (case,)
    # a visit written now is no sign of life after the expected return (it is before it)
    store.record_visit(case, **visit_fields())
    assert len(store.overdue_returns(now=start + timedelta(hours=3))) == 1
    assert check_in(store, now=start + timedelta(hours=3)) is not None
    assert store.overdue_returns(now=start + timedelta(hours=4)) == []
    assert check_in(store, now=start + timedelta(hours=4)) is None  # nothing open


def test_an_outing_past_midnight_is_closed_the_next_day(store):
    case = _case(store)
    evening = store.now().replace(hour=22, minute=0, second=0, microsecond=0)
    plan_outing(store, [case], evening + timedelta(hours=1), now=evening)
    after_midnight = evening + timedelta(hours=3)
    assert len(store.overdue_returns(now=after_midnight)) == 1
    assert check_in(store, now=after_midnight) is not None
    assert store.overdue_returns(now=after_midnight) == []


def test_an_expected_return_in_the_past_is_refused(store):
    before = _snapshot(store)
    with pytest.raises(ValidationError) as caught:
        store.plan_outing([], store.now() - timedelta(minutes=5))
    assert caught.value.field == "expected_return" and _snapshot(store) == before


def test_dashboard_lists_overdue_workers_as_computed_from_the_raw_records(make_store):
    start = datetime.now().astimezone().replace(second=0, microsecond=0) - timedelta(hours=5)
    clock = {"at": start}  # the laptops' wall clock: they went out five hours ago

    def wall() -> int:
        return int(clock["at"].timestamp() * 1000)

    office = make_store("office", worker_name="田中 課長")
    team = office.add_team("野尻担当")
    names = ("木村 一郎", "林 二美", "森 三郎", "石川 四子")
    laptops = {name: make_store(f"laptop{i}", worker_name=name, wall=wall)
               for i, name in enumerate(names)}
    cases = {name: _case(laptop, f"{name[0]}の対象者", "たいしょうしゃ")
             for name, laptop in laptops.items()}
    hours = {"木村 一郎": 1, "林 二美": 2, "森 三郎": 1, "石川 四子": 9}  # return after start
    for name, laptop in laptops.items():
        laptop.plan_outing([cases[name]], start + timedelta(hours=hours[name]))
    clock["at"] = start + timedelta(hours=1)
    laptops["林 二美"].check_in()  # back early
    clock["at"] = datetime.now().astimezone()
    laptops["森 三郎"].record_visit(cases["森 三郎"], **visit_fields())  # a sign of life
    for laptop in laptops.values():
        office.apply_remote(laptop.changes())
    for laptop in laptops.values():
        office.update("worker", laptop.author, {"team_id": team})

    now = datetime.now().astimezone()
    board = team_dashboard(office, today=now.date(), now=now)
    # the same figure, computed from what was written: open, past due, no change after it
    expected = set()
    for laptop in laptops.values():
        checkin = laptop.field_checkin(start.date())
        latest = max(c.hlc for c in office.changes() if c.author == laptop.author)
        last_seen = datetime.fromtimestamp((latest >> 16) / 1000).astimezone()
        if checkin.returned_at is None and checkin.expected_return < now \
                and last_seen <= checkin.expected_return:
            expected.add(laptop.author)
    assert expected == {laptops["木村 一郎"].author}
    assert {a.worker_id for a in board.field_alerts} == expected
    assert board.field_alerts[0].checkin.case_ids == (cases["木村 一郎"],)
    assert board.field_alerts[0].last_seen <= board.field_alerts[0].checkin.expected_return
    other_team = office.add_team("須木担当")
    assert team_dashboard(office, team_id=other_team, now=now).field_alerts == []


def test_dashboard_lists_plans_awaiting_approval_as_computed_from_the_log(store):
    _make_supervisor(store)
    cases = [_case(store, f"対象 {i}", "たいしょう") for i in range(5)]
    plans = [store.save_plan(case, goals=[f"目標{i}"], monitoring_date="2027-01-10")
             for i, case in enumerate(cases)]
    store.approve_plan(plans[0])
    store.approve_plan(plans[1])
    store.save_plan(cases[1], goals=["見直し"], monitoring_date="2027-02-10", plan_id=plans[1])
    store.approve_plan(plans[2])
    store.archive("plan", plans[3])  # archived: not listed, approved or not
    board = team_dashboard(store)
    log = store.changes()
    expected = set()
    for case, plan in zip(cases, plans, strict=True):
        ops = {c.op_id for c in log if c.entity == "plan" and c.entity_id == plan}
        seen = [set(c.ctx) for c in log if c.entity == "plan_approval"
                and c.value["plan_id"] == plan]
        if plan != plans[3] and not any(ops <= s for s in seen):
            expected.add((case, plan))
    assert expected == {(cases[1], plans[1]), (cases[4], plans[4])}
    assert {(row.case_id, plan) for row, plan, _ in board.pending_plans} == expected
    assert {goal for _, _, goal in board.pending_plans} == {"見直し", "目標4"}


def test_a_meeting_gap_reads_the_current_plans_agencies_once_one_is_approved(store):
    a, b = store.add_agency("包括"), store.add_agency("基幹")
    case = _case(store)
    person = store.get("case", case)["person_id"]
    store.record_consent(person, agencies=[a], method="oral")
    store.record_visit(case, **visit_fields(next_action="重層的支援会議で共有する"))
    plan = store.save_plan(case, goals=["見守り"], monitoring_date="2027-01-10",
                           roles=[{"agency_id": b, "role": "相談"}])

    def gap() -> tuple:
        found = [g for g in team_dashboard(store).meeting_gaps if g.row.case_id == case]
        return (found[0].invited, found[0].missing) if found else ((), ())

    assert gap() == ((b,), (b,))  # no approved plan yet: the drafted roles count
    _make_supervisor(store)
    store.save_plan(case, goals=["見守り"], monitoring_date="2027-01-10", plan_id=plan,
                    roles=[{"agency_id": a, "role": "見守り"}])
    store.approve_plan(plan)
    assert gap() == ((), ())  # the current plan invites only a, whom consent covers
    store.save_plan(case, goals=["見守り"], monitoring_date="2027-01-10", plan_id=plan,
                    roles=[{"agency_id": a, "role": "見守り"}, {"agency_id": b, "role": "相談"}])
    assert gap() == ((), ())  # the edit awaits 決裁: the approved version is still current
    store.approve_plan(plan)
    assert gap() == ((a, b), (b,))
