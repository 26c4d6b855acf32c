"""Validation at the boundary, through the Store.

Every refused write must raise ``ValidationError`` naming the offending field and leave the store
exactly as it was: no entity, no change in the log, nothing queued in the outbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from support import visit_fields

from outreach_desk.errors import ValidationError


@pytest.fixture
def world(store):
    """A person with an open case, an agency and one recorded visit."""
    person = store.add_person("山田 太郎", "やまだ たろう", "北区", birth_year=1972)
    case = store.open_case(referral_source="minsei_iin", district="北区", person_id=person)
    agency = store.add_agency("北区地域包括支援センター")
    visit = store.record_visit(case, **visit_fields())
    return {"store": store, "person": person, "case": case, "agency": agency, "visit": visit}


def assert_refused(store, field, write):
    """``write`` raises ValidationError on ``field`` and leaves every count unchanged."""
    before = store.counts()
    with pytest.raises(ValidationError) as caught:
        write()
    assert caught.value.field == field, f"expected {field!r}, got {caught.value}"
    after = store.counts()
    assert after == before
    assert after["changes"] == before["changes"] and after["outbox"] == before["outbox"]
    return caught.value


# -- person ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, field",
    [
        (dict(name="", kana="やまだ", district="北区"), "name"),
        (dict(name="   ", kana="やまだ", district="北区"), "name"),
        (dict(name="山田", kana="Yamada", district="北区"), "kana"),
        (dict(name="山田", kana="山田", district="北区"), "kana"),
        (dict(name="山田", kana="やまだ1", district="北区"), "kana"),
        (dict(name="山田", kana="", district="北区"), "kana"),
        (dict(name="山田", kana="やまだ", district=""), "district"),
        (dict(name="山田", kana="やまだ", district="北区", birth_year=1899), "birth_year"),
        (dict(name="山田", kana="やまだ", district="北区", birth_year=datetime.now().year + 1),
         "birth_year"),
        (dict(name="山田", kana="やまだ", district="北区", birth_year="昭和47"), "birth_year"),
        (dict(name="山田", kana="やまだ", district="北区", birth_year="nineteen"), "birth_year"),
        (dict(name="山田", kana="やまだ", district="北区", birth_year=1972.5), "birth_year"),
        (dict(name="山田", kana="やまだ", district="北区", birth_year=True), "birth_year"),
    ],
)
def test_person_refused(store, kwargs, field):
    name, kana, district = kwargs.pop("name"), kwargs.pop("kana"), kwargs.pop("district")
    assert_refused(store, field, lambda: store.add_person(name, kana, district, **kwargs))
    assert store.list_entities("person") == []


def test_person_update_cannot_blank_a_required_field(world):
    store = world["store"]
    assert_refused(store, "name", lambda: store.update("person", world["person"], {"name": ""}))
    assert store.get("person", world["person"])["name"] == "山田 太郎"


def test_person_reference_to_missing_household_refused(store):
    assert_refused(
        store, "household_id",
        lambda: store.add_person("山田", "やまだ", "北区", household_id="no-such-household"),
    )


# -- case ------------------------------------------------------------------------------------


def test_case_needs_a_person_or_a_household(world):
    store = world["store"]
    error = assert_refused(
        store, "person_id", lambda: store.open_case(referral_source="minsei_iin", district="北区")
    )
    assert error.rule == "required"


def test_case_unknown_referral_source_refused(world):
    store = world["store"]
    assert_refused(
        store, "referral_source",
        lambda: store.open_case(referral_source="telepathy", district="北区",
                                person_id=world["person"]),
    )


def test_case_referral_to_nonexistent_person_refused(world):
    store = world["store"]
    assert_refused(
        store, "person_id",
        lambda: store.open_case(referral_source="neighbour", district="北区",
                                person_id="01900000-0000-7000-8000-000000000000"),
    )


def test_case_referral_to_archived_person_refused(world):
    store = world["store"]
    other = store.add_person("鈴木 一郎", "すずき いちろう", "南区")
    store.archive("person", other)
    assert_refused(
        store, "person_id",
        lambda: store.open_case(referral_source="neighbour", district="南区", person_id=other),
    )


def test_case_missing_district_refused(world):
    store = world["store"]
    assert_refused(
        store, "district",
        lambda: store.open_case(referral_source="sns", district="  ", person_id=world["person"]),
    )


def test_case_stage_change_to_unknown_stage_refused(world):
    store = world["store"]
    assert_refused(
        store, "stage", lambda: store.change_case_stage(world["case"], "vanished", on="2026-01-05")
    )
    assert store.get("case", world["case"])["stage"]["stage"] == "identified"


# -- visit -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, field",
    [
        (dict(kind="coffee"), "kind"),
        (dict(met_with="the cat"), "met_with"),
        (dict(relationship_stage="best friends"), "relationship_stage"),
        (dict(occurred_at=(datetime.now() + timedelta(days=3)).isoformat()), "occurred_at"),
        (dict(occurred_at="2026-13-45T10:00"), "occurred_at"),
        (dict(occurred_at="昨日の夕方"), "occurred_at"),
        (dict(occurred_at=""), "occurred_at"),
        (dict(next_action_due="2026-02-01"), "next_action"),
        (dict(next_action="再訪問", next_action_due="2026/02/30"), "next_action_due"),
        (dict(kind="accompany", met_with="nobody"), "met_with"),
    ],
)
def test_visit_refused(world, overrides, field):
    store = world["store"]
    assert_refused(
        store, field, lambda: store.record_visit(world["case"], **visit_fields(**overrides))
    )
    assert len(store.visits(world["case"])) == 1


def test_visit_for_nonexistent_case_refused(world):
    store = world["store"]
    assert_refused(
        store, "case_id",
        lambda: store.record_visit("01900000-0000-7000-8000-000000000000", **visit_fields()),
    )


def test_visit_a_few_hours_ahead_is_accepted(world):
    """Clock skew of a few hours (well inside a day) must not block a worker's record."""
    store = world["store"]
    soon = (datetime.now() + timedelta(hours=3)).replace(microsecond=0).isoformat()
    visit_id = store.record_visit(world["case"], **visit_fields(occurred_at=soon))
    assert store.visit(visit_id)["occurred_at"].startswith(soon[:16])


