"""A push request as this server reads it: the body parsed strictly into ``PushRequest``
(another version is 426, anything else wrong 422) and turned into the rows to store
(``incoming``).

One bad change must not block a device's queue. When a push is invalid only because of some of
its changes, each failing the protocol's checks on its own (a value too long, an id out of
pattern …) while its ``site`` and ``seq`` are this device's, the 422 answer lists them
(``ErrorBody.invalid``: seq and why; nothing is stored). The device keeps them as refused for
the worker (送信できなかった変更) and pushes again with their seqs in ``withdrawn``: the server
stores a placeholder for each (no content, refused, never served), so the device's sequence
stays contiguous and the changes after them are stored. A request whose fault is not such a
change's (not JSON, another device's change, a seq twice, too many changes) is answered 422
without ``invalid``."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ConfigDict, Field, ValidationError
from pydantic_core import PydanticSerializationError

from outreach_desk.changes import RECORD, SCHEMA_VERSION
from outreach_desk.vocab import ConsentAction
from sync import protocol
from sync.protocol import PROTOCOL_VERSION, WireChange, change_fingerprint

from .api_errors import InvalidRequest, describe
from .db import Incoming
from .versions import SCHEMA_VERSION_MIN, VersionMismatch, body_problem


class PushRequest(protocol.PushRequest):
    """``protocol.PushRequest`` as this server takes it: unknown request-level fields are
    refused (422), and the versions it speaks are part of the documented shape (another
    version is answered 426). Validated in strict mode: JSON types are not coerced."""

    model_config = ConfigDict(extra="forbid")

    protocol: int = Field(ge=PROTOCOL_VERSION, le=PROTOCOL_VERSION)
    schema_: int = Field(alias="schema", ge=SCHEMA_VERSION_MIN, le=SCHEMA_VERSION)


def parse_push(body: bytes) -> PushRequest:
    """The body as a PushRequest (pydantic's JSON parser, strict types), or VersionMismatch
    (426) when it names versions this server does not speak, whatever else it holds, or
    InvalidRequest (422)."""
    try:
        return PushRequest.model_validate_json(body, strict=True)
    except ValidationError as exc:
        errors = exc.errors(include_input=False, include_url=False)
    try:
        problem = body_problem(json.loads(body))
    except Exception:  # noqa: BLE001 (not JSON, too deep, …: the validation errors say it)
        problem = None
    if problem:
        raise VersionMismatch(problem)
    raise InvalidRequest(describe(errors, prefix=""), invalid_changes(body, errors))


INVALID_CHANGE = "サーバーが受け付けない形式の変更です / the change does not match the protocol: "
WITHDRAWN = ("サーバーが受け付けない形式のため端末が送信を取り下げた変更 / withdrawn by the device: "
             "the change does not match the protocol")


def invalid_changes(body: bytes, errors: list[Any]) -> list[tuple[int, str]]:
    """(seq, why) of the changes that alone make the push invalid, when every error is one of
    this device's changes' (each then has a ``site`` of the pushing device and a distinct seq);
    else nothing."""
    by_index: dict[int, list[Any]] = {}
    for error in errors:
        loc = error.get("loc", ())
        if len(loc) < 2 or loc[0] != "changes" or type(loc[1]) is not int:
            return []
        by_index.setdefault(loc[1], []).append({**error, "loc": loc[2:]})
    try:
        data = json.loads(body)
    except Exception:  # noqa: BLE001 (not JSON after all)
        return []
    if not isinstance(data, dict) or not isinstance(data.get("changes"), list):
        return []
    raw, device = data["changes"], data.get("device")
    seqs = [change.get("seq") if isinstance(change, dict) else None for change in raw]
    if len({seq for seq in seqs if type(seq) is int}) != sum(type(s) is int for s in seqs):
        return []  # a seq twice: the request is wrong, not one change
    if any(not isinstance(change, dict) or change.get("site") != device for change in raw):
        return []  # another device's change: the request is wrong
    found = []
    for index, change_errors in sorted(by_index.items()):
        change = raw[index] if index < len(raw) else None
        seq = seqs[index] if index < len(raw) else None
        if (not isinstance(change, dict) or not isinstance(device, str)
                or change.get("site") != device or type(seq) is not int
                or not 1 <= seq <= 2**53):
            return []  # not one of this device's numbers
        found.append((seq, INVALID_CHANGE + describe(change_errors, prefix="")))
    return found


def is_withdrawal(change: WireChange) -> bool:
    return (change.entity == "consent_event" and change.field == RECORD
            and isinstance(change.value, dict)
            and change.value.get("action") == ConsentAction.WITHDRAW.value)


def incoming(request: PushRequest) -> list[Incoming]:
    """The batch as rows to store, or InvalidRequest (422) naming the first bad change."""
    batch: list[Incoming] = []
    seen: set[int] = set(request.withdrawn)
    if len(seen) != len(request.withdrawn):
        raise InvalidRequest("withdrawn: a seq appears twice")
    for index, change in enumerate(request.changes):
        if change.site != request.device:
            raise InvalidRequest(
                f"changes.{index}.site: {change.site!r} is not the pushing device "
                f"{request.device!r} (a device pushes only its own changes)")
        if change.seq in seen:
            raise InvalidRequest(f"changes.{index}.seq: {change.seq} appears twice in the batch "
                                 "(or is withdrawn)")
        seen.add(change.seq)
        try:
            if change.model_extra:
                # unknown fields of a newer client are not validated: python mode keeps a NaN
                # a NaN (pydantic's JSON output would turn it into null), and it is refused
                text = json.dumps(change.model_dump(by_alias=True), ensure_ascii=False,
                                  allow_nan=False, separators=(",", ":"))
                text.encode("utf-8")  # unpaired surrogates
            else:  # ``value`` was checked for NaN and Infinity by the protocol's validator
                text = change.model_dump_json(by_alias=True)
        except (ValueError, RecursionError, PydanticSerializationError) as exc:
            why = f"not storable as JSON ({exc})"[:300]
            raise InvalidRequest(f"changes.{index}: {why}",
                                 [(change.seq, INVALID_CHANGE + why)]) from exc
        batch.append(Incoming(seq=change.seq, body=text, withdrawal=is_withdrawal(change),
                              change={"entity": change.entity, "entity_id": change.entity_id,
                                      "field": change.field, "value": change.value,
                                      "author": change.author}))
    for seq in request.withdrawn:  # a placeholder: no content, refused, never served
        batch.append(Incoming(seq=seq, withdrawal=False, refused=WITHDRAWN,
                              body=json.dumps({"site": request.device, "seq": seq,
                                               "withdrawn": True})))
    return batch


def fingerprint_of(body: str | None) -> str | None:
    """``change_fingerprint`` of a stored change (None: the server does not hold it)."""
    if body is None:
        return None
    wire = json.loads(body)
    if wire.get("withdrawn") is True and "hlc" not in wire:  # a placeholder (see incoming)
        return None
    return change_fingerprint(wire["hlc"], wire["entity"], wire["entity_id"], wire["field"],
                              wire.get("value"))
