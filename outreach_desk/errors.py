"""Errors the data core raises on purpose.

Each carries a short English message for logs and the command line, and a stable ``code`` the
desktop client maps to a translated (Japanese-first) message. None of them include personal data.
"""

from __future__ import annotations


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
    code = "key_file_damaged"


class StoreCorrupt(OutreachDeskError):
    code = "store_corrupt"


class StoreTooNew(OutreachDeskError):
    code = "store_too_new"


class StoreLocked(OutreachDeskError):
    code = "store_locked"


class WeakPassphrase(OutreachDeskError):
    code = "weak_passphrase"


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
