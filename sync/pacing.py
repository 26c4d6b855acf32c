"""How big the next push batch or pull page should be, from how long the last ones took.

A round starts with batches small enough for a 64 kbit/s line (a push body of about 32 KB of
gzip, a pull page of 500 changes), so that a cut line loses little. On a fast line that is
many round trips and many transactions (each with an fsync on both sides), so a
:class:`Pacer` lets the size grow while batches come back well within ``target`` seconds, and
brings it down again after a slow or failed one:

- a batch that took longer than ``target``: the next is what the measured rate does in
  ``target`` seconds (never more than this one);
- a batch that took less: the next is what the measured rate does in ``target`` seconds, at
  most ``growth`` times this one (never less than this one: a short last batch of a round says
  little about the line);
- a failed batch (cut, timeout, server error): back to the starting size.

The size stays within ``floor`` … ``ceiling`` (the protocol's and the server's limits). With
``floor == ceiling`` the size is fixed (a caller that asked for a size gets it).
"""

from __future__ import annotations

TARGET_SECONDS = 3.0  # per batch: a cut costs at most about this much work
GROWTH = 4.0  # at most this factor from one batch to the next


class Pacer:
    def __init__(self, start: int, floor: int, ceiling: int, *,
                 target: float = TARGET_SECONDS, growth: float = GROWTH):
        if not 1 <= floor <= ceiling:
            raise ValueError(f"pacer bounds {floor}..{ceiling}")
        self.floor, self.ceiling = floor, ceiling
        self.limit = ceiling  # the ceiling asked for; ``bound`` may lower the one in force
        self.target, self.growth = target, growth
        self.start = self._clamp(start)
        self.size = self.start

    def _clamp(self, size: float) -> int:
        return int(min(self.ceiling, max(self.floor, size)))

    def bound(self, ceiling: int) -> None:
        """The other side takes at most ``ceiling``: the size stays within it."""
        self.ceiling = max(1, min(self.limit, ceiling))
        self.floor = min(self.floor, self.ceiling)
        self.start = min(self.start, self.ceiling)
        self.size = self._clamp(self.size)

    def done(self, amount: int, seconds: float) -> int:
        """A batch of ``amount`` (changes or bytes) took ``seconds``: the next size."""
        if amount <= 0:
            return self.size
        ideal = amount / max(seconds, 1e-3) * self.target
        if seconds > self.target:  # slow: shrink to what fits the target, never grow
            self.size = self._clamp(min(self.size, ideal))
        else:  # fast: grow towards the target, never shrink
            self.size = self._clamp(max(self.size, min(ideal, amount * self.growth)))
        return self.size

    def failed(self) -> int:
        """A batch failed (cut, timeout, refused): the next starts small again."""
        self.size = min(self.size, self.start)
        return self.size


__all__ = ["GROWTH", "TARGET_SECONDS", "Pacer"]
