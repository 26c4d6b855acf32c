"""Behaviour of the Store API as the desktop client and sync rely on it (real files on disk)."""

from __future__ import annotations

import pytest
from support import PASSPHRASE, recent, visit_fields

from outreach_desk.errors import NotFound, OutreachDeskError, WrongPassphrase
from outreach_desk.hlc import wall_clock_ms
from outreach_desk.store import Store
from outreach_desk.vocab import CaseStage, ConsentStatus

HOUR_MS = 60 * 60 * 1000


@pytest.fixture
def case(store):
    person = store.add_person("山田 太郎", "やまだ たろう", "北区", birth_year=1958)
    return store.open_case(referral_source="minsei_iin", district="北区", person_id=person,
                           opened_on="2026-01-05")


# -- visits are records: never edited or deleted, only amended ------------------------------


def test_visit_cannot_be_updated_or_archived(store, case):
    visit_id = store.record_visit(case, **visit_fields(narrative="最初の記述"))
    before = store.counts()
    with pytest.raises((ValueError, OutreachDeskError)):
        store.update("visit", visit_id, {"narrative": "書き換え"})
    with pytest.raises((ValueError, OutreachDeskError)):
        store.archive("visit", visit_id)
    assert store.counts() == before
    visit = store.visit(visit_id)
    assert visit["narrative"] == "最初の記述"
    assert visit.amendments == ()
    assert [v.id for v in store.visits(case)] == [visit_id]


def test_refused_visit_edit_leaves_the_store_usable(store, case):
    """After the refusal the worker must still be able to save other work."""
    visit_id = store.record_visit(case, **visit_fields())
    with pytest.raises((ValueError, OutreachDeskError)):
        store.update("visit", visit_id, {"narrative": "書き換え"})
    note = store.add_note(case, "次回は午前中に訪問する。")
    assert store.get("note", note)["text"] == "次回は午前中に訪問する。"
    second = store.record_visit(case, **visit_fields(occurred_at=recent(1)))
    assert [v.id for v in store.visits(case)] == [second, visit_id]


def test_amendment_keeps_the_original_and_survives_reopen(store, case):
    visit_id = store.record_visit(
        case, **visit_fields(narrative="玄関先で話せた。", kind="home_visit"))
    amendment = store.amend_visit(visit_id, {"kind": "phone", "narrative": "電話で話せた。"},
                                  "訪問ではなく電話だった")
    visit = store.visit(visit_id)
    assert visit.original["kind"] == "home_visit"
    assert visit.original["narrative"] == "玄関先で話せた。"
    assert visit.effective["kind"] == "phone"
    assert visit.effective["narrative"] == "電話で話せた。"
    assert [(a["id"], a["reason"], a["changes"]) for a in visit.amendments] == [
        (amendment, "訪問ではなく電話だった", {"kind": "phone", "narrative": "電話で話せた。"})
    ]
    # search shows what the record now says, not the superseded text
    assert [h.entity_id for h in store.search("電話で話せた")] == [visit_id]
    assert store.search("玄関先で話せた") == []

    data_dir = store.data_dir
    store.close()
    with Store.open(data_dir, PASSPHRASE) as reopened:
        visit = reopened.visit(visit_id)
        assert visit.original["kind"] == "home_visit"
        assert visit.effective["kind"] == "phone"
        assert [a["reason"] for a in visit.amendments] == ["訪問ではなく電話だった"]
        later = reopened.amend_visit(visit_id, {"narrative": "電話で10分話せた。"}, "時間の追記")
        visit = reopened.visit(visit_id)
        assert [a["id"] for a in visit.amendments] == [amendment, later]
        assert visit.effective["narrative"] == "電話で10分話せた。"
        assert visit.effective["kind"] == "phone"
        assert visit.original["narrative"] == "玄関先で話せた。"


# -- case stage history -----------------------------------------------------------------------


