"""Audit entries for disclosures (提供の記録) arriving by push.

When a push stores a ``disclosure`` record (a laptop produced meeting material: case
information left the app on a legal basis), the audit trail gets one entry per record, in the
push's transaction: action ``disclosure``, the pushing user and device, the case ids, the basis
and meeting kind — identifiers only, never the emergency reason or any other record text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from outreach_desk.changes import RECORD

from .audit import append

ACTION = "disclosure"


def _ids(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def audit_stored(conn, stored: Iterable[Any], *, login: str, device: str) -> int:
    """Append an entry for each disclosure among ``stored`` (``db.Incoming`` items that were
    stored, not refused); returns how many."""
    count = 0
    for item in stored:
        change = item.change or {}
        value = change.get("value")
        if change.get("entity") != "disclosure" or change.get("field") != RECORD \
                or not isinstance(value, dict):
            continue
        append(conn, login=login, device=device, action=ACTION,
               case_ids=_ids(value.get("case_ids")),
               detail={"disclosure": str(change.get("entity_id")),
                       "basis": str(value.get("basis")),
                       "meeting_kind": str(value.get("meeting_kind")),
                       "meeting_date": str(value.get("meeting_date")),
                       "agencies": _ids(value.get("agencies"))})
        count += 1
    return count


__all__ = ["ACTION", "audit_stored"]
