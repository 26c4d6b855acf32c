"""Who is calling: the device behind a request's credential (``caller``, the ``Caller``
dependency) and the rate limits per device and per source address (``RateLimiter``)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .accounts import Accounts, Principal


class RateLimiter:
    """At most ``limit`` events per ``window`` seconds per key (a sliding window, in memory).

    Cost stays flat with many keys: each key keeps at most ``limit`` event times (a deque with
    ``maxlen``; the oldest kept is the one that decides the wait), and keys are kept in the
    order they last had an event, so idle keys are forgotten from the front — O(1) amortised
    per call. At most ``max_keys`` keys are held (bounded memory): past that the longest idle
    key is forgotten even within its window; the global ceiling still counts its events."""

    def __init__(self, limit: int, window: float, clock=time.monotonic,
                 max_keys: int = 100_000):
        self.limit = limit
        self.window = window
        self.clock = clock
        self.max_keys = max_keys
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str) -> float:
        """0 when allowed (and counted), else the seconds to wait."""
        with self._lock:
            now = self.clock()
            wait = self._wait(key, now)
            if not wait:
                self._add(key, now)
            return wait

    def blocked(self, key: str) -> float:
        """The seconds to wait before ``key`` may have another event (0: not blocked)."""
        with self._lock:
            return self._wait(key, self.clock())

    def add(self, key: str) -> None:
        with self._lock:
            self._add(key, self.clock())

    def __len__(self) -> int:
        return len(self._events)

    def _wait(self, key: str, now: float) -> float:
        self._forget_idle(now)
        events = self._events.get(key)
        if events is None:
            return 0.0
        while events and events[0] <= now - self.window:
            events.popleft()
        if len(events) >= self.limit:
            return max(0.001, events[0] + self.window - now)
        return 0.0

    def _add(self, key: str, now: float) -> None:
        events = self._events.get(key)
        if events is None:
            events = self._events[key] = deque(maxlen=self.limit)
            while len(self._events) > self.max_keys:
                self._events.popitem(last=False)
        else:
            self._events.move_to_end(key)
        events.append(now)

    def _forget_idle(self, now: float) -> None:
        """Drop keys whose last event left the window: they are at the front."""
        while self._events:
            first = next(iter(self._events.values()))
            if first and first[-1] > now - self.window:
                return
            self._events.popitem(last=False)


class TooManyRequests(Exception):
    def __init__(self, wait: float) -> None:
        super().__init__(f"retry after {wait:.0f} s")
        self.wait = wait


ENROLL_PER_SOURCE = (60, 300.0)  # enrollment attempts per address per 5 minutes (an office
# enrolls its laptops from one address) …
ENROLL_FAILURES_PER_SOURCE = (10, 300.0)  # … of which wrong codes (and 5 per code, in the db)
ENROLL_PER_CODE = (10, 300.0)  # attempts on one code id (known or not) from any address
ENROLL_GLOBAL = (120, 60.0)  # attempts from all addresses together per minute
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
