"""Every earlier schema version, with data in it, upgrades to the newest.

``FIXTURES[v]`` writes data the way version ``v`` stored it (raw SQL for that schema). To add
migration N+1, add ``FIXTURES[N]``; ``test_every_earlier_version_has_a_fixture`` fails until then.
"""

from __future__ import annotations

import json

import pytest
from support import FAST_KDF, PASSPHRASE

from outreach_desk import keystore
from outreach_desk.database import Database
from outreach_desk.migrations import LATEST_VERSION, MIGRATIONS, migrate
from outreach_desk.report import monthly_report
from outreach_desk.store import Store
from outreach_desk.vocab import MetWith

SITE = "0ldd3v1ce0000000"


def _change(db, seq, entity, entity_id, field, value, ctx=()):
    db.execute(
        "INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, NULL, 0)",
        (SITE, seq, seq << 16, entity, entity_id, field, json.dumps(value, ensure_ascii=False),
         json.dumps(list(ctx)), "w1"),
    )


def _v1_data(db):
    db.executemany("INSERT INTO meta VALUES (?, ?)",
                   [("site", SITE), ("next_seq", "20"), ("hlc", str(19 << 16))])
    person = {"name": "古川 トメ", "kana": "ふるかわ とめ", "birth_year": 1940, "district": "西部"}
    seq = 1
    for field, value in [*person.items(), ("_alive", True)]:
        _change(db, seq, "person", "p1", field, value)
        seq += 1
    db.execute(
        "INSERT INTO persons VALUES ('p1', NULL, '古川 トメ', 'ふるかわ とめ', 1940, '西部', 0, 5)"
    )
    stage = {"stage": "relationship", "date": "2026-01-10", "reason": "玄関先で話せた"}
    for field, value in [("person_id", "p1"), ("referral_source", "neighbour"),
                         ("district", "西部"), ("stage", stage), ("opened_on", "2025-12-01"),
                         ("_alive", True)]:
        _change(db, seq, "case", "c1", field, value)
        seq += 1
    db.execute(
        "INSERT INTO cases (id, person_id, referral_source, district, stage, opened_on, deleted, "
        "updated_hlc) VALUES ('c1', 'p1', 'neighbour', '西部', ?, '2025-12-01', 0, 11)",
        (json.dumps(stage, ensure_ascii=False),),
    )
    visit = {"case_id": "c1", "occurred_at": "2026-02-01T10:00+09:00", "kind": "home_visit",
             "met_with": "person", "narrative": "庭の柿の話で笑顔が見えた", "reaction": "穏やか",
             "relationship_stage": "met_person", "next_action": "柿の季節に再訪",
             "next_action_due": "2026-03-01"}
    _change(db, seq, "visit", "v1", "*", visit)
    db.execute(
        "INSERT INTO visits VALUES ('v1', 'c1', ?, 'home_visit', 'person', ?, '穏やか', "
        "'met_person', '柿の季節に再訪', '2026-03-01', 'w1', ?, ?)",
        (visit["occurred_at"], visit["narrative"], seq << 16, SITE),
    )
    db.execute("INSERT INTO outbox VALUES (?, ?)", (SITE, seq))


def _v2_data(db):
    visit = {"case_id": "c1", "occurred_at": "2026-03-02T15:30+09:00", "kind": "letter",
             "met_with": "nobody", "narrative": "不在のため置き手紙", "reaction": None,
             "relationship_stage": "met_person", "next_action": "電話をかける",
             "next_action_due": "2026-03-09"}
    _change(db, 19, "visit", "v2", "*", visit)
    db.execute(
        "INSERT INTO visits VALUES ('v2', 'c1', ?, 'letter', 'nobody', ?, NULL, 'met_person', "
        "'電話をかける', '2026-03-09', 'w1', ?, ?)",
        (visit["occurred_at"], visit["narrative"], 19 << 16, SITE),
    )
    db.execute("INSERT INTO search_docs (entity, entity_id, folded) VALUES ('visit', 'v2', ?)",
               ("不在のため置き手紙\n電話をかける",))


def _v3_data(db):
    amendment = {"visit_id": "v1", "changes": {"reaction": "穏やか、少し疲れた様子"},
                 "reason": "記入漏れ"}
    _change(db, 20, "visit_amendment", "a1", "*", amendment)
    db.execute("INSERT INTO visit_amendments VALUES ('a1', 'v1', ?, '記入漏れ', '[]', 'w1', ?, ?)",
               (json.dumps(amendment["changes"], ensure_ascii=False), 20 << 16, SITE))
    withdrawal = {"person_id": "p1", "action": "withdraw", "agencies": [], "method": "oral",
                  "given_on": "2026-03-03", "recorded_by": "w1"}
    _change(db, 21, "consent_event", "e1", "*", withdrawal)
    db.execute("INSERT INTO consent_events VALUES ('e1', 'p1', 'withdraw', '[]', 'oral', "
               "'2026-03-03', 'w1', NULL, '[]', 'w1', ?, ?)", (21 << 16, SITE))
    db.execute("UPDATE meta SET value = '22' WHERE key = 'next_seq'")


