"""Activity facts for supervision: visits in a date range and every stage change, in bulk.

The supervision dashboard and the monthly report (事業報告) count visits and stage changes across
thousands of cases, so they read them here in a few statements instead of case by case. A visit
counts with its *effective* values (what it says after amendments: an amendment may move its
date, or correct its kind or whom the worker met), and a visit's day is the local date it was
written with (``occurred_at`` keeps the writer's time zone).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .records import load_visits
from .vocab import CaseStage, MetWith, RelationshipStage, VisitKind


@dataclass(frozen=True)
class VisitFact:
    """One visit as counted: who recorded it, on which local day, what kind, whom they met."""

    visit_id: str
    case_id: str
    author: str
    day: date
    kind: VisitKind
    met_with: MetWith
    relationship: RelationshipStage


def _fact(visit_id: str, case_id: str, author: str, values: dict) -> VisitFact | None:
    try:
        return VisitFact(
            visit_id, case_id, author, datetime.fromisoformat(values["occurred_at"]).date(),
            VisitKind(values["kind"]), MetWith(values["met_with"]),
            RelationshipStage(values["relationship_stage"]))
    except (ValueError, TypeError, KeyError):  # a value from a newer version: not counted
        return None


def _amended_facts(db) -> dict[str, VisitFact | None]:
    """The effective facts of every amended visit (few: corrections are rare)."""
    amended = [row[0] for row in db.execute("SELECT DISTINCT visit_id FROM visit_amendments")]
    return {visit.id: _fact(visit.id, visit.effective["case_id"], visit.author, visit.effective)
            for visit in load_visits(db, visit_ids=amended)}


def visit_facts(db, since: date, until: date) -> list[VisitFact]:
    """Every visit whose effective local day is in ``[since, until)``."""
    facts = _amended_facts(db)
    for visit_id, case_id, author, occurred_at, kind, met_with, stage in db.execute(
        "SELECT id, case_id, author, occurred_at, kind, met_with, relationship_stage "
        "FROM visits WHERE substr(occurred_at, 1, 10) >= ? AND substr(occurred_at, 1, 10) < ?",
        (since.isoformat(), until.isoformat()),
    ):
        if visit_id not in facts:
            facts[visit_id] = _fact(visit_id, case_id, author, {
                "occurred_at": occurred_at, "kind": kind, "met_with": met_with,
                "relationship_stage": stage})
    return [f for f in facts.values() if f is not None and since <= f.day < until]


def weekly_visits(db, since: date, until: date, case_ids: set[str]
                  ) -> dict[tuple[str, date], tuple[int, list[str]]]:
    """(author, Monday of the week) -> (visits, cases visited) for the visits of ``case_ids``
    whose effective local day is in ``[since, until)``.

    The dashboard's hot path over tens of thousands of visits: unamended visits are counted by
    the database, a week starting on Monday (``date(day, '-6 days', 'weekday 1')``); amended
    ones are read with their amendments and counted here."""
    amended = _amended_facts(db)
    found: dict[tuple[str, date], tuple[int, list[str]]] = {}

    def add(author: str, week: date, count: int, cases: list[str]) -> None:
        have, listed = found.get((author, week), (0, []))
        found[(author, week)] = (have + count, listed + [c for c in cases if c not in listed])

    for author, week, case_id, count in db.execute(
        "SELECT author, date(substr(occurred_at, 1, 10), '-6 days', 'weekday 1') AS week, "
        "case_id, count(*) FROM visits WHERE substr(occurred_at, 1, 10) >= ? "
        "AND substr(occurred_at, 1, 10) < ? "
        "AND id NOT IN (SELECT visit_id FROM visit_amendments) "
        "GROUP BY author, week, case_id",
        (since.isoformat(), until.isoformat()),
    ):
        if case_id in case_ids:
            add(author, date.fromisoformat(week), count, [case_id])
    for fact in amended.values():
        if fact is not None and fact.case_id in case_ids and since <= fact.day < until:
            add(fact.author, fact.day - timedelta(days=fact.day.weekday()), 1, [fact.case_id])
    return found


@dataclass(frozen=True)
class StageTransition:
    """A case moved from one 支援段階 to another on ``day`` (``before`` is None when opened)."""

    case_id: str
    day: date
    before: CaseStage | None
    after: CaseStage


def stage_transitions(db, case_ids: Iterable[str] | None = None) -> list[StageTransition]:
    """Every stage change of every case (or of ``case_ids``), each case's oldest first.

    Read from the change log, where every revision of a case's stage is kept: a case's
    revisions are ordered by the date they name, then by when they were written.
    """
    wanted = None if case_ids is None else set(case_ids)
    by_case: dict[str, list[tuple[str, int, str, CaseStage]]] = {}
    for case_id, value, hlc, site in db.execute(
        "SELECT entity_id, value, hlc, site FROM changes WHERE entity = 'case' AND field = 'stage'"
    ):
        if wanted is not None and case_id not in wanted:
            continue
        stage = json.loads(value)
        try:
            by_case.setdefault(case_id, []).append(
                (stage["date"], hlc, site, CaseStage(stage["stage"])))
        except (ValueError, TypeError, KeyError):
            continue
    found = []
    for case_id, revisions in by_case.items():
        revisions.sort()
        before: CaseStage | None = None
        for day, _hlc, _site, stage in revisions:
            if stage != before:
                found.append(StageTransition(case_id, date.fromisoformat(day), before, stage))
            before = stage
    return found


__all__ = ["StageTransition", "VisitFact", "stage_transitions", "visit_facts", "weekly_visits"]
