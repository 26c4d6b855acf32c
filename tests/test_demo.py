"""The demo data generator: plausible, complete, searchable, reproducible — and encrypted."""

from __future__ import annotations

import pytest

from outreach_desk import demo
from outreach_desk.demo import AGENCIES, DISTRICTS, SAMPLE_TEXTS, SURNAMES, generate
from outreach_desk.vocab import CaseStage, MeetingKind, MetWith, VisitKind

CASES = 20
VISITS_PER_CASE = 20


@pytest.fixture
def demo_store(make_store):
    store = make_store("demo", worker_name="佐藤 花子")
    seen = []
    counts = generate(store, cases=CASES, visits_per_case=VISITS_PER_CASE, seed=7,
                      progress=lambda done, total: seen.append((done, total)))
    return store, counts, seen


def test_counts_are_plausible(demo_store):
    store, counts, seen = demo_store
    stored = store.counts()
    assert stored["case"] == counts["cases"] == CASES
    assert stored["household"] == counts["households"] == CASES
    assert CASES <= stored["person"] <= 3 * CASES
    assert stored["person"] > CASES  # some households hold 2–3 people
    expected = CASES * VISITS_PER_CASE
    assert abs(stored["visit"] - expected) <= expected * 0.1
    assert stored["note"] >= CASES // 2
    assert stored["consent_event"] >= 1
    assert stored["plan"] >= 1
    assert stored["meeting"] >= 1
    assert stored["agency"] == len(AGENCIES) == 11
    assert stored["team"] == 4
    assert stored["worker"] >= 4 * 3
    assert stored["open_conflicts"] == 0
    assert seen and seen[-1] == (CASES, CASES)


def test_agencies_are_kobayashis(demo_store):
    store, _, _ = demo_store
    names = {agency["name"] for agency in store.list_entities("agency")}
    assert names == {
        "小林市地域包括支援センター", "小林市西部地域包括支援センター",
        "のじり地域包括支援センター",
        "にしもろ基幹相談支援センター", "こども家庭センター", "小林市生活自立相談支援センター",
        "小林市社会福祉協議会", "福祉課", "長寿介護課", "こども課", "健康推進課",
    }
    assert {team["name"] for team in store.list_entities("team")} == {
        "野尻担当", "須木担当", "小林担当", "西部担当"}


def test_every_case_is_complete(demo_store):
    store, _, _ = demo_store
    for case in store.list_entities("case"):
        assert case["person_id"] or case["household_id"]
        assert case["district"] in DISTRICTS
        assert case["team_id"] and case["worker_id"]
        history = store.case_history(case.id)
        assert history.stages[0].stage == CaseStage.IDENTIFIED
        dates = [change.date for change in history.stages]
        assert dates == sorted(dates)
        assert history.visits, "every case has at least one visit"
        first = history.visits[-1]  # newest first
        assert first["narrative"].startswith("初回訪問")
        for visit in history.visits:
            assert visit["occurred_at"].endswith("+09:00")
            if visit["kind"] == VisitKind.ACCOMPANY.value:
                assert MetWith.NOBODY.value not in visit["met_with"]
    for entity in ("household", "person"):
        assert {e["district"] for e in store.list_entities(entity)} <= set(DISTRICTS)


def test_outreach_looks_like_outreach(demo_store):
    store, _, _ = demo_store
    visits = [v for case in store.list_entities("case") for v in store.visits(case.id)]
    met = [v["met_with"] for v in visits]
    assert met.count([MetWith.NOBODY.value]) > len(visits) * 0.2  # many visits find nobody
    assert [MetWith.PERSON.value, MetWith.FAMILY.value] in met  # 会えた人 is a set
    assert [MetWith.AGENCY.value] in met  # a contact with an agency is not 会えず
    assert any(v["place"] for v in visits) and all(v["duration_minutes"] for v in visits)
    assert any("置き手紙" in v["narrative"] for v in visits)
    assert any(v["next_action_due"] for v in visits)
    kinds = {m["kind"] for m in store.list_entities("meeting")}
    assert MeetingKind.REGULAR.value in kinds


