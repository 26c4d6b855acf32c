"""The data half of ``outreach-desk --self-test``: store, visit, Japanese search (no Qt).

Each check works on a store in the folder it is given, raises on failure and returns one line
for the report. ``ui/self_test.py`` adds a sync round and the main window.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .paths import DB_FILE
from .store import Store

NARRATIVE = "自己診断の訪問。玄関先で話せた。次回は午後に再訪する。"
PERSON = ("試験 太郎", "しけん たろう")
DISTRICT = "野尻"
QUERIES = ("玄関先", "再訪", "しけん", "試験")  # 3+ characters, kana reading, two kanji


class CheckFailed(Exception):
    """A self-check found the installation not working (the message says which part)."""


@dataclass
class SelfCheck:
    data_dir: Path
    passphrase: str
    case_id: str = ""
    visit_id: str = ""

    def create_store(self) -> str:
        with Store.create(self.data_dir, self.passphrase, worker_name="自己診断") as store:
            if store.integrity_check() != ["ok"]:
                raise CheckFailed("the new store fails its integrity check")
            cipher = store.db.execute("PRAGMA cipher_version").fetchone()[0]
        if (self.data_dir / DB_FILE).read_bytes()[:16].startswith(b"SQLite format 3"):
            raise CheckFailed("the database file is not encrypted")
        return f"encrypted store created (SQLCipher {cipher})"

    def write_and_read_visit(self) -> str:
        with Store.open(self.data_dir, self.passphrase) as store:
            person = store.add_person(*PERSON, DISTRICT)
            self.case_id = store.open_case(referral_source="minsei_iin", district=DISTRICT,
                                           person_id=person, opened_on="2026-03-01")
            self.visit_id = store.record_visit(
                self.case_id, occurred_at="2026-04-01T10:00:00", kind="home_visit",
                met_with=["person"], relationship_stage="met_person", narrative=NARRATIVE)
        with Store.open(self.data_dir, self.passphrase) as store:  # read back after reopening
            if store.visit(self.visit_id)["narrative"] != NARRATIVE:
                raise CheckFailed("the visit read back differs from the one written")
        return "visit written, store reopened, visit read back"

    def search(self) -> str:
        with Store.open(self.data_dir, self.passphrase) as store:
            found = {query: {hit.entity_id for hit in store.search(query)} for query in QUERIES}
        if self.visit_id not in found["玄関先"] or self.visit_id not in found["再訪"]:
            raise CheckFailed("a Japanese search missed the visit")
        if not found["しけん"] or not found["試験"]:
            raise CheckFailed("a Japanese search missed the person")
        return f"the visit and the person found by {len(QUERIES)} Japanese queries"


__all__ = ["NARRATIVE", "PERSON", "CheckFailed", "SelfCheck"]
