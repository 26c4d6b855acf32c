"""Supervision figures (dashboard, monthly report, case history) on generated casework.

Every expected figure is computed here, straight from the records the test wrote (see
``supervision_data.Truth``), never by calling the code under test.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from supervision_data import build

from outreach_desk.dashboard import team_dashboard
from outreach_desk.history import EventKind, case_timeline, plan_versions
from outreach_desk.report import monthly_report, report_csv, write_csv
from outreach_desk.vocab import CaseStage, MetWith, ReferralSource, VisitKind, met_with_set


@pytest.fixture
def casework(store):
    return store, build(store, seed=3, cases=40)


def _day(visit: dict) -> date:
    return datetime.fromisoformat(visit["occurred_at"]).date()


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def test_dashboard_counts_equal_the_records_written(casework):
    store, truth = casework
    today = date.today()
    board = team_dashboard(store, today=today, no_contact_days=20)

    stages = Counter(case.stage for case in truth.cases)
    assert {s.value: len(ids) for s, ids in board.by_stage.items() if ids} == dict(stages)
    open_cases = [case for case in truth.cases if case.is_open]
    assert {d: len(ids) for d, ids in board.by_district.items()} == dict(
        Counter(case.district for case in open_cases))
    assert {w: len(ids) for w, ids in board.by_worker.items()} == dict(
        Counter(case.worker for case in open_cases))
    assert sorted(board.by_stage[CaseStage.CLOSED]) == sorted(
        case.case_id for case in truth.cases if case.stage == "closed")

    first = _monday(today) - timedelta(weeks=11)
    weekly = _weekly(truth, today)
    assert board.weeks[0] == first and len(board.weeks) == 12
    assert board.visits == dict(weekly)
    assert sum(board.visits.values()) > 20  # the generated data is not trivially empty
    some_key = max(weekly, key=weekly.get)
    assert sorted(board.visit_cases[some_key]) == sorted({
        case.case_id for case in truth.cases for v in case.visits
        if (v["author"], _monday(_day(v))) == some_key})

    overdue = sorted(  # a case keeps the next action written last, whatever the visit's date
        case.case_id for case in open_cases
        if case.follow_up_due and date.fromisoformat(case.follow_up_due) < today)
    assert overdue, "the generated data has overdue follow-ups"
    assert sorted(row.case_id for row in board.overdue) == overdue

    def days_since(case) -> int:
        latest = case.latest_visit()
        return (today - (_day(latest) if latest else case.opened)).days

    silent = {case.case_id: days_since(case) for case in open_cases if days_since(case) >= 20}
    assert silent
    assert {row.case_id: days for row, days in board.no_contact} == silent

    gaps = {gap.row.case_id: set(gap.missing) for gap in board.meeting_gaps}
    assert gaps == truth.expected_gaps


def _weekly(truth, today: date) -> Counter:
    first = _monday(today) - timedelta(weeks=11)
    return Counter((v["author"], _monday(_day(v))) for case in truth.cases
                   for v in case.visits if first <= _day(v) <= today)


def test_weekly_visits_follow_new_and_amended_visits_after_a_first_read(casework):
    store, truth = casework
    today = date.today()
    assert team_dashboard(store, today=today).visits == dict(_weekly(truth, today))
    case = next(c for c in truth.cases if any(
        (today - _day(v)).days < 40 for v in c.visits))
    # a new visit, written by another worker than the case's own
    other = next(w for w in truth.workers if w != case.worker)
    me = store.author
    store.set_author(other)
    visit_id = store.record_visit(case.case_id, occurred_at=datetime.now().replace(
        microsecond=0) - timedelta(hours=1), kind="phone", met_with="family",
        relationship_stage="family_contact")
    store.set_author(me)
    new = {**store.visit(visit_id).effective, "id": visit_id, "author": other}
    case.visits.append(new)
    # a visit read before is corrected to another week
    old = next(v for v in case.visits if (today - _day(v)).days < 40 and v["id"] != visit_id)
    moved = datetime.fromisoformat(old["occurred_at"]) - timedelta(days=8)
    store.amend_visit(old["id"], {"occurred_at": moved.isoformat()}, "日付の誤り")
    old.update(store.visit(old["id"]).effective)
    board = team_dashboard(store, today=today)
    assert board.visits == dict(_weekly(truth, today))
    assert case.case_id in board.visit_cases[(other, _monday(_day(new)))]


def test_dashboard_of_one_team_leaves_the_other_teams_out(casework):
    store, truth = casework
    team = truth.teams["須木担当"]
    board = team_dashboard(store, team_id=team, no_contact_days=10_000)
    mine = [case for case in truth.cases if case.team == team]
    assert sorted(board.rows) == sorted(case.case_id for case in mine)
    assert sum(len(ids) for ids in board.by_stage.values()) == len(mine)
    assert {author for author, _ in board.visits} <= {
        w for w, t in truth.workers.items() if t == team}
    assert board.no_contact == []
    assert set(board.chart_workers) == {w for w, t in truth.workers.items() if t == team}


def _report_month() -> tuple[int, int]:
    day = date.today().replace(day=1) - timedelta(days=1)  # last month: complete
    return day.year, day.month


def test_monthly_report_equals_the_records_written(casework):
    store, truth = casework
    year, month = _report_month()
    report = monthly_report(store, year, month)

    def in_month(day: date) -> bool:
        return (day.year, day.month) == (year, month)

    visits = [v for case in truth.cases for v in case.visits if in_month(_day(v))]
    assert visits
    assert report.visits_total == len(visits)
    assert report.visits == {(VisitKind(k), m): n for (k, m), n in Counter(
        (v["kind"], m) for v in visits for m in met_with_set(v["met_with"])).items()}
    assert report.cases_contacted == len({v["case_id"] for v in visits})
    assert report.cases_reached == len({v["case_id"] for v in visits
                                        if met_with_set(v["met_with"]) != (MetWith.NOBODY,)})
    assert report.persons_met == len({v["case_id"] for v in visits
                                      if MetWith.PERSON in met_with_set(v["met_with"])})
    assert report.without_contact() == sum(
        met_with_set(v["met_with"]) == (MetWith.NOBODY,) for v in visits)
    assert report.new_cases == {ReferralSource(s): n for s, n in Counter(
        case.source for case in truth.cases if in_month(case.opened)).items()}
    moves = Counter((CaseStage(before), CaseStage(after)) for case in truth.cases
                    for (_, before), (day, after) in zip(case.stages, case.stages[1:], strict=False)
                    if in_month(day))
    assert moves and report.new_cases  # the month is not trivially empty
    assert report.transitions == dict(moves)
    assert report.entered(CaseStage.CLOSED) == sum(
        n for (_, after), n in moves.items() if after == CaseStage.CLOSED)


def test_monthly_report_csv_opens_as_utf8_with_bom_and_the_right_totals(casework, tmp_path):
    store, truth = casework
    year, month = _report_month()
    team = truth.teams["野尻担当"]
    path = tmp_path / "事業報告.csv"
    write_csv(monthly_report(store, year, month, team_id=team), path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["区分", "項目", "件数"]
    values = {(r[0], r[1]): r[2] for r in rows[1:]}
    assert values[("チーム", "野尻担当")] == ""
    assert values[("対象月", f"{year}年{month}月")] == ""

    mine = [case for case in truth.cases if case.team == team]
    visits = [v for case in mine for v in case.visits
              if (_day(v).year, _day(v).month) == (year, month)]
    assert int(values[("訪問・連絡（延べ件数）", "合計")]) == len(visits)
    assert int(values[("訪問・連絡（延べ件数）", "会えた人: 会えず")]) == sum(
        met_with_set(v["met_with"]) == (MetWith.NOBODY,) for v in visits)
    assert int(values[("訪問・連絡（延べ件数）", "会えず（会えなかった試み）")]) == sum(
        met_with_set(v["met_with"]) == (MetWith.NOBODY,) for v in visits)
    assert int(values[("訪問・連絡（延べ件数）", "家庭訪問／家族")]) == sum(
        v["kind"] == "home_visit" and MetWith.FAMILY in met_with_set(v["met_with"])
        for v in visits)
    contacted = len({v["case_id"] for v in visits})
    assert int(values[("実人数", "訪問・連絡を行ったケース")]) == contacted
    opened = sum((c.opened.year, c.opened.month) == (year, month) for c in mine)
    assert int(values[("新規ケース（把握の経路）", "合計")]) == opened
    assert report_csv(monthly_report(store, year, month, team_id=team)) == raw


def test_case_timeline_holds_every_kind_of_event_in_order(casework):
    store, truth = casework
    third = [case for case in truth.cases if case.is_open][2]  # has a plan and a meeting
    store.save_plan(third.case_id, goals=["見守りを続ける", "通いの場へ"],
                    monitoring_date=date.today() + timedelta(days=60),
                    plan_id=store.case_history(third.case_id).plans[0].id)
    timeline = case_timeline(store, third.case_id)
    kinds = Counter(event.kind for event in timeline.events)
    assert kinds[EventKind.VISIT] == len(third.visits)
    assert kinds[EventKind.STAGE] == len(third.stages)
    assert kinds[EventKind.PLAN] == 2 and kinds[EventKind.MEETING] == 1
    days = [event.day for event in timeline.events]
    assert days == sorted(days)
    versions = plan_versions(store, store.case_history(third.case_id).plans[0].id)
    assert [v.values["goals"] for v in versions] == [["見守りを続ける"],
                                                      ["見守りを続ける", "通いの場へ"]]
    assert [stage for _, stage in timeline.relationship][-1].value == "family_contact"
    assert len(timeline.relationship) == len(third.visits)
    only = timeline.of_kinds({EventKind.STAGE})
    assert [e.item.stage.value for e in only] == [stage for _, stage in third.stages]