# -- consent ---------------------------------------------------------------------------------


def test_consent_grant_without_agencies_refused(world):
    store = world["store"]
    assert_refused(
        store, "agencies",
        lambda: store.record_consent(world["person"], agencies=[], method="oral"),
    )
    assert store.consent(world["person"]).status.value == "none"


def test_consent_unknown_agency_refused(world):
    store = world["store"]
    assert_refused(
        store, "agencies",
        lambda: store.record_consent(world["person"], agencies=[world["agency"], "no-such-agency"],
                                     method="written"),
    )
    assert store.consent_events(world["person"]) == []


def test_consent_unknown_method_refused(world):
    store = world["store"]
    assert_refused(
        store, "method",
        lambda: store.record_consent(world["person"], agencies=[world["agency"]],
                                     method="telepathy"),
    )


def test_consent_same_agency_twice_refused(world):
    store = world["store"]
    assert_refused(
        store, "agencies",
        lambda: store.record_consent(world["person"], agencies=[world["agency"], world["agency"]],
                                     method="oral"),
    )


# -- plan ------------------------------------------------------------------------------------


def test_plan_empty_goals_refused(world):
    store = world["store"]
    assert_refused(
        store, "goals",
        lambda: store.save_plan(world["case"], goals=[], monitoring_date="2026-04-01"),
    )


def test_plan_blank_goal_refused(world):
    store = world["store"]
    assert_refused(
        store, "goals",
        lambda: store.save_plan(world["case"], goals=["通院の再開", "  "],
                                monitoring_date="2026-04-01"),
    )


def test_plan_role_without_agency_refused(world):
    store = world["store"]
    assert_refused(
        store, "roles",
        lambda: store.save_plan(world["case"], goals=["通院の再開"], monitoring_date="2026-04-01",
                                roles=[{"role": "受診同行"}]),
    )


def test_plan_role_for_nonexistent_agency_refused(world):
    """A role must name an agency that exists, like a meeting attendee or a consent agency."""
    store = world["store"]
    assert_refused(
        store, "roles",
        lambda: store.save_plan(world["case"], goals=["通院の再開"], monitoring_date="2026-04-01",
                                roles=[{"agency_id": "no-such-agency", "role": "受診同行"}]),
    )


def test_plan_missing_monitoring_date_refused(world):
    store = world["store"]
    assert_refused(
        store, "monitoring_date",
        lambda: store.save_plan(world["case"], goals=["通院の再開"], monitoring_date=""),
    )


