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

import asyncio
import contextlib
import logging
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from sync.protocol import (
    ID_PATTERN,
    MAX_BATCH,
    MAX_BODY_BYTES,
    MAX_HISTORY_ASKED,
    MAX_PAGE,
    PROTOCOL_VERSION,
    DeviceState,
    EnrollRequest,
    EnrollResponse,
    GapError,
    HistoryMark,
    PullResponse,
    PushResponse,
    RefusedChange,
)

from . import audit, offline_policy, record_audit
from .accounts import CODE_ID_CHARS, Accounts, AuthError, normalize_code
from .api_errors import InvalidRequest, documented, install_error_handlers
from .audit_checkpoints import Checkpointer
from .callers import (
    ENROLL_FAILURES_PER_SOURCE,
    ENROLL_GLOBAL,
    ENROLL_PER_CODE,
    ENROLL_PER_SOURCE,
    REQUESTS_PER_DEVICE,
    Caller,
    RateLimiter,
    TooManyRequests,
)
from .db import Database
from .push_body import PushRequest, fingerprint_of, incoming, parse_push
from .request_body import RequestBodyMiddleware, gunzip, raw_body
from .versions import require_versions

log = logging.getLogger("sync.server")

# The parts of the application: which versions it speaks (``versions``), request bodies
# (``request_body``), who is calling and how often (``callers``), push bodies (``push_body``)
# and the error answers (``api_errors``); the routes are in ``create_app``.

MAX_INT64 = 2**63 - 1
PAGE_BYTES = MAX_BODY_BYTES  # a pull page stops short of this much change JSON (>= 1 change)


class Health(BaseModel):
    protocol: int


# -- the application ------------------------------------------------------------------------------


def create_app(db: Database, *, audit_signer: Checkpointer | None = None,
               enroll_ceiling: int = ENROLL_GLOBAL[0]) -> FastAPI:
    """The application over ``db``; ``audit_signer`` (if given) signs the audit head while it
    serves and once more at shutdown; ``enroll_ceiling``: enrollment attempts per minute from
    all addresses together."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        if audit_signer is not None:
            audit_signer.start()
        try:
            yield
        finally:  # before uvicorn returns (it re-raises SIGTERM after the shutdown)
            if audit_signer is not None:
                await asyncio.to_thread(audit_signer.stop)

    app = FastAPI(
        lifespan=lifespan,
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
    enroll_per_code = RateLimiter(*ENROLL_PER_CODE)
    enroll_global = RateLimiter(enroll_ceiling, ENROLL_GLOBAL[1])
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
            "case_ids": audit.case_ids_of([item.change for item in batch if item.change]),
            "detail": {"changes": len(request.changes),
                       **({"withdrawn": len(request.withdrawn)} if request.withdrawn else {}),
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
                            cursor=outcome.cursor, history=outcome.history,
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
                   + f'],"cursor":{cursor},"more":{"true" if page.more else "false"}'.encode()
                   + (f',"history":"{page.history}"'.encode() if page.history else b"")
                   + b"}")
        return Response(content, media_type="application/json")

    @app.get("/v1/devices/{device}", response_model=DeviceState, dependencies=versions,
             tags=["sync"], responses=documented(401, 403, 404, 422, 426, 429))
    def device_state(device: Annotated[str, PathParam(pattern=ID_PATTERN)],
                     principal: Caller,
                     refused_after: Annotated[int | None, Query(
                         ge=0, le=MAX_INT64, description="List this device's changes above "
                         "this seq that were stored as refused")] = None,
                     check: Annotated[int | None, Query(
                         ge=0, le=MAX_INT64, description="Give the fingerprint of this "
                         "device's change at min(check, acked_through)")] = None,
                     history_at: Annotated[list[int] | None, Query(
                         max_length=MAX_HISTORY_ASKED, description="Give the history's "
                         "digests at these server_seqs (the device's pull checkpoints)")] = None,
                     ) -> DeviceState:
        """What the server holds of a device: ``acked_through`` lower than the device last saw
        means the server was restored from a backup (re-send from there); ``cursor`` is the
        server's latest server_seq (a pull cursor above it is stale too). Only the caller's
        own device."""
        if device != principal.site:
            raise AuthError(403, "forbidden", "この端末の情報ではありません / only the calling "
                                              "device's state can be read")
        acked, cursor = db.device_state(device)
        check_seq, fingerprint = None, None
        if check is not None and min(check, acked) > 0:
            check_seq = min(check, acked)
            fingerprint = fingerprint_of(db.change_body(device, check_seq))
        history = None
        if history_at is not None:
            if any(not 0 <= seq <= MAX_INT64 for seq in history_at):
                raise InvalidRequest("history_at: numbers between 0 and 2**63 - 1")
            history = [HistoryMark(seq=seq, digest=digest) for seq, digest in
                       sorted(db.history_digests(history_at).items())]
        return DeviceState(device=device, acked_through=acked, cursor=cursor, history=history,
                           check_seq=check_seq, check_fingerprint=fingerprint,
                           max_batch=MAX_BATCH, max_page=MAX_PAGE, role=principal.role,
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
        Attempts are limited per source address (the connection's, or the one a trusted proxy
        forwards: ``serve --trusted-proxy``), per code and in all."""
        source = http.client.host if http.client else "unknown"
        code_id = normalize_code(request.code)[:CODE_ID_CHARS]
        wait = (enroll_failures.blocked(source) or enroll_limit.allow(source)
                or enroll_per_code.allow(code_id) or enroll_global.allow("all"))
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


__all__ = ["create_app", "gunzip"]
