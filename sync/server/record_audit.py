"""Records that are themselves audit events: when a push stores one, the audit trail gets an
entry of its own.

``AUDITED_RECORDS`` maps an entity kind to the audit action its records are entered under:

* ``access_event`` (アクセス記録): a supervisor opened a case in the app → ``case_opened``: who
  (the pushing user and device, from the credential), which case, and when the app says it was
  opened;
* ``disclosure`` (提供の記録): a laptop produced meeting material, so case information left the
  app → ``disclosure``: the record's case ids, and in ``detail`` the disclosure id, the legal
  basis, the meeting kind and date and the attending agencies' ids — never the emergency reason.

Identifiers and times only, never record text. Records the server refused (outside the
caller's teams) make no entry: they are never served either.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from outreach_desk.changes import RECORD

from .audit import append

AUDITED_RECORDS: dict[str, str] = {
    "access_event": "case_opened",
    "disclosure": "disclosure",
}


def _ids(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def entry_for(change: dict[str, Any]) -> tuple[str, list[str], dict[str, Any]] | None:
    """(action, case ids, detail) of the audit entry a stored change calls for, if any."""
    action = AUDITED_RECORDS.get(change.get("entity") or "")
    value = change.get("value")
    if action is None or change.get("field") != RECORD or not isinstance(value, dict):
        return None
    if change["entity"] == "disclosure":
        return action, _ids(value.get("case_ids")), {
            "disclosure": str(change.get("entity_id")), "basis": str(value.get("basis")),
            "meeting_kind": str(value.get("meeting_kind")),
            "meeting_date": str(value.get("meeting_date")),
            "agencies": _ids(value.get("agencies"))}
    case_id = value.get("case_id")
    detail = {"record": change.get("entity_id"), "at": value.get("at")}
    if isinstance(value.get("action"), str):
        detail["what"] = value["action"]
    return action, [case_id] if isinstance(case_id, str) else [], {
        key: item for key, item in detail.items() if isinstance(item, str)}


def append_entries(conn, *, login: str, device: str,
                   stored: Iterable[dict[str, Any]]) -> int:
    """Append the entries the ``stored`` changes call for, inside the push's transaction."""
    count = 0
    for change in stored:
        entry = entry_for(change)
        if entry is not None:
            action, case_ids, detail = entry
            append(conn, login=login, device=device, action=action, case_ids=case_ids,
                   detail=detail)
            count += 1
    return count


__all__ = ["AUDITED_RECORDS", "append_entries", "entry_for"]
