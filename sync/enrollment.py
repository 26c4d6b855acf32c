"""Enrollment: spending the administrator's one-time code on this laptop's store, which keeps
the server's credential for it (:func:`enroll`)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import httpx
from pydantic import ValidationError

from outreach_desk import __version__
from outreach_desk.store import Store

from .client_errors import MESSAGES, SyncError, _error_text, error_for
from .protocol import EnrollRequest, EnrollResponse, version_headers
from .tls import _certificate_problem, check_address, tls_context

log = logging.getLogger(__name__)


def enroll(store: Store, server_url: str, code: str, *, timeout: float = 30.0,
           transport: httpx.BaseTransport | None = None,
           adopt_teams: bool = False) -> EnrollResponse:
    """Spend the administrator's one-time ``code`` on this laptop's store: the server's
    credential for it is kept in the store (encrypted), with the server address and who it is
    enrolled for. ``adopt_teams`` (what the app and ``outreach-desk enroll`` do): the server's
    teams become team records, and a team of the same name made at first run is linked to
    them (``Store.adopt_teams``); a library caller leaves it off to make no change itself."""
    url = server_url.rstrip("/")
    check_address(url)
    try:
        with httpx.Client(base_url=url, transport=transport, timeout=timeout,
                          verify=tls_context(store),
                          headers={**version_headers(),
                                   "User-Agent": f"outreach-desk/{__version__}"}) as http:
            response = http.post("/v1/enroll", json=EnrollRequest(
                code=code.strip()[:40] or "-", device=store.site).model_dump())
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise SyncError("refused", MESSAGES["url"], str(exc)) from None
    except httpx.TimeoutException as exc:
        raise SyncError("offline", MESSAGES["timeout"], f"enroll: {exc!r}") from None
    except httpx.TransportError as exc:
        if _certificate_problem(exc):
            raise SyncError("refused", MESSAGES["certificate"], f"enroll: {exc!r}") from None
        raise SyncError("offline", MESSAGES["offline"], f"enroll: {exc!r}") from None
    if response.status_code == 403:
        raise SyncError("denied", MESSAGES["code"], f"enroll: {_error_text(response)}")
    if response.status_code != 200:
        raise error_for("POST /v1/enroll", response)
    try:
        answer = EnrollResponse.model_validate_json(response.content)
    except (ValidationError, ValueError) as exc:
        raise SyncError("server", MESSAGES["answer"], f"enroll: {exc}") from None
    store.set_enrollment(url, answer.token, answer.login, answer.role, answer.teams,
                         answer.team_ids, unlock_secret=answer.unlock_secret,
                         max_offline_days=answer.max_offline_days,
                         server_ms=_ms(answer.server_time or datetime.now(UTC)))
    if adopt_teams and answer.team_ids and len(answer.team_ids) == len(answer.teams):
        # the server's teams as team records; a same-named team made at first run joins them
        store.adopt_teams(list(zip(answer.team_ids, answer.teams, strict=True)))
    log.info("enrolled this device with %s", url)
    return answer


def _ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)
