"""Who the person at this laptop acts as: the role decides what supervision they may do.

The server's word wins: once the laptop is enrolled, the role it was enrolled for; before that,
the role of the worker record this replica writes as (支援員 by default).
"""

from __future__ import annotations

from .errors import NotPermitted
from .vocab import Role

SUPERVISING = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})


def acting_role(store) -> Role:
    enrollment, worker = store.enrollment(), store.worker()
    for role in ((enrollment or {}).get("role"), worker["role"] if worker else None):
        if role:
            try:
                return Role(role)
            except ValueError:
                continue
    return Role.WORKER


def may_supervise(store) -> bool:
    """True for a supervisor (スーパーバイザー) or an administrator."""
    return acting_role(store) in SUPERVISING


def require_supervisor(store, action: str, message: str) -> None:
    """Refuse ``action`` with ``message`` (Japanese, shown as is) unless supervising."""
    if not may_supervise(store):
        raise NotPermitted(action, message)


__all__ = ["SUPERVISING", "acting_role", "may_supervise", "require_supervisor"]