def test_search_finds_a_surname_in_every_script(demo_store):
    store, _, _ = demo_store
    person = next(p for p in store.list_entities("person") if p["name"].startswith("押川"))
    for query in ("押川", "おしかわ", "オシカワ"):
        assert person.id in {hit.entity_id for hit in store.search(query)}, query


def test_sample_texts_are_written_but_not_readable_on_disk(demo_store):
    store, _, _ = demo_store
    visit_texts = "".join(
        v["narrative"] for case in store.list_entities("case") for v in store.visits(case.id))
    names = "".join(p["name"] + p["kana"] for p in store.list_entities("person"))
    for text in SAMPLE_TEXTS:
        assert text in visit_texts + names, text
    store.db.checkpoint()
    raw = b"".join(path.read_bytes() for path in store.data_dir.iterdir() if path.is_file())
    for text in SAMPLE_TEXTS + tuple(name for name, _ in SURNAMES[:10]):
        assert text.encode("utf-8") not in raw, text


def _texts(store):
    names = sorted(p["name"] + "|" + p["kana"] for p in store.list_entities("person"))
    narratives = sorted(
        v["narrative"] for case in store.list_entities("case") for v in store.visits(case.id))
    notes = sorted(n["text"] for n in store.list_entities("note"))
    return names, narratives, notes


def test_same_seed_same_texts(make_store):
    first, second, other = make_store("a"), make_store("b"), make_store("c")
    counts_a = generate(first, cases=8, visits_per_case=5, seed=3)
    counts_b = generate(second, cases=8, visits_per_case=5, seed=3)
    generate(other, cases=8, visits_per_case=5, seed=4)
    assert counts_a == counts_b
    assert _texts(first) == _texts(second)
    assert _texts(first) != _texts(other)


def test_small_and_empty(make_store):
    store = make_store()
    assert generate(store, cases=0)["cases"] == 0
    assert store.counts()["agency"] == 11
    generate(store, cases=1, visits_per_case=0.5)  # again: agencies and teams are reused
    assert store.counts()["agency"] == 11 and store.counts()["case"] == 1
    with pytest.raises(ValueError):
        generate(store, cases=-1)


def test_author_is_restored(make_store):
    store = make_store(worker_name="佐藤 花子")
    author = store.author
    generate(store, cases=3, visits_per_case=2)
    assert store.author == author
    bare = make_store("bare")  # no worker: the site id is the author
    site_author = bare.author
    generate(bare, cases=2, visits_per_case=2)
    assert bare.author == site_author


def test_batches_report_progress(make_store, monkeypatch):
    monkeypatch.setattr(demo, "BATCH_CASES", 4)
    store = make_store()
    seen = []
    generate(store, cases=10, visits_per_case=3, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(4, 10), (8, 10), (10, 10)]
    assert store.counts()["visit"] == 30


def test_the_supervisor_approved_plans_and_commented_on_the_demo_users_visits(make_store):
    store = make_store("demo")  # as the app's demo: no worker of its own
    counts = generate(store, cases=CASES, visits_per_case=VISITS_PER_CASE, seed=7)
    plans = store.list_entities("plan")
    approved = [plan for plan in plans if store.plan_status(plan.id).approved]
    assert len(approved) == counts["approvals"] >= 1
    assert all(store.current_plan(plan["case_id"]) is not None for plan in approved)
    user = demo.work_as_first_worker(store)
    assert store.get("worker", user)["role"] == "worker"  # the demo's user is not the supervisor
    unread = store.unread_comments()
    assert len(unread) == counts["comments"] == 3
    assert all(store.get("case", c.case_id)["worker_id"] == user for c in unread)
    assert all(c.target_kind == "visit" for c in unread)
