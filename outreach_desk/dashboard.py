"""The team dashboard (チーム状況) a supervisor reads to see which cases are drifting.

``team_dashboard(store, today=…, team_id=…, no_contact_days=…)`` gathers, for one team or all:

* cases by 支援段階 (every case), and open cases by district and by assigned worker (担当);
* visits per worker (the visit's author) per week (Monday to Sunday) over the last 12 weeks;
* overdue follow-ups (次回の予定 past its 期限) of open cases;
* open cases with no visit or contact record for ``no_contact_days`` days or more (counted from
  the latest visit, or from the day the case was opened when it has none);
* open cases whose next step is a 重層的支援会議 while the person's consent does not cover every
  agency invited (see :func:`meeting_gaps`);
* cases where a meeting is due and not held (see :func:`meetings_due`);
* support plans awaiting approval (決裁待ち, see :mod:`~outreach_desk.approvals`);
* 帰所予定を過ぎた支援員: workers whose expected return has passed with neither a check-in nor
  a change written since (see :mod:`~outreach_desk.field_safety`).

Every figure keeps the ids of the cases behind it, so a screen can list them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from . import caseload
from .activity import weekly_visits
from .approvals import pending_plans
from .caseload import CaseRow
from .field_safety import FieldAlert, overdue_returns
from .hlc import physical_ms
from .vocab import DISTRICTS, CaseStage, MeetingKind, Role

WEEKS = 12
DEFAULT_NO_CONTACT_DAYS = 30
MULTI_AGENCY_WORD = "重層的支援会議"  # a next action naming it is a step towards one


@dataclass(frozen=True)
class MeetingGap:
    """An open case heading for a 重層的支援会議 whose consent does not cover the invited.

    ``meeting_id``/``held_on`` name the upcoming meeting (None when the step is only written as
    the next action); ``invited`` are the agencies invited (the meeting's attendees, else the
    agencies of the case's current plan, see :func:`meeting_gaps`); ``missing`` those the
    consent does not cover.
    ``no_consent`` is True when the person has consented to no agency at all."""

    row: CaseRow
    meeting_id: str | None
    held_on: str | None
    invited: tuple[str, ...]
    missing: tuple[str, ...]
    no_consent: bool


class DueReason(StrEnum):
    """Why a meeting is due (the seeds: 重層的支援会議は、以下のタイミングでは必ず開催する)."""

    PLAN = "plan"  # プラン策定時
    REPLAN = "replan"  # 再プラン策定時
    CLOSED = "closed"  # 支援終結の判断時
    SUSPENDED = "suspended"  # 支援中断の決定時


DUE_LABELS = {DueReason.PLAN: "プラン策定", DueReason.REPLAN: "再プラン策定",
              DueReason.CLOSED: "終結", DueReason.SUSPENDED: "中断"}
HELD_KINDS = (MeetingKind.MULTI_AGENCY.value, MeetingKind.SUPPORT_COUNCIL.value)


@dataclass(frozen=True)
class MeetingDue:
    """A case whose latest meeting occasion (``reason`` on ``since``) has no meeting held since.
    ``planned`` is the date of a meeting set for it after today, if any."""

    row: CaseRow
    reason: DueReason
    since: str
    planned: str | None = None


@dataclass(frozen=True)
class Dashboard:
    today: date
    team_id: str | None
    no_contact_days: int
    rows: dict[str, CaseRow]  # every case in scope, by id
    by_stage: dict[CaseStage, list[str]]
    by_district: dict[str, list[str]]
    by_worker: dict[str | None, list[str]]  # None: no worker assigned
    weeks: list[date]  # the Monday of each week, oldest first
    visits: dict[tuple[str, date], int]  # (author, week) -> visits
    visit_cases: dict[tuple[str, date], dict[str, int]]  # (author, week) -> {case: visits}
    overdue: list[CaseRow]
    no_contact: list[tuple[CaseRow, int]]  # with the days since the last contact
    meeting_gaps: list[MeetingGap]
    meetings_due: list[MeetingDue] = field(default_factory=list)
    workers: dict[str, str] = field(default_factory=dict)  # id -> name
    agencies: dict[str, str] = field(default_factory=dict)  # id -> name
    chart_workers: list[str] = field(default_factory=list)  # rows of the weekly chart
    pending_plans: list[tuple[CaseRow, str, str]] = field(default_factory=list)  # + plan, goal
    field_alerts: list[FieldAlert] = field(default_factory=list)

    def cases(self, ids: list[str]) -> list[CaseRow]:
        return [self.rows[case_id] for case_id in ids if case_id in self.rows]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _district_order(item: tuple[str, list[str]]) -> tuple[int, str]:
    name = item[0]
    return (DISTRICTS.index(name) if name in DISTRICTS else len(DISTRICTS), name)


def _in_team(row: CaseRow, team_id: str | None) -> bool:
    return team_id is None or row.team_id == team_id


def _granted(db) -> dict[str, frozenset[str]]:
    return {person_id: frozenset(json.loads(granted)) for person_id, granted in
            db.execute("SELECT person_id, granted FROM consent_summary")}


def meeting_gaps(db, rows: dict[str, CaseRow], today: date,
                 current_roles: Callable[[str], list | None] | None = None) -> list[MeetingGap]:
    """Open cases in ``rows`` heading for a 重層的支援会議 without consent for all invited.

    A case is heading for one when a 重層的支援会議 dated today or later lists it (the agencies
    invited are its attendees), or when its next action (次回の予定) names 重層的支援会議 (the
    agencies invited are then those with a role in its current plan: ``current_roles(case_id)``
    gives the roles of the newest approved version, None when none is approved; until a plan is
    approved, the roles of its plans as drafted count, so a missing consent is never hidden by a
    plan awaiting 決裁). Consent is the person's current consent (a withdrawal counts); a
    household case without a person has none.
    """
    granted = _granted(db)
    found: list[MeetingGap] = []
    seen: set[str] = set()

    def check(row: CaseRow, meeting_id, held_on, invited: tuple[str, ...]) -> None:
        have = granted.get(row.person_id or "", frozenset())
        missing = tuple(a for a in invited if a not in have)
        if missing or not have:
            found.append(MeetingGap(row, meeting_id, held_on, invited, missing, not have))

    for meeting_id, held_on, attendees, case_id in db.execute(
        "SELECT m.id, m.held_on, m.attendees, mc.case_id FROM meetings m "
        "JOIN meeting_cases mc ON mc.meeting_id = m.id "
        "WHERE m.deleted = 0 AND m.kind = ? AND m.held_on >= ? ORDER BY m.held_on, m.id",
        (MeetingKind.MULTI_AGENCY.value, today.isoformat()),
    ):
        row = rows.get(case_id)
        if row is None or not row.is_open or case_id in seen:
            continue
        seen.add(case_id)
        check(row, meeting_id, held_on, tuple(json.loads(attendees or "[]")))
    planned = [row for row in rows.values() if row.is_open and row.case_id not in seen
               and MULTI_AGENCY_WORD in (row.next_action or "")]
    roles: dict[str, list[str]] = {}
    for case_id, raw in db.execute("SELECT case_id, roles FROM plans WHERE deleted = 0"):
        for role in json.loads(raw or "[]"):
            if role["agency_id"] not in roles.setdefault(case_id, []):
                roles[case_id].append(role["agency_id"])
    for row in planned:
        current = current_roles(row.case_id) if current_roles else None
        invited = roles.get(row.case_id, ()) if current is None else list(dict.fromkeys(
            role["agency_id"] for role in current))
        check(row, None, None, tuple(invited))
    return found


def _local_day(hlc: int) -> str:
    return datetime.fromtimestamp(physical_ms(hlc) / 1000).astimezone().date().isoformat()


def meeting_occasions(db, case_ids: set[str]) -> dict[str, tuple[str, int, DueReason]]:
    """The latest occasion that calls for a meeting, per case: (day, write order, reason).

    * a support plan's goals or roles written for the first time for the case (プラン策定, on
      the local day the plan was saved), or changed later (再プラン; a save that only moves
      the monitoring date is not a new plan);
    * a stage change to 終結 or 中断 (on the date the change names).
    """
    latest: dict[str, tuple[str, int, DueReason]] = {}

    def note(case_id: str, day: str, order: int, reason: DueReason) -> None:
        if case_id in case_ids and (case_id not in latest or (day, order) > latest[case_id][:2]):
            latest[case_id] = (day, order, reason)

    plan_case = dict(db.execute("SELECT id, case_id FROM plans WHERE deleted = 0"))
    # each save of a plan is one site's run of field writes ending with its lifecycle register
    partial: dict[tuple[str, str], dict[str, str]] = {}
    saves: list[tuple[int, str, dict[str, str]]] = []
    for plan_id, fld, site, hlc, value in db.execute(
            "SELECT entity_id, field, site, hlc, value FROM changes WHERE entity = 'plan' "
            "AND field IN ('goals', 'roles', '_alive') ORDER BY site, seq"):
        written = partial.setdefault((plan_id, site), {})
        if fld == "_alive":
            saves.append((hlc, plan_id, written))
            partial[(plan_id, site)] = {}
        else:
            written[fld] = value
    before: dict[tuple[str, str], str] = {}
    planned: set[str] = set()
    for hlc, plan_id, written in sorted(saves, key=lambda save: save[0]):
        case_id = plan_case.get(plan_id)
        changed = [fld for fld, value in written.items() if before.get((plan_id, fld)) != value]
        before.update({(plan_id, fld): value for fld, value in written.items()})
        if case_id is None or not changed:
            continue
        note(case_id, _local_day(hlc), hlc,
             DueReason.REPLAN if case_id in planned else DueReason.PLAN)
        planned.add(case_id)
    for case_id, hlc, value in db.execute(
            "SELECT entity_id, hlc, value FROM changes WHERE entity = 'case' AND field = 'stage'"):
        stage = json.loads(value)
        if isinstance(stage, dict) and stage.get("stage") in ("closed", "suspended"):
            reason = DueReason.CLOSED if stage["stage"] == "closed" else DueReason.SUSPENDED
            note(case_id, str(stage.get("date", ""))[:10], hlc, reason)
    return latest


def meetings_due(db, rows: dict[str, CaseRow], today: date) -> list[MeetingDue]:
    """Cases in ``rows`` whose latest meeting occasion has no 重層的支援会議 or 支援会議 held on
    or after its day (and no later than ``today``); a 定例会議 does not count. Oldest first."""
    occasions = meeting_occasions(db, set(rows))
    held: dict[str, list[str]] = {}
    for case_id, held_on in db.execute(
            "SELECT mc.case_id, m.held_on FROM meetings m JOIN meeting_cases mc "
            "ON mc.meeting_id = m.id WHERE m.deleted = 0 AND m.kind IN (?, ?)", HELD_KINDS):
        if held_on:
            held.setdefault(case_id, []).append(held_on)
    found = []
    for case_id, (day, _order, reason) in occasions.items():
        dates = held.get(case_id, [])
        if any(day <= d <= today.isoformat() for d in dates):
            continue
        upcoming = sorted(d for d in dates if d > today.isoformat() and d >= day)
        found.append(MeetingDue(rows[case_id], reason, day, upcoming[0] if upcoming else None))
    found.sort(key=lambda due: (due.since, due.row.kana))
    return found
def _current_roles(store) -> Callable[[str], list | None]:
    def roles(case_id: str) -> list | None:
        current = store.current_plan(case_id)
        return None if current is None else (current.values.get("roles") or [])

    return roles


def team_dashboard(
    store,
    *,
    today: date | None = None,
    team_id: str | None = None,
    no_contact_days: int = DEFAULT_NO_CONTACT_DAYS,
    now: datetime | None = None,
) -> Dashboard:
    """The dashboard for ``team_id`` (None: every team) as of ``today`` (field safety as of
    ``now``, this moment by default)."""
    today = today or date.today()
    now = now or datetime.now().astimezone()
    db = store.db
    rows = {row.case_id: row for row in caseload.caseload(db) if _in_team(row, team_id)}
    open_rows = [row for row in rows.values() if row.is_open]

    by_stage: dict[CaseStage, list[str]] = {stage: [] for stage in CaseStage}
    for row in rows.values():
        by_stage[row.stage].append(row.case_id)
    by_district: dict[str, list[str]] = {}
    by_worker: dict[str | None, list[str]] = {}
    for row in open_rows:
        by_district.setdefault(row.district, []).append(row.case_id)
        by_worker.setdefault(row.worker_id, []).append(row.case_id)

    first = week_start(today) - timedelta(weeks=WEEKS - 1)
    weeks = [first + timedelta(weeks=i) for i in range(WEEKS)]
    weekly = weekly_visits(db, first, today + timedelta(days=1), set(rows))
    visits = {key: count for key, (count, _) in weekly.items()}
    visit_cases = {key: cases for key, (_, cases) in weekly.items()}

    overdue = caseload.follow_ups(open_rows, today).overdue
    no_contact = []
    for row in open_rows:
        last = row.last_visit_at[:10] if row.last_visit_at else row.opened_on
        days = (today - date.fromisoformat(last)).days if last else None
        if days is not None and days >= no_contact_days:
            no_contact.append((row, days))
    no_contact.sort(key=lambda item: (-item[1], item[0].kana))

    every_worker = store.list_entities("worker", include_deleted=True)
    workers = {w.id: w["name"] or "" for w in every_worker}
    team_workers = [w for w in every_worker if not w.deleted and w["role"] == Role.WORKER.value
                    and (team_id is None or w["team_id"] == team_id)]
    chart_workers = [w.id for w in sorted(team_workers, key=lambda w: w["name"] or "")]
    for author, _week in sorted(visits):
        if author not in chart_workers:
            chart_workers.append(author)
    return Dashboard(
        today=today, team_id=team_id, no_contact_days=no_contact_days, rows=rows,
        by_stage=by_stage, by_district=dict(sorted(by_district.items(), key=_district_order)),
        by_worker=by_worker,
        weeks=weeks, visits=visits, visit_cases=visit_cases, overdue=overdue,
        no_contact=no_contact, meeting_gaps=meeting_gaps(db, rows, today, _current_roles(store)),
        meetings_due=meetings_due(db, rows, today), workers=workers,
        agencies={a.id: a["name"] or "" for a in store.list_entities("agency",
                                                                     include_deleted=True)},
        chart_workers=chart_workers,
        pending_plans=[(rows[case_id], plan_id, goal)
                       for case_id, plan_id, goal in pending_plans(db, set(rows))],
        field_alerts=overdue_returns(db, now, team_id),
    )


__all__ = ["DEFAULT_NO_CONTACT_DAYS", "DUE_LABELS", "Dashboard", "DueReason", "MeetingDue",
           "MeetingGap", "WEEKS", "meeting_gaps", "meeting_occasions", "meetings_due",
           "team_dashboard", "week_start"]
