"""外出・帰所予定: before leaving, a worker names today's planned visits and when they expect to
be back; the office notices someone who has not come back.

One mutable ``field_checkin`` per worker and day (going out again reuses it). It stays open until
the worker says 帰所しました (``returned_at``): recording a visit or syncing does not close it.
On a supervisor's laptop a check-in whose expected return has passed counts as overdue unless
there is a sign of life: a change written by that worker (on any laptop, once synced) later than
the expected return, read from the HLC of their latest change in the change log. The dashboard
lists the overdue ones with the time of the worker's latest change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .errors import ValidationError
from .hlc import physical_ms

WINDOW_DAYS = 7  # check-ins older than this are history, not an alarm


@dataclass(frozen=True)
class FieldCheckin:
    id: str
    worker_id: str
    date: str
    case_ids: tuple[str, ...]
    expected_return: datetime
    returned_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.returned_at is None


@dataclass(frozen=True)
class FieldAlert:
    """帰所予定を過ぎた支援員: an open check-in past its expected return with no sign of life.
    ``last_seen`` is when the worker's latest change was written (None: none at all)."""

    checkin: FieldCheckin
    worker_id: str
    team_id: str | None
    overdue: timedelta
    last_seen: datetime | None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.astimezone()


def _checkin(row: tuple) -> FieldCheckin:
    import json

    checkin_id, worker_id, day, case_ids, expected, returned = row
    return FieldCheckin(checkin_id, worker_id, day, tuple(json.loads(case_ids or "[]")),
                        _aware(datetime.fromisoformat(expected)),
                        _aware(datetime.fromisoformat(returned)) if returned else None)


_SELECT = ("SELECT id, worker_id, date, case_ids, expected_return, returned_at "
           "FROM field_checkins WHERE deleted = 0")


def checkin_of(db, worker_id: str, day: date) -> FieldCheckin | None:
    row = db.execute(_SELECT + " AND worker_id = ? AND date = ? ORDER BY updated_hlc DESC",
                     (worker_id, day.isoformat())).fetchone()
    return _checkin(row) if row else None


def plan_outing(store, case_ids: list[str], expected_return: datetime, *,
                now: datetime | None = None) -> str:
    """外出予定: today's planned visits and the expected return (later than now); replaces
    what was set earlier today and reopens a check-in already closed."""
    now = _aware(now or store.now())
    expected = _aware(expected_return)
    if expected <= now:
        raise ValidationError("expected_return", "past", "must be later than now")
    values = {"case_ids": list(case_ids), "expected_return": expected, "returned_at": None}
    found = checkin_of(store.db, store.author, now.date())
    if found is not None:
        store.update("field_checkin", found.id, values)
        return found.id
    return store.create_entity("field_checkin", {
        "worker_id": store.author, "date": now.date(), **values})


def check_in(store, *, now: datetime | None = None) -> str | None:
    """帰所しました: close the open check-in of today (or of yesterday, for an outing that ran
    past midnight). None when there is nothing to close."""
    now = _aware(now or store.now())
    found = None
    for day in (now.date(), now.date() - timedelta(days=1)):
        found = checkin_of(store.db, store.author, day)
        if found is not None and found.is_open:
            break
    if found is None or not found.is_open:
        return None
    store.update("field_checkin", found.id, {"returned_at": now})
    return found.id


def last_change_at(db, worker_id: str) -> datetime | None:
    """When the latest change written by this worker was made (from its HLC)."""
    row = db.execute("SELECT max(hlc) FROM changes WHERE author = ?", (worker_id,)).fetchone()
    if not row or row[0] is None:
        return None
    return datetime.fromtimestamp(physical_ms(row[0]) / 1000).astimezone()


def overdue_returns(db, now: datetime, team_id: str | None = None) -> list[FieldAlert]:
    """Open check-ins past their expected return with no change from the worker since, most
    overdue first (``team_id``: only workers of that team)."""
    now = _aware(now)
    since = (now.date() - timedelta(days=WINDOW_DAYS)).isoformat()
    teams = dict(db.execute("SELECT id, team_id FROM workers").fetchall())
    alerts = []
    for row in db.execute(_SELECT + " AND returned_at IS NULL AND date >= ?",
                          (since,)).fetchall():
        checkin = _checkin(row)
        if checkin.expected_return >= now:
            continue
        team = teams.get(checkin.worker_id)
        if team_id is not None and team != team_id:
            continue
        seen = last_change_at(db, checkin.worker_id)
        if seen is not None and seen > checkin.expected_return:
            continue  # a sign of life after the expected return
        alerts.append(FieldAlert(checkin, checkin.worker_id, team, now - checkin.expected_return,
                                 seen))
    alerts.sort(key=lambda alert: (-alert.overdue, alert.worker_id))
    return alerts


__all__ = ["WINDOW_DAYS", "FieldAlert", "FieldCheckin", "check_in", "checkin_of",
           "last_change_at", "overdue_returns", "plan_outing"]
