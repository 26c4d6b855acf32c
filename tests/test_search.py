"""Japanese search: widths, scripts, spacing and short queries never hide a hit."""

from __future__ import annotations

import pytest
import sqlcipher3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outreach_desk import search
from outreach_desk.migrations import V2_SEARCH, V6_SEARCH_GRAMS
from outreach_desk.search import fold, grams, locate, snippet


@pytest.fixture
def filled(store):
    household = store.create_household("渡辺家", "野尻", "坂の上の青い屋根")
    person = store.add_person("渡辺 ケンジ", "ワタナベ ケンジ", "野尻", household_id=household)
    other = store.add_person("田中 あい", "たなか あい", "須木")
    case = store.open_case(person_id=person, referral_source="lifeline", district="野尻",
                           opened_on="2025-01-06",
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


# -- one- and two-character queries: the gram index (migration 6) ----------------------------


def gram_postings(db) -> set[tuple[str, int]]:
    """(token, document id) pairs the gram index really holds (deleted rows excluded)."""
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.gram_vocab "
               "USING fts5vocab(main, search_grams, instance)")
    return {(term, doc) for term, doc, *_ in db.execute("SELECT * FROM temp.gram_vocab")}


def expected_postings(db) -> set[tuple[str, int]]:
    """What it should hold: the grams of every current search document."""
    return {(token, doc_id)
            for doc_id, folded in db.execute("SELECT id, folded FROM search_docs").fetchall()
            for token in grams(folded).split()}


def test_grams_are_distinct_characters_and_pairs_as_ascii_words():
    assert sorted(grams("あいあ").split()) == ["3042", "3042x3044", "3044", "3044x3042"]
    assert grams("𠮷") == "20bb7"  # beyond the BMP
    assert grams("") == ""


def test_one_and_two_character_queries_use_the_gram_index(store, filled):
    assert filled["person"] in ids(store, "渡")
    assert filled["visit"] in ids(store, "ﾊﾟ")  # folds to one character: ぱ
    assert filled["household"] in ids(store, "屋根")
    # a document written behind index_document's back gets trigrams (triggers), not grams:
    # so two-character queries are answered by the gram index, not by scanning search_docs
    with store.db.transaction():
        store.db.execute("INSERT INTO search_docs (entity, entity_id, folded) "
                         "VALUES ('note', 'ghost', 'ゆうれいの話')")
    assert search.find(store.db, "ゆうれい") == [search.Hit("note", "ghost")]
    assert search.find(store.db, "ゆう") == []
    with store.db.transaction():
        search.rebuild_grams(store.db)
    assert search.find(store.db, "ゆう") == [search.Hit("note", "ghost")]
    assert gram_postings(store.db) == expected_postings(store.db)


def test_short_queries_are_newest_first_and_limited(store):
    case = store.open_case(household_id=store.create_household("森家", "野尻"),
                           referral_source="lifeline", district="野尻", opened_on="2025-01-06")
    notes = [store.add_note(case, f"{i}回目の面談") for i in range(5)]
    newest_first = [hit.entity_id for hit in search.find(store.db, "面談")]
    assert newest_first == notes[::-1]
    assert [hit.entity_id for hit in search.find(store.db, "面", limit=2)] == [notes[4], notes[3]]


def test_updates_and_deletions_leave_no_stale_grams(store, filled):
    assert gram_postings(store.db) == expected_postings(store.db) != set()
    store.update("person", filled["person"], {"name": "森 ケンジ", "kana": "もり けんじ"})
    assert filled["person"] not in ids(store, "渡辺")
    assert filled["person"] not in ids(store, "な")
    assert filled["person"] in ids(store, "森")
    store.amend_visit(filled["visit"], {"narrative": "庭で立ち話をした。"}, "記入の誤り")
    assert filled["visit"] not in ids(store, "玄関")
    assert filled["visit"] in ids(store, "立ち")
    store.archive("note", filled["note"])
    assert filled["note"] not in ids(store, "釣り")
    assert gram_postings(store.db) == expected_postings(store.db)
    store.restore("note", filled["note"])
    assert filled["note"] in ids(store, "釣り")
    # saving the same text again keeps the document (and its grams) as it is
    before = store.db.execute("SELECT id, folded FROM search_docs ORDER BY id").fetchall()
    store.update("person", filled["person"], {"district": "須木"})
    with store.db.transaction():
        search.index_document(store.db, "note", filled["note"],
                              ["釣りとカラオケの話が好き。父親の話題は避ける。"])
    assert store.db.execute("SELECT id, folded FROM search_docs ORDER BY id").fetchall() == before
    assert gram_postings(store.db) == expected_postings(store.db)
    assert filled["note"] in ids(store, "釣り")


