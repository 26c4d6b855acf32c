"""Meetings due (the seeds' rule: at plan creation, re-plan, closing and suspension) on
generated casework, against the occasions and meetings the test itself wrote."""

from __future__ import annotations

import random
from datetime import date, timedelta

from outreach_desk.dashboard import DueReason, team_dashboard
from outreach_desk.history import EventKind, case_timeline
from outreach_desk.vocab import CaseStage, MeetingKind


def test_meetings_due_equal_an_independent_count(store):
    rng = random.Random(7)
    today = date.today()
    agency = store.add_agency("福祉課")
    expected: dict[str, tuple[DueReason, str, str | None]] = {}
    for n in range(40):
        person = store.add_person(f"対象 {n}", "たいしょう", "野尻")
        case = store.open_case(referral_source="sns", district="野尻", person_id=person,
                               opened_on=today - timedelta(days=200))
        occasions: list[tuple[str, DueReason]] = []  # in the order written
        if rng.random() < 0.6:  # a plan, maybe saved again
            plan = store.save_plan(case, goals=["外出の機会をつくる"], monitoring_date=today,
                                   roles=[{"agency_id": agency, "role": "見守り"}])
            occasions.append((today.isoformat(), DueReason.PLAN))
            again = rng.choice(["goals", "roles", "monitoring", None])
            if again == "goals":
                store.save_plan(case, goals=["通いの場に行く"], monitoring_date=today,
                                roles=[{"agency_id": agency, "role": "見守り"}], plan_id=plan)
            elif again == "roles":
                store.save_plan(case, goals=["外出の機会をつくる"], monitoring_date=today,
                                roles=[{"agency_id": agency, "role": "同行"}], plan_id=plan)
            elif again == "monitoring":  # only the date moves: not a new plan
                store.save_plan(case, goals=["外出の機会をつくる"],
                                monitoring_date=today + timedelta(days=30),
                                roles=[{"agency_id": agency, "role": "見守り"}], plan_id=plan)
            if again in ("goals", "roles"):
                occasions.append((today.isoformat(), DueReason.REPLAN))
        end = rng.choice([None, None, CaseStage.CLOSED, CaseStage.SUSPENDED])
        if end is not None:
            day = today - timedelta(days=rng.randint(0, 60))
            store.change_case_stage(case, end, on=day)
            occasions.append((day.isoformat(),
                              DueReason.CLOSED if end is CaseStage.CLOSED else
                              DueReason.SUSPENDED))
        meetings = []
        for _ in range(rng.randint(0, 2)):
            kind = rng.choice(list(MeetingKind))
            held = today + timedelta(days=rng.randint(-90, 20))
            store.record_meeting(kind=kind, held_on=held, attendees=[agency], case_ids=[case])
            meetings.append((kind, held.isoformat()))
        if not occasions:
            continue
        # the latest occasion: the latest day, and among the same day the one written last
        index = max(range(len(occasions)), key=lambda i: (occasions[i][0], i))
        since, reason = occasions[index]
        counted = [held for kind, held in meetings if kind is not MeetingKind.REGULAR]
        if any(since <= held <= today.isoformat() for held in counted):
            continue
        later = sorted(h for h in counted if h > today.isoformat() and h >= since)
        expected[case] = (reason, since, later[0] if later else None)

    board = team_dashboard(store, today=today)
    found = {due.row.case_id: (due.reason, due.since, due.planned)
             for due in board.meetings_due}
    assert found == expected
    assert len(expected) >= 8, "the generated data is not trivially empty"
    assert {reason for reason, _, _ in expected.values()} >= {DueReason.PLAN, DueReason.CLOSED}


def test_recording_the_meeting_clears_it_and_the_timeline_shows_it(store):
    agency = store.add_agency("福祉課")
    person = store.add_person("山田 太郎", "やまだ たろう", "野尻")
    case = store.open_case(referral_source="sns", district="野尻", person_id=person)
    store.save_plan(case, goals=["外出の機会をつくる"], monitoring_date=date.today())
    board = team_dashboard(store)
    assert [(d.row.case_id, d.reason) for d in board.meetings_due] == [(case, DueReason.PLAN)]
    meeting = store.record_meeting(kind=MeetingKind.SUPPORT_COUNCIL, held_on=date.today(),
                                   attendees=[agency], case_ids=[case],
                                   decisions="月1回の訪問を続ける",
                                   next_monitoring_date=date.today() + timedelta(days=60))
    assert team_dashboard(store).meetings_due == []
    events = case_timeline(store, case).of_kinds({EventKind.MEETING})
    assert [e.item.id for e in events] == [meeting]
    assert events[0].item["decisions"] == "月1回の訪問を続ける"