def _v4_data(db):
    db.execute("INSERT INTO persons VALUES ('p2', NULL, '古川 タケシ', 'ふるかわ たけし', 1968, "
               "'西部', 0, 23)")
    _change(db, 22, "person", "p2", "name", "古川 タケシ")
    _change(db, 23, "person", "p2", "kana", "ふるかわ たけし")
    db.execute("UPDATE meta SET value = '24' WHERE key = 'next_seq'")


def _v5_data(db):
    text = "名前はクロ。黒猫の話で打ち解けた"
    for seq, (field, value) in enumerate(
            [("case_id", "c1"), ("text", text), ("_alive", True)], start=24):
        _change(db, seq, "note", "n1", field, value)
    db.execute("INSERT INTO notes VALUES ('n1', 'c1', ?, 0, 26)", (text,))
    # v5 indexed the note in search_docs (and so search_fts) only: no one/two-character index
    db.execute("INSERT INTO search_docs (entity, entity_id, folded) VALUES ('note', 'n1', ?)",
               ("名前はくろ。黒猫の話で打ち解けた",))
    db.execute("INSERT INTO drafts VALUES ('visit:c1', 'visit', ?, 1767225600000)",
               (json.dumps({"narrative": "黒猫が"}, ensure_ascii=False),))
    db.execute("UPDATE meta SET value = '27' WHERE key = 'next_seq'")


def _v6_data(db):
    meeting = {"kind": "regular", "held_on": "2026-03-10", "attendees": [], "case_ids": ["c1"],
               "decisions": "月1回の訪問を続ける", "next_monitoring_date": None}
    for seq, (field, value) in enumerate([*meeting.items(), ("_alive", True)], start=27):
        _change(db, seq, "meeting", "m1", field, value)
    db.execute("INSERT INTO meetings VALUES ('m1', 'regular', '2026-03-10', '[]', '[\"c1\"]', "
               "'月1回の訪問を続ける', NULL, 0, 33)")
    db.execute("UPDATE meta SET value = '34' WHERE key = 'next_seq'")


def _v7_data(db):
    # a disclosure pulled from a laptop of a newer version: version 7 kept it in the log only
    disclosure = {"case_ids": ["c1"], "meeting_kind": "support_council",
                  "meeting_date": "2026-03-10", "basis": "council_106_6", "reason": None,
                  "agencies": [], "output": "meeting_pdf",
                  "produced_at": "2026-03-09T18:00+09:00", "produced_by": "w1", "digest": None}
    _change(db, 34, "disclosure", "d1", "*", disclosure)
    db.execute("UPDATE meta SET value = '35' WHERE key = 'next_seq'")


def _v8_data(db):
    plan = {"case_id": "c1", "goals": ["見守り"], "roles": [], "monitoring_date": "2026-06-01"}
    for seq, (field, value) in enumerate([*plan.items(), ("_alive", True)], start=35):
        _change(db, seq, "plan", "pl1", field, value)
    db.execute("INSERT INTO plans VALUES ('pl1', 'c1', '[\"見守り\"]', '[]', '2026-06-01', 0, 39)")
    # a newer laptop's supervision records, which version 8 kept in the change log only
    comment = {"case_id": "c1", "target_kind": "visit", "target_id": "v1",
               "text": "柿の話題は良い糸口です", "written_by": "w1",
               "written_at": "2026-03-11T09:00+09:00", "_alive": True}
    for seq, (field, value) in enumerate(comment.items(), start=40):
        _change(db, seq, "comment", "cm1", field, value)
    approval = {"case_id": "c1", "plan_id": "pl1", "version": f"{SITE}:39",
                "approved_by": "w1", "approved_at": "2026-03-12T10:00+09:00"}
    _change(db, 47, "plan_approval", "ap1", "*", approval,
            ctx=[f"{SITE}:{seq}" for seq in range(35, 40)])
    db.execute("UPDATE meta SET value = '48' WHERE key = 'next_seq'")


def _v9_data(db):
    # a supervisor's access event from a newer laptop: v9 kept it in the change log only
    event = {"case_id": "c1", "action": "open_case", "at": "2026-03-11T09:00+09:00",
             "by_worker": "w1"}
    _change(db, 48, "access_event", "x1", "*", event)
    db.execute("UPDATE meta SET value = '49' WHERE key = 'next_seq'")


