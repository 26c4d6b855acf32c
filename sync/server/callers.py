"""Who is calling: the device behind a request's credential (``caller``, the ``Caller``
dependency) and the rate limits per device and per source address (``RateLimiter``)."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .accounts import Accounts, Principal


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