def test_meeting_unknown_attendee_refused(world):
    store = world["store"]
    assert_refused(
        store, "attendees",
        lambda: store.record_meeting(kind="support_council", held_on="2026-01-20",
                                     attendees=["no-such-agency"], case_ids=[world["case"]]),
    )


# -- amendment -------------------------------------------------------------------------------


def test_amendment_cannot_move_a_visit_to_another_case(world):
    store = world["store"]
    other_case = store.open_case(referral_source="sns", district="北区", person_id=world["person"])
    assert_refused(
        store, "case_id",
        lambda: store.amend_visit(world["visit"], {"case_id": other_case}, "誤入力"),
    )
    assert store.visit(world["visit"])["case_id"] == world["case"]


def test_amendment_with_no_changes_refused(world):
    store = world["store"]
    assert_refused(store, "changes", lambda: store.amend_visit(world["visit"], {}, "誤入力"))


def test_amendment_without_reason_refused(world):
    store = world["store"]
    assert_refused(
        store, "reason",
        lambda: store.amend_visit(world["visit"], {"narrative": "訂正後の記述"}, "  "),
    )
    assert store.visit(world["visit"]).amendments == ()


def test_amendment_with_invalid_value_refused(world):
    store = world["store"]
    assert_refused(
        store, "kind", lambda: store.amend_visit(world["visit"], {"kind": "coffee"}, "種別の誤り")
    )


def test_amendment_of_unknown_field_refused(world):
    store = world["store"]
    assert_refused(
        store, "mood", lambda: store.amend_visit(world["visit"], {"mood": "良好"}, "追記")
    )


# -- normalisation users expect --------------------------------------------------------------


def test_full_width_birth_year_is_read_as_a_number(store):
    person = store.add_person("山田 花子", "やまだ はなこ", "北区", birth_year="１９７２")
    assert store.get("person", person)["birth_year"] == 1972


def test_text_fields_are_trimmed(store):
    person = store.add_person("  山田 花子\u3000", " ヤマダ ハナコ ", " 北区\n",
                              birth_year=" 1972 ")
    found = store.get("person", person)
    assert (found["name"], found["kana"], found["district"], found["birth_year"]) == (
        "山田 花子", "ヤマダ ハナコ", "北区", 1972
    )
    assert [hit.entity_id for hit in store.search("山田 花子")] == [person]


def test_kana_accepts_hiragana_katakana_and_marks(store):
    for kana in ("やまだ　たろう", "ヤマダ・タロー", "ﾔﾏﾀﾞ"):
        person = store.add_person("山田", kana, "北区")
        assert store.get("person", person)["kana"] == kana


def test_japanese_labels_accepted_for_vocab(world):
    store = world["store"]
    case = store.open_case(referral_source="民生委員", district="北区", person_id=world["person"],
                           opened_on="２０２６-０１-０５")
    visit = store.record_visit(case, **visit_fields(kind="家庭訪問", met_with="不在",
                                                    relationship_stage="未接触"))
    found = store.visit(visit)
    assert (found["kind"], found["met_with"], found["relationship_stage"]) == (
        "home_visit", ["nobody"], "no_contact"
    )
    opened = store.get("case", case)
    assert opened["referral_source"] == "minsei_iin"
    assert opened["opened_on"] == "2026-01-05"
    store.change_case_stage(case, "関係づくり", on="2026-01-10", reason="本人と会えた")
    assert store.get("case", case)["stage"]["stage"] == "relationship"


def test_vocab_label_with_stray_spaces_accepted(world):
    """Labels pasted or imported with surrounding spaces are trimmed like every other field."""
    store = world["store"]
    visit = store.record_visit(
        world["case"], **visit_fields(kind=" 家庭訪問 ", met_with="本人\u3000"))
    found = store.visit(visit)
    assert (found["kind"], found["met_with"]) == ("home_visit", ["person"])


def test_amendment_values_are_normalised(world):
    store = world["store"]
    store.amend_visit(world["visit"], {"kind": "電話", "narrative": "  電話で話した。 "},
                      " 種別の誤り ")
    visit = store.visit(world["visit"])
    assert visit["kind"] == "phone"
    assert visit["narrative"] == "電話で話した。"
    assert visit.amendments[0]["reason"] == "種別の誤り"
