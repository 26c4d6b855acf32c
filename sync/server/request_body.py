"""Request bodies before the application sees them: the size limit (raw and decompressed),
``Content-Encoding: gzip`` (``RequestBodyMiddleware``, ``gunzip``) and the JSON content type
(``raw_body``)."""

from __future__ import annotations

import zlib

from fastapi import Request
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.protocol import MAX_BODY_BYTES, PROTOCOL_HEADER, PROTOCOL_VERSION

from .api_errors import HTTP_CODES, error_response

DRAIN_BYTES = 4 * MAX_BODY_BYTES  # an oversized body is read (and dropped) up to this much


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


async def raw_body(request: Request) -> bytes:
    content_type = request.headers.get("content-type", "application/json")
    media = content_type.split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise StarletteHTTPException(415, f"Content-Type {content_type[:60]!r}: send JSON "
                                          "(application/json)")
    return await request.body()
