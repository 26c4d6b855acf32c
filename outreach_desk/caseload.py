"""The caseload (担当ケース一覧) and follow-ups (次回予定) as plain rows for list screens.

One query reads every open case with its person, household, consent badge and the summary of its
latest visit (kept on the case row by ``records.refresh_case_summary``), so a list of 10,000 cases
loads without touching a single visit.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from .vocab import CaseStage, ConsentStatus, RelationshipStage


@dataclass(frozen=True)
class CaseRow:
    case_id: str
    person_id: str | None
    household_id: str | None
    name: str  # the person's name, or the household's when the case is a household's
    kana: str
    district: str
    stage: CaseStage
    stage_since: str | None
    consent: ConsentStatus
    consent_flagged: bool
    last_visit_at: str | None
    next_action: str | None
    next_action_due: str | None
    relationship: RelationshipStage | None
    relationship_prev: RelationshipStage | None
    team_id: str | None
    worker_id: str | None
    opened_on: str | None

    @property
    def trend(self) -> int:
        """+1 when the latest visit reached further than the one before, -1 when less, else 0."""
        if self.relationship is None or self.relationship_prev is None:
            return 0
        delta = self.relationship.rank - self.relationship_prev.rank
        return (delta > 0) - (delta < 0)

    @property
    def is_open(self) -> bool:
        return self.stage not in (CaseStage.CLOSED, CaseStage.SUSPENDED)

    def overdue(self, today: date) -> bool:
        return bool(self.next_action_due) and date.fromisoformat(self.next_action_due) < today


_SELECT = """
SELECT c.id, c.person_id, c.household_id, COALESCE(p.name, h.name, ''), COALESCE(p.kana, ''),
       COALESCE(c.district, p.district, h.district, ''), c.stage, cs.status, cs.flagged,
       c.last_visit_at, c.next_action, c.next_action_due, c.relationship_stage,
       c.relationship_prev, c.team_id, c.worker_id, c.opened_on
FROM cases c
LEFT JOIN persons p ON p.id = c.person_id
LEFT JOIN households h ON h.id = c.household_id
LEFT JOIN consent_summary cs ON cs.person_id = c.person_id
WHERE c.deleted = 0
"""


def _stage(raw: str | None) -> tuple[CaseStage, str | None]:
    value = json.loads(raw) if raw else None
    if not isinstance(value, dict):
        return CaseStage.IDENTIFIED, None
    try:
        return CaseStage(value.get("stage")), value.get("date")
    except ValueError:  # a stage from a newer version: show it as the first stage
        return CaseStage.IDENTIFIED, value.get("date")


def _relationship(raw: str | None) -> RelationshipStage | None:
    try:
        return RelationshipStage(raw) if raw else None
    except ValueError:
        return None


def _row(raw: tuple) -> CaseRow:
    stage, since = _stage(raw[6])
    try:
        consent = ConsentStatus(raw[7]) if raw[7] else ConsentStatus.NONE
    except ValueError:
        consent = ConsentStatus.NONE
    return CaseRow(
        case_id=raw[0], person_id=raw[1], household_id=raw[2], name=raw[3], kana=raw[4],
        district=raw[5], stage=stage, stage_since=since, consent=consent,
        consent_flagged=bool(raw[8]), last_visit_at=raw[9], next_action=raw[10],
        next_action_due=raw[11], relationship=_relationship(raw[12]),
        relationship_prev=_relationship(raw[13]), team_id=raw[14], worker_id=raw[15],
        opened_on=raw[16],
    )


def caseload(db, *, case_ids: Iterable[str] | None = None) -> list[CaseRow]:
    """Every case not archived (or only ``case_ids``), most recently contacted first."""
    if case_ids is None:
        rows = db.execute(_SELECT + " ORDER BY c.last_visit_at DESC, c.id").fetchall()
    else:
        wanted = list(dict.fromkeys(case_ids))
        rows = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows += db.execute(
                _SELECT + f" AND c.id IN ({', '.join('?' * len(chunk))})", chunk
            ).fetchall()
    return [_row(raw) for raw in rows]


@dataclass(frozen=True)
class FollowUps:
    """次回予定 across cases, by when they are due."""

    overdue: list[CaseRow]
    today: list[CaseRow]
    this_week: list[CaseRow]
    without: list[CaseRow] = field(default_factory=list)  # 次回の予定なし: open, nothing planned


def follow_ups(rows: Iterable[CaseRow], today: date) -> FollowUps:
    """Open cases with a next action due before ``today``, on it, or within the next 7 days, and
    open cases with no next action at all (``without``, in the order given)."""
    week_end = today + timedelta(days=7)
    overdue, due_today, this_week, without = [], [], [], []
    for row in rows:
        if row.is_open and not row.next_action and not row.next_action_due:
            without.append(row)
        if not row.is_open or not row.next_action_due:
            continue
        due = date.fromisoformat(row.next_action_due)
        if due < today:
            overdue.append(row)
        elif due == today:
            due_today.append(row)
        elif due < week_end:
            this_week.append(row)
    def by_due(r: CaseRow) -> tuple[str, str]:
        return (r.next_action_due or "", r.kana)
    return FollowUps(sorted(overdue, key=by_due), sorted(due_today, key=by_due),
                     sorted(this_week, key=by_due), without)


__all__ = ["CaseRow", "FollowUps", "caseload", "follow_ups"]
