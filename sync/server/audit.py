"""The audit trail (アクセス記録): who pushed or pulled what, and every administrative act.

Append-only and hash-chained: each entry's ``hash`` is the SHA-256 of the previous entry's hash
and the entry's own fields (canonical JSON), so editing or removing an entry breaks the chain
from there on, which ``outreach-sync-server admin verify-audit`` finds and names. Entries hold
identifiers only (login, device, case ids, counts), never record text.

What the chain cannot show by itself: entries cut off at the end, or a chain recomputed from
an edited entry on. The server signs its head at intervals (``audit_checkpoints.py``) and
``verify`` checks the chain passes through every signed head; ``verify-audit --expect HASH``
checks it passes through a head kept outside the server (``admin audit-head`` prints it: the
municipality's check sheet), which also covers entries after the last checkpoint.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .audit_checkpoints import Checkpoint, checkpoints, signature_ok
from .db import Database, metadata

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

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
    checkpoints: int = 0  # signed checkpoints whose signature and entry verify
    signed_through: int = 0  # the entry of the latest of them

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def parse_expected(text: str) -> tuple[int | None, str]:
    """``HASH`` or ``SEQ:HASH`` (as ``audit-head`` prints it) → (seq or None, hash)."""
    seq, _, head = text.strip().rpartition(":")
    head = head.strip().lower()
    if len(head) != 64 or any(ch not in "0123456789abcdef" for ch in head):
        raise ValueError("an audit head is 64 hex digits, optionally after its entry number "
                         "and a colon")
    if seq and not seq.strip().isdigit():
        raise ValueError("an audit head's entry number is a number")
    return (int(seq) if seq else None), head


def head(db: Database) -> tuple[int, str, Checkpoint | None]:
    """(last entry number, its hash, the latest signed checkpoint) — what to keep elsewhere."""
    with db.reading() as conn:
        last = conn.execute(sa.select(audit_log.c.seq, audit_log.c.hash)
                            .order_by(audit_log.c.seq.desc()).limit(1)).first()
        marks = checkpoints(conn)
    seq, last_hash = (last.seq, last.hash) if last else (0, GENESIS)
    return seq, last_hash, (marks[-1] if marks else None)


def verify(db: Database, *, public_key: Ed25519PublicKey | None = None,
           expect: str | None = None) -> Verdict:
    """Check the chain, every signed checkpoint (its signature against ``public_key``, and that
    the chain passes through the head it signed) and, with ``expect`` (``HASH`` or
    ``SEQ:HASH``, a head kept elsewhere), that the chain passes through that head too."""
    expected_seq, expected_hash = parse_expected(expect) if expect else (None, None)
    found_expected = False
    prev, next_seq, count, last_seq = GENESIS, 1, 0, 0
    with db.reading() as conn:
        marks = {mark.seq: mark for mark in checkpoints(conn)}
        for mark in marks.values():
            if public_key is None:
                return Verdict(0, 0, GENESIS, mark.seq, "the trail has signed checkpoints but "
                               "no public key was given to check them")
            if not signature_ok(public_key, mark):
                return Verdict(0, 0, GENESIS, mark.seq, f"the checkpoint of entry {mark.seq} "
                               "is not signed by this server's key (forged or altered)")
        for row in conn.execute(sa.select(audit_log).order_by(audit_log.c.seq)):
            values = row._asdict()
            if row.seq != next_seq:
                return Verdict(count, last_seq, prev, next_seq,
                               f"entry {next_seq} is missing")
            if row.prev_hash != prev or entry_hash(prev, values) != row.hash:
                return Verdict(count, last_seq, prev, row.seq,
                               f"entry {row.seq} was changed or an entry before it removed")
            mark = marks.get(row.seq)
            if mark is not None and mark.hash != row.hash:
                return Verdict(count, last_seq, prev, row.seq,
                               f"entry {row.seq} is not the one the server signed: the chain "
                               "was rewritten from there or before")
            if row.hash == expected_hash and expected_seq in (None, row.seq):
                found_expected = True
            prev, next_seq, count, last_seq = row.hash, row.seq + 1, count + 1, row.seq
    if expect and expected_hash == GENESIS and expected_seq in (None, 0):
        found_expected = True  # the head of an empty trail
    signed = max(marks, default=0)
    if signed > last_seq:
        return Verdict(count, last_seq, prev, last_seq + 1,
                       f"entries after {last_seq} are missing: the server signed entry "
                       f"{signed}", len([s for s in marks if s <= last_seq]), signed)
    if expect and not found_expected:
        where = f"entry {expected_seq}" if expected_seq is not None else "any entry"
        return Verdict(count, last_seq, prev, min(last_seq + 1, expected_seq or last_seq + 1),
                       f"the expected head is not {where} of the trail: entries were removed "
                       "or rewritten", len(marks), signed)
    return Verdict(count, last_seq, prev, None, "", len(marks), signed)


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


__all__ = ["Verdict", "append", "audit_log", "case_ids_of", "export_csv", "head",
           "parse_expected", "record", "verify"]
