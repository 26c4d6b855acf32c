"""スーパービジョン: a supervisor's comment on a visit, a relationship note or a support plan.

A comment is a mutable ``comment`` entity that names its case (so it syncs to the case's team),
what it is about (``target_kind`` and ``target_id``), the text, who wrote it and when. The worker
reads it on the case and in the コメント list, and marks it read (既読にする): that sets
``read_at``/``read_by``, which syncs back so the supervisor sees it was read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .errors import ValidationError
from .model import COMMENT_TARGETS, ENTITIES
from .roles import require_supervisor

_COLUMNS = ("id", *ENTITIES["comment"].field_names)


@dataclass(frozen=True)
class Comment:
    id: str
    case_id: str
    target_kind: str  # visit, note or plan
    target_id: str
    text: str
    written_by: str
    written_at: str
    read_at: str | None
    read_by: str | None

    @property
    def unread(self) -> bool:
        return self.read_at is None


def _select(where: str) -> str:
    return (f"SELECT {', '.join('c.' + name for name in _COLUMNS)} FROM comments c {where} "
            "ORDER BY c.written_at DESC, c.updated_hlc DESC")


def target_case(store, target_kind: str, target_id: str) -> str:
    """The case a visit, note or plan belongs to (NotFound when there is none)."""
    if target_kind not in COMMENT_TARGETS:
        raise ValidationError("target_kind", "choice", f"must be one of {list(COMMENT_TARGETS)}")
    if target_kind == "visit":
        return store.visit(target_id).effective["case_id"]
    return store.get(target_kind, target_id)["case_id"]


def add_comment(store, target_kind: str, target_id: str, text: str, *,
                at: datetime | None = None) -> str:
    """Attach a comment to a visit, note or plan. Only a supervisor (or administrator) may."""
    require_supervisor(store, "comment", "コメントを書けるのはスーパーバイザーだけです。")
    case_id = target_case(store, target_kind, target_id)
    return store.create_entity("comment", {  # case_id first: it decides the team on the server
        "case_id": case_id, "target_kind": target_kind, "target_id": target_id, "text": text,
        "written_by": store.author, "written_at": at or store.now(),
    })


def mark_read(store, comment_id: str, *, at: datetime | None = None) -> bool:
    """既読にする. Returns False (and writes nothing) when it was already read."""
    comment = store.get("comment", comment_id)
    if comment["read_at"]:
        return False
    store.update("comment", comment_id, {"read_at": at or store.now(),
                                         "read_by": store.author})
    return True


def comments_of_case(db, case_id: str) -> list[Comment]:
    """Every comment on the case, newest first."""
    return [Comment(*row) for row in db.execute(
        _select("WHERE c.case_id = ? AND c.deleted = 0"), (case_id,)).fetchall()]


def unread_comments(db, worker_id: str) -> list[Comment]:
    """Unread comments on the cases ``worker_id`` is in charge of (担当), newest first."""
    return [Comment(*row) for row in db.execute(_select(
        "JOIN cases k ON k.id = c.case_id WHERE c.deleted = 0 AND c.read_at IS NULL "
        "AND k.deleted = 0 AND k.worker_id = ?"), (worker_id,)).fetchall()]


__all__ = ["Comment", "add_comment", "comments_of_case", "mark_read",
           "target_case", "unread_comments"]
