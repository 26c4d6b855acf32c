"""Ids that a client makes for its own records."""

from __future__ import annotations

from uuid6 import uuid7


def new_id() -> str:
    """A client-made, time-ordered id (UUIDv7)."""
    return str(uuid7())
