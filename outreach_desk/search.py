"""Japanese full-text search (検索) over names, kana readings, notes and visit narratives.

Text is *folded* before it is indexed and before a query is matched, so that width, script and
spacing differences never hide a hit: NFKC (全角英数 → 半角, 半角カナ → 全角), katakana →
hiragana, lower case, and no white space. The folded text goes into two FTS5 indexes:

* ``search_fts`` (trigram tokenizer, kept up to date by triggers on ``search_docs``) answers
  queries of three or more folded characters;
* ``search_grams`` (migration 6) answers one- and two-character queries, which trigrams cannot.
  It holds, for each document, the distinct characters and character pairs of its folded text
  (see :func:`grams`), maintained here in :func:`index_document`. Folded text has no white space,
  so a document contains a two-character query exactly when the pair is one of its pairs: the
  index has neither false hits nor misses.

Both return the newest documents first, from the index alone, without scanning ``search_docs``.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate, pairwise

import jaconv
import sqlcipher3

from .database import chunks, marks
from .errors import StoreCorrupt

SEARCHABLE: dict[str, tuple[str, ...]] = {
    "household": ("name", "address_note"),
    "person": ("name", "kana"),
    "case": ("referral_note",),
    "note": ("text",),
    "meeting": ("decisions",),
    "visit": ("narrative", "reaction", "next_action"),
}
SEPARATOR = "\n"


def fold(text: str) -> str:
    """The form both documents and queries are compared in."""
    text = unicodedata.normalize("NFKC", text)
    text = jaconv.kata2hira(text)
    return "".join(text.lower().split())


def document_text(values: Iterable[object]) -> str:
    """The searchable text of a record: its searchable fields, one per line."""
    return SEPARATOR.join(str(v) for v in values if v)


# -- the gram index for one- and two-character queries ----------------------------------------


def gram_token(gram: str) -> str:
    """One character or character pair as an ASCII word the FTS5 ``ascii`` tokenizer keeps whole:
    hexadecimal code points joined by ``x`` (``あ`` → ``3042``, ``あい`` → ``3042x3044``)."""
    return "x".join(f"{ord(char):x}" for char in gram)


class _HexWords(dict):
    """``str.translate`` table: a code point → its hex digits and a space (filled as met)."""

    def __missing__(self, code: int) -> str:
        word = self[code] = f"{code:x} "
        return word


_HEX_WORDS = _HexWords()


def grams(folded: str) -> str:
    """The ``search_grams`` text of a folded document: its distinct characters and pairs, as
    :func:`gram_token` words (built with C-level loops: this runs on every save)."""
    chars = folded.translate(_HEX_WORDS).split()
    distinct = set(chars)
    distinct.update(map("x".join, pairwise(chars)))
    return " ".join(distinct)


def rebuild_grams(db, batch: int = 5000) -> None:
    """Fill ``search_grams`` from ``search_docs`` from scratch (migration 6, repairs)."""
    db.execute("INSERT INTO search_grams (search_grams) VALUES ('delete-all')")
    last = 0
    while True:
        rows = db.execute(
            "SELECT id, folded FROM search_docs WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
        ).fetchall()
        if not rows:
            break
        db.executemany("INSERT INTO search_grams (rowid, grams) VALUES (?, ?)",
                       [(doc_id, grams(folded)) for doc_id, folded in rows])
        last = rows[-1][0]
    # one segment: the smallest index and the fewest pages read per query
    db.execute("INSERT INTO search_grams (search_grams) VALUES ('optimize')")


def check_indexes(db) -> list[str]:
    """FTS5's own ``integrity-check`` of both indexes: the trigram index against
    ``search_docs``, the gram index against itself. One line per index that fails."""
    problems = []
    # rank 1: also compare the index with its external content table (search_docs)
    for table, against_content in (("search_fts", 1), ("search_grams", 0)):
        try:
            db.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', ?)",
                       (against_content,))
        except (sqlcipher3.DatabaseError, StoreCorrupt) as exc:
            problems.append(f"{table}: {exc}")
    return problems


def index_document(db, entity: str, entity_id: str, values: Iterable[object] | None) -> None:
    """Put (or replace) a record's document; ``None`` removes it (e.g. a tombstone).

    ``search_fts`` follows ``search_docs`` through triggers; ``search_grams`` is kept here, under
    the document's id (which an update keeps).
    """
    folded = fold(document_text(values)) if values is not None else ""
    if not folded:
        for (doc_id,) in db.execute(
            "DELETE FROM search_docs WHERE entity = ? AND entity_id = ? RETURNING id",
            (entity, entity_id),
        ).fetchall():
            db.execute("DELETE FROM search_grams WHERE rowid = ?", (doc_id,))
        return
    # RETURNING gives the id of an inserted or changed document, nothing when the text is the same
    changed = db.execute(
        "INSERT INTO search_docs (entity, entity_id, folded) VALUES (?, ?, ?) "
        "ON CONFLICT (entity, entity_id) DO UPDATE SET folded = excluded.folded "
        "WHERE folded IS NOT excluded.folded RETURNING id",
        (entity, entity_id, folded),
    ).fetchone()
    if changed is not None:
        # REPLACE drops the old grams of an updated document (contentless_delete=1)
        db.execute("INSERT OR REPLACE INTO search_grams (rowid, grams) VALUES (?, ?)",
                   (changed[0], grams(folded)))


def index_documents(db, entity: str, docs: Iterable[tuple[str, Iterable[object] | None]]
                    ) -> None:
    """:func:`index_document` for many records of one entity (``(entity_id, values)`` pairs,
    each id once) in a handful of statements: one read of the documents already there, batched
    inserts and updates, and the grams of the new and changed ones."""
    docs = list(docs)
    if len(docs) == 1:  # a local write: the two statements of the one-document path
        index_document(db, entity, *docs[0])
        return
    folded = {entity_id: fold(document_text(values)) if values is not None else ""
              for entity_id, values in docs}
    existing: dict[str, tuple[int, str]] = {}
    ids = list(folded)
    for chunk in chunks(ids):
        for doc_id, entity_id, text in db.execute(
            "SELECT id, entity_id, folded FROM search_docs "
            f"WHERE entity = ? AND entity_id IN ({marks(chunk)})", (entity, *chunk)
        ):
            existing[entity_id] = (doc_id, text)
    gone = [existing[i][0] for i, text in folded.items() if not text and i in existing]
    new = [i for i, text in folded.items() if text and i not in existing]
    changed = [(folded[i], existing[i][0]) for i, text in folded.items()
               if text and i in existing and existing[i][1] != text]
    if gone:
        db.executemany("DELETE FROM search_docs WHERE id = ?", [(d,) for d in gone])
        db.executemany("DELETE FROM search_grams WHERE rowid = ?", [(d,) for d in gone])
    db.executemany("INSERT INTO search_docs (entity, entity_id, folded) VALUES (?, ?, ?)",
                   [(entity, i, folded[i]) for i in new])
    db.executemany("UPDATE search_docs SET folded = ? WHERE id = ?", changed)
    rows = [(doc_id, grams(text)) for text, doc_id in changed]
    for chunk in chunks(new):
        rows += [(doc_id, grams(folded[entity_id])) for doc_id, entity_id in db.execute(
            f"SELECT id, entity_id FROM search_docs WHERE entity = ? AND entity_id IN "
            f"({marks(chunk)})", (entity, *chunk))]
    # REPLACE drops the old grams of an updated document (contentless_delete=1)
    db.executemany("INSERT OR REPLACE INTO search_grams (rowid, grams) VALUES (?, ?)", rows)


# -- finding ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    entity: str
    entity_id: str


def find(db, query: str, limit: int = 50) -> list[Hit]:
    """Records whose folded text contains the folded query, newest documents first."""
    folded = fold(query)
    if not folded:
        return []
    if len(folded) >= 3:
        table, match = "search_fts", '"' + folded.replace('"', '""') + '"'
    else:
        table, match = "search_grams", '"' + gram_token(folded) + '"'
    rows = db.execute(
        f"SELECT d.entity, d.entity_id FROM {table} JOIN search_docs d ON d.id = {table}.rowid "
        f"WHERE {table} MATCH ? ORDER BY {table}.rowid DESC LIMIT ?",
        (match, limit),
    ).fetchall()
    return [Hit(entity, entity_id) for entity, entity_id in rows]


# -- snippets ---------------------------------------------------------------------------------


class _CharFolds(dict):
    """``fold`` of single characters by code point, each folded once (a ``str.translate``
    table, filled as characters are met)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold(chr(code))
        return folded


