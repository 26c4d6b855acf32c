"""The sync server's HTTP API (FastAPI), over ``sync.protocol``'s message shapes.

Endpoints: ``GET /v1/health``, ``POST /v1/push``, ``GET /v1/changes``, ``GET /v1/devices/{id}``;
the OpenAPI document is at ``/openapi.json``. Every endpoint but health needs the
``X-Outreach-Protocol`` and ``X-Outreach-Schema`` headers; a version this server does not speak
(in a header or in a push body) is answered 426 with a message the app can show. Errors are
``ErrorBody`` JSON (``GapError`` for 409) and never carry a traceback.

Bodies: responses are gzip-compressed when the client accepts it; request bodies may be sent
with ``Content-Encoding: gzip``. A body larger than ``MAX_BODY_BYTES`` (raw or decompressed) is
refused with 413 before any of it is parsed.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
import zlib
from collections import deque
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticSerializationError
from sqlalchemy import exc as sa_exc
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from outreach_desk.changes import RECORD, SCHEMA_VERSION
from outreach_desk.vocab import ConsentAction
from sync import protocol
from sync.protocol import (
    ID_PATTERN,
    MAX_BATCH,
    MAX_BODY_BYTES,
    MAX_PAGE,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    SCHEMA_HEADER,
    DeviceState,
    EnrollRequest,
    EnrollResponse,
    ErrorBody,
    GapError,
    PullResponse,
    PushResponse,
    RefusedChange,
    WireChange,
)

from . import audit, offline_policy, record_audit
from .accounts import Accounts, AuthError, Principal
from .db import Database, Incoming

log = logging.getLogger("sync.server")

SCHEMA_VERSION_MIN = 1
SUPPORTED_SCHEMAS = range(SCHEMA_VERSION_MIN, SCHEMA_VERSION + 1)  # request-level, this server
MAX_INT64 = 2**63 - 1
PAGE_BYTES = MAX_BODY_BYTES  # a pull page stops short of this much change JSON (>= 1 change)
DRAIN_BYTES = 4 * MAX_BODY_BYTES  # an oversized body is read (and dropped) up to this much


# -- models only the server needs ---------------------------------------------------------------


class PushRequest(protocol.PushRequest):
    """``protocol.PushRequest`` as this server takes it: unknown request-level fields are
    refused (422), and the versions it speaks are part of the documented shape (another
    version is answered 426). Validated in strict mode: JSON types are not coerced."""

    model_config = ConfigDict(extra="forbid")

    protocol: int = Field(ge=PROTOCOL_VERSION, le=PROTOCOL_VERSION)
    schema_: int = Field(alias="schema", ge=SCHEMA_VERSION_MIN, le=SCHEMA_VERSION)


class Health(BaseModel):
    protocol: int


# -- errors -------------------------------------------------------------------------------------


class VersionMismatch(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidRequest(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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


INVALID = "リクエストの内容が正しくありません / invalid request: "
BUSY = "サーバーが混み合っています。後で再送してください / the database is busy or unreachable"


def clean_text(text: str, limit: int = 2000) -> str:
    """Safe to put in a UTF-8 JSON response (no lone surrogates), and bounded."""
    text = text if len(text) <= limit else text[:limit] + "…"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def describe(errors: Sequence[Any], prefix: str = INVALID) -> str:
    parts = []
    for error in errors[:5]:
        loc = ".".join(str(part)[:80] for part in error.get("loc", ()) if part != "body")
        msg = str(error.get("msg", "invalid"))[:300]
        parts.append(f"{loc}: {msg}" if loc else msg)
    if len(errors) > 5:
        parts.append(f"… {len(errors) - 5} more")
    return prefix + "; ".join(parts)


def error_response(status: int, code: str, message: str,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(code=code, message=clean_text(message)).model_dump()
    return JSONResponse(body, status_code=status, headers=headers)


HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed",
              413: "too_large", 415: "unsupported_media_type"}

HTTP_JA = {400: "本文を読めません", 404: "見つかりません", 405: "この方法では使えません",
           415: "この形式の本文は受け付けません"}

ERROR_DESCRIPTIONS = {
    400: "Malformed body (not JSON, bad gzip)",
    401: "No credential, or one the server does not know (the device is not enrolled)",
    403: "Refused: the device was revoked (wipe is true), the user is disabled, or the request "
         "is outside the caller's reach",
    404: "No such resource",
    413: f"Body larger than {MAX_BODY_BYTES} bytes (after decompression)",
    415: "Content-Type other than JSON, or Content-Encoding other than gzip or identity",
    422: "The request does not match the protocol's shapes or limits",
    426: "The client speaks a protocol or schema version this server does not",
    429: "Too many requests from this source or device: retry after Retry-After seconds",
}


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody, "description": ERROR_DESCRIPTIONS[status]}
            for status in statuses}


# -- request bodies: size limit, gzip -------------------------------------------------------------


class BodyTooLarge(Exception):
    pass


def gunzip(data: bytes, limit: int) -> bytes:
    """Decompress (several members allowed), refusing to produce more than ``limit`` bytes."""
    out = bytearray()
    while data:
        stream = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        pending = data
        while pending:
            out += stream.decompress(pending, limit + 1 - len(out))
            if len(out) > limit:
                raise BodyTooLarge
            pending = stream.unconsumed_tail
        if not stream.eof:
            raise zlib.error("truncated gzip stream")
        data = stream.unused_data
    return bytes(out)


class RequestBodyMiddleware:
    """Reads a request's body before the application sees it: refuses one over the limit (raw
    or decompressed: gzip bombs) with 413, decompresses ``Content-Encoding: gzip``, refuses other
    encodings with 415. Also names the server's protocol version on every response."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
            await send(message)

        headers = Headers(scope=scope)
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("identity", "gzip", ""):
            await self._refuse(scope, receive, send_with_version, 415,
                               f"Content-Encoding {encoding[:40]!r} is not supported (gzip is)")
            return
        declared = headers.get("content-length")
        if declared is not None:
            try:
                declared_size = int(declared)
            except ValueError:
                await self._refuse(scope, receive, send_with_version, 400, "bad Content-Length")
                return
            if declared_size > DRAIN_BYTES:
                await self._refuse(scope, receive, send_with_version, 413, self._too_large())
                return

        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size <= self.max_bytes:
                chunks.append(chunk)
            elif size > DRAIN_BYTES:
                break
            if not message.get("more_body", False):
                break
        if size > self.max_bytes:
            await self._refuse(scope, receive, send_with_version, 413, self._too_large())
            return
        body = b"".join(chunks)
        if encoding == "gzip" and body:
            try:
                body = gunzip(body, self.max_bytes)
            except BodyTooLarge:
                await self._refuse(scope, receive, send_with_version, 413, self._too_large())
                return
            except (zlib.error, EOFError):
                await self._refuse(scope, receive, send_with_version, 400,
                                   "本文を展開できません / the gzip body is corrupt")
                return

        raw_headers = [(name, value) for name, value in scope["headers"]
                       if name not in (b"content-encoding", b"content-length",
                                       b"transfer-encoding")]
        if body or declared is not None:
            raw_headers.append((b"content-length", str(len(body)).encode()))
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app({**scope, "headers": raw_headers}, replay, send_with_version)

    def _too_large(self) -> str:
        return (f"本文が大きすぎます / body larger than {self.max_bytes} bytes "
                "(after decompression): send fewer changes per request")

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, status: int,
                      message: str) -> None:
        response = error_response(status, HTTP_CODES[status], message,
                                  headers={"Connection": "close"} if status == 413 else None)
        await response(scope, receive, send)