def _v10_data(db):
    # a contact with an agency, which version 10 could only file as 不在 (met_with one code),
    # and the case summary version 10 kept from it (its next action)
    visit = {"case_id": "c1", "occurred_at": "2026-03-15T09:00+09:00", "kind": "agency_contact",
             "met_with": "nobody", "narrative": "包括に近況を電話で確認", "reaction": None,
             "relationship_stage": "met_person", "next_action": "包括と同行訪問の日程調整",
             "next_action_due": "2026-03-20"}
    _change(db, 49, "visit", "v3", "*", visit)
    db.execute(
        "INSERT INTO visits VALUES ('v3', 'c1', ?, 'agency_contact', 'nobody', ?, NULL, "
        "'met_person', ?, '2026-03-20', 'w1', ?, ?)",
        (visit["occurred_at"], visit["narrative"], visit["next_action"], 49 << 16, SITE))
    db.execute("INSERT INTO visit_order VALUES ('v3', 'c1', '2026-03-15T00:00:00.000000', ?)",
               (49 << 16,))
    db.execute("UPDATE cases SET last_visit_at = ?, next_action = ?, next_action_due = ?, "
               "relationship_stage = 'met_person', relationship_prev = 'met_person' "
               "WHERE id = 'c1'", (visit["occurred_at"], visit["next_action"], "2026-03-20"))
    db.execute("UPDATE meta SET value = '50' WHERE key = 'next_seq'")


FIXTURES = {1: _v1_data, 2: _v2_data, 3: _v3_data, 4: _v4_data, 5: _v5_data, 6: _v6_data,
            7: _v7_data, 8: _v8_data, 9: _v9_data, 10: _v10_data}


def test_every_earlier_version_has_a_fixture():
    assert [v for v, *_ in MIGRATIONS] == list(range(1, LATEST_VERSION + 1))
    assert set(FIXTURES) == set(range(1, LATEST_VERSION))


def _store_at(folder, version):
    folder.mkdir(mode=0o700)
    key = keystore.create_key_file(folder / "outreach-desk.key", PASSPHRASE, FAST_KDF)
    (folder / "outreach-desk.db").touch(mode=0o600)
    db = Database(folder / "outreach-desk.db", key)
    for step in range(1, version + 1):
        migrate(db, target=step)
        with db.transaction():
            FIXTURES[step](db)
    assert db.execute("PRAGMA user_version").fetchone()[0] == version
    db.close()