_CHAR_FOLDS = _CharFolds()
_WHITE_SPACE = re.compile(r"\s")  # exactly the characters fold() removes (str.isspace)


def _is_mark(folded: str) -> bool:
    return bool(folded) and unicodedata.category(folded[0])[0] == "M"


def _fold_with_origin(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, where it starts in ``text``.

    Each character is folded on its own, except that a character folding to a combining mark
    joins the one before it and the two are folded together, as NFKC composes them (ｶﾞ → が,
    2 characters → 1). The result equals ``fold(text)`` except in a few scripts where folding
    depends on more context (Greek final sigma, Hangul jamo).
    """
    chars: list[str] = []
    origin: list[int] = []
    start = 0  # where the current character (with its marks) starts in text
    emitted = 0  # how many folded characters it produced
    for i, char in enumerate(text):
        folded = _CHAR_FOLDS[ord(char)]
        if i and _is_mark(folded):
            del chars[len(chars) - emitted :], origin[len(origin) - emitted :]
            folded = fold(text[start : i + 1])
        else:
            start = i
        emitted = len(folded)
        chars.extend(folded)
        origin.extend([start] * emitted)
    return "".join(chars), origin


def _contains(text: str, folded_query: str) -> bool:
    return folded_query in fold(text)


def locate(text: str, folded_query: str) -> tuple[int, int] | None:
    """Where ``text`` first contains ``folded_query`` by folded form (as the index matched it):
    ``(start, end)`` of the original characters, or ``None``."""
    if not folded_query:
        return None
    folded = fold(text)
    at = folded.find(folded_query)
    if at < 0:
        return None
    last = at + len(folded_query) - 1
    if unicodedata.is_normalized("NFKC", text):
        spaces = [match.start() for match in _WHITE_SPACE.finditer(text)]
        if len(folded) + len(spaces) == len(text):
            # Most text: NFKC leaves it as it is, kana and case map one character to one, and
            # white space folds to nothing. Count past the white space.
            start, end = at, last + 1
            for space in spaces:
                if space <= start:
                    start, end = start + 1, end + 1
                elif space < end:
                    end += 1
                else:
                    break
            return start, end
    if text.translate(_CHAR_FOLDS) == folded:
        # The folded text is the characters' own folds one after the other (ＰＣ → pc,
        # ㈱ → (株)): a running total of their lengths maps positions back.
        ends = list(accumulate(map(len, map(_CHAR_FOLDS.__getitem__, map(ord, text)))))
        return bisect_right(ends, at), bisect_right(ends, last) + 1
    # NFKC composed characters (ﾊﾟ → ぱ): fold them together, character by character
    with_marks, origin = _fold_with_origin(text)
    if with_marks == folded:
        end = origin[last] + 1
        while end < len(text) and _is_mark(_CHAR_FOLDS[ord(text[end])]):
            end += 1  # the marks folded into the last character
        return origin[at], end
    # Rare: folding depends on more context. Find the shortest prefix that contains the query,
    # then the shortest suffix of it, by bisection.
    low, high = 0, len(text)  # not contained in text[:low], contained in text[:high]
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (low, mid) if _contains(text[:mid], folded_query) else (mid, high)
    end = high
    low, high = 0, end  # contained in text[low:end], not in text[high:end]
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if _contains(text[mid:end], folded_query) else (low, mid)
    return low, end


def snippet(text: str, query: str, width: int = 40) -> str:
    """A short excerpt of ``text`` around the first match of ``query`` (by folded form)."""
    found = locate(text, fold(query))
    if found is None:
        return text[:width].replace(SEPARATOR, " ")
    start = found[0]
    while start and text[start - 1].isspace():
        start -= 1  # as snippets always were: a match right after a line break starts with it
    left = max(0, start - width // 2)
    excerpt = text[left : left + width].replace(SEPARATOR, " ")
    return ("…" if left else "") + excerpt + ("…" if left + width < len(text) else "")
