"""名寄せ: finding a person who may already be in the store before a new one is saved.

Readings (よみがな) are compared by a *match key*: the search fold (width, katakana/hiragana,
spacing), plus the spelling variants that sound alike and are written either way in practice —
ぢ/じ, づ/ず, を/お, ゐ/い, ゑ/え, ゔ/ぶ, small kana as large, and no long-vowel mark or middle dot.
So クロキ ハナコ, くろき はなこ, ｸﾛｷﾊﾅｺ and くろき・はなこ share one key.

``candidates`` ranks possible duplicates: the same reading is a strong match; the same family
reading, or the same written name, counts when the birth year or the district agrees too.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .search import fold

_VARIANTS = str.maketrans({
    "ぢ": "じ", "づ": "ず", "を": "お", "ゐ": "い", "ゑ": "え", "ゔ": "ぶ",
    "ぁ": "あ", "ぃ": "い", "ぅ": "う", "ぇ": "え", "ぉ": "お",
    "っ": "つ", "ゃ": "や", "ゅ": "ゆ", "ょ": "よ", "ゎ": "わ", "ゕ": "か", "ゖ": "け",
    "ー": None, "・": None, "-": None, "‐": None, "−": None, "゛": None, "゜": None,
})


def match_key(text: str | None) -> str:
    """The reading (or name) in the form two spellings of one person share."""
    if not text:
        return ""
    return fold(unicodedata.normalize("NFKC", text)).translate(_VARIANTS)


def family_key(text: str | None) -> str:
    """Match key of the first word: the family name when the reading is written 姓 名."""
    if not text:
        return ""
    words = unicodedata.normalize("NFKC", text).replace("・", " ").split()
    return match_key(words[0]) if len(words) > 1 else ""


def index_person(db, person_id: str, row: dict | None) -> None:
    """Keep ``person_keys`` in step with a person; ``None`` (a tombstone) removes them."""
    index_persons(db, {person_id: row})


def index_persons(db, rows: dict[str, dict | None]) -> None:
    """:func:`index_person` for many people at once."""
    db.executemany("DELETE FROM person_keys WHERE person_id = ?",
                   [(person_id,) for person_id, row in rows.items() if row is None])
    db.executemany(
        "INSERT INTO person_keys (person_id, kana_key, family_key, name_key) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (person_id) DO UPDATE SET kana_key = excluded.kana_key, "
        "family_key = excluded.family_key, name_key = excluded.name_key",
        [(person_id, match_key(row.get("kana")), family_key(row.get("kana")),
          match_key(row.get("name"))) for person_id, row in rows.items() if row is not None],
    )


@dataclass(frozen=True)
class Candidate:
    """A person already in the store who may be the one being entered."""

    person_id: str
    name: str
    kana: str
    birth_year: int | None
    district: str | None
    reasons: tuple[str, ...]  # "reading", "name", "family", "birth_year", "district"
    score: int

    @property
    def strong(self) -> bool:
        return "reading" in self.reasons or "name" in self.reasons


def candidates(
    db,
    *,
    name: str = "",
    kana: str = "",
    birth_year: int | None = None,
    district: str | None = None,
    exclude: str | None = None,
    limit: int = 10,
) -> list[Candidate]:
    """Possible duplicates of a person about to be saved, best first."""
    keys = {"kana_key": match_key(kana), "name_key": match_key(name),
            "family_key": family_key(kana)}
    clauses, params = [], []
    for column, key in keys.items():
        if key:
            clauses.append(f"k.{column} = ?")
            params.append(key)
    if not clauses:
        return []
    rows = db.execute(
        "SELECT p.id, p.name, p.kana, p.birth_year, p.district, k.kana_key, k.name_key, "
        "k.family_key FROM person_keys k JOIN persons p ON p.id = k.person_id "
        f"WHERE p.deleted = 0 AND ({' OR '.join(clauses)})",
        params,
    ).fetchall()
    found = []
    for pid, pname, pkana, pyear, pdistrict, kana_k, name_k, family_k in rows:
        if pid == exclude:
            continue
        reasons = []
        if keys["kana_key"] and kana_k == keys["kana_key"]:
            reasons.append("reading")
        if keys["name_key"] and name_k == keys["name_key"]:
            reasons.append("name")
        if keys["family_key"] and family_k == keys["family_key"] and not reasons:
            reasons.append("family")
        if birth_year is not None and pyear == birth_year:
            reasons.append("birth_year")
        if district and pdistrict == district:
            reasons.append("district")
        strong = "reading" in reasons or "name" in reasons
        if not strong and len(reasons) < 3:  # a shared family name alone is not a match
            continue
        score = (4 * ("reading" in reasons) + 4 * ("name" in reasons) + ("family" in reasons)
                 + 2 * ("birth_year" in reasons) + ("district" in reasons))
        found.append(Candidate(pid, pname or "", pkana or "", pyear, pdistrict,
                               tuple(reasons), score))
    found.sort(key=lambda c: (-c.score, c.kana, c.person_id))
    return found[:limit]


__all__ = ["Candidate", "candidates", "family_key", "index_person", "match_key"]
