"""Which versions this server speaks (protocol, and the schemas of the changes it takes) and
how a request naming another one is told: it is answered 426 with ``version_message``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Header
from starlette.datastructures import Headers

from outreach_desk.changes import SCHEMA_VERSION
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, SCHEMA_HEADER

SCHEMA_VERSION_MIN = 1
SUPPORTED_SCHEMAS = range(SCHEMA_VERSION_MIN, SCHEMA_VERSION + 1)  # request-level, this server


class VersionMismatch(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def version_message(detail: str) -> str:
    first, last = SUPPORTED_SCHEMAS[0], SUPPORTED_SCHEMAS[-1]
    schemas = f"{first}" if first == last else f"{first}–{last}"
    return (f"サーバーとアプリの版が合いません。アプリを更新してください / the app and the server "
            f"speak different versions ({detail}; the server speaks protocol {PROTOCOL_VERSION}, "
            f"schema {schemas})")


def header_problem(headers: Headers) -> str | None:
    for name, accepted in ((PROTOCOL_HEADER, range(PROTOCOL_VERSION, PROTOCOL_VERSION + 1)),
                           (SCHEMA_HEADER, SUPPORTED_SCHEMAS)):
        raw = headers.get(name)
        if raw is None:
            return f"no {name} header"
        try:
            value = int(raw.strip())
        except ValueError:
            return f"{name}: {raw[:20]!r}"
        if value not in accepted:
            return f"{name}: {value}"
    return None


def body_problem(body: Any) -> str | None:
    if not isinstance(body, dict):
        return None
    version, schema = body.get("protocol"), body.get("schema")
    if type(version) is int and version != PROTOCOL_VERSION:
        return f"protocol {version}"
    if type(schema) is int and schema not in SUPPORTED_SCHEMAS:
        return f"schema {schema}"
    return None


def require_versions(
    _protocol: Annotated[int, Header(
        alias=PROTOCOL_HEADER, ge=PROTOCOL_VERSION, le=PROTOCOL_VERSION,
        description="The protocol version the client speaks (sync.protocol.PROTOCOL_VERSION)")],
    _schema: Annotated[int, Header(
        alias=SCHEMA_HEADER, ge=SUPPORTED_SCHEMAS[0], le=SUPPORTED_SCHEMAS[-1],
        description="The change format version of the client (changes.SCHEMA_VERSION)")],
) -> None:
    """Documents the version headers; a failure here is answered 426 (see on_invalid)."""
