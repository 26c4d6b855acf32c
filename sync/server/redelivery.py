"""Re-delivering a moved case's history to its new team (再配信).

When a supervisor moves a case to another team, the new team's laptops have already pulled past
the case's earlier changes (they were the old team's then, so never served to them). The server
stores every accepted change exactly once, so it does not copy them: it adds one row per earlier
change to ``redeliveries`` — a new number in the same sequence as ``changes.server_seq`` (taken
under the same write lock, so a pull cursor never skips one), the stored change it points to, and
the team it is now for. A pull serves stored changes and redeliveries merged in that one order;
laptops already deduplicate changes they hold (a supervisor of both teams gets each twice).

The case's history is: the case, every record under it of the case's team (``changes.case_id``:
visits and their amendments, notes, plans), and the person and household the case names with the
person's consent events, when they are of the case's team too: a person of another team that the
case names stays with its team and is never re-delivered. Those move to the new team with the
case (their scopes), so the new team can go on recording consent; the old team stops receiving
their later changes. A fresh laptop of the old
team still receives what the case's records were before the move (their rows keep the team they
were stored for).

Finding the person's changes uses the record ids stored in the clear beside each sealed body
(``changes.entity``/``entity_id``); a consent event names its person inside its body, so the
consent events' bodies are opened and checked: a rare, supervisor's act.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from .data_key import DataKey, change_aad
from .db import SERVER_SEQ, changes, metadata

redeliveries = sa.Table(
    "redeliveries",
    metadata,
    sa.Column("server_seq", SERVER_SEQ, primary_key=True, autoincrement=False),
    sa.Column("change_seq", sa.BigInteger(), sa.ForeignKey("changes.server_seq"),
              nullable=False),
    sa.Column("team_id", sa.String(40), nullable=False),
    sa.UniqueConstraint("change_seq", "team_id", name="uq_redeliveries_change_team"),
    sa.Index("ix_redeliveries_team_seq", "team_id", "server_seq"),
)


def latest_seq(conn) -> int:
    """The highest number given so far, to a stored change or to a redelivery."""
    stored = conn.scalar(sa.select(sa.func.max(changes.c.server_seq))) or 0
    again = conn.scalar(sa.select(sa.func.max(redeliveries.c.server_seq))) or 0
    return max(stored, again)


def served_query(since: int, limit: int, teams: frozenset[str] | None):
    """(server_seq, site, seq, sealed body, case_id) after ``since`` in server order, at most
    ``limit``: the stored changes a caller of ``teams`` may see (all of them with None) and,
    with ``teams``, the changes re-delivered to those teams."""
    stored = (sa.select(changes.c.server_seq, changes.c.site, changes.c.seq, changes.c.body,
                        changes.c.case_id)
              .where(changes.c.server_seq > since, changes.c.refused.is_(None)))
    if teams is None:
        return stored.order_by(changes.c.server_seq).limit(limit)
    ordered = sorted(teams)
    stored = stored.where(sa.or_(changes.c.team_id.is_(None), changes.c.team_id.in_(ordered)))
    again = (sa.select(redeliveries.c.server_seq, changes.c.site, changes.c.seq,
                       changes.c.body, changes.c.case_id)
             .join(changes, changes.c.server_seq == redeliveries.c.change_seq)
             .where(redeliveries.c.server_seq > since, redeliveries.c.team_id.in_(ordered)))
    merged = sa.union_all(stored, again).subquery()
    return sa.select(merged).order_by(merged.c.server_seq).limit(limit)


def _named_by_case(conn, case_id: str, key: DataKey) -> tuple[set[str], set[str]]:
    """The persons and households the case has named (every value its fields ever held)."""
    persons, households = set(), set()
    for site, seq, body in conn.execute(sa.select(changes.c.site, changes.c.seq, changes.c.body)
                                        .where(changes.c.case_id == case_id,
                                               changes.c.entity == "case",
                                               changes.c.refused.is_(None))):
        change = json.loads(key.open(body, change_aad(site, seq)))
        if change.get("entity") != "case" or not isinstance(change.get("value"), str):
            continue
        if change.get("field") == "person_id":
            persons.add(change["value"])
        elif change.get("field") == "household_id":
            households.add(change["value"])
    return persons, households


def _belongs(change: dict[str, Any], persons: set[str], households: set[str]) -> bool:
    entity, entity_id, value = change.get("entity"), change.get("entity_id"), change.get("value")
    if entity == "person":
        return entity_id in persons
    if entity == "household":
        return entity_id in households
    if entity == "consent_event" and isinstance(value, dict):
        return value.get("person_id") in persons
    return False


def _teams_of(conn, entity: str, ids: set[str]) -> dict[str, str | None]:
    """The team of each of ``ids`` (an entity of that kind) the server has a scope of."""
    from .scopes import scopes

    ordered, found = sorted(ids), {}
    for start in range(0, len(ordered), 400):
        found.update(conn.execute(sa.select(scopes.c.entity_id, scopes.c.team_id).where(
            scopes.c.entity == entity,
            scopes.c.entity_id.in_(ordered[start:start + 400]))).all())
    return found


def move_case(conn, case_id: str, team_id: str, old_team: str, key: DataKey) -> int:
    """Inside the push that moved ``case_id`` from ``old_team`` to ``team_id`` (its rows already
    stored, the scopes of the case's records of ``old_team`` already moved): move the case's
    person, household and consent events too when they are of ``old_team`` (a record of
    another team the case names never moves), and re-deliver the history of what moved to the
    new team. Returns how many redeliveries were added."""
    from .scopes import scopes

    named_persons, named_households = _named_by_case(conn, case_id, key)
    person_teams = _teams_of(conn, "person", named_persons)
    household_teams = _teams_of(conn, "household", named_households)
    persons = {p for p in named_persons if person_teams.get(p) == old_team}
    households = {h for h in named_households if household_teams.get(h) == old_team}
    # the case's records now of the new team: what moved now, and what was there already
    records = {(entity, entity_id) for entity, entity_id in conn.execute(
        sa.select(scopes.c.entity, scopes.c.entity_id).where(
            scopes.c.case_id == case_id, scopes.c.team_id == team_id))}
    history: set[int] = set()
    for server_seq, entity, entity_id in conn.execute(  # ids in clear: no body opened
            sa.select(changes.c.server_seq, changes.c.entity, changes.c.entity_id).where(
                changes.c.case_id == case_id, changes.c.refused.is_(None),
                sa.or_(changes.c.team_id.is_(None), changes.c.team_id != team_id))):
        if (entity, entity_id) in records:
            history.add(server_seq)
    moved: set[tuple[str, str]] = {("person", p) for p in persons}
    moved |= {("household", h) for h in households}
    names = sorted(persons | households)
    consent: dict[str, int] = {}  # consent event id → server_seq of its record
    for start in range(0, len(names), 50):
        named = changes.c.entity_id.in_(names[start:start + 50])
        if start == 0:  # a consent event names its person inside its (sealed) body
            named = sa.or_(named, changes.c.entity == "consent_event")
        for server_seq, site, seq, body, team in conn.execute(
                sa.select(changes.c.server_seq, changes.c.site, changes.c.seq, changes.c.body,
                          changes.c.team_id)
                .where(changes.c.refused.is_(None),
                       changes.c.entity.in_(("person", "household", "consent_event")), named)):
            change = json.loads(key.open(body, change_aad(site, seq)))
            if not _belongs(change, persons, households):
                continue
            if change["entity"] == "consent_event":
                if team != team_id:
                    consent[change["entity_id"]] = server_seq
                continue
            if team != team_id:
                history.add(server_seq)
    consent_teams = _teams_of(conn, "consent_event", set(consent))
    for event_id, server_seq in consent.items():
        if consent_teams.get(event_id) == old_team:  # the person's, recorded by its team
            moved.add(("consent_event", event_id))
            history.add(server_seq)
    for entity, entity_id in moved:
        conn.execute(scopes.update().where(scopes.c.entity == entity,
                                           scopes.c.entity_id == entity_id)
                     .values(team_id=team_id))
    ordered = sorted(history)
    for start in range(0, len(ordered), 500):  # re-delivered to this team before (moved back)
        history -= set(conn.scalars(sa.select(redeliveries.c.change_seq).where(
            redeliveries.c.team_id == team_id,
            redeliveries.c.change_seq.in_(ordered[start:start + 500]))))
    if not history:
        return 0
    first = latest_seq(conn) + 1
    conn.execute(redeliveries.insert(), [
        {"server_seq": first + index, "change_seq": change_seq, "team_id": team_id}
        for index, change_seq in enumerate(sorted(history))])
    return len(history)


__all__ = ["latest_seq", "move_case", "redeliveries", "served_query"]
