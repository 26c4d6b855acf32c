"""Hybrid logical clock (HLC) for ordering changes across devices.

A timestamp is one integer: wall-clock milliseconds shifted left by 16 bits, plus a counter in
the low bits. ``tick`` always returns a value greater than every value this replica has issued
or observed, so it keeps counting forward when the laptop's clock jumps back, and the store
persists the last value so this also holds across restarts.
"""

from __future__ import annotations

import time
from collections.abc import Callable

COUNTER_BITS = 16
MAX_CLOCK_AHEAD_MS = 5 * 60 * 1000  # a remote change further ahead than this is held aside


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


def physical_ms(hlc: int) -> int:
    """The wall-clock part of a timestamp, in milliseconds since the epoch."""
    return hlc >> COUNTER_BITS


class HybridClock:
    """Issues and observes HLC timestamps. Not thread-safe: the store serialises access."""

    def __init__(self, last: int = 0, wall: Callable[[], int] = wall_clock_ms):
        self.last = last
        self._wall = wall

    def tick(self) -> int:
        """A fresh timestamp for a local change."""
        self.last = max(self.last + 1, self._wall() << COUNTER_BITS)
        return self.last

    def observe(self, remote: int) -> None:
        """Move forward past a timestamp received from another replica."""
        self.last = max(self.last, remote)

    def ahead_by_ms(self, remote: int) -> int:
        """How far a remote timestamp is past our wall clock (negative when behind)."""
        return physical_ms(remote) - self._wall()

    def is_plausible(self, remote: int) -> bool:
        return self.ahead_by_ms(remote) <= MAX_CLOCK_AHEAD_MS
