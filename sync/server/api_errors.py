"""The errors the API answers with: ``ErrorBody`` JSON that never carries a traceback, its
Japanese and English messages, the error statuses documented in the OpenAPI document, and the
exception handlers that turn every failure into such an answer (``install_error_handlers``)."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from sync.protocol import (
    MAX_BODY_BYTES,
    PROTOCOL_HEADER,
    SCHEMA_HEADER,
    ErrorBody,
    RefusedChange,
)

from .accounts import AuthError
from .callers import TooManyRequests
from .versions import VersionMismatch, body_problem, header_problem, version_message

log = logging.getLogger("sync.server")


class InvalidRequest(Exception):
    """422. ``invalid``: (seq, why) of a push's changes that alone made it invalid (see
    ``push_body``), told to the device so that it can withdraw them."""

    def __init__(self, message: str, invalid: Sequence[tuple[int, str]] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.invalid = list(invalid)


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
        if exc.invalid:
            body = ErrorBody(code="invalid", message=clean_text(INVALID + exc.message),
                             invalid=[RefusedChange(seq=seq, reason=clean_text(why, 500))
                                      for seq, why in exc.invalid]).model_dump()
            return JSONResponse(body, status_code=422)
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