def test_stage_history_is_dated_and_ordered(store, case):
    store.change_case_stage(case, "relationship", on="2026-02-01", reason="本人と初めて会えた")
    store.change_case_stage(case, CaseStage.ASSESSMENT, on="2026-03-10", reason="困りごとを聞けた")
    history = store.stage_history(case)
    assert [(h.stage, h.date, h.reason) for h in history] == [
        (CaseStage.IDENTIFIED, "2026-01-05", ""),
        (CaseStage.RELATIONSHIP, "2026-02-01", "本人と初めて会えた"),
        (CaseStage.ASSESSMENT, "2026-03-10", "困りごとを聞けた"),
    ]
    assert all(h.author == store.author for h in history)
    assert history[0].hlc < history[1].hlc < history[2].hlc
    assert store.get("case", case)["stage"] == {
        "stage": "assessment", "date": "2026-03-10", "reason": "困りごとを聞けた"
    }


# -- relationship notes ------------------------------------------------------------------------


def test_note_revisions_archive_and_restore(store, case):
    note = store.add_note(case, "犬の散歩の時間なら話せるかもしれない。")
    store.revise_note(note, "朝7時の犬の散歩で挨拶できた。")
    store.revise_note(note, "朝7時の犬の散歩で挨拶できた。名前を教えてくれた。")
    assert [r.value for r in store.note_revisions(note)] == [
        "犬の散歩の時間なら話せるかもしれない。",
        "朝7時の犬の散歩で挨拶できた。",
        "朝7時の犬の散歩で挨拶できた。名前を教えてくれた。",
    ]
    assert store.get("note", note)["text"].endswith("名前を教えてくれた。")
    assert [h.entity_id for h in store.search("名前を教えて")] == [note]

    store.archive("note", note)
    assert [n.id for n in store.list_entities("note")] == []
    assert store.search("名前を教えて") == []
    with pytest.raises(NotFound):
        store.get("note", note)
    archived = store.get("note", note, include_deleted=True)
    assert archived.deleted and archived["text"].endswith("名前を教えてくれた。")
    assert store.case_history(case).notes == []

    store.restore("note", note)
    assert [n.id for n in store.list_entities("note")] == [note]
    assert [h.entity_id for h in store.search("名前を教えて")] == [note]
    assert not store.get("note", note).deleted
    assert len(store.note_revisions(note)) == 3


# -- consent -----------------------------------------------------------------------------------


def test_consent_grant_withdraw_and_grant_again(store):
    person = store.add_person("山田 花子", "やまだ はなこ", "北区")
    clinic = store.add_agency("北区クリニック")
    center = store.add_agency("北区地域包括支援センター")

    store.record_consent(person, agencies=[clinic, center], method="written", given_on="2026-01-10")
    state = store.consent(person)
    assert state.status is ConsentStatus.GRANTED
    assert state.covers({clinic, center})

    store.record_withdrawal(person, agencies=[clinic], method="oral", given_on="2026-02-01")
    state = store.consent(person)
    assert state.status is ConsentStatus.PARTIAL
    assert state.withdrawn == {clinic}
    assert state.covers({center}) and not state.covers({clinic})
    assert state.missing({clinic, center}) == {clinic}

    store.record_withdrawal(person, method="oral", given_on="2026-02-15", note="全て撤回")
    state = store.consent(person)
    assert state.status is ConsentStatus.WITHDRAWN
    assert state.withdrawn_all
    assert not state.covers({center})

    store.record_consent(person, agencies=[clinic, center], method="written", given_on="2026-03-01")
    state = store.consent(person)
    assert state.status is ConsentStatus.GRANTED
    assert state.covers({clinic, center})
    assert state.withdrawn == set() and not state.withdrawn_all and state.flagged == set()

    events = store.consent_events(person)
    assert [(e["action"], sorted(e["agencies"]), e["given_on"]) for e in events] == [
        ("grant", sorted([clinic, center]), "2026-01-10"),
        ("withdraw", [clinic], "2026-02-01"),
        ("withdraw", [], "2026-02-15"),
        ("grant", sorted([clinic, center]), "2026-03-01"),
    ]
    assert all(e["recorded_by"] == store.author for e in events)
    assert events[2]["note"] == "全て撤回"
    assert store.open_conflicts() == []


def test_grant_after_withdrawal_covers_only_the_agencies_it_names(store):
    person = store.add_person("山田 花子", "やまだ はなこ", "北区")
    clinic = store.add_agency("北区クリニック")
    center = store.add_agency("北区地域包括支援センター")
    store.record_consent(person, agencies=[clinic, center], method="written")
    store.record_withdrawal(person, method="oral")
    store.record_consent(person, agencies=[center], method="oral")
    state = store.consent(person)
    assert state.covers({center})
    assert not state.covers({clinic})
    assert state.status is ConsentStatus.PARTIAL