@pytest.mark.parametrize("version", sorted(FIXTURES))
def test_upgrade_from_every_earlier_version(tmp_path, version):
    _store_at(tmp_path / "s", version)
    with Store.open(tmp_path / "s", PASSPHRASE) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert store.integrity_check() == ["ok"]
        person = store.get("person", "p1")
        assert person["name"] == "古川 トメ" and person["birth_year"] == 1940
        assert store.get("case", "c1")["stage"]["stage"] == "relationship"
        visits = store.visits("c1")
        assert [v.id for v in visits] == (
            ["v3"] * (version >= 10) + ["v2"] * (version >= 2) + ["v1"])
        # v2 built the search index from the rows already there
        assert {h.entity_id for h in store.search("ふるかわ")} == {"p1"}
        assert {h.entity_id for h in store.search("柿")} == {"v1"}
        assert {h.entity_id for h in store.search("カキ")} == set()  # kanji ≠ reading
        # v3 filled the caseload summary from the latest visit
        row = store.db.execute(
            "SELECT last_visit_at, next_action, next_action_due FROM cases WHERE id = 'c1'"
        ).fetchone()
        latest = visits[0].effective
        assert row == (latest["occurred_at"], latest["next_action"], latest["next_action_due"])
        # the old change log still drives merges: an edit replaces the old value, no conflict
        store.update("person", "p1", {"district": "小林"})
        assert store.get("person", "p1")["district"] == "小林"
        assert store.open_conflicts() == []
        if version >= 3:
            assert visits[-1].effective["reaction"] == "穏やか、少し疲れた様子"
            assert visits[-1].original["reaction"] == "穏やか"
            assert store.consent("p1").status.value == "withdrawn"
        # v4: records and the log are append-only, enforced by the database
        guarded = ["DELETE FROM visits", "DELETE FROM changes", "UPDATE visits SET narrative = 'x'",
                   "UPDATE changes SET value = 'null'"]
        if version >= 3:
            guarded += ["DELETE FROM consent_events", "DELETE FROM visit_amendments"]
        for sql in guarded:
            with pytest.raises(Exception, match="never|append-only|amend"):
                store.db.execute(sql)
        # v5: 名寄せ keys, consent summary and the relationship trend were filled in
        from outreach_desk.matching import candidates

        found = candidates(store.db, kana="フルカワ　トメ", name="")
        assert [c.person_id for c in found] == ["p1"] and found[0].strong
        summary = store.db.execute(
            "SELECT status FROM consent_summary WHERE person_id = 'p1'").fetchone()
        assert summary == (("withdrawn",) if version >= 3 else None)
        prev = store.db.execute("SELECT relationship_prev FROM cases WHERE id = 'c1'").fetchone()
        assert prev == (("met_person",) if version >= 2 else (None,))
        # v6: one- and two-character queries use the gram index, filled from the old documents
        store.db.execute("INSERT INTO search_grams (search_grams) VALUES ('integrity-check')")
        assert {h.entity_id for h in store.search("置き")} == ({"v2"} if version >= 2 else set())
        assert {h.entity_id for h in store.search("黒猫")} == ({"n1"} if version >= 5 else set())
        assert {h.entity_id for h in store.search("くろ")} == ({"n1"} if version >= 5 else set())
        assert {h.entity_id for h in store.search("再訪")} == {"v1"}
        assert {h.entity_id for h in store.search("手紙")} == ({"v2"} if version >= 2 else set())
        if version >= 5:
            assert store.draft("visit:c1") == {"narrative": "黒猫が"}
            store.archive("note", "n1")
            assert store.search("黒猫") == []
        store.update("person", "p1", {"name": "吉川 トメ"})  # its old grams go
        assert [h.entity_id for h in store.search("吉川")] == ["p1"]
        assert store.search("古川") == []
        # v7: visit order and meeting links were filled in; the case summary reads them
        history = store.case_history("c1")
        assert [m.id for m in history.meetings] == (["m1"] if version >= 6 else [])
        ordered = [r[0] for r in store.db.execute(
            "SELECT visit_id FROM visit_order WHERE case_id = 'c1' ORDER BY at_utc DESC")]
        assert ordered == [v.id for v in visits]
        # v8: disclosures already in the log became records, append-only like visits
        found = store.disclosures("c1")
        assert [d["id"] for d in found] == (["d1"] if version >= 7 else [])
        if found:
            assert found[0]["basis"] == "council_106_6" and found[0]["case_ids"] == ["c1"]
            for sql in ("DELETE FROM disclosures", "UPDATE disclosures SET basis = 'consent'"):
                with pytest.raises(Exception, match="never"):
                    store.db.execute(sql)
        # v9: supervision records already in the log became rows; approvals are append-only
        comments = store.comments("c1")
        assert [c.text for c in comments] == (["柿の話題は良い糸口です"] if version >= 8 else [])
        if version >= 8:
            assert store.plan_status("pl1").approved
            assert store.current_plan("c1").values["goals"] == ["見守り"]
            with pytest.raises(Exception, match="never"):
                store.db.execute("DELETE FROM plan_approvals")
        # v10: access events kept in the log got their rows; refused changes start empty
        events = store.db.execute("SELECT id, case_id, action FROM access_events").fetchall()
        assert events == ([("x1", "c1", "open_case")] if version >= 9 else [])
        assert store.refused_changes() == [] and store.refused_count() == 0
        for sql in ("DELETE FROM access_events", "UPDATE access_events SET action = 'x'"):
            if version < 9:  # nothing to change: the triggers fire per row
                break
            with pytest.raises(Exception, match="never"):
                store.db.execute(sql)
        # v11: 会えた人 of every old visit reads as a set; the monthly report counts them
        assert [v["met_with"] for v in visits] == (
            [["nobody"]] * (version >= 10) + [["nobody"]] * (version >= 2) + [["person"]])
        march = monthly_report(store, 2026, 3)
        assert march.visits_of(met=MetWith.NOBODY) == (version >= 2) + (version >= 10)
        # the case keeps the next action it showed, and a visit without one leaves it alone
        kept = store.db.execute(
            "SELECT next_action, next_action_due FROM cases WHERE id = 'c1'").fetchone()
        assert kept == (latest["next_action"], latest["next_action_due"])
        store.record_visit("c1", occurred_at="2026-04-01T10:00+09:00", kind="home_visit",
                           met_with=["nobody"], narrative="不在", relationship_stage="met_person")
        assert store.db.execute(
            "SELECT next_action, next_action_due FROM cases WHERE id = 'c1'").fetchone() == kept
        # sequence numbers continue after the old ones
        assert min(c.seq for c in store.outbox() if c.entity == "person") >= 20
