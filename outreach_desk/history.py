"""A case's whole history as one timeline, for supervision (経過のふりかえり).

``case_timeline(store, case_id)`` merges visits (with their amendments), stage changes, consent
events, support-plan versions and meetings into one list, oldest first, and gives the
relationship stage (関係の段階) each visit reached, so the slow build-up of trust, or its loss,
can be drawn over time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from .hlc import physical_ms
from .model import ALIVE, Entity, StageChange, Visit
from .supervision_records import Approval, approvals_of
from .vocab import RelationshipStage


class EventKind(StrEnum):
    VISIT = "visit"
    STAGE = "stage"
    CONSENT = "consent"
    PLAN = "plan"
    MEETING = "meeting"


@dataclass(frozen=True)
class PlanVersion:
    """One save of a support plan: the plan as it stood after it, and who saved it."""

    plan_id: str
    number: int  # 1 for the first version
    values: dict[str, Any]  # goals, roles, monitoring_date as they stood
    changed: tuple[str, ...]  # the fields this save wrote
    archived: bool
    author: str
    hlc: int
    op_id: str = ""  # the save's last change: the version's identity (what an approval names)
    approval: Approval | None = None  # 決裁 of this version (the latest, if several)


@dataclass(frozen=True)
class HistoryEvent:
    kind: EventKind
    when: str  # ISO date or date-time: the day it happened (a visit's own time)
    item: Visit | StageChange | dict | PlanVersion | Entity
    order: int = 0  # the write order (hlc), to break ties within a day

    @property
    def day(self) -> str:
        return self.when[:10]


@dataclass(frozen=True)
class CaseTimeline:
    events: list[HistoryEvent]  # oldest first
    relationship: list[tuple[str, RelationshipStage]]  # (visit's date-time, stage), oldest first

    def of_kinds(self, kinds: set[EventKind]) -> list[HistoryEvent]:
        return [event for event in self.events if event.kind in kinds]


def plan_versions(store, plan_id: str) -> list[PlanVersion]:
    """Every save of a plan, oldest first, with the approval (決裁) of each version approved.
    Each save also writes the plan's lifecycle register (see the engine), so a save is the run
    of one site's changes that ends with it."""
    ops = sorted(store.engine.ops("plan", plan_id), key=lambda item: (item[1].site, item[1].hlc))
    saves: list[tuple[int, str, str, str, dict[str, Any]]] = []
    current: dict[str, Any] = {}
    for fld, op in ops:
        current[fld] = op.value
        if fld == ALIVE:
            saves.append((op.hlc, op.site, op.id, op.author, current))
            current = {}
    approved = {a.version: a for a in approvals_of(store.db, [plan_id]).get(plan_id, [])}
    state: dict[str, Any] = {}
    versions = []
    for number, (hlc, _site, op_id, author, written) in enumerate(sorted(saves), start=1):
        state.update({k: v for k, v in written.items() if k != ALIVE})
        versions.append(PlanVersion(
            plan_id, number, dict(state), tuple(k for k in written if k != ALIVE),
            written.get(ALIVE) is False, author, hlc, op_id, approved.get(op_id)))
    return versions


def case_timeline(store, case_id: str, history=None) -> CaseTimeline:
    """The timeline of a case (``history``: its ``CaseHistory`` when already read)."""
    history = history or store.case_history(case_id)
    events: list[HistoryEvent] = []
    for visit in history.visits:
        events.append(HistoryEvent(EventKind.VISIT, visit.effective["occurred_at"], visit,
                                   visit.recorded_hlc))
    for change in history.stages:
        events.append(HistoryEvent(EventKind.STAGE, change.date, change, change.hlc))
    for event in history.consent_events:
        events.append(HistoryEvent(EventKind.CONSENT, event["given_on"], event, event["hlc"]))
    for plan in history.plans:
        for version in plan_versions(store, plan.id):
            day = version.values.get("monitoring_date") or ""
            events.append(HistoryEvent(EventKind.PLAN, _hlc_day(version.hlc) or day, version,
                                       version.hlc))
    for meeting in history.meetings:
        events.append(HistoryEvent(EventKind.MEETING, meeting["held_on"], meeting, 0))
    events.sort(key=lambda e: (e.day, e.when, e.order))
    relationship = []
    for visit in sorted(history.visits, key=lambda v: (v.effective["occurred_at"],
                                                        v.recorded_hlc)):
        try:
            relationship.append((visit.effective["occurred_at"],
                                 RelationshipStage(visit.effective["relationship_stage"])))
        except ValueError:
            continue
    return CaseTimeline(events, relationship)


def _hlc_day(hlc: int) -> str:
    """The local day a change was written (a plan version has no date of its own)."""
    return datetime.fromtimestamp(physical_ms(hlc) / 1000).astimezone().date().isoformat()


__all__ = ["CaseTimeline", "EventKind", "HistoryEvent", "PlanVersion", "case_timeline",
           "plan_versions"]
