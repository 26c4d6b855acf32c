"""Offline access that expires (オフライン期間の上限), and the one-time unlock codes that extend it.

A laptop lost while offline never hears that it was revoked, so the server sets a maximum
offline period (``max_days``, 30 by default) that the laptop learns when it is enrolled and at
every sync. The period runs from the server's time at the last successful sync (or from when a
one-time unlock code was last accepted). Within ``WARN_DAYS`` of the limit the app warns; past
it the app shows only 今すぐ同期 and the unlock code field until one of them succeeds. A store
that is not enrolled has no server and so no limit.

"Now" is the latest of the system clock, the physical part of the store's hybrid logical clock
(which never goes back, and is saved with every change) and the last server time: turning the
laptop's clock back does not give back a single day.

Unlock codes (``outreach-sync-server admin unlock-code --device ID``) are checked without a
network: ``HMAC-SHA256(secret, device id, counter)`` with a per-device secret the server made at
enrollment and the laptop keeps inside its encrypted store. A code carries its counter (2
characters) and 40 bits of the MAC (8 characters), in an alphabet that reads well over the
phone; the store remembers the counters used, so each code works once.

Everything here is pure (explicit times, no clock read, no store): the store and the app call it.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac

DAY_MS = 24 * 60 * 60 * 1000
DEFAULT_MAX_DAYS = 30
WARN_DAYS = 7
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols: no 0/O, 1/I
COUNTER_CHARS = 2  # counters 1 … 1023
MAC_CHARS = 8  # 40 bits
MAX_COUNTER = len(CODE_ALPHABET) ** COUNTER_CHARS - 1
SECRET_BYTES = 32

OK, WARNING, EXPIRED, NO_LIMIT = "ok", "warning", "expired", "no_limit"


@dataclass(frozen=True)
class OfflinePolicy:
    """What the store keeps: the limit (None: not enrolled, no limit), the server's time at the
    last successful sync and the trusted time an unlock code was last accepted (ms, UTC)."""

    max_days: int | None
    last_sync_ms: int | None = None
    unlocked_ms: int | None = None


@dataclass(frozen=True)
class OfflineStatus:
    state: str  # OK, WARNING, EXPIRED or NO_LIMIT
    now_ms: int  # the trusted now
    deadline_ms: int | None = None
    days_left: int = 0  # whole days left, rounded up (0 once expired)

    @property
    def expired(self) -> bool:
        return self.state == EXPIRED


def trusted_now(system_ms: int, hlc_ms: int = 0, server_ms: int | None = None) -> int:
    """The latest of the system clock, the hybrid clock's physical part and the server's last
    time: none of them can be turned back to make the period longer."""
    return max(system_ms, hlc_ms, server_ms or 0)


def status(policy: OfflinePolicy, *, system_ms: int, hlc_ms: int = 0) -> OfflineStatus:
    now = trusted_now(system_ms, hlc_ms, policy.last_sync_ms)
    if policy.max_days is None:
        return OfflineStatus(NO_LIMIT, now)
    anchor = max(policy.last_sync_ms or 0, policy.unlocked_ms or 0)
    if not anchor:  # enrolled but the time was never told: count from now on
        return OfflineStatus(OK, now, now + policy.max_days * DAY_MS, policy.max_days)
    deadline = anchor + policy.max_days * DAY_MS
    left_ms = deadline - now
    if left_ms <= 0:
        return OfflineStatus(EXPIRED, now, deadline, 0)
    days_left = -(-left_ms // DAY_MS)
    return OfflineStatus(WARNING if left_ms <= WARN_DAYS * DAY_MS else OK, now, deadline,
                         days_left)


# -- one-time unlock codes --------------------------------------------------------------------


def _mac(secret: bytes, device: str, counter: int) -> bytes:
    mac = crypto_hmac.HMAC(secret, hashes.SHA256())
    mac.update(b"outreach-desk offline unlock\x00" + device.encode("utf-8") + b"\x00"
               + str(counter).encode("ascii"))
    return mac.finalize()


def _encode(number: int, chars: int) -> str:
    out = []
    for _ in range(chars):
        number, digit = divmod(number, len(CODE_ALPHABET))
        out.append(CODE_ALPHABET[digit])
    return "".join(reversed(out))


def _decode(text: str) -> int:
    number = 0
    for char in text:
        number = number * len(CODE_ALPHABET) + CODE_ALPHABET.index(char)
    return number


def _mac_chars(secret: bytes, device: str, counter: int) -> str:
    bits = int.from_bytes(_mac(secret, device, counter)[:5], "big")  # 40 bits
    return _encode(bits, MAC_CHARS)


def make_code(secret: bytes, device: str, counter: int) -> str:
    """The unlock code for ``counter`` (1 … MAX_COUNTER), grouped ``XXXXX-XXXXX``."""
    if not 1 <= counter <= MAX_COUNTER:
        raise ValueError(f"counter must be 1 … {MAX_COUNTER}")
    code = _encode(counter, COUNTER_CHARS) + _mac_chars(secret, device, counter)
    return f"{code[:5]}-{code[5:]}"


def normalize_code(text: str) -> str:
    """What was typed, as the code's characters: case, spaces and dashes do not matter."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def check_code(secret: bytes, device: str, text: str, used: set[int] | frozenset[int]
               ) -> int | None:
    """The counter of a valid code not used before, or None."""
    code = normalize_code(text)
    if len(code) != COUNTER_CHARS + MAC_CHARS or any(ch not in CODE_ALPHABET for ch in code):
        return None
    counter = _decode(code[:COUNTER_CHARS])
    if not 1 <= counter <= MAX_COUNTER or counter in used:
        return None
    expected = _mac_chars(secret, device, counter)
    return counter if hmac.compare_digest(expected, code[COUNTER_CHARS:]) else None


__all__ = ["DEFAULT_MAX_DAYS", "EXPIRED", "NO_LIMIT", "OK", "WARNING", "WARN_DAYS",
           "OfflinePolicy", "OfflineStatus", "check_code", "make_code", "normalize_code",
           "status", "trusted_now"]
