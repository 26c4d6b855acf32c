"""Generated casework for the supervision tests, with the ground truth kept beside it.

``build(store, seed)`` writes teams, workers, cases, visits (some amended), stage changes,
consent events, plans and meetings through the ordinary Store API, and returns a ``Truth``: plain
lists of what was written, from which a test computes the expected figures itself.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from outreach_desk.store import Store

KINDS = ("home_visit", "accompany", "phone", "letter", "office_visit", "agency_contact")
METS = ("person", "family", "nobody")
STAGES = ("identified", "relationship", "assessment", "planning", "support")
SOURCES = ("minsei_iin", "community_care_center", "neighbour", "lifeline", "sns")
DISTRICTS = ("野尻", "須木", "小林", "西部")
NEXT_MEETING = "重層的支援会議で共有する"


@dataclass
class CaseTruth:
    case_id: str
    person_id: str
    team: str
    worker: str
    district: str
    source: str
    opened: date
    stages: list[tuple[date, str]]  # every stage the case went through, dated, in order
    visits: list[dict] = field(default_factory=list)  # effective values + "author", "id"
    follow_up_due: str | None = None  # the due date of the last next action written

    @property
    def stage(self) -> str:
        return self.stages[-1][1]

    @property
    def is_open(self) -> bool:
        return self.stage not in ("closed", "suspended")

    def latest_visit(self) -> dict | None:
        return max(self.visits, key=lambda v: v["occurred_at"]) if self.visits else None


@dataclass
class Truth:
    teams: dict[str, str]  # name -> id
    workers: dict[str, str]  # id -> team id
    agencies: list[str]
    cases: list[CaseTruth]
    expected_gaps: dict[str, set[str]]  # case id -> agencies its consent lacks


def _at(day: date, rng: random.Random) -> datetime:
    moment = datetime.combine(day, time(rng.randint(9, 16), rng.choice((0, 15, 30, 45))))
    return min(moment, datetime.now() - timedelta(minutes=5)).replace(microsecond=0)


def build(store: Store, seed: int = 3, cases: int = 40) -> Truth:
    rng = random.Random(seed)
    today = date.today()
    me = store.author
    teams = {"野尻担当": store.add_team("野尻担当"), "須木担当": store.add_team("須木担当")}
    workers = {}
    for name, team in (("木村 一郎", "野尻担当"), ("林 二美", "野尻担当"), ("森 三郎", "須木担当")):
        workers[store.add_worker(name, team_id=teams[team])] = teams[team]
    agencies = [store.add_agency(name) for name in ("包括", "基幹", "こども家庭センター")]
    truth = Truth(teams, workers, agencies, [], {})
    for index in range(cases):
        worker = rng.choice(list(workers))
        district = rng.choice(DISTRICTS)
        opened = today - timedelta(days=rng.randint(5, 200))
        household = store.create_household(f"世帯{index}", district)
        person = store.add_person(f"対象 {index}", "たいしょう", district, household_id=household)
        source = rng.choice(SOURCES)
        store.set_author(worker)
        case_id = store.open_case(referral_source=source, district=district, person_id=person,
                                  opened_on=opened, team_id=workers[worker], worker_id=worker)
        case = CaseTruth(case_id, person, workers[worker], worker, district, source, opened,
                         [(opened, "identified")])
        day = opened
        for stage in STAGES[1:rng.randint(1, len(STAGES))]:
            day = min(today, day + timedelta(days=rng.randint(3, 40)))
            store.change_case_stage(case_id, stage, on=day)
            case.stages.append((day, stage))
        if rng.random() < 0.2:
            day = min(today, day + timedelta(days=rng.randint(1, 30)))
            final = rng.choice(("closed", "suspended"))
            store.change_case_stage(case_id, final, on=day)
            case.stages.append((day, final))
        for _ in range(rng.randint(0, 9)):
            visit_day = opened + timedelta(days=rng.randint(0, (today - opened).days))
            kind = rng.choice(KINDS)
            met = "person" if kind == "accompany" else rng.choice(METS)
            values = {"occurred_at": _at(visit_day, rng).isoformat(), "kind": kind,
                      "met_with": met, "relationship_stage": "met_person"}
            if rng.random() < 0.7:
                values["next_action"] = "また訪問する"
                values["next_action_due"] = (visit_day + timedelta(days=rng.randint(1, 40)))
            visit_id = store.record_visit(case_id, **values)
            if values.get("next_action"):  # the case's next action: the one written last
                case.follow_up_due = values["next_action_due"].isoformat()
            values["next_action_due"] = (values["next_action_due"].isoformat()
                                         if values.get("next_action_due") else None)
            values["occurred_at"] = store.visit(visit_id).effective["occurred_at"]
            values.update(id=visit_id, author=worker, case_id=case_id)
            if rng.random() < 0.15:  # a correction: other day and whom they met
                moved = min(today, visit_day + timedelta(days=rng.randint(-20, 20)))
                moved = max(moved, opened)
                fix = {"occurred_at": _at(moved, rng).isoformat(), "met_with": "family",
                       "kind": "home_visit"}
                store.amend_visit(visit_id, fix, "日付と会えた人の誤り")
                values.update(store.visit(visit_id).effective)
            case.visits.append(values)
        truth.cases.append(case)
    store.set_author(me)
    _meeting_cases(store, truth, today)
    return truth


def _meeting_cases(store: Store, truth: Truth, today: date) -> None:
    """Four open cases heading for a 重層的支援会議, with known consent."""
    me = store.author
    a, b, c = truth.agencies
    open_cases = [case for case in truth.cases if case.is_open]
    first, second, third, fourth = open_cases[:4]
    future = today + timedelta(days=10)
    # first: consent for a only, invited a and b -> b missing
    store.record_consent(first.person_id, agencies=[a], method="oral")
    # second: consent for a and b, invited a -> covered
    store.record_consent(second.person_id, agencies=[a, b], method="written")
    # fourth: consent for a and b, then b withdrawn; invited a and b -> b missing
    store.record_consent(fourth.person_id, agencies=[a, b], method="oral")
    store.record_withdrawal(fourth.person_id, agencies=[b], method="oral")
    store.record_meeting(kind="multi_agency", held_on=future, attendees=[a, b],
                         case_ids=[first.case_id, fourth.case_id])
    store.record_meeting(kind="multi_agency", held_on=future, attendees=[a],
                         case_ids=[second.case_id])
    # an old meeting and a 支援会議 ahead: neither is a next step towards a 重層的支援会議
    store.record_meeting(kind="multi_agency", held_on=today - timedelta(days=30),
                         attendees=[a, b, c], case_ids=[second.case_id])
    store.record_meeting(kind="support_council", held_on=future, attendees=[a, b, c],
                         case_ids=[third.case_id])
    # third: no consent at all, next action names the meeting, plan roles c -> c missing
    store.save_plan(third.case_id, goals=["見守りを続ける"], monitoring_date=future,
                    roles=[{"agency_id": c, "role": "相談"}])
    store.set_author(third.worker)
    moment = datetime.now().replace(microsecond=0) - timedelta(minutes=1)
    visit_id = store.record_visit(third.case_id, occurred_at=moment.isoformat(), kind="phone",
                                  met_with="family", relationship_stage="family_contact",
                                  next_action=NEXT_MEETING)
    third.visits.append({**store.visit(visit_id).effective, "id": visit_id,
                         "author": third.worker})
    store.set_author(me)
    truth.expected_gaps = {first.case_id: {b}, fourth.case_id: {b}, third.case_id: {c}}
