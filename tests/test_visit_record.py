"""What a visit records and what it does to its case (issue 12: points 3, 5 and 10, the core).

* A case's next action (次回の予定) stays until a worker replaces it, marks it 完了 or clears it;
  a visit without one leaves it alone; two laptops' concurrent changes are a conflict.
* A visit's date is bounded: not before the person's birth year, not before the case's opening
  unless confirmed as a late entry, not more than the clock tolerance ahead; a change pulled
  from another laptop out of bounds is held aside with the reason.
* 会えた人 is a set; 同行者, 場所 and 所要時間 are kept; the monthly report counts attempts
  without contact (会えず) alike whatever the kind; old-shape visits still read right.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest
from support import visit_fields

from outreach_desk.caseload import follow_ups
from outreach_desk.changes import Change
from outreach_desk.errors import ValidationError
from outreach_desk.merge import case_follow_up
from outreach_desk.report import monthly_report, report_csv
from outreach_desk.visit_dates import BEFORE_BIRTH, BEFORE_OPENING, FUTURE, DateOutOfBounds
from outreach_desk.vocab import MetWith, ReferralSource, VisitKind

TODAY = date.today()
OPENED = TODAY - timedelta(days=60)


def at(days_ago: int, hour: int = 10) -> str:
    return datetime.combine(TODAY - timedelta(days=days_ago),
                            datetime.min.time()).replace(hour=hour).isoformat()


def _case(store, birth_year=1988, opened_on=OPENED):
    person = store.add_person("石川 健", "いしかわ けん", "野尻", birth_year=birth_year)
    return store.open_case(referral_source="minsei_iin", district="野尻", person_id=person,
                           opened_on=opened_on)


def _shown(store, case_id):
    row = store.caseload([case_id])[0]
    return row.next_action, row.next_action_due


# -- 3. the case's next action ------------------------------------------------------------------


def test_a_visit_without_a_next_action_keeps_the_cases(store):
    case = _case(store)
    due = (TODAY - timedelta(days=2)).isoformat()
    store.record_visit(case, **visit_fields(occurred_at=at(9), next_action="再訪",
                                            next_action_due=due))
    store.record_visit(case, **visit_fields(occurred_at=at(1), kind="letter",
                                            met_with=["nobody"], narrative="不在のため置き手紙"))
    assert _shown(store, case) == ("再訪", due)
    assert [r.case_id for r in store.follow_ups(TODAY).overdue] == [case]  # still 期限切れ


def test_a_visit_with_a_next_action_replaces_it(store):
    case = _case(store)
    store.record_visit(case, **visit_fields(occurred_at=at(9), next_action="再訪"))
    store.record_visit(case, **visit_fields(occurred_at=at(1), next_action="電話をかける",
                                            next_action_due=TODAY.isoformat()))
    assert _shown(store, case) == ("電話をかける", TODAY.isoformat())


def test_done_or_cleared_on_purpose_leaves_the_case_without_a_next_action(store):
    case = _case(store)
    store.record_visit(case, **visit_fields(occurred_at=at(3), next_action="再訪",
                                            next_action_due=TODAY.isoformat()))
    assert [r.case_id for r in store.follow_ups(TODAY).without] == []
    store.complete_follow_up(case)
    assert _shown(store, case) == (None, None)
    assert [r.case_id for r in store.follow_ups(TODAY).without] == [case]
    assert store.get("case", case)["follow_up"]["done_on"] == TODAY.isoformat()
    with pytest.raises(ValidationError):
        store.complete_follow_up(case)  # nothing left to mark done
    store.set_follow_up(case, "包括に連絡", TODAY + timedelta(days=3))
    assert _shown(store, case) == ("包括に連絡", (TODAY + timedelta(days=3)).isoformat())
    store.clear_follow_up(case)
    assert _shown(store, case) == (None, None)
    # and a later visit without a next action does not bring an old one back
    store.record_visit(case, **visit_fields(occurred_at=at(0, hour=0)))
    assert _shown(store, case) == (None, None)


def test_concurrent_next_action_changes_on_two_laptops_are_a_conflict(make_store):
    first = make_store("first", worker_name="佐藤 花子")
    second = make_store("second", worker_name="高橋 次郎")
    case = _case(first)
    first.record_visit(case, **visit_fields(occurred_at=at(5), next_action="再訪"))
    second.apply_remote(first.changes())
    first.set_follow_up(case, "民生委員に近況を聞く", TODAY)
    second.record_visit(case, **visit_fields(occurred_at=at(1), next_action="電話をかける"))
    first.apply_remote(second.changes())
    second.apply_remote(first.changes())
    for store in (first, second):
        values = {v.value["action"] for v in store.field_values("case", case, "follow_up")}
        assert values == {"民生委員に近況を聞く", "電話をかける"}
        assert ("case", case, "follow_up") in {
            (c.entity, c.entity_id, c.field) for c in store.open_conflicts()}
    assert _shown(first, case) == _shown(second, case)  # the same winner on both
    first.set_follow_up(case, "電話をかける", None)  # resolving it replaces both values
    second.apply_remote(first.changes())
    assert second.open_conflicts() == [] and _shown(second, case) == ("電話をかける", None)


def test_case_follow_up_is_a_pure_rule_over_the_register_and_old_visits():
    old = {"next_action": "柿の季節に再訪", "next_action_due": "2026-03-01"}
    quiet = {"next_action": None, "next_action_due": None}
    register = {"action": "電話をかける", "due": None}
    assert case_follow_up(None, None, old, 5) == ("柿の季節に再訪", "2026-03-01")
    assert case_follow_up(None, None, quiet, 5) == (None, None)  # as it showed before
    assert case_follow_up(register, 9, old, 5) == ("電話をかける", None)
    assert case_follow_up(register, 9, quiet, 12) == ("電話をかける", None)
    assert case_follow_up(register, 9, old, 12) == ("柿の季節に再訪", "2026-03-01")
    assert case_follow_up({**register, "done_on": "2026-03-02"}, 9, None, None) == (None, None)


def test_follow_ups_list_open_cases_without_a_next_action(store):
    planned, unplanned = _case(store), _case(store)
    closed = _case(store)
    store.record_visit(planned, **visit_fields(occurred_at=at(2), next_action="再訪",
                                               next_action_due=TODAY.isoformat()))
    store.record_visit(unplanned, **visit_fields(occurred_at=at(2)))
    store.change_case_stage(closed, "closed", reason="転居")
    groups = follow_ups(store.caseload(), TODAY)
    assert [r.case_id for r in groups.today] == [planned]
    assert [r.case_id for r in groups.without] == [unplanned]


# -- 5. dates with bounds -----------------------------------------------------------------------


def test_a_visit_before_the_persons_birth_year_is_refused_naming_it(store):
    case = _case(store, birth_year=1988, opened_on="1980-01-01")
    with pytest.raises(DateOutOfBounds) as refused:
        store.record_visit(case, **visit_fields(occurred_at="1752-12-08T10:00",
                                                late_entry_confirmed=True))
    assert refused.value.rule == BEFORE_BIRTH and refused.value.bound == 1988
    assert "1988年" in refused.value.message and "生まれ年" in refused.value.message
    assert store.visits(case) == []


def test_a_visit_before_the_case_opened_needs_the_late_entry_confirmation(store):
    case = _case(store, opened_on="2026-04-01")
    early = visit_fields(occurred_at="2026-02-10T10:00")
    with pytest.raises(DateOutOfBounds) as refused:
        store.record_visit(case, **early)
    assert refused.value.rule == BEFORE_OPENING and refused.value.bound == "2026-04-01"
    assert "2026年4月1日" in refused.value.message and "開始日" in refused.value.message
    assert store.visits(case) == []
    visit_id = store.record_visit(case, **early, late_entry_confirmed=True)
    assert store.visit(visit_id)["late_entry_confirmed"] is True
    # the day before the opening is part of the case (entered the morning after)
    store.record_visit(case, **visit_fields(occurred_at="2026-03-31T18:00"))


def test_a_visit_further_ahead_than_the_clock_tolerance_is_refused(store):
    case = _case(store)
    ahead = (datetime.now() + timedelta(hours=30)).replace(microsecond=0).isoformat()
    with pytest.raises(ValidationError) as refused:
        store.record_visit(case, **visit_fields(occurred_at=ahead))
    assert refused.value.rule == FUTURE and refused.value.field == "occurred_at"


def test_an_amendment_cannot_move_a_visit_out_of_bounds(store):
    case = _case(store, opened_on="2026-04-01")
    visit_id = store.record_visit(case, **visit_fields(occurred_at="2026-05-01T10:00"))
    with pytest.raises(DateOutOfBounds):
        store.amend_visit(visit_id, {"occurred_at": "1752-12-08T10:00"}, "日付の誤り")
    assert store.visit(visit_id).amendments == ()
    store.amend_visit(visit_id, {"occurred_at": "2026-03-01T10:00",
                                 "late_entry_confirmed": True}, "古い記録の日付に訂正")
    assert store.visit(visit_id)["occurred_at"].startswith("2026-03-01")


def test_a_pulled_visit_out_of_bounds_is_held_with_its_reason(make_store):
    office = make_store("office", worker_name="佐藤 花子")
    laptop = make_store("laptop", worker_name="高橋 次郎")
    case = _case(office, opened_on="2026-04-01")
    laptop.apply_remote(office.changes())
    before = laptop.changes()
    # a laptop whose own check was skipped (an older build): its visit is dated 1752
    visit = next(c for c in before if c.entity == "case")
    bad = Change(site="0ther1aptop000000", seq=1, hlc=visit.hlc + 1, entity="visit",
                 entity_id="v-1752", field="*", ctx=(), author="w9",
                 value={"case_id": case, "occurred_at": "1752-12-08T10:00+09:00",
                        "kind": "home_visit", "met_with": "person",
                        "relationship_stage": "met_person", "narrative": "誤入力"})
    result = office.apply_remote([bad])
    assert result.applied == 0 and len(result.held) == 1
    held = dict(office.held_changes())
    assert "生まれ年" in held[bad.op_id] or "開始日" in held[bad.op_id]
    assert office.visits(case) == []
    # kept, not dropped: still held after the next round
    office.retry_held()
    assert bad.op_id in dict(office.held_changes())


# -- 10. what a visit records -------------------------------------------------------------------


def test_a_visit_records_a_set_of_people_met_companions_place_and_duration(store):
    case = _case(store)
    colleague = store.add_worker("田中 一郎")
    agency = store.add_agency("のじり地域包括支援センター")
    visit_id = store.record_visit(case, **visit_fields(
        met_with=["家族", "本人", "family"], companion_workers=[colleague],
        companion_agencies=[agency], place="自宅の縁側", duration_minutes="４５"))
    visit = store.visit(visit_id)
    assert visit["met_with"] == ["person", "family"]  # a set, in the vocabulary's order
    assert (visit["companion_workers"], visit["companion_agencies"]) == ([colleague], [agency])
    assert (visit["place"], visit["duration_minutes"]) == ("自宅の縁側", 45)
    with pytest.raises(ValidationError) as refused:
        store.record_visit(case, **visit_fields(met_with=["person", "nobody"]))
    assert refused.value.field == "met_with" and refused.value.rule == "nobody_alone"
    with pytest.raises(ValidationError):
        store.record_visit(case, **visit_fields(companion_agencies=["no-such-agency"]))
    with pytest.raises(ValidationError):
        store.record_visit(case, **visit_fields(duration_minutes=0))


def test_referral_sources_include_self_family_medical_school_and_the_city_desk(store):
    labels = {source.label for source in ReferralSource}
    assert {"本人・家族", "医療機関", "学校", "行政の窓口"} <= labels
    person = store.add_person("石川 ミヨ", "いしかわ みよ", "須木")
    case = store.open_case(referral_source="学校", district="須木", person_id=person)
    assert store.get("case", case)["referral_source"] == "school"


def test_the_report_counts_attempts_without_contact_alike_whatever_the_kind(store):
    case = _case(store)
    year, month = TODAY.year, TODAY.month
    day = at(0, hour=0)
    store.record_visit(case, **visit_fields(occurred_at=day, kind="home_visit",
                                            met_with=["nobody"]))
    store.record_visit(case, **visit_fields(occurred_at=day, kind="letter",
                                            met_with=["nobody"]))
    store.record_visit(case, **visit_fields(occurred_at=day, kind="agency_contact",
                                            met_with=["agency"]))
    store.record_visit(case, **visit_fields(occurred_at=day, met_with=["person", "family"]))
    report = monthly_report(store, year, month)
    assert report.visits_total == 4
    assert report.without_contact() == 2  # the 不在 home visit and the letter, together
    assert report.with_contact() == 2
    assert report.visits_of(kind=VisitKind.AGENCY_CONTACT, met=MetWith.NOBODY) == 0
    assert report.visits_of(met=MetWith.AGENCY) == 1
    assert report.visits_of(met=MetWith.PERSON) == report.visits_of(met=MetWith.FAMILY) == 1
    text = report_csv(report).decode("utf-8-sig")
    assert "会えず（会えなかった試み）,2" in text and "会えた人: 関係機関,1" in text


def test_a_visit_of_the_old_shape_from_a_laptop_not_yet_upgraded_reads_right(store):
    case = _case(store)
    template = next(c for c in store.changes() if c.entity == "case")
    old = {"case_id": case, "occurred_at": at(1), "kind": "phone", "met_with": "family",
           "relationship_stage": "family_contact", "narrative": "母親と電話",
           "next_action": "本人に手紙", "next_action_due": None}
    change = dataclasses.replace(template, site="01dlaptop0000000", seq=1, hlc=template.hlc + 1,
                                 entity="visit", entity_id="v-old", field="*", value=old, ctx=())
    assert store.apply_remote([change]).applied == 1
    visit = store.visit("v-old")
    assert visit["met_with"] == ["family"] and visit["place"] is None
    assert _shown(store, case) == ("本人に手紙", None)  # it set the next action, as it did
    yesterday = TODAY - timedelta(days=1)
    report = monthly_report(store, yesterday.year, yesterday.month)
    assert report.visits_of(kind=VisitKind.PHONE, met=MetWith.FAMILY) == 1
    nobody = dataclasses.replace(change, seq=2, hlc=template.hlc + 2, entity_id="v-old2",
                                 value={**old, "met_with": "nobody", "next_action": None})
    store.apply_remote([nobody])
    assert store.visit("v-old2")["met_with"] == ["nobody"]
