"""Japanese full-text search (検索) over names, kana readings, notes and visit narratives.

Text is *folded* before it is indexed and before a query is matched, so that width, script and
spacing differences never hide a hit: NFKC (全角英数 → 半角, 半角カナ → 全角), katakana →
hiragana, lower case, and no white space. The folded text goes into an FTS5 table with the
trigram tokenizer; queries of three or more characters use the index. Trigrams cannot index
one- and two-character queries, so those are answered by a substring scan of the same folded
text (see ``bench/`` for what that costs on 200,000 visits).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import jaconv

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


def index_document(db, entity: str, entity_id: str, values: Iterable[object] | None) -> None:
    """Put (or replace) a record's document; ``None`` removes it (e.g. a tombstone)."""
    folded = fold(document_text(values)) if values is not None else ""
    if not folded:
        db.execute(
            "DELETE FROM search_docs WHERE entity = ? AND entity_id = ?", (entity, entity_id)
        )
        return
    db.execute(
        "INSERT INTO search_docs (entity, entity_id, folded) VALUES (?, ?, ?) "
        "ON CONFLICT (entity, entity_id) DO UPDATE SET folded = excluded.folded "
        "WHERE folded IS NOT excluded.folded",
        (entity, entity_id, folded),
    )


@dataclass(frozen=True)
class Hit:
    entity: str
    entity_id: str


def _like_pattern(folded: str) -> str:
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def find(db, query: str, limit: int = 50) -> list[Hit]:
    """Records whose folded text contains the folded query, newest documents first."""
    folded = fold(query)
    if not folded:
        return []
    if len(folded) >= 3:
        phrase = '"' + folded.replace('"', '""') + '"'
        rows = db.execute(
            "SELECT d.entity, d.entity_id FROM search_fts f JOIN search_docs d ON d.id = f.rowid "
            "WHERE search_fts MATCH ? ORDER BY f.rowid DESC LIMIT ?",
            (phrase, limit),
        ).fetchall()
    else:
        rows = db.execute(
            "SELECT entity, entity_id FROM search_docs WHERE folded LIKE ? ESCAPE '\\' "
            "ORDER BY id DESC LIMIT ?",
            (_like_pattern(folded), limit),
        ).fetchall()
    return [Hit(entity, entity_id) for entity, entity_id in rows]


def snippet(text: str, query: str, width: int = 40) -> str:
    """A short excerpt of ``text`` around the first match of ``query`` (by folded form)."""
    folded_query = fold(query)
    folded_chars = [fold(char) for char in text]
    # position in the original text where the folded characters first spell the query
    for start in range(len(text)):
        built = ""
        for end in range(start, len(text)):
            built += folded_chars[end]
            if not folded_query.startswith(built):
                break
            if built == folded_query:
                left = max(0, start - width // 2)
                excerpt = text[left : left + width].replace(SEPARATOR, " ")
                return ("…" if left else "") + excerpt + ("…" if left + width < len(text) else "")
    return text[:width].replace(SEPARATOR, " ")
