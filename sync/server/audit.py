"""The audit trail (アクセス記録): who pushed or pulled what, and every administrative act.

Append-only and hash-chained: each entry's ``hash`` is the SHA-256 of the previous entry's hash
and the entry's own fields (canonical JSON), so editing or removing an entry breaks the chain
from there on, which ``outreach-sync-server admin verify-audit`` finds and names. Entries hold
identifiers only (login, device, case ids, counts), never record text.

What the chain cannot show by itself: entries cut off at the end. ``verify-audit`` prints the
last sequence number and hash; keeping that line outside the server (the municipality's check
sheet) closes that gap.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .db import Database, metadata

GENESIS = "0" * 64

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
              autoincrement=False),
    sa.Column("at", sa.String(40), nullable=False),  # ISO 8601 UTC, as hashed
    sa.Column("login", sa.String(80), nullable=False),
    sa.Column("device", sa.String(80), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("case_ids", sa.Text(), nullable=False),  # JSON list
    sa.Column("detail", sa.Text(), nullable=False),  # JSON object of identifiers and counts
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

FIELDS = ("seq", "at", "login", "device", "action", "case_ids", "detail")


def entry_hash(prev_hash: str, row: dict[str, Any]) -> str:
    text = json.dumps([prev_hash, *(row[name] for name in FIELDS)], ensure_ascii=False,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append(conn, *, login: str, device: str, action: str, case_ids: list[str] | tuple = (),
           detail: dict[str, Any] | None = None) -> int:
    """Add an entry inside the caller's write transaction (``Database.writing``): entries are
    numbered and chained under the same lock that orders every write."""
    last = conn.execute(sa.select(audit_log.c.seq, audit_log.c.hash)
                        .order_by(audit_log.c.seq.desc()).limit(1)).first()
    seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
    row = {"seq": seq, "at": datetime.now(UTC).isoformat(timespec="microseconds"),
           "login": login, "device": device, "action": action,
           "case_ids": json.dumps(sorted(set(case_ids)), ensure_ascii=False),
           "detail": json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)}
    conn.execute(audit_log.insert().values(**row, prev_hash=prev, hash=entry_hash(prev, row)))
    return seq


def record(db: Database, **entry: Any) -> int:
    with db.writing() as conn:
        return append(conn, **entry)


@dataclass(frozen=True)
class Verdict:
    entries: int
    last_seq: int
    last_hash: str
    broken_at: int | None  # the first entry that does not follow from the one before
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(db: Database) -> Verdict:
    prev, expected_seq, count, last_seq = GENESIS, 1, 0, 0
    with db.reading() as conn:
        for row in conn.execute(sa.select(audit_log).order_by(audit_log.c.seq)):
            values = row._asdict()
            if row.seq != expected_seq:
                return Verdict(count, last_seq, prev, expected_seq,
                               f"entry {expected_seq} is missing")
            if row.prev_hash != prev or entry_hash(prev, values) != row.hash:
                return Verdict(count, last_seq, prev, row.seq,
                               f"entry {row.seq} was changed or an entry before it removed")
            prev, expected_seq, count, last_seq = row.hash, row.seq + 1, count + 1, row.seq
    return Verdict(count, last_seq, prev, None)


def export_csv(db: Database, path: Path) -> int:
    """Every entry as CSV, UTF-8 with a byte order mark (Excel opens it as UTF-8)."""
    count = 0
    with db.reading() as conn, open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([*FIELDS, "prev_hash", "hash"])
        for row in conn.execute(sa.select(audit_log).order_by(audit_log.c.seq)):
            writer.writerow([row.seq, row.at, row.login, row.device, row.action,
                             " ".join(json.loads(row.case_ids)), row.detail, row.prev_hash,
                             row.hash])
            count += 1
    return count


def case_ids_of(bodies: list[dict[str, Any]]) -> list[str]:
    """The cases these changes belong to, where a change names its case itself (a case, a
    visit record, a note's or plan's case field). Changes that only name another record (a
    note's later edit, a person) are resolved by the team-scoping work."""
    found = set()
    for body in bodies:
        entity, value = body.get("entity"), body.get("value")
        if entity == "case":
            found.add(body.get("entity_id"))
        elif entity == "visit" and isinstance(value, dict):
            found.add(value.get("case_id"))
        elif body.get("field") == "case_id" and isinstance(value, str):
            found.add(value)
    return sorted(case_id for case_id in found if isinstance(case_id, str) and case_id)


__all__ = ["Verdict", "append", "audit_log", "case_ids_of", "export_csv", "record", "verify"]
