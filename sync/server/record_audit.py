"""Records that are themselves audit events: when a push stores one, the audit trail gets an
entry of its own.

``AUDITED_RECORDS`` maps an entity kind to the audit action its records are entered under:

* ``access_event`` (アクセス記録): a supervisor opened a case in the app → ``case_opened``: who
  (the pushing user and device, from the credential), which case, and when the app says it was
  opened;
* ``disclosure`` (提供の記録): a laptop produced meeting material, so case information left the
  app → ``disclosure``: the record's case ids, and in ``detail`` the disclosure id, the legal
  basis's code, the meeting kind and date and the attending agencies' ids — never the
  emergency reason, and never a basis, kind or date that is not a known code or a date (free
  text a laptop put in those fields is entered as ``"other"``).

Identifiers and times only, never record text. Records the server refused (outside the
caller's teams) make no entry: they are never served either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from outreach_desk.changes import RECORD
from outreach_desk.vocab import LegalBasis, MeetingKind

from sync.protocol import is_id

from .audit import append

AUDITED_RECORDS: dict[str, str] = {
    "access_event": "case_opened",
    "disclosure": "disclosure",
}


OTHER = "other"  # a value that is not a known code: never copied into the trail
BASES = frozenset(item.value for item in LegalBasis)
MEETING_KINDS = frozenset(item.value for item in MeetingKind)
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


TIME = re.compile(r"[0-9T:.+\-Z ]{10,40}")  # an ISO 8601 date and time
WORD = re.compile(r"[a-z_]{1,40}")  # a code such as open_case


def _ids(value: Any) -> list[str]:
    return [item for item in value if is_id(item)] if isinstance(value, list) else []


def _code(value: Any, known: frozenset[str]) -> str:
    return value if isinstance(value, str) and value in known else OTHER


def entry_for(change: dict[str, Any]) -> tuple[str, list[str], dict[str, Any]] | None:
    """(action, case ids, detail) of the audit entry a stored change calls for, if any."""
    action = AUDITED_RECORDS.get(change.get("entity") or "")
    value = change.get("value")
    if action is None or change.get("field") != RECORD or not isinstance(value, dict):
        return None
    if change["entity"] == "disclosure":
        return action, _ids(value.get("case_ids")), {
            "disclosure": str(change.get("entity_id")),
            "basis": _code(value.get("basis"), BASES),
            "meeting_kind": _code(value.get("meeting_kind"), MEETING_KINDS),
            "meeting_date": (value["meeting_date"] if isinstance(value.get("meeting_date"), str)
                             and DATE.fullmatch(value["meeting_date"]) else OTHER),
            "agencies": _ids(value.get("agencies"))}
    case_id, at, what = value.get("case_id"), value.get("at"), value.get("action")
    detail = {"record": change.get("entity_id"),
              "at": at if isinstance(at, str) and TIME.fullmatch(at) else OTHER}
    if what is not None:
        detail["what"] = what if isinstance(what, str) and WORD.fullmatch(what) else OTHER
    return action, [case_id] if is_id(case_id) else [], {
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
