"""Merge rules. Pure functions over sets of operations: no I/O, no clock, no randomness.

Every result here is a function of the *set* of operations given, never of their order, so
applying changes twice or in any order converges (idempotent, commutative, associative).

* Field registers: each write names the values it had seen (its causal context). The
  surviving values of a field are the writes nobody has yet seen and replaced. One survivor is
  the value; several distinct survivors are an open conflict. The value shown during a conflict
  is the greatest (hlc, site) — a rule about clocks, not about who saved most often.
* Tombstones: the ``_alive`` register. During a conflict deletion wins the display, so nothing
  deleted comes back except through a later write that saw the deletion (an undelete).
* Consent: an event log. Per agency, a withdrawal is in force until a grant covering that agency
  has the withdrawal in its causal context; a concurrent grant and withdrawal is withdrawn and
  flagged.
* Visit amendments: per corrected field, the same register rule over the amendments.
* A case's next action (次回の予定): the case's ``follow_up`` register. It stays until a worker
  replaces it, marks it 完了 or clears it; a visit without a next action leaves it alone.
  Visits written before the register existed (and by laptops not yet upgraded) still set it as
  they always did: the newest of them counts when it is newer than every write of the register.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .changes import canonical
from .model import ConsentState
from .vocab import ConsentAction, ConsentStatus


@dataclass(frozen=True)
class Op:
    """One write of a register: its id, what it replaced, when and where it was made."""

    id: str
    ctx: frozenset[str]
    hlc: int
    site: str
    value: Any
    author: str = ""


def survivors(ops: Iterable[Op]) -> list[Op]:
    """The ops nobody has replaced, greatest (hlc, site) first."""
    ops = list(ops)
    replaced = set().union(*(op.ctx for op in ops)) if ops else set()
    alive = {op.id: op for op in ops if op.id not in replaced}
    return sorted(alive.values(), key=lambda op: (op.hlc, op.site), reverse=True)


def is_conflict(current: list[Op]) -> bool:
    """More than one distinct surviving value."""
    return len({canonical(op.value) for op in current}) > 1


def winner(current: list[Op]) -> Op | None:
    """The value shown: the survivor with the greatest (hlc, site)."""
    return current[0] if current else None


def is_alive(current: list[Op]) -> bool:
    """Tombstone rule: any surviving deletion keeps the entity deleted."""
    return all(op.value is not False for op in current)


@dataclass(frozen=True)
class ConsentOp:
    id: str
    action: ConsentAction
    agencies: frozenset[str]  # empty on a withdrawal means every agency
    ctx: frozenset[str]

    def covers(self, agency: str) -> bool:
        if self.action is ConsentAction.WITHDRAW and not self.agencies:
            return True
        return agency in self.agencies


def consent_state(events: Iterable[ConsentOp]) -> ConsentState:
    events = list(events)
    if not events:
        return ConsentState(ConsentStatus.NONE)
    named = set().union(*(e.agencies for e in events))
    granted: set[str] = set()
    withdrawn: set[str] = set()
    flagged: set[str] = set()
    for agency in named:
        relevant = [e for e in events if e.covers(agency)]
        seen = set().union(*(e.ctx for e in relevant))
        latest = {e.action for e in relevant if e.id not in seen}
        if ConsentAction.WITHDRAW in latest:
            withdrawn.add(agency)
            if ConsentAction.GRANT in latest:
                flagged.add(agency)
        else:
            granted.add(agency)
    grant_ctx = set().union(*(e.ctx for e in events if e.action is ConsentAction.GRANT))
    withdrawn_all = any(
        e.action is ConsentAction.WITHDRAW and not e.agencies and e.id not in grant_ctx
        for e in events
    )
    has_withdrawal = any(e.action is ConsentAction.WITHDRAW for e in events)
    ever_granted = set().union(*(e.agencies for e in events if e.action is ConsentAction.GRANT))
    if not granted:
        status = ConsentStatus.WITHDRAWN if has_withdrawal else ConsentStatus.NONE
    elif withdrawn:
        status = ConsentStatus.PARTIAL
    else:
        status = ConsentStatus.GRANTED
    return ConsentState(
        status,
        frozenset(granted),
        frozenset(withdrawn),
        withdrawn_all,
        frozenset(flagged),
        frozenset(ever_granted),
    )


def effective_visit(
    original: dict[str, Any], amendments: Iterable[Op]
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Apply amendments (``Op.value`` = the corrected fields) to a visit's original values.

    Returns the effective values and the names of fields with concurrent, different corrections.
    """
    amendments = list(amendments)
    effective = dict(original)
    conflicts = []
    touched = sorted({name for op in amendments for name in op.value})
    for name in touched:
        per_field = [
            Op(op.id, op.ctx, op.hlc, op.site, op.value[name])
            for op in amendments
            if name in op.value
        ]
        current = survivors(per_field)
        effective[name] = winner(current).value
        if is_conflict(current):
            conflicts.append(name)
    return effective, tuple(conflicts)


def case_follow_up(
    register: dict[str, Any] | None, register_hlc: int | None,
    legacy: dict[str, Any] | None, legacy_hlc: int | None,
) -> tuple[str | None, str | None]:
    """The (action, due) a case shows as its next action.

    ``register`` is the winner of the case's ``follow_up`` register (None when never written)
    and ``register_hlc`` the newest write of it; ``legacy`` the effective values of the case's
    newest visit of the old shape and ``legacy_hlc`` when it was recorded. An old-shape visit
    replaced the next action whatever it said (that was the rule then), so before the register
    is first written it decides alone; after, it counts only when it names a next action and is
    newer than every write of the register.
    """
    newer = (legacy_hlc or 0) > (register_hlc or 0)
    if legacy is not None and (register is None or (legacy.get("next_action") and newer)):
        return legacy.get("next_action") or None, legacy.get("next_action_due") or None
    if register is None or register.get("done_on"):
        return None, None
    return register.get("action") or None, register.get("due") or None
