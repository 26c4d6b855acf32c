"""This device's changes the server refused (送信できなかった変更), kept for the worker.

The server stores a change to a record outside the caller's teams as refused (so the device's
sequence stays contiguous) and names it in the push answer. The device acknowledges it like any
other change, so it leaves the outbox; what it said is kept here, in the encrypted store, in the
same transaction as that acknowledgement, until the worker has copied the text elsewhere and
marked it 確認済み (dealt with). Local only: never synced, never in the change log.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .changes import RECORD
from .model import ALIVE


@dataclass(frozen=True)
class RefusedChange:
    """One refused change: what it wrote, to which record, when and why."""

    op_id: str  # "site:seq"
    entity: str
    entity_id: str
    field: str
    value: Any  # as written (a record's whole value for a visit, a consent event …)
    reason: str  # the server's words: "日本語 / English"
    refused_at: datetime  # when this device learned of the refusal (UTC)
    case_id: str | None = None  # the case the record belongs to, where the store knows it
    record_name: str | None = None  # the person's (or household's) name, where known
    dealt_at: datetime | None = None

    @property
    def text(self) -> str:
        """What was written, as plain text to copy (one ``field: value`` line per field)."""
        return value_text(self.value)

    @property
    def deletion(self) -> bool:
        """The change archived (deleted) the record."""
        return self.field == ALIVE and self.value is False

    def reason_in(self, language: str = "ja") -> str:
        """The server's reason in one language (it sends ``Japanese / English``)."""
        japanese, _, english = self.reason.partition(" / ")
        return (english or japanese) if language == "en" else japanese


def value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(f"{key}: {value_text(item)}" for key, item in value.items()
                         if item not in (None, "", [], {}))
    if isinstance(value, list):
        return "、".join(value_text(item) for item in value)
    return json.dumps(value, ensure_ascii=False)


def record(db, site: str, refused: Iterable[tuple[int, str]], now_ms: int) -> int:
    """Keep the refused changes ``(seq, reason)`` of this device (inside the caller's
    transaction). A refusal already kept is left as it was. Returns how many are new."""
    added = 0
    for seq, reason in refused:
        row = db.execute(
            "SELECT entity, entity_id, field, value FROM changes WHERE site = ? AND seq = ?",
            (site, int(seq))).fetchone()
        if row is None:
            continue  # not a change of this store (cannot happen unless the server is wrong)
        if row[2] == ALIVE and row[3] == "true":
            continue  # "still there", written with every field edit: nothing to show or copy
        added += db.execute(
            "INSERT OR IGNORE INTO refused_changes (site, seq, entity, entity_id, field, value, "
            "reason, refused_at, dealt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            (site, int(seq), *row, str(reason)[:2000], now_ms)).rowcount
    return added


def count_open(db) -> int:
    return db.execute("SELECT count(*) FROM refused_changes WHERE dealt_at IS NULL").fetchone()[0]


def listing(db, *, include_dealt: bool = False) -> list[RefusedChange]:
    """The refused changes, newest first (only those not yet 確認済み unless asked)."""
    where = "" if include_dealt else " WHERE dealt_at IS NULL"
    rows = db.execute(
        "SELECT site, seq, entity, entity_id, field, value, reason, refused_at, dealt_at "
        f"FROM refused_changes{where} ORDER BY refused_at DESC, seq DESC").fetchall()
    found = []
    for site, seq, entity, entity_id, fld, value, reason, refused_at, dealt_at in rows:
        decoded = json.loads(value)
        case_id, name = _whose(db, entity, entity_id, fld, decoded)
        found.append(RefusedChange(
            f"{site}:{seq}", entity, entity_id, fld, decoded, reason, _time(refused_at),
            case_id, name, _time(dealt_at) if dealt_at is not None else None))
    return found


def mark_dealt(db, op_id: str, now_ms: int) -> bool:
    """確認済み: the worker has dealt with this refused change. False when unknown."""
    site, _, seq = op_id.rpartition(":")
    if not site or not seq.isdigit():
        return False
    return db.execute(
        "UPDATE refused_changes SET dealt_at = ? WHERE site = ? AND seq = ? AND dealt_at IS NULL",
        (now_ms, site, int(seq))).rowcount == 1


def _time(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def _one(db, sql: str, *params: Any) -> Any:
    row = db.execute(sql, params).fetchone()
    return row[0] if row else None


def _case_name(db, case_id: str | None) -> str | None:
    if not case_id:
        return None
    return _one(db, "SELECT coalesce(p.name, h.name) FROM cases c "
                    "LEFT JOIN persons p ON p.id = c.person_id "
                    "LEFT JOIN households h ON h.id = c.household_id WHERE c.id = ?", case_id)


def _whose(db, entity: str, entity_id: str, fld: str, value: Any
           ) -> tuple[str | None, str | None]:
    """The case a change belongs to and the name to show for it, where the store knows them."""
    case_id = None
    if entity == "case":
        case_id = entity_id
    elif fld == RECORD and isinstance(value, dict):
        if isinstance(value.get("case_id"), str):
            case_id = value["case_id"]
        elif isinstance(value.get("visit_id"), str):
            case_id = _one(db, "SELECT case_id FROM visits WHERE id = ?", value["visit_id"])
        elif isinstance(value.get("person_id"), str):
            return None, _one(db, "SELECT name FROM persons WHERE id = ?", value["person_id"])
    elif fld == "case_id" and isinstance(value, str):
        case_id = value
    elif entity in ("note", "plan"):
        case_id = _one(db, f"SELECT case_id FROM {entity}s WHERE id = ?", entity_id)
    elif entity == "person":
        return None, _one(db, "SELECT name FROM persons WHERE id = ?", entity_id)
    elif entity == "household":
        return None, _one(db, "SELECT name FROM households WHERE id = ?", entity_id)
    return case_id, _case_name(db, case_id)


__all__ = ["RefusedChange", "count_open", "listing", "mark_dealt", "record", "value_text"]
