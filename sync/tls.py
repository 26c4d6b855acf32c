"""The client's side of a secure connection: plain HTTP is refused (``check_address``), the
server is verified against the CA in Settings (``tls_context``), and a failed connection is told
apart when its cause is the certificate (``_certificate_problem``)."""

from __future__ import annotations

import os
import ssl
from urllib.parse import urlsplit

from outreach_desk.store import Store

from .client_errors import MESSAGES, SyncError
from .protocol import is_loopback

DEV_ENV = "OUTREACH_DESK_DEV"  # "1": plain http:// to a server on this machine (development)


def check_address(url: str) -> None:
    """Refuse plain HTTP, except to this machine in development mode (``OUTREACH_DESK_DEV=1``):
    case records never cross a network unencrypted."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and is_loopback(parts.hostname or "") and \
            os.environ.get(DEV_ENV) == "1":
        return
    if parts.scheme not in ("http", "https"):
        raise SyncError("refused", MESSAGES["url"], f"not an http(s) address: {url!r}")
    raise SyncError("refused", MESSAGES["plain"], f"plain HTTP refused: {parts.hostname}")


def tls_context(store: Store) -> ssl.SSLContext:
    """Verify the server against the CA set in Settings (kept in the store), or else the
    system's certificate store; TLS 1.2 and 1.3 only."""
    ca = store.server_ca()
    context = ssl.create_default_context(cadata=ca) if ca else ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _certificate_problem(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
