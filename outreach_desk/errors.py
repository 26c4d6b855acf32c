"""Errors the data core raises on purpose.

Each carries a short English message for logs and the command line, and a stable ``code`` the
desktop client maps to a translated (Japanese-first) message. None of them include personal data.
"""

from __future__ import annotations

import errno

# what a write answers when the disk is full: no space, over quota, or over the file-size limit
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class OutreachDeskError(Exception):
    """Base class: an expected failure with a clear, one-line explanation."""

    code = "error"


class StoreNotFound(OutreachDeskError):
    code = "store_not_found"


class StoreExists(OutreachDeskError):
    code = "store_exists"


class WrongPassphrase(OutreachDeskError):
    code = "wrong_passphrase"


class KeyFileDamaged(OutreachDeskError):
    """The key file is truncated, unparseable, or fails its checksum: not a passphrase issue."""

    code = "key_file_damaged"


class KdfCostRefused(KeyFileDamaged):
    """The key file asks for an Argon2id cost outside the sane range: refused before running."""

    code = "kdf_cost_refused"


class DiskFull(OutreachDeskError):
    """No space left on the disk (or the file-size limit reached); nothing was written."""

    code = "disk_full"


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk is full (ours, or an ``OSError`` from a write)."""
    return isinstance(exc, DiskFull) or (
        isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS)


class StoreCorrupt(OutreachDeskError):
    code = "store_corrupt"


class StoreTooNew(OutreachDeskError):
    code = "store_too_new"


class StoreLocked(OutreachDeskError):
    code = "store_locked"


class WeakPassphrase(OutreachDeskError):
    """A passphrase the rule refuses; ``reason`` is one of ``passphrase_rule.REASONS``."""

    code = "weak_passphrase"

    def __init__(self, message: str, reason: str = "guessable"):
        super().__init__(message)
        self.reason = reason


class NotFound(OutreachDeskError):
    """A record the caller named does not exist (or is not visible)."""

    code = "not_found"

    def __init__(self, entity: str, entity_id: str):
        super().__init__(f"no {entity} with id {entity_id}")
        self.entity = entity
        self.entity_id = entity_id


class ValidationError(OutreachDeskError):
    """A record breaks a rule. ``field`` names the offending field; nothing was written."""

    code = "invalid"

    def __init__(self, field: str, rule: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.rule = rule
        self.message = message


class NotPermitted(OutreachDeskError):
    """The acting user's role does not allow this (e.g. a worker approving a plan)."""

    code = "not_permitted"

    def __init__(self, action: str, message: str):
        super().__init__(message)
        self.action = action
