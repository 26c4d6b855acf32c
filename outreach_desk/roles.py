"""Who the person at this laptop acts as: the role decides what supervision they may do.

The server's word wins: once the laptop is enrolled, the role the server gave it (at enrollment
and in every sync's device state); before that, the role of the worker record this replica
writes as (支援員 by default). Every role-dependent action asks here (決裁, supervision comments,
meeting material on the 緊急 basis, the アクセス記録 of a supervisor's reads).
"""

from __future__ import annotations

from .errors import NotPermitted
from .vocab import Role

SUPERVISING = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})


def acting_role(store) -> Role:
    """The role the server gave this laptop (at enrollment, brought up to date by every sync),
    never a worker record's ``role`` field once enrolled: a worker record is shared data that
    other devices write. A laptop never enrolled (a small office on its own) acts as its
    worker record says."""
    enrollment = store.enrollment()
    if enrollment is not None:
        role = enrollment.get("role")
    else:
        worker = store.worker()
        role = worker["role"] if worker else None
    try:
        return Role(role) if role else Role.WORKER
    except ValueError:  # a role this build does not know: the least one
        return Role.WORKER


def may_supervise(store) -> bool:
    """True for a supervisor (スーパーバイザー) or an administrator."""
    return acting_role(store) in SUPERVISING


def require_supervisor(store, action: str, message: str) -> None:
    """Refuse ``action`` with ``message`` (Japanese, shown as is) unless supervising."""
    if not may_supervise(store):
        raise NotPermitted(action, message)


__all__ = ["SUPERVISING", "acting_role", "may_supervise", "require_supervisor"]