# -- who is calling -------------------------------------------------------------------------------


class RateLimiter:
    """At most ``limit`` events per ``window`` seconds per key (a sliding window, in memory)."""

    def __init__(self, limit: int, window: float, clock=time.monotonic):
        self.limit = limit
        self.window = window
        self.clock = clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> float:
        """0 when allowed (and counted), else the seconds to wait."""
        with self._lock:
            wait = self._wait(key)
            if not wait:
                self._events[key].append(self.clock())
            return wait

    def blocked(self, key: str) -> float:
        """The seconds to wait before ``key`` may have another event (0: not blocked)."""
        with self._lock:
            return self._wait(key)

    def add(self, key: str) -> None:
        with self._lock:
            self._wait(key)
            self._events[key].append(self.clock())

    def _wait(self, key: str) -> float:
        now = self.clock()
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window:
            events.popleft()
        if len(self._events) > 10_000:  # forget idle keys
            for stale in [k for k, v in self._events.items() if not v and k != key]:
                del self._events[stale]
        if len(events) >= self.limit:
            return max(0.001, events[0] + self.window - now)
        return 0.0


class TooManyRequests(Exception):
    def __init__(self, wait: float) -> None:
        super().__init__(f"retry after {wait:.0f} s")
        self.wait = wait


ENROLL_PER_SOURCE = (60, 300.0)  # enrollment attempts per address per 5 minutes (an office
# enrolls its laptops from one address) …
ENROLL_FAILURES_PER_SOURCE = (10, 300.0)  # … of which wrong codes (and 5 per code, in the db)
REQUESTS_PER_DEVICE = (600, 60.0)  # sync requests per device per minute
bearer = HTTPBearer(auto_error=False, description="The device credential from /v1/enroll")