# Documents mixing scripts and widths, with white space, marks that compose (ｶﾞ → が) and a
# character outside the BMP; few characters, so that queries often match.
DOC_CHARS = "あいかがアイカガｱｲｶﾞﾟ渡辺田中𠮷ＡａB1１ 　\n。ー%_\"x"
QUERY = st.text(alphabet=DOC_CHARS, min_size=1, max_size=3)


def _memory_index():
    db = sqlcipher3.connect(":memory:", isolation_level=None)
    db.executescript(V2_SEARCH + V6_SEARCH_GRAMS)
    return db


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(st.tuples(st.integers(0, 6),
                             st.none() | st.text(alphabet=DOC_CHARS, max_size=14)),
                   min_size=1, max_size=25),
    queries=st.lists(QUERY, max_size=15),
)
def test_gram_index_equals_a_brute_force_substring_check(edits, queries):
    db = _memory_index()
    written = set()
    for key, text in edits:  # inserts, updates (same id kept), deletions, re-inserts
        search.index_document(db, "note", f"n{key}", None if text is None else [text])
        written.add(fold(text or ""))
    docs = db.execute("SELECT id, entity_id, folded FROM search_docs ORDER BY id DESC").fetchall()
    assert gram_postings(db) == expected_postings(db)
    # every gram of every text ever written (also the replaced and deleted ones), and more
    candidates = {folded[i : i + n] for folded in written for n in (1, 2)
                  for i in range(len(folded) - n + 1)}
    for query in candidates | set(queries):
        folded = fold(query)
        if not 1 <= len(folded) <= 2:
            continue
        expected = [entity_id for _, entity_id, text in docs if folded in text]
        assert [hit.entity_id for hit in search.find(db, query, 1000)] == expected, query
        assert [hit.entity_id for hit in search.find(db, query, 2)] == expected[:2], query


def test_migration_backfill_equals_incremental_indexing():
    db = _memory_index()
    for i, text in enumerate(["渡辺 ケンジ", "ﾜﾀﾅﾍﾞ", "田中", "𠮷田", "あ"]):
        search.index_document(db, "person", f"p{i}", [text])
    incremental = gram_postings(db)
    search.rebuild_grams(db)
    assert gram_postings(db) == incremental == expected_postings(db)


# -- snippets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, query, width, expected",
    [
        # half-width katakana with a voiced mark, found by hiragana (ﾊﾟ is 2 characters, ぱ 1)
        ("あいうえおかきくけこﾊﾟｿｺﾝ教室さしすせそ", "ぱそこん", 6, "…くけこﾊﾟｿ…"),
        ("ｶﾞｽ代の支払い", "ガス", 4, "ｶﾞｽ代…"),
        # full-width latin found by half-width lower case
        ("訪問メモ：ＰＣの修理に困っている", "pc", 6, "…メモ：ＰＣの…"),
        # katakana found by hiragana
        ("釣りとカラオケの話が好き", "からおけ", 4, "…りとカラ…"),
        # a query spanning white space, and a query with (ideographic) white space
        ("氏名: 渡辺 ケンジ（わたなべ）", "辺ケン", 6, "…: 渡辺 ケ…"),
        ("氏名: 渡辺 ケンジ（わたなべ）", "渡辺　ケンジ", 6, "氏名: 渡辺…"),  # from the space
        # fields are separated by new lines, shown as spaces
        ("玄関先で話した\n次回は手紙", "手紙", 10, "…た 次回は手紙"),
        # one character expanding to several (㈱ → (株))
        ("会社は㈱山田商事", "株", 4, "…社は㈱山…"),
        # no match: the beginning
        ("玄関先で話した\n次回は手紙", "電話", 8, "玄関先で話した "),
    ],
)
def test_snippet_finds_matches_across_widths_and_scripts(text, query, width, expected):
    assert snippet(text, query, width) == expected