# -- outbox ------------------------------------------------------------------------------------


def test_every_write_goes_to_the_outbox(store, case):
    start = store.counts()
    start_seq = max(c.seq for c in store.outbox())

    person = store.add_person("鈴木 一郎", "すずき いちろう", "南区", birth_year=1949)
    after_person = store.counts()
    made = [c for c in store.changes() if c.entity_id == person]
    assert len(made) >= 4
    assert after_person["outbox"] - start["outbox"] == len(made)
    assert after_person["changes"] - start["changes"] == len(made)

    updated = store.update("person", person, {"district": "東区", "birth_year": 1950})
    after_update = store.counts()
    assert len(updated) >= 2
    assert after_update["outbox"] - after_person["outbox"] == len(updated)

    store.record_visit(case, **visit_fields())
    assert store.counts()["outbox"] - after_update["outbox"] == 1

    outbox = store.outbox()
    assert len(outbox) == store.counts()["outbox"]
    assert {c.site for c in outbox} == {store.site}
    seqs = [c.seq for c in outbox]
    hlcs = [c.hlc for c in outbox]
    assert seqs == sorted(set(seqs))
    assert all(a < b for a, b in zip(hlcs, hlcs[1:], strict=False))
    workers = store.list_entities("worker")
    assert [w["name"] for w in workers] == ["佐藤 花子"]
    assert store.author == workers[0].id
    assert {c.author for c in outbox if c.seq > start_seq} == {workers[0].id}

    middle = seqs[len(seqs) // 2]
    removed = store.acknowledge(middle)
    assert removed == len([s for s in seqs if s <= middle])
    assert [c.seq for c in store.outbox()] == [s for s in seqs if s > middle]
    assert store.counts()["changes"] == after_update["changes"] + 1  # the log keeps them all
    assert store.acknowledge(middle) == 0


# -- hybrid logical clock ----------------------------------------------------------------------


def test_hlc_keeps_counting_forward_when_the_wall_clock_jumps_back(make_store):
    t = [wall_clock_ms()]
    store = make_store("laptop", worker_name="佐藤 花子", wall=lambda: t[0])
    store.add_person("山田 太郎", "やまだ たろう", "北区")
    data_dir = store.data_dir
    earlier = max(c.hlc for c in store.changes())
    store.close()

    t[0] -= HOUR_MS
    with Store.open(data_dir, PASSPHRASE, wall=lambda: t[0]) as reopened:
        seen = {c.op_id for c in reopened.changes()}
        person = reopened.add_person("鈴木 一郎", "すずき いちろう", "南区")
        new = [c for c in reopened.changes() if c.op_id not in seen]
        assert new and all(c.entity_id == person for c in new)
        assert min(c.hlc for c in new) > earlier
        # the seq counter also survives the restart
        assert min(c.seq for c in new) > max(int(op.split(":")[1]) for op in seen)


# -- remote changes ----------------------------------------------------------------------------


def test_remote_change_from_a_clock_an_hour_ahead_is_held_then_applied(make_store):
    now = [wall_clock_ms()]
    receiver = make_store("receiver", worker_name="佐藤 花子", wall=lambda: now[0])
    sender = make_store("sender", worker_name="高橋 次郎", wall=lambda: now[0] + HOUR_MS)
    person = sender.add_person("遠藤 咲", "えんどう さき", "西区")
    remote = sender.changes()

    result = receiver.apply_remote(remote)
    assert result.applied == 0
    assert len(result.held) == len(remote)
    held = receiver.held_changes()
    assert sorted(op for op, _ in held) == sorted(c.op_id for c in remote)
    assert all("clock" in reason for _, reason in held)
    with pytest.raises(NotFound):
        receiver.get("person", person)
    assert receiver.search("えんどう") == []

    data_dir = receiver.data_dir
    receiver.close()
    with Store.open(data_dir, PASSPHRASE, wall=lambda: now[0]) as reopened:
        assert sorted(op for op, _ in reopened.held_changes()) == sorted(c.op_id for c in remote)
        with pytest.raises(NotFound):
            reopened.get("person", person)

        now[0] += HOUR_MS + 1000
        retried = reopened.retry_held()
        assert retried.applied == len(remote)
        assert reopened.held_changes() == []
        assert reopened.get("person", person)["name"] == "遠藤 咲"
        assert reopened.counts()["held_changes"] == 0
        # the receiver's clock moved past what it received
        mine = reopened.add_note(
            reopened.open_case(referral_source="sns", district="西区", person_id=person), "初回"
        )
        assert min(c.hlc for c in reopened.changes() if c.entity_id == mine) > max(
            c.hlc for c in remote
        )


def test_applying_the_same_changes_twice_changes_nothing(make_store):
    receiver = make_store("receiver", worker_name="佐藤 花子")
    sender = make_store("sender", worker_name="高橋 次郎")
    person = sender.add_person("遠藤 咲", "えんどう さき", "西区")
    case = sender.open_case(referral_source="neighbour", district="西区", person_id=person)
    sender.record_visit(case, **visit_fields())
    remote = sender.changes()

    first = receiver.apply_remote(remote)
    assert first.applied == len(remote) and first.duplicates == 0
    counts = receiver.counts()
    state = (receiver.get("person", person), receiver.get("case", case), receiver.visits(case))

    second = receiver.apply_remote(remote)
    assert second.applied == 0
    assert second.duplicates == len(remote)
    assert receiver.counts() == counts
    assert (receiver.get("person", person), receiver.get("case", case),
            receiver.visits(case)) == state
    # remote changes are not the receiver's to upload
    assert {c.site for c in receiver.outbox()} == {receiver.site}


# -- change notification -----------------------------------------------------------------------


def test_listeners_hear_about_local_and_remote_writes(make_store):
    receiver = make_store("receiver", worker_name="佐藤 花子")
    sender = make_store("sender", worker_name="高橋 次郎")
    heard = []
    receiver.subscribe(heard.append)

    person = receiver.add_person("山田 太郎", "やまだ たろう", "北区")
    assert heard and ("person", person) in heard[-1].entities
    assert heard[-1].touches("person")

    remote_person = sender.add_person("遠藤 咲", "えんどう さき", "西区")
    heard.clear()
    receiver.apply_remote(sender.changes())
    assert any(("person", remote_person) in s.entities for s in heard)


def test_listeners_hear_about_writes_made_in_a_batch(store):
    heard = []
    store.subscribe(heard.append)
    with store.batch():
        person = store.add_person("山田 太郎", "やまだ たろう", "北区")
        household = store.create_household("鈴木家", "南区")
    assert any(("person", person) in s.entities for s in heard)
    assert any(("household", household) in s.entities for s in heard)


def test_a_batch_can_create_a_person_and_open_their_case(store):
    """Imports and demo data create a person and their case together in one transaction."""
    with store.batch():
        person = store.add_person("山田 太郎", "やまだ たろう", "北区")
        case = store.open_case(referral_source="sns", district="北区", person_id=person)
        store.record_visit(case, **visit_fields())
        store.add_note(case, "一括登録")
    assert store.get("case", case)["person_id"] == person
    assert len(store.visits(case)) == 1
    assert [n["text"] for n in store.case_history(case).notes] == ["一括登録"]


def test_a_failing_listener_does_not_make_a_saved_visit_look_unsaved(store, case):
    """The visit is committed before listeners run; an error in a screen refresh must not
    surface as a failed save (the worker would save again and create a duplicate record that
    can never be deleted), nor stop the other listeners."""
    heard = []

    def broken(summary):
        raise RuntimeError("screen refresh failed")

    store.subscribe(broken)
    store.subscribe(heard.append)
    visit_id = store.record_visit(case, **visit_fields())
    assert [v.id for v in store.visits(case)] == [visit_id]
    assert heard and ("visit", visit_id) in heard[-1].entities


# -- case history ------------------------------------------------------------------------------


def test_case_history_gathers_everything_about_a_case(store):
    household = store.create_household("山田家", "北区", "北区3丁目 公園の向かい")
    person = store.add_person("山田 太郎", "やまだ たろう", "北区", household_id=household)
    mother = store.add_person("山田 トメ", "やまだ とめ", "北区", household_id=household,
                              birth_year=1935)
    store.add_person("田中 一郎", "たなか いちろう", "北区")
    case = store.open_case(referral_source="community_care_center", district="北区",
                           person_id=person, opened_on="2026-01-05")
    other_case = store.open_case(referral_source="sns", district="北区", person_id=mother)
    older = store.record_visit(case, **visit_fields(occurred_at=recent(48), narrative="不在"))
    newest = store.record_visit(case, **visit_fields(occurred_at=recent(1)))
    middle = store.record_visit(case, **visit_fields(occurred_at=recent(24)))
    store.record_visit(other_case, **visit_fields())
    note = store.add_note(case, "母親が窓口。")
    gone = store.add_note(case, "誤って書いたメモ")
    store.archive("note", gone)
    store.add_note(other_case, "別ケースのメモ")
    agency = store.add_agency("北区クリニック")
    plan = store.save_plan(case, goals=["通院の再開"], monitoring_date="2026-04-01",
                           roles=[{"agency_id": agency, "role": "受診同行"}])
    meeting = store.record_meeting(kind="support_council", held_on="2026-02-10",
                                   attendees=[agency], case_ids=[case, other_case])
    store.record_meeting(kind="regular", held_on="2026-02-11", attendees=[],
                         case_ids=[other_case])
    store.record_consent(person, agencies=[agency], method="written")
    store.change_case_stage(case, "relationship", on="2026-02-01")

    history = store.case_history(case)
    assert history.case.id == case
    assert history.person.id == person
    assert history.household.id == household
    assert sorted(m.id for m in history.members) == sorted([person, mother])
    assert [v.id for v in history.visits] == [newest, middle, older]
    assert [n.id for n in history.notes] == [note]
    assert [p.id for p in history.plans] == [plan]
    assert history.plans[0]["roles"] == [{"agency_id": agency, "role": "受診同行"}]
    assert [m.id for m in history.meetings] == [meeting]
    assert history.consent.status is ConsentStatus.GRANTED and history.consent.covers({agency})
    assert [e["action"] for e in history.consent_events] == ["grant"]
    assert [s.stage for s in history.stages] == [CaseStage.IDENTIFIED, CaseStage.RELATIONSHIP]
    assert history.visits[0].effective["occurred_at"] > history.visits[1].effective["occurred_at"]


# -- transactions ------------------------------------------------------------------------------


def test_exception_inside_a_batch_stores_nothing(store, case):
    before = store.counts()
    outbox_before = store.outbox()
    with pytest.raises(RuntimeError):
        with store.batch():
            person = store.add_person("鈴木 一郎", "すずき いちろう", "南区")
            store.add_note(case, "一括登録の途中")
            raise RuntimeError("import file broken half-way")
    assert store.counts() == before
    assert store.outbox() == outbox_before
    with pytest.raises(NotFound):
        store.get("person", person, include_deleted=True)
    assert store.search("一括登録") == []


def test_store_works_normally_after_a_rolled_back_batch(store, case):
    with pytest.raises(RuntimeError):
        with store.batch():
            store.add_person("鈴木 一郎", "すずき いちろう", "南区")
            raise RuntimeError("import file broken half-way")
    before = store.counts()
    person = store.add_person("田中 次郎", "たなか じろう", "南区")
    after = store.counts()
    assert after["person"] == before["person"] + 1
    names = sorted(p["name"] for p in store.list_entities("person"))
    assert names == ["山田 太郎", "田中 次郎"]
    assert store.get("person", person)["name"] == "田中 次郎"


# -- persistence and unlocking -----------------------------------------------------------------


def test_data_survives_reopen_and_a_wrong_passphrase_is_refused(store, case):
    store.record_visit(case, **visit_fields(narrative="台所の電気が止まっていた。"))
    counts = store.counts()
    data_dir = store.data_dir
    store.close()
    key_bytes = (data_dir / "outreach-desk.key").read_bytes()

    with pytest.raises(WrongPassphrase):
        Store.open(data_dir, PASSPHRASE + "x")
    assert (data_dir / "outreach-desk.key").read_bytes() == key_bytes

    with Store.open(data_dir, PASSPHRASE) as reopened:
        assert reopened.counts() == counts
        assert [h.entity for h in reopened.search("電気が止まって")] == ["visit"]
        assert reopened.integrity_check() == ["ok"]
        (worker,) = reopened.list_entities("worker")
        assert reopened.author == worker.id and worker["name"] == "佐藤 花子"
