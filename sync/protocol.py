"""The sync wire protocol: message shapes and versions, shared by the client and the server.

Every request carries ``protocol`` (this module's version) and ``schema`` (the change format,
``outreach_desk.changes.SCHEMA_VERSION``); a server that speaks another protocol answers 426
with a message the app shows. Bodies are JSON, compressed with gzip in both directions.

Push (``POST /v1/push``): a device sends a batch of its own changes, in sequence order. The
server stores each (device, seq) once, and answers with the highest *contiguous* sequence it
holds for that device (``acked_through``). A batch that would leave a gap is refused (409,
``code = "gap"``, with the server's ``acked_through``) — the device then re-sends from there,
out of its change log (this is also how a server restored from a backup is refilled). A
withdrawal of consent in a refused batch is still stored. A batch that is invalid only because
of some of its changes is answered 422 naming them (``ErrorBody.invalid``); the device keeps
them as refused and pushes again with their seqs ``withdrawn``, so one bad change never blocks
the changes after it.

Pull (``GET /v1/changes?since=CURSOR&limit=N``): changes in the server's order (a monotonic
``server_seq`` per stored change), paged; ``cursor`` is the last ``server_seq`` returned and
``more`` says whether to ask again. The client applies a page and moves its cursor in one
transaction. Each page (and each push answer) carries the server's history digest at its
cursor (``HistoryMark``): a digest chained over every number up to it, so a device that kept
the digest at its cursor can ask for it again (``DeviceState.history``) and tell whether the
numbers below its cursor still mean what they meant — after a restore from a backup they do
not, and the device pulls again from its newest checkpoint that still matches.

These additions (``withdrawn``, ``invalid``, ``history``) are optional fields of protocol 1:
older clients ignore them, and a client facing an older server falls back to what it did
before (the marker check of the change at its cursor).

Unknown fields of a change (from a newer client) are kept by the server and passed on.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import math
import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from outreach_desk.changes import SCHEMA_VERSION, Change, canonical

PROTOCOL_VERSION = 1
# Every server of this protocol takes push batches of BASE_MAX_BATCH changes and pull pages of
# BASE_MAX_PAGE; a server that takes more says so in the device state (``max_batch``,
# ``max_page``). A client starts small either way and grows its batches only on a fast line
# (``sync.pacing``).
BASE_MAX_BATCH = 500  # about 230 KB of JSON, ~30 KB of gzip (~4 s at 64 kbit/s)
BASE_MAX_PAGE = 1000
MAX_BATCH = 4000  # changes per push (this server): ~1.8 MB of JSON, under MAX_BODY_BYTES
MAX_PAGE = 4000  # changes per pull page (this server); a page also stops at MAX_BODY_BYTES
MAX_VALUE_CHARS = 100_000  # JSON text of one change's value
MAX_BODY_BYTES = 4 * 1024 * 1024  # after decompression; the server refuses more with 413
MAX_JSON_DEPTH = 32
MAX_HISTORY_ASKED = 64  # history digests one device-state request may ask for
# Keep-alive: the server keeps an idle connection open for SERVER_KEEP_ALIVE seconds; the client
# reuses one only while it has been idle for less than CLIENT_KEEP_ALIVE. The client's limit must
# be well below the server's, or a request sent just as the server closes the idle connection is
# lost ("server disconnected without sending a response") — under load that happened.
SERVER_KEEP_ALIVE = 30
CLIENT_KEEP_ALIVE = 5.0

# Every request names its versions in these headers (push also in the body); see version_headers().
PROTOCOL_HEADER = "X-Outreach-Protocol"
SCHEMA_HEADER = "X-Outreach-Schema"

_ID = r"^[A-Za-z0-9_.:\-]{1,80}$"
_NAME = r"^[a-z_*][a-z0-9_:*]{0,63}$"
ID_PATTERN = _ID  # a device (site) or entity id
_ID_RE = re.compile(r"[A-Za-z0-9_.:\-]{1,80}")  # _ID, for fullmatch
# A disclosure's legal basis is a code (``LegalBasis``: consent, council_106_6, emergency); its
# free-text reason is the laptop's limit. Neither is copied into the server's audit trail.
MAX_BASIS_CHARS = 40
MAX_REASON_CHARS = 1000


def reference_problem(entity: str, fld: str, value: Any) -> str | None:
    """What is wrong with the ids a change names, if anything: the change's own field
    ``..._id`` (a note moved to a case, a person's household), and a record's ``..._id`` and
    ``..._ids`` entries (a visit's case, an amendment's visit, a disclosure's cases) are ids
    like ``entity_id`` (or null). They reach indexed columns on the server, so they are checked
    here, the same for every backend."""
    if fld.endswith("_id") and value is not None and not is_id(value):
        return f"{fld} is not an id"
    if isinstance(value, dict):
        for key, item in value.items():
            if item is None:
                continue
            if key.endswith("_id") and not is_id(item):
                return f"value.{key[:80]} is not an id"
            if key.endswith("_ids") and not (isinstance(item, list)
                                             and all(is_id(one) for one in item)):
                return f"value.{key[:80]} is not a list of ids"
        if entity == "disclosure":
            basis, reason = value.get("basis"), value.get("reason")
            if basis is not None and not (isinstance(basis, str)
                                          and len(basis) <= MAX_BASIS_CHARS):
                return f"value.basis is a code of at most {MAX_BASIS_CHARS} characters"
            if reason is not None and not (isinstance(reason, str)
                                           and len(reason) <= MAX_REASON_CHARS):
                return f"value.reason is at most {MAX_REASON_CHARS} characters"
    return None


def is_id(value: Any) -> bool:
    """``value`` is an id (of a device or a record) as the protocol allows it."""
    return isinstance(value, str) and _ID_RE.fullmatch(value) is not None


def json_depth(value: Any, depth: int = 0) -> int:
    """How deeply ``value`` nests (a scalar: ``depth``), counted at most a little past
    MAX_JSON_DEPTH. Only containers are descended into: a record's flat dict is one step."""
    if depth > MAX_JSON_DEPTH:
        return depth
    if isinstance(value, dict):
        children: Any = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return depth
    deepest = depth + 1
    for child in children:
        if isinstance(child, (dict, list)):
            deepest = max(deepest, json_depth(child, depth + 1))
            if deepest > MAX_JSON_DEPTH:
                break
    return deepest


def json_size_bound(value: Any) -> int:
    """An upper bound of the length of ``json.dumps(value, ensure_ascii=False)``, without
    writing it (a character takes at most 6 in JSON: ``\\u001f``); -1 when only writing it can
    tell (a float that may be NaN or Infinity, a big integer, a key that is not a string)."""
    if isinstance(value, str):
        return 6 * len(value) + 2
    if value is None or isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 21 if -2**63 <= value < 2**63 else -1
    if isinstance(value, float):
        return 24 if math.isfinite(value) else -1
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = ((None, item) for item in value)
    else:
        return -1
    total = 2
    for key, item in items:
        if key is not None and not isinstance(key, str):
            return -1
        size = json_size_bound(item)
        if size < 0:
            return -1
        total += size + (6 * len(key) + 6 if key is not None else 2)  # '"key": ', ', '
    return total


class WireChange(BaseModel):
    """One field-level change as it travels (``Change.to_wire``)."""

    model_config = ConfigDict(extra="allow")  # fields of a newer client are kept, not dropped

    site: str = Field(pattern=_ID)
    seq: int = Field(ge=1, le=2**53)
    hlc: int = Field(ge=0, le=2**63 - 1)
    entity: str = Field(pattern=_NAME)
    entity_id: str = Field(pattern=_ID)
    field: str = Field(pattern=_NAME)
    value: Any = None
    ctx: list[str] = Field(default_factory=list, max_length=10_000)
    author: str = Field(max_length=80)
    schema_: int = Field(alias="schema", ge=1, le=1000)

    @field_validator("value")
    @classmethod
    def _value_size(cls, value: Any) -> Any:
        if json_depth(value) > MAX_JSON_DEPTH:
            raise ValueError(f"value nested deeper than {MAX_JSON_DEPTH}")
        if 0 <= json_size_bound(value) <= MAX_VALUE_CHARS:
            return value  # short enough and plain JSON for sure: no need to write it out
        try:
            text = json.dumps(value, ensure_ascii=False, allow_nan=False)
        except ValueError:  # NaN or Infinity: not JSON, and nothing a laptop writes
            raise ValueError("value holds NaN or Infinity, which JSON does not allow") from None
        if len(text) > MAX_VALUE_CHARS:
            raise ValueError(f"value longer than {MAX_VALUE_CHARS} characters")
        return value

    @field_validator("ctx")
    @classmethod
    def _ctx_ids(cls, ctx: list[str]) -> list[str]:
        if any(len(item) > 120 for item in ctx):
            raise ValueError("context ids are at most 120 characters")
        return ctx

    @model_validator(mode="after")
    def _references(self) -> WireChange:
        problem = reference_problem(self.entity, self.field, self.value)
        if problem:
            raise ValueError(problem)
        return self

    @model_validator(mode="after")
    def _extra_size(self) -> WireChange:
        """Unknown fields are kept, within the same limits as ``value``."""
        for key, extra in (self.model_extra or {}).items():
            if json_depth(extra) > MAX_JSON_DEPTH:
                raise ValueError(f"field {key[:80]!r} nested deeper than {MAX_JSON_DEPTH}")
            if len(json.dumps(extra, ensure_ascii=False)) > MAX_VALUE_CHARS:
                raise ValueError(f"field {key[:80]!r} longer than {MAX_VALUE_CHARS} characters")
        return self

    @classmethod
    def from_change(cls, change: Change) -> WireChange:
        return cls.model_validate(change.to_wire())

    def to_change(self) -> Change:
        """The change as the store takes it (``Change.from_wire(self.to_wire())``, without
        writing every value out as a dict first: the values are JSON already)."""
        return Change(self.site, self.seq, self.hlc, self.entity, self.entity_id, self.field,
                      self.value, tuple(self.ctx), self.author, self.schema_,
                      dict(self.model_extra or {}))

    def to_wire(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, mode="json")


class Versions(BaseModel):
    protocol: int = Field(ge=1)
    schema_: int = Field(alias="schema", ge=1)


class PushRequest(Versions):
    device: str = Field(pattern=_ID)
    changes: list[WireChange] = Field(max_length=MAX_BATCH)
    # this device's seqs it gives up (the server answered 422 listing them in ``invalid``:
    # changes that do not match the protocol); stored as refused so the queue goes on
    withdrawn: list[int] = Field(default_factory=list, max_length=MAX_BATCH)

    @field_validator("withdrawn")
    @classmethod
    def _withdrawn_seqs(cls, seqs: list[int]) -> list[int]:
        if any(not 1 <= seq <= 2**53 for seq in seqs):
            raise ValueError("withdrawn seqs are between 1 and 2**53")
        if len(set(seqs)) != len(seqs):
            raise ValueError("a withdrawn seq appears twice")
        return seqs


class RefusedChange(BaseModel):
    seq: int
    reason: str  # Japanese / English


class PushResponse(BaseModel):
    acked_through: int  # highest contiguous seq the server holds for this device
    stored: int  # changes of this request stored now (the rest were already held)
    cursor: int  # the server's latest server_seq
    # of this request's changes: stored as refused (outside the caller's reach), never served
    refused: list[RefusedChange] = Field(default_factory=list)
    # the history's digest at ``cursor`` (see HistoryMark); older servers omit it
    history: str | None = Field(default=None, max_length=64)


class HistoryMark(BaseModel):
    """The server's history digest at one ``server_seq``: SHA-256 chained over every number
    1 … seq (which change of which device, or which redelivery, each one is), so two servers,
    or one server before and after a restore from a backup, agree at ``seq`` only if they
    numbered everything up to it alike (``sync/server/history.py``)."""

    seq: int = Field(ge=0)
    digest: str = Field(max_length=64)


class GapError(BaseModel):
    code: str = "gap"
    message: str
    acked_through: int


class PullResponse(BaseModel):
    protocol: int = PROTOCOL_VERSION
    changes: list[WireChange]
    cursor: int
    more: bool
    # the history's digest at ``cursor`` when the page holds changes; older servers omit it
    history: str | None = Field(default=None, max_length=64)


class OfflinePolicy(BaseModel):
    """Told to the device at enrollment and at every sync (optional: older servers omit it):
    the maximum offline period and the server's time now (see ``outreach_desk.offline``)."""

    max_offline_days: int | None = Field(default=None, ge=1)
    server_time: datetime | None = None


class DeviceState(OfflinePolicy):
    device: str
    acked_through: int
    cursor: int
    # the largest push batch and pull page this server takes (optional: older servers omit
    # them and take BASE_MAX_BATCH and BASE_MAX_PAGE)
    max_batch: int | None = Field(default=None, ge=1)
    max_page: int | None = Field(default=None, ge=1)
    # asked with ?refused_after=SEQ: this device's changes above SEQ stored as refused (so a
    # device whose push answer was lost still learns which were refused)
    refused: list[RefusedChange] = Field(default_factory=list)
    # asked with ?check=SEQ: the fingerprint (``change_fingerprint``) of the change the server
    # holds of this device at ``check_seq`` = min(SEQ, acked_through), so the device can tell
    # the server's changes from its own under the same numbers (a store restored from an older
    # backup and written to before it synced). Older servers omit it.
    check_seq: int | None = Field(default=None, ge=0)
    check_fingerprint: str | None = Field(default=None, max_length=64)
    # asked with ?history_at=N (repeated, at most MAX_HISTORY_ASKED): the history's digests at
    # those numbers, those the server has given (a device compares them with the digests it
    # kept as it pulled: a difference means the numbers below its cursor changed meaning, e.g.
    # a restore from a backup). None: an older server, which keeps no digests.
    history: list[HistoryMark] | None = None
    # the role the server gives the device's user now (role-dependent actions on the laptop go
    # by it, never by a synced worker record). Older servers omit it.
    role: str | None = Field(default=None, max_length=20)


def change_fingerprint(hlc: int, entity: str, entity_id: str, field: str, value: Any) -> str:
    """What identifies one change's content, the same on the device and the server."""
    text = canonical([hlc, entity, entity_id, field, value])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ErrorBody(BaseModel):
    code: str
    message: str
    wipe: bool = False  # the device was revoked: delete the local store and its key file
    # a push answered 422 only because of some of its changes (each fails the protocol's
    # checks on its own): their seqs and why. The device keeps them as refused and pushes
    # again with those seqs ``withdrawn``. Older servers omit it.
    invalid: list[RefusedChange] = Field(default_factory=list)


class EnrollRequest(BaseModel):
    """Spend a one-time enrollment code (given by the administrator) on this device."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=40)
    device: str = Field(pattern=_ID)


class EnrollResponse(OfflinePolicy):
    token: str  # the device's credential: kept only inside the encrypted store
    login: str
    role: str
    teams: list[str]  # names
    team_ids: list[str] = Field(default_factory=list)  # the server's ids, same order
    unlock_secret: str | None = None  # hex: one-time unlock codes are checked with it, offline


AUTH_HEADER = "Authorization"


def is_loopback(host: str) -> bool:
    """``host`` (a name or an address, IPv6 with or without brackets) is this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def auth_headers(token: str) -> dict[str, str]:
    return {AUTH_HEADER: f"Bearer {token}"}


def versions() -> dict[str, int]:
    return {"protocol": PROTOCOL_VERSION, "schema": SCHEMA_VERSION}


def version_headers() -> dict[str, str]:
    """The headers every request carries (the server answers 426 when it speaks another)."""
    return {PROTOCOL_HEADER: str(PROTOCOL_VERSION), SCHEMA_HEADER: str(SCHEMA_VERSION)}


__all__ = [
    "BASE_MAX_BATCH", "BASE_MAX_PAGE", "ID_PATTERN", "MAX_BASIS_CHARS", "MAX_BATCH",
    "MAX_BODY_BYTES", "MAX_PAGE", "MAX_REASON_CHARS",
    "PROTOCOL_HEADER", "PROTOCOL_VERSION",
    "SCHEMA_HEADER", "DeviceState", "ErrorBody", "GapError", "HistoryMark", "OfflinePolicy",
    "PullResponse",
    "PushRequest", "PushResponse", "Versions", "WireChange", "change_fingerprint",
    "is_id", "reference_problem", "version_headers", "versions",
]
