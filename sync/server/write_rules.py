"""Who may write what, besides the team of a record (``scopes.py``): the author of a change,
shared reference data (teams, workers, agencies) and the records only a supervisor writes.

- **Author.** A change's ``author`` (the worker record the laptop writes as) belongs to the
  user of the credential that first pushed a change signed with it (``authors``, revision
  0010). A later change signed with an author of another user is a forged author and is
  stored as refused (not rewritten: the change log of every laptop is signed by its writer,
  and a rewritten author would make two versions of one change).
- **Shared records.** Only an administrator changes teams, agencies and worker records as it
  likes. Another device may create such a record (the server has never seen it), and change
  afterwards only a record it created itself (its creating device is kept in ``scopes.site``)
  or its own worker record (whose id is an author of its user); a worker record's ``role`` is
  never set higher than the writer's own role on this server, its ``team_id`` never names a
  server team outside the writer's, and it is never deleted from a device. A team this server
  holds (``teams``, made with the admin command line) is changed only by writes that agree with
  the server: its name, alive.
  The same holds for who a 決裁 or a comment says wrote it (``approved_by``, ``written_by``,
  ``read_by``).
- **Roles.** 決裁 (a plan approval), a supervision comment (all but marking it read) and a
  disclosure on the 緊急 basis need a supervisor or an administrator on this server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from outreach_desk.changes import RECORD
from outreach_desk.model import ALIVE
from outreach_desk.vocab import LegalBasis

from .db import metadata

if TYPE_CHECKING:
    from .accounts import Principal
    from .scopes import Scope

SUPERVISING = frozenset({"supervisor", "administrator"})
ROLE_RANK = {"worker": 0, "supervisor": 1, "administrator": 2}
# fields that say who wrote a supervision record: an author of the writer's user, like ``author``
SIGNATURES = {"plan_approval": ("approved_by",), "comment": ("written_by", "read_by")}
READ_MARKS = frozenset({"read_at", "read_by"})  # what a worker writes on a comment (and alive)

authors = sa.Table(
    "authors",
    metadata,
    sa.Column("author", sa.String(80), primary_key=True),
    sa.Column("user_id", sa.String(40), sa.ForeignKey("users.id"), nullable=False),
)

FORGED_AUTHOR = ("変更の作成者がこの利用者ではありません / the change is signed by another "
                 "user's author")
SHARED = ("チーム・支援員・関係機関の記録を変えられるのは管理者だけです / only the administrator "
          "changes teams, workers and agencies (a device changes only what it created and its "
          "own worker record)")
ROLE_VALUE = ("役割を決めるのはサーバーの管理者です / a role is set by the server's administrator")
NEEDS_SUPERVISOR = ("この記録を書けるのはスーパーバイザーだけです / only a supervisor (or "
                    "administrator) on the server writes this record")


class WriteRules:
    """The rules above for one push, inside its transaction."""

    def __init__(self, conn, principal: Principal, server_teams: dict[str, str]):
        self.conn = conn
        self.principal = principal
        self.server_teams = server_teams  # id → name
        self.owner: dict[str, str | None] = {}  # author → its user (None: nobody's yet)
        self.new_authors: dict[str, str] = {}

    @property
    def administrator(self) -> bool:
        return self.principal.role == "administrator"

    def load(self, names: set[str]) -> None:
        """Read whose authors ``names`` are (the changes' authors, the worker records)."""
        ids = sorted(name for name in names if name not in self.owner)
        for name in ids:
            self.owner[name] = None
        for start in range(0, len(ids), 400):
            for author, user_id in self.conn.execute(
                    sa.select(authors.c.author, authors.c.user_id)
                    .where(authors.c.author.in_(ids[start:start + 400]))):
                self.owner[author] = user_id

    def author_problem(self, author: Any) -> str | None:
        owner = self.owner.get(author) if isinstance(author, str) else None
        if owner is not None and owner != self.principal.user_id:
            return FORGED_AUTHOR
        return None

    def signature_problem(self, entity: Any, fld: Any, value: Any) -> str | None:
        """A 決裁 or a comment signed in the name of another user's author is forged too."""
        names = SIGNATURES.get(entity, ()) if isinstance(entity, str) else ()
        values = value if fld == RECORD and isinstance(value, dict) else {fld: value}
        for name in names:
            if self.author_problem(values.get(name)) is not None:
                return FORGED_AUTHOR
        return None

    @staticmethod
    def signatures(change: dict[str, Any]) -> set[str]:
        """The ids ``change`` signs a supervision record with (to be loaded as authors)."""
        entity, fld, value = change.get("entity"), change.get("field"), change.get("value")
        values = value if fld == RECORD and isinstance(value, dict) else {fld: value}
        return {values[name] for name in SIGNATURES.get(entity, ()) if isinstance(entity, str)
                and isinstance(values.get(name), str)}

    def accepted(self, author: Any) -> None:
        """A change signed by ``author`` was accepted: an author nobody had is the caller's."""
        if isinstance(author, str) and self.owner.get(author) is None:
            self.owner[author] = self.principal.user_id
            self.new_authors[author] = self.principal.user_id

    def role_problem(self, entity: Any, fld: Any, value: Any) -> str | None:
        if self.principal.role in SUPERVISING:
            return None
        if entity == "plan_approval":
            return NEEDS_SUPERVISOR
        if entity == "comment" and not (fld in READ_MARKS or (fld == ALIVE and value is True)):
            return NEEDS_SUPERVISOR  # (every edit on a laptop writes alive too)
        if (entity == "disclosure" and fld == RECORD and isinstance(value, dict)
                and value.get("basis") == LegalBasis.EMERGENCY.value):
            return NEEDS_SUPERVISOR
        return None

    def shared_problem(self, entity: str, entity_id: Any, fld: Any, value: Any,
                       known: Scope | None) -> str | None:
        """Why a change of a team, worker or agency record is refused (None: accepted)."""
        if self.administrator:
            return None
        if entity == "team" and entity_id in self.server_teams:
            agrees = ((fld == "name" and value == self.server_teams[entity_id])
                      or (fld == ALIVE and value is True))
            return None if agrees else SHARED
        if entity == "worker":
            values = value if fld == RECORD and isinstance(value, dict) else {fld: value}
            role = values.get("role")
            if "role" in values and (not isinstance(role, str) or ROLE_RANK.get(role, 9)
                                     > ROLE_RANK.get(self.principal.role, 0)):
                return ROLE_VALUE
            team = values.get("team_id")
            if team in self.server_teams and team not in self.principal.team_ids:
                return SHARED
            if ALIVE in values and values[ALIVE] is not True and known is not None:
                return SHARED
            if known is not None and self.owner.get(entity_id) == self.principal.user_id:
                return None  # its own worker record
        if known is None or known.site == self.principal.site:
            return None  # a new record, or one this device created
        return SHARED

    def save(self) -> None:
        if self.new_authors:
            self.conn.execute(authors.insert(), [
                {"author": author, "user_id": user_id}
                for author, user_id in self.new_authors.items()])


__all__ = ["FORGED_AUTHOR", "NEEDS_SUPERVISOR", "ROLE_VALUE", "SHARED", "SUPERVISING",
           "WriteRules", "authors"]
