"""Which team every stored change belongs to, decided by the server from the caller's
credential, never from the request body.

A record's team is fixed when the server first sees it:

- a case: the team its ``team_id`` field names, when that is one of the caller's teams, else the
  caller's first team;
- a record that names its case (a visit, a plan approval, an access event, the ``case_id`` of
  a note, a plan or a supervision comment): the case's team;
- a visit amendment: its visit's team; a consent event: its person's team;
- a person, a household, a meeting, or an entity this server does not know: the caller's first
  team; teams, workers and agencies are shared reference data (no team).

A change to a record outside the caller's teams is refused, and so is, on every change, a
change that names a record outside them (every reference field, ``references.py``), one that
puts a record under another team's case, and a change of a case's ``team_id`` to another team
unless the caller is a supervisor (or administrator) of both teams: then the case, the records
under it, its person and household move when they are of the case's team, and the case's
history is re-delivered to the new team's laptops (``redelivery.py``). A record named before the
server has seen it is taken to be of the naming record's team. Shared records, roles and authors
follow ``write_rules.py``.
Refused changes are stored as refused (the device's sequence stays contiguous), never served.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .db import metadata
from .references import references
from .write_rules import WriteRules

if TYPE_CHECKING:
    from .accounts import Principal

GLOBAL_ENTITIES = frozenset({"team", "worker", "agency"})
RECORDS_OF_A_CASE = frozenset({"visit", "access_event"})  # records naming their case_id
MOVERS = frozenset({"supervisor", "administrator"})

scopes = sa.Table(
    "scopes",
    metadata,
    sa.Column("entity", sa.String(64), primary_key=True),
    sa.Column("entity_id", sa.String(80), primary_key=True),
    sa.Column("team_id", sa.String(40), nullable=True),
    sa.Column("case_id", sa.String(80), nullable=True),
    # a team, worker or agency record: the device that created it (revision 0010)
    sa.Column("site", sa.String(80), nullable=True),
)


@dataclass(frozen=True)
class Scope:
    team_id: str | None
    case_id: str | None = None
    site: str | None = None  # of a shared record: the device that created it


@dataclass(frozen=True)
class Decision:
    team_id: str | None
    refused: str | None  # why, when refused
    case_id: str | None = None


OUTSIDE = "担当チームの外の記録です / the record belongs to a team outside the caller's"
NO_TEAM = "利用者がどのチームにも属していません / the user belongs to no team"
NAMES_OUTSIDE = ("担当チームの外の記録を指しています / the change names a record of a team "
                 "outside the caller's")
REPOINT = ("記録を別のチームのケースに移すことはできません / a record cannot be moved under "
           "another team's case")
MOVE = ("ケースを別のチームに移せるのはスーパーバイザーだけです / only a supervisor of both "
        "teams can move a case to another team")


class Resolver:
    """Decides the team of each change of one push, in sequence order, inside its transaction."""

    def __init__(self, conn, principal: Principal):
        self.conn = conn
        self.principal = principal
        self.home = min(principal.team_ids) if principal.team_ids else None
        self.cache: dict[tuple[str, str], Scope | None] = {}
        self.new: dict[tuple[str, str], Scope] = {}
        self.stored: set[tuple[str, str]] = set()  # keys that have a row in ``scopes``
        self.moves: list[tuple[str, str, str]] = []  # (case id, old team, new team)
        self.moved: dict[str, list[tuple[str, str]]] = {}  # case id → its moves in this batch
        # a case's team_id may name a team only that laptop knows: only the server's count
        team_names = dict(conn.execute(sa.text("SELECT id, name FROM teams")).all())
        self.server_teams = frozenset(team_names)
        self.rules = WriteRules(conn, principal, team_names)

    def load(self, keys: set[tuple[str, str]]) -> None:
        """Read the scopes of ``keys``: per entity, ``entity_id IN (…)`` (an index lookup for
        each id; a row-value ``IN`` would scan the table on SQLite); and whose the authors are
        (the keys ``("author", …)``, and the worker records named)."""
        self.rules.load({key[1] for key in keys if key[0] in ("author", "worker")})
        by_entity: dict[str, list[str]] = {}
        for key in keys:
            if key not in self.cache and key[0] != "author":
                self.cache[key] = None
                by_entity.setdefault(key[0], []).append(key[1])
        for entity, ids in by_entity.items():
            for start in range(0, len(ids), 400):
                for row in self.conn.execute(sa.select(scopes).where(
                        scopes.c.entity == entity,
                        scopes.c.entity_id.in_(ids[start:start + 400]))):
                    self.cache[(row.entity, row.entity_id)] = Scope(row.team_id, row.case_id,
                                                                    row.site)
                    self.stored.add((row.entity, row.entity_id))

    def scope(self, entity: str, entity_id: str | None) -> Scope | None:
        if not isinstance(entity_id, str):
            return None
        found = self.cache.get((entity, entity_id))
        if found is not None and found.case_id in self.moved:  # moved earlier in this batch
            team = found.team_id
            for old, new in self.moved[found.case_id]:
                if team == old:  # only what was of the case's team moves with it
                    team = new
            return Scope(team, found.case_id, found.site)
        return found

    def decide(self, change: dict[str, Any]) -> Decision:
        author = change.get("author")
        why = self.rules.author_problem(author)
        if why is not None:
            return Decision(None, why)
        if change.get("entity") in GLOBAL_ENTITIES:
            decision = self._shared(change)
        else:
            decision = self._scoped(change)
        if decision.refused is None:
            self.rules.accepted(author)
        return decision

    def _shared(self, change: dict[str, Any]) -> Decision:
        entity, entity_id = change.get("entity"), change.get("entity_id")
        known = self.scope(entity, entity_id)
        why = self.rules.shared_problem(entity, entity_id, change.get("field"),
                                        change.get("value"), known)
        if why is not None:
            return Decision(None, why)
        if known is None and isinstance(entity_id, str):
            self._set((entity, entity_id), Scope(None, None, self.principal.site))
        return Decision(None, None)

    def _scoped(self, change: dict[str, Any]) -> Decision:
        entity, entity_id = change.get("entity"), change.get("entity_id")
        fld, value = change.get("field"), change.get("value")
        reach = self.principal.team_ids
        why = self.rules.role_problem(entity, fld, value) or self.rules.signature_problem(
            entity, fld, value)
        if why is not None:
            return Decision(None, why)
        named = references(entity, fld, value)
        names_outside = any(  # every record the change names, on every change
            ref is not None and ref.team_id is not None and ref.team_id not in reach
            for ref in (self.scope(kind, ref_id) for kind, ref_id in named
                        if kind not in GLOBAL_ENTITIES))
        known = self.scope(entity, entity_id)
        claims_team = (entity == "case" and fld == "team_id" and isinstance(value, str)
                       and value in self.server_teams)
        if known is not None:
            if claims_team and value != known.team_id:
                if self.principal.role in MOVERS and {value, known.team_id} <= reach:
                    self._set(("case", entity_id), Scope(value, entity_id))
                    self.moves.append((entity_id, known.team_id, value))
                    self.moved.setdefault(entity_id, []).append((known.team_id, value))
                    return Decision(value, None, entity_id)
                return Decision(None, MOVE)
            if known.team_id is not None and known.team_id not in reach:
                return Decision(None, OUTSIDE)
            if names_outside:
                return Decision(None, NAMES_OUTSIDE)
            team, case_id = known.team_id, known.case_id
            parent = None if entity == "case" else self._parent(entity, fld, value)
            if parent is not None:
                if parent.team_id is not None and parent.team_id != team:
                    return Decision(None, REPOINT)  # under another team's case
                if parent.case_id is not None and parent.case_id != case_id:
                    case_id = parent.case_id  # re-pointed within its team: it follows
                    self._set((entity, entity_id), Scope(team, case_id, known.site))
            self._claim(named, team)
            return Decision(team, None, case_id)
        if self.home is None:
            return Decision(None, NO_TEAM)
        case_id = None
        team = self.home
        if entity == "case":
            case_id = entity_id
            if claims_team and value in reach:
                team = value
            elif claims_team:
                return Decision(None, OUTSIDE)
        else:
            parent = self._parent(entity, fld, value)
            if parent is not None:
                if parent.team_id is not None and parent.team_id not in reach:
                    return Decision(None, OUTSIDE)
                team, case_id = parent.team_id or team, parent.case_id
        if names_outside:
            return Decision(None, NAMES_OUTSIDE)
        self._set((entity, entity_id), Scope(team, case_id))
        self._claim(named, team)
        return Decision(team, None, case_id)

    def _claim(self, named: list[tuple[str, str]], team: str | None) -> None:
        """A record named before the server has seen it is taken to be of the team of the
        record naming it: another team cannot bring it in later under its own team."""
        counts: dict[str, int] = {}
        for _, ref_id in named:
            counts[ref_id] = counts.get(ref_id, 0) + 1
        for kind, ref_id in named:
            if (kind in GLOBAL_ENTITIES or counts[ref_id] > 1  # a comment's target: which?
                    or self.scope(kind, ref_id) is not None):
                continue
            self._set((kind, ref_id), Scope(team, ref_id if kind == "case" else None))

    def _parent(self, entity: str, fld: str | None, value: Any) -> Scope | None:
        """The record whose team this one's is (its case, an amendment's visit, a consent
        event's person), as the change names it (None: it names none)."""
        if isinstance(value, dict):  # a record names what it belongs to
            if entity in RECORDS_OF_A_CASE:
                return self.scope("case", value.get("case_id")) or (
                    Scope(None, value.get("case_id")) if isinstance(value.get("case_id"), str)
                    else None)
            if entity == "visit_amendment":
                return self.scope("visit", value.get("visit_id"))
            if entity == "consent_event":
                return self.scope("person", value.get("person_id"))
            if isinstance(value.get("case_id"), str):  # e.g. a plan approval (決裁)
                return self.scope("case", value["case_id"]) or Scope(None, value["case_id"])
        if fld == "case_id" and isinstance(value, str):
            return self.scope("case", value) or Scope(None, value)
        return None

    def _set(self, key: tuple[str, str], scope: Scope) -> None:
        self.cache[key] = scope
        self.new[key] = scope

    @staticmethod
    def wanted(change: dict[str, Any]) -> set[tuple[str, str]]:
        """The scopes deciding ``change`` needs (and ``("author", …)``: its author's user)."""
        keys = set()
        entity, entity_id, value = change.get("entity"), change.get("entity_id"), change.get(
            "value")
        if isinstance(entity, str) and isinstance(entity_id, str):
            keys.add((entity, entity_id))
        keys.update(references(entity, change.get("field"), value))
        if isinstance(value, dict):  # what ``_parent`` reads, for a kind this server lacks
            for name, parent in (("case_id", "case"), ("visit_id", "visit"),
                                 ("person_id", "person")):
                if isinstance(value.get(name), str):
                    keys.add((parent, value[name]))
        if change.get("field") == "case_id" and isinstance(value, str):
            keys.add(("case", value))
        if isinstance(change.get("author"), str):
            keys.add(("author", change["author"]))
        keys.update(("author", signer) for signer in WriteRules.signatures(change))
        return keys

    def save(self) -> None:
        """Write the new scopes (one batched insert; the few changed ones one by one), the
        authors bound now, and move the records of a moved case's team with it."""
        inserts = [{"entity": entity, "entity_id": entity_id, "team_id": scope.team_id,
                    "case_id": scope.case_id, "site": scope.site}
                   for (entity, entity_id), scope in self.new.items()
                   if (entity, entity_id) not in self.stored]
        if inserts:
            self.conn.execute(scopes.insert(), inserts)
        for (entity, entity_id), scope in self.new.items():
            if (entity, entity_id) in self.stored:
                self.conn.execute(
                    scopes.update().where(scopes.c.entity == entity,
                                          scopes.c.entity_id == entity_id)
                    .values(team_id=scope.team_id, case_id=scope.case_id))
        for case_id, old, team in self.moves:
            self.conn.execute(scopes.update().where(scopes.c.case_id == case_id,
                                                    scopes.c.team_id == old)
                              .values(team_id=team))
        self.rules.save()


__all__ = ["Decision", "GLOBAL_ENTITIES", "Resolver", "Scope", "scopes"]