def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The device making the request, from its credential (never from the body)."""
    accounts: Accounts = request.app.state.accounts
    principal = accounts.authenticate(credentials.credentials if credentials else None)
    wait = request.app.state.device_limit.allow(principal.site)
    if wait:
        raise TooManyRequests(wait)
    accounts.seen(principal.site)
    return principal


Caller = Annotated[Principal, Depends(caller)]


# -- the application ------------------------------------------------------------------------------


def require_versions(
    _protocol: Annotated[int, Header(
        alias=PROTOCOL_HEADER, ge=PROTOCOL_VERSION, le=PROTOCOL_VERSION,
        description="The protocol version the client speaks (sync.protocol.PROTOCOL_VERSION)")],
    _schema: Annotated[int, Header(
        alias=SCHEMA_HEADER, ge=SUPPORTED_SCHEMAS[0], le=SUPPORTED_SCHEMAS[-1],
        description="The change format version of the client (changes.SCHEMA_VERSION)")],
) -> None:
    """Documents the version headers; a failure here is answered 426 (see on_invalid)."""


async def raw_body(request: Request) -> bytes:
    content_type = request.headers.get("content-type", "application/json")
    media = content_type.split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise StarletteHTTPException(415, f"Content-Type {content_type[:60]!r}: send JSON "
                                          "(application/json)")
    return await request.body()


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
                                      "field": change.field, "value": change.value}))
    return batch


def create_app(db: Database) -> FastAPI:
    app = FastAPI(
        title="Outreach Desk sync server",
        version=f"protocol {PROTOCOL_VERSION}",
        description=__doc__,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.db = db
    accounts = app.state.accounts = Accounts(db)
    enroll_limit = RateLimiter(*ENROLL_PER_SOURCE)
    enroll_failures = RateLimiter(*ENROLL_FAILURES_PER_SOURCE)
    app.state.device_limit = RateLimiter(*REQUESTS_PER_DEVICE)
    app.add_middleware(RequestBodyMiddleware, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(GZipMiddleware, minimum_size=500)
    versions = [Depends(require_versions)]

    @app.get("/v1/health", response_model=Health, tags=["sync"])
    def health() -> Health:
        """Liveness, and the protocol version this server speaks (no version headers needed)."""
        return Health(protocol=PROTOCOL_VERSION)

    @app.post(
        "/v1/push", response_model=PushResponse, dependencies=versions, tags=["sync"],
        openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/PushRequest"}}}}},
        responses={409: {"model": GapError, "description": "The batch would leave a gap: "
                         "re-send from acked_through + 1 (withdrawals of consent were stored)"},
                   **documented(400, 401, 403, 413, 415, 422, 426, 429)},
    )
    def push(body: Annotated[bytes, Depends(raw_body)], principal: Caller) -> Any:
        """Store a batch of the device's own changes (deduplicated by device and seq) and
        acknowledge the highest contiguous seq the server holds for the device."""
        request = parse_push(body)
        if request.device != principal.site:
            raise AuthError(403, "forbidden", "この端末の変更ではありません / a device pushes "
                                              "only its own changes")
        batch = incoming(request)
        outcome = db.push(request.device, batch, audit_entry={
            "login": principal.login, "device": principal.site, "action": "push",
            "case_ids": audit.case_ids_of([item.change for item in batch]),
            "detail": {"changes": len(request.changes),
                       "seqs": [request.changes[0].seq, request.changes[-1].seq]
                       if request.changes else []}}, principal=principal,
            on_stored=lambda conn, stored: record_audit.append_entries(
                conn, login=principal.login, device=principal.site,
                stored=[item.change or {} for item in stored]))
        if outcome.gap:
            gap = GapError(
                message=(f"欠番があります。{outcome.acked_through + 1} 番から送り直してください / "
                         f"gap: the server holds this device's changes through "
                         f"{outcome.acked_through}; re-send from {outcome.acked_through + 1}"),
                acked_through=outcome.acked_through)
            return JSONResponse(gap.model_dump(), status_code=409)
        if outcome.refused:
            log.warning("push from %s: %d changes refused (outside the caller's teams)",
                        principal.site, len(outcome.refused))
        return PushResponse(acked_through=outcome.acked_through, stored=outcome.stored,
                            cursor=outcome.cursor,
                            refused=[RefusedChange(seq=seq, reason=why)
                                     for seq, why in outcome.refused])

    @app.get("/v1/changes", response_model=PullResponse, dependencies=versions, tags=["sync"],
             responses=documented(401, 403, 422, 426, 429))
    def pull(
        principal: Caller,
        since: Annotated[int, Query(ge=0, le=MAX_INT64,
                                    description="The cursor of the last page applied")] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = MAX_PAGE,
    ) -> Response:
        """Changes with server_seq > since, in server order; ``cursor`` is the last server_seq
        returned (``since`` if none), ``more`` says whether to ask again."""
        page = db.pull(since, limit, PAGE_BYTES, principal.team_ids)
        cursor = page.rows[-1][0] if page.rows else since
        if page.rows:  # who received which cases (an empty poll is not worth an entry)
            audit.record(db, login=principal.login, device=principal.site, action="pull",
                         case_ids=sorted(page.case_ids),  # stored per change: no parsing
                         detail={"changes": len(page.rows), "since": since, "cursor": cursor})
        # The stored JSON goes out as stored: no re-validation, unknown fields untouched.
        content = (f'{{"protocol":{PROTOCOL_VERSION},"changes":['.encode()
                   + b",".join(body for _, body in page.rows)
                   + f'],"cursor":{cursor},"more":{"true" if page.more else "false"}}}'.encode())
        return Response(content, media_type="application/json")

    @app.get("/v1/devices/{device}", response_model=DeviceState, dependencies=versions,
             tags=["sync"], responses=documented(401, 403, 404, 422, 426, 429))
    def device_state(device: Annotated[str, PathParam(pattern=ID_PATTERN)],
                     principal: Caller,
                     refused_after: Annotated[int | None, Query(
                         ge=0, le=MAX_INT64, description="List this device's changes above "
                         "this seq that were stored as refused")] = None) -> DeviceState:
        """What the server holds of a device: ``acked_through`` lower than the device last saw
        means the server was restored from a backup (re-send from there); ``cursor`` is the
        server's latest server_seq (a pull cursor above it is stale too). Only the caller's
        own device."""
        if device != principal.site:
            raise AuthError(403, "forbidden", "この端末の情報ではありません / only the calling "
                                              "device's state can be read")
        acked, cursor = db.device_state(device)
        return DeviceState(device=device, acked_through=acked, cursor=cursor,
                           max_batch=MAX_BATCH, max_page=MAX_PAGE,
                           max_offline_days=offline_policy.max_offline_days(db),
                           server_time=datetime.now(UTC),
                           refused=[RefusedChange(seq=seq, reason=why) for seq, why in
                                    (db.refused_of(device, refused_after)
                                     if refused_after is not None else [])])

    @app.post("/v1/enroll", response_model=EnrollResponse, dependencies=versions,
              tags=["enrollment"], responses=documented(403, 422, 426, 429))
    def enroll(request: EnrollRequest, http: Request) -> EnrollResponse:
        """Spend a one-time enrollment code (issued with ``outreach-sync-server admin
        enroll-code``) on a device: the answer holds the device's credential, shown once.
        Attempts are limited per source address and per code."""
        source = http.client.host if http.client else "unknown"
        wait = enroll_failures.blocked(source) or enroll_limit.allow(source)
        if wait:
            raise TooManyRequests(wait)
        try:
            enrolled = accounts.enroll(request.code, request.device)
        except AuthError:
            enroll_failures.add(source)
            log.warning("enrollment refused for a request from %s", source)
            raise
        log.info("enrolled device %s for user %s", request.device, enrolled.principal.login)
        audit.record(db, login=enrolled.principal.login, device=request.device,
                     action="enroll", detail={"source": source})
        return EnrollResponse(token=enrolled.token, login=enrolled.principal.login,
                              role=enrolled.principal.role, teams=list(enrolled.team_names),
                              team_ids=list(enrolled.team_ids),
                              unlock_secret=offline_policy.issue_secret(db, request.device),
                              max_offline_days=offline_policy.max_offline_days(db),
                              server_time=datetime.now(UTC))

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = FastAPI.openapi(app)
            push_schema = PushRequest.model_json_schema(
                ref_template="#/components/schemas/{model}")
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            for name, definition in push_schema.pop("$defs", {}).items():
                schemas.setdefault(name, definition)
            schemas["PushRequest"] = push_schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    install_error_handlers(app)
    return app


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        version_error = any(
            len(err.get("loc", ())) >= 2 and err["loc"][0] == "header"
            and str(err["loc"][1]).lower() in (PROTOCOL_HEADER.lower(), SCHEMA_HEADER.lower())
            for err in errors)
        problem = header_problem(request.headers) if version_error else None
        problem = problem or body_problem(exc.body)
        if version_error or problem:
            return error_response(426, "protocol_version", version_message(
                problem or "version headers"))
        return error_response(422, "invalid", describe(errors))

    @app.exception_handler(VersionMismatch)
    async def on_version(_request: Request, exc: VersionMismatch) -> JSONResponse:
        return error_response(426, "protocol_version", version_message(exc.detail))

    @app.exception_handler(InvalidRequest)
    async def on_invalid_request(_request: Request, exc: InvalidRequest) -> JSONResponse:
        return error_response(422, "invalid", INVALID + exc.message)

    @app.exception_handler(AuthError)
    async def on_auth(_request: Request, exc: AuthError) -> JSONResponse:
        body = ErrorBody(code=exc.code, message=exc.message, wipe=exc.wipe).model_dump()
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse(body, status_code=exc.status, headers=headers)

    @app.exception_handler(TooManyRequests)
    async def on_too_many(_request: Request, exc: TooManyRequests) -> JSONResponse:
        return error_response(429, "too_many_requests",
                              "要求が多すぎます。しばらく待ってください / too many requests",
                              headers={"Retry-After": str(max(1, math.ceil(exc.wait)))})

    @app.exception_handler(StarletteHTTPException)
    async def on_http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        message = f"{HTTP_JA.get(exc.status_code, 'エラー')} / {message}"
        return error_response(exc.status_code, HTTP_CODES.get(exc.status_code, "http_error"),
                              message, headers=getattr(exc, "headers", None))

    @app.exception_handler(sa_exc.OperationalError)
    @app.exception_handler(sa_exc.TimeoutError)
    async def on_database_busy(_request: Request, exc: Exception) -> JSONResponse:
        log.error("database unavailable: %s", str(exc).splitlines()[0][:300])
        return error_response(503, "unavailable", BUSY, headers={"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def on_internal(_request: Request, exc: Exception) -> JSONResponse:
        log.error("internal error", exc_info=exc)
        return error_response(500, "internal", "サーバー内部のエラーです / internal server error")


__all__ = ["create_app", "gunzip"]