def test_located_span_covers_composed_characters():
    assert locate("ｶﾞｽ代", "が") == (0, 2)
    assert locate("あｶﾞ", "あが") == (0, 3)
    assert locate("ガス ｶﾞｽ", "がすがす") == (0, 6)
    assert locate("訪問 ＰＣ", "pc") == (3, 5)
    assert locate("㈱山田", "株") == (0, 1)
    assert locate("渡辺", "田") is None


def test_snippet_where_character_wise_folding_differs():
    # Greek final sigma: lower() of the whole text gives ς, of the character alone σ
    assert fold("ΟΔΟΣ ΚΑΙ") == "οδοςκαι"
    assert locate("ΟΔΟΣ ΚΑΙ", "ος") == (2, 4)
    assert locate("ΟΔΟΣ ΚΑΙ", "ας") is None


def _snippet_before(text: str, query: str, width: int = 40) -> str:
    """The implementation before migration 6: fold() per character, for every start."""
    folded_query = fold(query)
    folded_chars = [fold(char) for char in text]
    for start in range(len(text)):
        built = ""
        for end in range(start, len(text)):
            built += folded_chars[end]
            if not folded_query.startswith(built):
                break
            if built == folded_query:
                left = max(0, start - width // 2)
                excerpt = text[left : left + width].replace(search.SEPARATOR, " ")
                return ("…" if left else "") + excerpt + ("…" if left + width < len(text) else "")
    return text[:width].replace(search.SEPARATOR, " ")


# no marks that compose (ｶﾞ): where the old snippet was right, the new one gives the same
PLAIN_CHARS = "あいかがアイカガｱｲｶ渡辺田中𠮷ＡａB1１。ー%x ㈱\n　"


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=PLAIN_CHARS, max_size=60)
       | st.text(alphabet="あいかアイカ渡辺田中aB1。ー \n", max_size=60),
       query=st.text(alphabet=PLAIN_CHARS, min_size=1, max_size=3),
       at=st.integers(0, 60), width=st.integers(2, 20))
def test_snippet_gives_the_same_results_as_before(text, query, at, width):
    if text and at % 2:  # half of the queries are cut from the text
        query = text[at % len(text) :][: len(query)]
    if not fold(query):
        return  # search never asks (the old snippet matched the first white space)
    assert snippet(text, query, width) == _snippet_before(text, query, width)


def _first_match_start(text: str, folded_query: str) -> int:
    """Brute force: the shortest prefix containing the query, then its shortest suffix."""
    end = next(e for e in range(len(text) + 1) if folded_query in fold(text[:e]))
    return max(s for s in range(end) if folded_query in fold(text[s:end]))


# text NFKC leaves alone (the common case, which locate() answers by counting white space)
NORMALIZED_CHARS = "あいかがアイカガ渡辺田中𠮷aB1。ー%x \n"


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=DOC_CHARS + "゛㈱", max_size=40)
       | st.text(alphabet=NORMALIZED_CHARS, max_size=40),
       start=st.integers(0, 40), length=st.integers(1, 4))
def test_located_match_is_the_first_and_folds_to_the_query(text, start, length):
    assert search._fold_with_origin(text)[0] == fold(text)  # same folding as the index
    query = fold(text)[start : start + length]
    if not query or search._is_mark(query[0]):
        return  # empty, or starting with a bare combining mark (inside a character)
    found_start, found_end = locate(text, query)
    assert query in fold(text[found_start:found_end])
    assert found_start == _first_match_start(text, query)


def test_integrity_check_looks_inside_both_search_indexes(store, filled):
    assert store.integrity_check() == ["ok"]
    # a document removed behind the trigram index's back (no trigger ran): the index still
    # lists it, which PRAGMA integrity_check cannot see
    with store.db.transaction():
        store.db.execute("DROP TRIGGER IF EXISTS search_docs_ad")
        store.db.execute("DELETE FROM search_docs WHERE entity_id = ?", (filled["note"],))
    assert store.db.integrity_check() == ["ok"]
    problems = store.integrity_check()
    assert len(problems) == 1 and problems[0].startswith("search_fts:"), problems
