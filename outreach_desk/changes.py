"""The change: the unit the change log records, the outbox holds and sync exchanges.

Every write is one or more field-level changes. A change is identified by its origin device
(``site``) and that device's sequence number; ``op_id`` joins the two. ``ctx`` is the causal
context: for a field write, the op ids of the values the writer saw for that field (the values
it replaces); for a consent event, the consent events it had seen; for a visit amendment, the
amendments of that visit it had seen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any

RECORD = "*"  # ``field`` of a change that creates an immutable record (visit, amendment, consent)
SCHEMA_VERSION = 1  # version of the change format; bumped when a change's meaning changes


def op_id(site: str, seq: int) -> str:
    return f"{site}:{seq}"


@dataclass(frozen=True)
class Change:
    site: str
    seq: int
    hlc: int
    entity: str
    entity_id: str
    field: str
    value: Any
    ctx: tuple[str, ...]
    author: str
    schema: int = SCHEMA_VERSION
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def op_id(self) -> str:
        return op_id(self.site, self.seq)

    @property
    def is_record(self) -> bool:
        return self.field == RECORD

    def to_wire(self) -> dict[str, Any]:
        """A JSON-ready dict; fields this build does not know travel on unchanged."""
        wire = {name: getattr(self, name) for name in _WIRE_FIELDS}
        wire["ctx"] = list(self.ctx)
        return {**self.extra, **wire}

    @classmethod
    def from_wire(cls, wire: dict[str, Any]) -> Change:
        known = {name: wire[name] for name in _WIRE_FIELDS if name in wire}
        extra = {key: value for key, value in wire.items() if key not in _WIRE_FIELDS}
        known["ctx"] = tuple(known.get("ctx", ()))
        return cls(**known, extra=extra)


_WIRE_FIELDS = tuple(f.name for f in fields(Change) if f.name != "extra")


def canonical(value: Any) -> str:
    """A stable text form of a value, for equality across replicas."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
