"""Rows of the supervision records kept from the change log: plan approvals (決裁) as written,
and — when a store is upgraded — comments and field check-ins that arrived from a newer laptop
while this one could only keep them in the log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .merge import Op, is_alive, is_conflict, survivors, winner
from .model import ALIVE, ENTITIES

MUTABLE_KINDS = ("comment", "field_checkin")


@dataclass(frozen=True)
class Approval:
    """決裁: who approved which version of a plan, and when. ``seen`` holds the op ids of every
    change of the plan the approver had seen; ``version`` the latest of them."""

    id: str
    plan_id: str
    case_id: str
    version: str
    approved_by: str
    approved_at: str
    note: str | None
    seen: frozenset[str]
    hlc: int


_APPROVAL_COLUMNS = "id, plan_id, case_id, version, approved_by, approved_at, note, ctx, hlc"


def _approval(row: tuple) -> Approval:
    *head, ctx, hlc = row
    return Approval(*head, frozenset(json.loads(ctx)), hlc)


def approvals_of(db, plan_ids: list[str] | None = None) -> dict[str, list[Approval]]:
    """The approvals of these plans (every plan when None), oldest first, by plan id."""
    sql = f"SELECT {_APPROVAL_COLUMNS} FROM plan_approvals"
    params: tuple = ()
    if plan_ids is not None:
        sql += f" WHERE plan_id IN ({', '.join('?' * len(plan_ids))})"
        params = tuple(plan_ids)
    found: dict[str, list[Approval]] = {}
    for row in db.execute(sql + " ORDER BY hlc, site", params).fetchall():
        approval = _approval(row)
        found.setdefault(approval.plan_id, []).append(approval)
    return found


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def approval_row(entity_id: str, value: dict, ctx, author: str, hlc: int, site: str) -> tuple:
    """The ``plan_approvals`` row of one approval change."""
    return (entity_id, value["case_id"], value["plan_id"], value["version"],
            value["approved_by"], value["approved_at"], value.get("note"), _dump(list(ctx)),
            author, hlc, site)


def insert_approvals(db, rows: list[tuple]) -> None:
    if rows:
        db.executemany(
            "INSERT OR IGNORE INTO plan_approvals (id, case_id, plan_id, version, approved_by, "
            "approved_at, note, ctx, author, hlc, site) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows)


def rebuild(db) -> None:
    """Derive the supervision rows from the changes already in the log (migration 8)."""
    insert_approvals(db, [
        approval_row(entity_id, json.loads(value), json.loads(ctx), author, hlc, site)
        for entity_id, value, ctx, author, hlc, site in db.execute(
            "SELECT entity_id, value, ctx, author, hlc, site FROM changes "
            "WHERE entity = 'plan_approval' AND field = '*'").fetchall()])
    for kind in MUTABLE_KINDS:
        spec = ENTITIES[kind]
        ops: dict[str, dict[str, list[Op]]] = {}
        for entity_id, fld, site, seq, hlc, value, ctx, who in db.execute(
                "SELECT entity_id, field, site, seq, hlc, value, ctx, author FROM changes "
                "WHERE entity = ?", (kind,)).fetchall():
            ops.setdefault(entity_id, {}).setdefault(fld, []).append(
                Op(f"{site}:{seq}", frozenset(json.loads(ctx)), hlc, site, json.loads(value),
                   who))
        for entity_id, by_field in ops.items():
            current = {fld: survivors(field_ops) for fld, field_ops in by_field.items()}
            values = [winner(current[name]).value if current.get(name) else None
                      for name in spec.field_names]
            latest = max(op.hlc for field_ops in by_field.values() for op in field_ops)
            db.execute(
                f"INSERT OR REPLACE INTO {spec.table} (id, {', '.join(spec.field_names)}, "
                f"deleted, updated_hlc) VALUES ({', '.join('?' * (len(values) + 3))})",
                (entity_id, *(_dump(v) if isinstance(v, (list, dict)) else v for v in values),
                 int(not is_alive(current.get(ALIVE, []))), latest))
            db.executemany(
                "INSERT OR IGNORE INTO open_conflicts (entity, entity_id, field) VALUES (?, ?, ?)",
                [(kind, entity_id, fld) for fld, field_ops in current.items()
                 if (fld in spec.field_names or fld == ALIVE) and is_conflict(field_ops)])


__all__ = ["MUTABLE_KINDS", "Approval", "approval_row", "approvals_of", "insert_approvals",
           "rebuild"]
