"""Japanese search: widths, scripts, spacing and short queries never hide a hit."""

from __future__ import annotations

import pytest

from outreach_desk.search import fold


@pytest.fixture
def filled(store):
    household = store.create_household("渡辺家", "野尻", "坂の上の青い屋根")
    person = store.add_person("渡辺 ケンジ", "ワタナベ ケンジ", "野尻", household_id=household)
    other = store.add_person("田中 あい", "たなか あい", "須木")
    case = store.open_case(person_id=person, referral_source="lifeline", district="野尻",
                           referral_note="新聞配達員から郵便受けが溢れていると連絡")
    note = store.add_note(case, "釣りとカラオケの話が好き。父親の話題は避ける。")
    visit = store.record_visit(case, occurred_at="2026-11-02T09:30+09:00", kind="home_visit",
                               met_with="person", relationship_stage="met_person",
                               narrative="玄関先で5分ほど話した。ＰＣの修理に困っている様子。",
                               next_action="ﾊﾟｿｺﾝ教室の案内を持参")
    return {"household": household, "person": person, "other": other, "case": case,
            "note": note, "visit": visit}


def ids(store, query):
    return {hit.entity_id for hit in store.search(query)}


def test_fold_rules():
    assert fold("ワタナベ ケンジ") == fold("わたなべけんじ") == "わたなべけんじ"
    assert fold("ｶﾗｵｹ") == fold("カラオケ") == "からおけ"
    assert fold("ＰＣ") == fold("pc") == "pc"
    assert fold("１２３") == "123"


@pytest.mark.parametrize(
    "query, key",
    [
        ("わたなべ", "person"),        # hiragana finds katakana reading
        ("ワタナベケンジ", "person"),   # spacing ignored
        ("ﾜﾀﾅﾍﾞ", "person"),           # half-width katakana
        ("渡辺", "person"),             # two characters, kanji
        ("渡", "person"),               # one character
        ("青い屋根", "household"),
        ("郵便受け", "case"),
        ("からおけ", "note"),           # hiragana finds katakana in a note
        ("避ける", "note"),
        ("pc", "visit"),                # half-width finds full-width ＰＣ
        ("パソコン教室", "visit"),       # full-width finds half-width ﾊﾟｿｺﾝ
        ("玄関", "visit"),
    ],
)
def test_query_finds_record(store, filled, query, key):
    assert filled[key] in ids(store, query)


def test_hits_carry_case_ids_and_an_original_snippet(store, filled):
    hits = store.search("からおけ")
    hit = next(h for h in hits if h.entity_id == filled["note"])
    assert hit.case_ids == (filled["case"],)
    assert "カラオケ" in hit.snippet  # shown as written, not folded
    person_hit = next(h for h in store.search("わたなべ") if h.entity == "person")
    assert person_hit.case_ids == (filled["case"],)


def test_no_false_hits(store, filled):
    assert ids(store, "存在しない言葉") == set()
    assert filled["other"] not in ids(store, "わたなべ")
    assert ids(store, "100%") == set()  # LIKE wildcards are literal


def test_archived_records_leave_the_index_and_come_back_on_restore(store, filled):
    store.archive("note", filled["note"])
    assert filled["note"] not in ids(store, "カラオケ")
    store.restore("note", filled["note"])
    assert filled["note"] in ids(store, "カラオケ")


def test_edits_and_amendments_are_reindexed(store, filled):
    store.update("person", filled["person"], {"name": "渡部 ケンジ", "kana": "わたべ けんじ"})
    assert filled["person"] not in ids(store, "わたなべ")
    assert filled["person"] in ids(store, "わたべ")
    store.amend_visit(filled["visit"], {"narrative": "玄関先で10分話した。"}, "時間の訂正")
    assert filled["visit"] in ids(store, "10分")
    assert filled["visit"] not in ids(store, "5分ほど")
