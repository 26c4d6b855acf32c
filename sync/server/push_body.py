"""A push request as this server reads it: the body parsed strictly into ``PushRequest``
(another version is 426, anything else wrong 422) and turned into the rows to store
(``incoming``)."""

from __future__ import annotations

import json

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
    raise InvalidRequest(describe(errors, prefix=""))


def is_withdrawal(change: WireChange) -> bool:
    return (change.entity == "consent_event" and change.field == RECORD
            and isinstance(change.value, dict)
            and change.value.get("action") == ConsentAction.WITHDRAW.value)


def incoming(request: PushRequest) -> list[Incoming]:
    """The batch as rows to store, or InvalidRequest (422) naming the first bad change."""
    batch: list[Incoming] = []
    seen: set[int] = set()
    for index, change in enumerate(request.changes):
        if change.site != request.device:
            raise InvalidRequest(
                f"changes.{index}.site: {change.site!r} is not the pushing device "
                f"{request.device!r} (a device pushes only its own changes)")
        if change.seq in seen:
            raise InvalidRequest(f"changes.{index}.seq: {change.seq} appears twice in the batch")
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
            raise InvalidRequest(f"changes.{index}: not storable as JSON ({exc})"[:300]) from exc
        batch.append(Incoming(seq=change.seq, body=text, withdrawal=is_withdrawal(change),
                              change={"entity": change.entity, "entity_id": change.entity_id,
                                      "field": change.field, "value": change.value,
                                      "author": change.author}))
    return batch


def fingerprint_of(body: str | None) -> str | None:
    """``change_fingerprint`` of a stored change (None: the server does not hold it)."""
    if body is None:
        return None
    wire = json.loads(body)
    return change_fingerprint(wire["hlc"], wire["entity"], wire["entity_id"], wire["field"],
                              wire.get("value"))
