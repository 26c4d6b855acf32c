"""Caseload rows, follow-ups, 名寄せ candidates and drafts, as the desktop client reads them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from support import PASSPHRASE

from outreach_desk.matching import match_key
from outreach_desk.store import Store
from outreach_desk.vocab import CaseStage, ConsentStatus, RelationshipStage

TODAY = date.today()
OPENED = TODAY - timedelta(days=90)  # visits in the tests are dated after the cases opened


def at(days_ago: int, hour: int = 10) -> str:
    moment = datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time())
    return moment.replace(hour=hour).isoformat()


def visit(store, case_id, days_ago, stage, due_in=None, **extra):
    due = (TODAY + timedelta(days=due_in)).isoformat() if due_in is not None else None
    return store.record_visit(
        case_id, occurred_at=at(days_ago), kind="home_visit", met_with="person",
        relationship_stage=stage, narrative="話せた", next_action="再訪" if due else None,
        next_action_due=due, **extra,
    )


@pytest.fixture
def two_cases(store):
    kuroki = store.add_person("黒木 ハナ", "くろき はな", "野尻", birth_year=1950)
    tanaka = store.add_person("田中 一郎", "たなか いちろう", "須木", birth_year=1972)
    c1 = store.open_case(opened_on=OPENED, referral_source="minsei_iin", district="野尻",
                         person_id=kuroki)
    c2 = store.open_case(opened_on=OPENED, referral_source="neighbour", district="須木",
                         person_id=tanaka)
    return kuroki, tanaka, c1, c2


def test_caseload_rows_carry_the_latest_visit_consent_and_trend(store, two_cases):
    kuroki, tanaka, c1, c2 = two_cases
    visit(store, c1, 20, "no_contact")
    visit(store, c1, 3, "met_person", due_in=-1)
    visit(store, c2, 10, "ongoing", due_in=5)
    visit(store, c2, 2, "family_contact", due_in=0)
    agency = store.add_agency("地域包括支援センター")
    store.record_consent(kuroki, agencies=[agency], method="oral")
    store.record_consent(tanaka, agencies=[agency], method="written")
    store.record_withdrawal(tanaka, agencies=[], method="oral")

    rows = {row.case_id: row for row in store.caseload()}
    assert set(rows) == {c1, c2}
    r1, r2 = rows[c1], rows[c2]
    assert (r1.name, r1.kana, r1.district) == ("黒木 ハナ", "くろき はな", "野尻")
    assert r1.stage is CaseStage.IDENTIFIED and r1.stage_since == OPENED.isoformat()
    assert r1.consent is ConsentStatus.GRANTED and r2.consent is ConsentStatus.WITHDRAWN
    assert r1.relationship is RelationshipStage.MET_PERSON and r1.trend == 1
    assert r2.relationship is RelationshipStage.FAMILY_CONTACT and r2.trend == -1
    assert r1.last_visit_at.startswith(at(3)[:16]) and r1.overdue(TODAY) and not r2.overdue(TODAY)
    # newest contact first
    assert [row.case_id for row in store.caseload()] == [c2, c1]
    assert [row.case_id for row in store.caseload([c2])] == [c2]

    ups = store.follow_ups(TODAY)
    assert [r.case_id for r in ups.overdue] == [c1]
    assert [r.case_id for r in ups.today] == [c2]
    assert ups.this_week == []

    store.change_case_stage(c1, "closed", reason="転居")
    assert store.follow_ups(TODAY).overdue == []  # closed cases have no follow-ups
    assert {r.case_id: r.stage for r in store.caseload()}[c1] is CaseStage.CLOSED


def test_amendment_of_the_due_date_moves_the_follow_up(store, two_cases):
    _, _, c1, _ = two_cases
    visit_id = visit(store, c1, 1, "met_person", due_in=3)
    assert [r.case_id for r in store.follow_ups(TODAY).this_week] == [c1]
    store.amend_visit(visit_id, {"next_action_due": (TODAY - timedelta(days=1)).isoformat()},
                      "日付の記入誤り")
    assert [r.case_id for r in store.follow_ups(TODAY).overdue] == [c1]


def test_archived_case_leaves_the_caseload(store, two_cases):
    _, _, c1, c2 = two_cases
    store.archive("case", c1)
    assert [row.case_id for row in store.caseload()] == [c2]


@pytest.mark.parametrize("typed",
                         ["クロキ ハナ", "ｸﾛｷ ﾊﾅ", "くろき　はな", "くろき・はな", "クロキハナ"])
def test_same_reading_in_another_script_is_a_strong_duplicate(store, two_cases, typed):
    kuroki = two_cases[0]
    found = store.person_candidates(kana=typed)
    assert [c.person_id for c in found] == [kuroki]
    assert found[0].strong and "reading" in found[0].reasons


def test_voicing_spelling_variants_share_a_key():
    assert match_key("ちぢみ") == match_key("ちじみ")
    assert match_key("スズキ") == match_key("すづき")
    assert match_key("コーイチ") == match_key("コイチ")  # the long-vowel mark is ignored
    assert match_key("たなか") != match_key("なかた")


def test_family_reading_alone_is_not_a_duplicate_but_with_year_and_district_it_is(store,
                                                                                 two_cases):
    kuroki = two_cases[0]
    assert store.person_candidates(kana="くろき たろう") == []
    assert store.person_candidates(kana="くろき たろう", birth_year=1950) == []
    found = store.person_candidates(kana="くろき たろう", birth_year=1950, district="野尻")
    assert [c.person_id for c in found] == [kuroki]
    assert not found[0].strong and set(found[0].reasons) == {"family", "birth_year", "district"}


def test_same_written_name_is_a_duplicate_and_archived_people_are_not(store, two_cases):
    kuroki = two_cases[0]
    assert [c.person_id for c in store.person_candidates(name="黒木ハナ")] == [kuroki]
    assert store.person_candidates(name="黒木ハナ", exclude=kuroki) == []
    store.archive("person", kuroki)
    assert store.person_candidates(name="黒木ハナ") == []


def test_renamed_person_is_found_by_the_new_reading_only(store, two_cases):
    kuroki = two_cases[0]
    store.update("person", kuroki, {"kana": "くろぎ はな"})
    assert store.person_candidates(kana="くろき はな") == []
    assert [c.person_id for c in store.person_candidates(kana="クロギ ハナ")] == [kuroki]


def test_drafts_are_kept_encrypted_and_survive_reopening(tmp_path, make_store):
    store = make_store("s", worker_name="佐藤 花子")
    store.save_draft("visit:c1", "visit", {"narrative": "柿の木の下で話した", "kind": "home_visit"})
    store.save_draft("visit:c2", "visit", {"narrative": "二件目"})
    store.save_draft("visit:c1", "visit", {"narrative": "柿の木の下で長く話した"})
    before = store.counts()
    store.close()
    raw = b"".join(p.read_bytes() for p in (tmp_path / "s").iterdir() if p.is_file())
    assert "柿の木".encode() not in raw
    with Store.open(tmp_path / "s", PASSPHRASE) as reopened:
        assert reopened.draft("visit:c1") == {"narrative": "柿の木の下で長く話した"}
        assert {key for key, _, _ in reopened.drafts("visit")} == {"visit:c1", "visit:c2"}
        assert reopened.outbox() == [] or all(c.entity != "draft" for c in reopened.outbox())
        reopened.discard_draft("visit:c1")
        assert reopened.draft("visit:c1") is None
        assert reopened.counts() == before  # drafts are not records


def test_first_run_creates_the_worker_in_a_team(make_store):
    store = make_store("s", worker_name="佐藤 花子", team_name="野尻担当")
    worker = store.worker()
    assert worker["name"] == "佐藤 花子"
    assert store.get("team", worker["team_id"])["name"] == "野尻担当"
    assert store.author == worker.id


def test_background_reads_and_foreground_writes_share_the_connection(store, two_cases):
    """The client reads (search, caseload) on a worker thread while the worker saves visits."""
    import threading

    _, _, c1, _ = two_cases
    stop = threading.Event()
    errors: list[BaseException] = []
    seen: list[int] = []

    def reader():
        try:
            while not stop.is_set():
                store.search("話せた")
                with store.db.reading():  # one consistent view across statements
                    visits = store.db.execute("SELECT count(*) FROM visits").fetchone()[0]
                    log = store.db.execute(
                        "SELECT count(*) FROM changes WHERE entity = 'visit'").fetchone()[0]
                assert visits == log, "a reader saw a transaction half-way"
                seen.append(visits)
        except BaseException as exc:  # reported below, on the test thread
            errors.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(40):
            visit(store, c1, i % 20, "met_person")
    finally:
        stop.set()
        thread.join(10)
    assert errors == []
    assert len(seen) > 1 and seen == sorted(seen)
    assert len(store.visits(c1)) == 40


def test_a_failed_first_run_leaves_no_half_made_store(tmp_path):
    from support import FAST_KDF

    from outreach_desk.errors import ValidationError

    folder = tmp_path / "s"
    with pytest.raises(ValidationError):
        Store.create(folder, PASSPHRASE, worker_name="   ", team_name="野尻担当", kdf=FAST_KDF)
    assert list(folder.iterdir()) == []
    Store.create(folder, PASSPHRASE, worker_name="佐藤 花子", kdf=FAST_KDF).close()  # can retry


def test_latest_visit_is_found_by_true_time_across_offsets_and_amendments(store, two_cases):
    _, _, c1, _ = two_cases
    day = (TODAY - timedelta(days=2)).isoformat()
    tokyo = store.record_visit(c1, occurred_at=f"{day}T10:00+09:00", kind="phone",
                               met_with="family", relationship_stage="family_contact",
                               narrative="東京時間の記録", next_action="東京")
    store.record_visit(c1, occurred_at=f"{day}T02:00+00:00", kind="phone", met_with="person",
                       relationship_stage="met_person", narrative="UTCの記録",
                       next_action="UTC")
    row = store.caseload([c1])[0]
    # 02:00Z is after 10:00+09:00 (= 01:00Z)
    assert row.last_visit_at.endswith("T02:00+00:00") and row.relationship is not None
    assert row.relationship_prev is RelationshipStage.FAMILY_CONTACT
    store.amend_visit(tokyo, {"occurred_at": f"{day}T12:00+09:00"}, "時刻の記入誤り")
    row = store.caseload([c1])[0]
    assert row.last_visit_at.endswith("T12:00+09:00")
    assert row.relationship_prev is RelationshipStage.MET_PERSON
    # the next action is the case's own: the one written last, whatever the visits' order
    assert row.next_action == "UTC"
    assert [v.id for v in store.visits(c1)][0] == tokyo
