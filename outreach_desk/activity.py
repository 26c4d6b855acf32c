"""Activity facts for supervision: visits in a date range and every stage change, in bulk.

The supervision dashboard and the monthly report (事業報告) count visits and stage changes across
thousands of cases, so they read them here in a few statements instead of case by case. A visit
counts with its *effective* values (what it says after amendments: an amendment may move its
date, or correct its kind or whom the worker met), and a visit's day is the local date it was
written with (``occurred_at`` keeps the writer's time zone).
"""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .records import load_visits
from .vocab import CaseStage, MetWith, RelationshipStage, VisitKind, met_with_set


@dataclass(frozen=True)
class VisitFact:
    """One visit as counted: who recorded it, on which local day, what kind, whom they met
    (会えた人, a set; ``(MetWith.NOBODY,)`` for an attempt without contact)."""

    visit_id: str
    case_id: str
    author: str
    day: date
    kind: VisitKind
    met_with: tuple[MetWith, ...]
    relationship: RelationshipStage


def _fact(visit_id: str, case_id: str, author: str, values: dict) -> VisitFact | None:
    try:
        return VisitFact(
            visit_id, case_id, author, datetime.fromisoformat(values["occurred_at"]).date(),
            VisitKind(values["kind"]), _met(values["met_with"]),
            RelationshipStage(values["relationship_stage"]))
    except (ValueError, TypeError, KeyError):  # a value from a newer version: not counted
        return None


def _met(raw) -> tuple[MetWith, ...]:
    met = met_with_set(raw)  # one code (a visit of the old shape) or a set
    if not met:
        raise ValueError("nobody this version knows")
    return met


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


class _RecentVisits:
    """(visit id, author, case id, local day) of the visits from ``since`` on, and the highest
    rowid read. Visits are never changed or deleted (the database refuses it), so a later read
    only needs the rows added since: ``rowid > last``."""

    def __init__(self, since: date) -> None:
        self.since = since
        self.last = 0
        self.rows: list[tuple[str, str, str, date]] = []

    def read(self, db, since: date) -> list[tuple[str, str, str, date]]:
        if since > self.since:  # the window moved on: forget the days before it
            self.since = since
            self.rows = [row for row in self.rows if row[3] >= since]
        sql = "SELECT rowid, id, author, case_id, substr(occurred_at, 1, 10) FROM visits "
        if self.last == 0:  # the first read: only the visits in range (the case index)
            found = db.execute(sql + "WHERE occurred_at >= ? AND rowid > 0",
                               (self.since.isoformat(),)).fetchall()
        else:
            found = db.execute(sql + "WHERE rowid > ?", (self.last,)).fetchall()
        for rowid, visit_id, author, case_id, day in found:
            self.last = max(self.last, rowid)
            if day >= self.since.isoformat():
                self.rows.append((visit_id, author, case_id, date.fromisoformat(day)))
        return self.rows  # the caller keeps the days it wants


_recent: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Database -> _RecentVisits
_recent_lock = threading.Lock()


def _recent_visits(db, since: date) -> list[tuple[str, str, str, date]]:
    with _recent_lock:
        cache = _recent.get(db)
        if cache is None or cache.since > since:
            cache = _recent[db] = _RecentVisits(since)
        return cache.read(db, since)


def weekly_visits(db, since: date, until: date, case_ids: set[str]
                  ) -> dict[tuple[str, date], tuple[int, dict[str, int]]]:
    """(author, Monday of the week) -> (visits, {case visited: its visits}) for the visits of
    ``case_ids``
    whose effective local day is in ``[since, until)``.

    The dashboard's hot path over tens of thousands of visits. Reading them means decrypting
    every page they sit on, so the facts of recent visits are kept per open database and only
    visits added since (a save, a sync) are read again. Amended visits are read with their
    amendments every time (corrections are few, and one may move a visit's day)."""
    amended = _amended_facts(db)
    counts: dict[tuple[str, date], int] = {}
    cases: dict[tuple[str, date], dict[str, int]] = {}  # case -> visits, in order met
    mondays: dict[date, date] = {}
    facts = [(f.visit_id, f.author, f.case_id, f.day) for f in amended.values() if f is not None]
    for rows, skip in ((_recent_visits(db, since), amended), (facts, ())):
        for visit_id, author, case_id, day in rows:  # tens of thousands: kept tight
            if day >= until or day < since or case_id not in case_ids or visit_id in skip:
                continue
            week = mondays.get(day)
            if week is None:
                week = mondays[day] = day - timedelta(days=day.weekday())
            key = (author, week)
            counts[key] = counts.get(key, 0) + 1
            listed = cases.get(key)
            if listed is None:
                listed = cases[key] = {}
            listed[case_id] = listed.get(case_id, 0) + 1
    return {key: (count, cases[key]) for key, count in counts.items()}


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
