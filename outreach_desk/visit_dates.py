"""When a visit may be dated (訪問日時の範囲): the bounds every way in obeys alike.

A visit is never dated before the year its person was born; nor before the case was opened
(the day before is allowed: a case is often entered the morning after the first visit) unless
the worker confirmed it is a late entry of an old record (``late_entry_confirmed``); nor
further in the future than the clock tolerance (``cleaners.MAX_FUTURE``, one day).
The desktop form, the command line and a change pulled from another laptop are checked here;
a pulled change out of bounds is held aside with the reason (``Engine._hold_reason``), never
dropped. Each refusal names its bound, in Japanese (``message``) and as a ``rule`` code with the
``bound`` value, from which the desktop client builds its translated text.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from .cleaners import MAX_FUTURE
from .errors import ValidationError

FUTURE_TOLERANCE = MAX_FUTURE  # the clock tolerance: laptops' clocks and time zones differ
# A case is often entered the morning after the first visit (opened "today" by default): a visit
# the day before its opening is part of it, not a late entry.
OPENING_GRACE = timedelta(days=1)

BEFORE_BIRTH = "before_birth"
BEFORE_OPENING = "before_opening"
FUTURE = "future"


class DateOutOfBounds(ValidationError):
    """The visit's date is outside its bounds; ``bound`` is the bound it broke (a year, an
    ISO date, or a number of hours)."""

    def __init__(self, rule: str, bound: Any, message: str):
        super().__init__("occurred_at", rule, message)
        self.bound = bound


def _jp_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def date_problem(
    occurred_at: str, *, opened_on: str | None, birth_year: int | None,
    late_entry_confirmed: bool, now: datetime,
) -> DateOutOfBounds | None:
    """Why a visit dated ``occurred_at`` (ISO, with its zone) may not be recorded, or None."""
    when = datetime.fromisoformat(occurred_at)
    if when.tzinfo is None:
        when = when.astimezone()
    if when - now.astimezone(when.tzinfo) > FUTURE_TOLERANCE:
        hours = int(FUTURE_TOLERANCE.total_seconds() // 3600)
        return DateOutOfBounds(FUTURE, hours, (
            f"未来の日時です。この端末の時計より{hours}時間以上先の日時は記録できません。"
            "訪問した日時を入力してください。"))
    day = when.date()
    if birth_year is not None and day.year < birth_year:
        return DateOutOfBounds(BEFORE_BIRTH, birth_year, (
            f"本人の生まれ年（{birth_year}年）より前の日付です。訪問した日付を確認してください。"))
    opened = date.fromisoformat(opened_on) if opened_on else None
    if opened and day < opened - OPENING_GRACE and not late_entry_confirmed:
        return DateOutOfBounds(BEFORE_OPENING, opened.isoformat(), (
            f"ケースの開始日（{_jp_date(opened)}）より前の日付です。古い記録を後から入力する"
            "場合は、後日入力であることを確認してください。"))
    return None


def case_context(db, case_id: str) -> tuple[str | None, int | None] | None:
    """(opened_on, the person's birth year) of a case, or None when the case is not known."""
    row = db.execute(
        "SELECT c.opened_on, p.birth_year FROM cases c LEFT JOIN persons p ON p.id = c.person_id "
        "WHERE c.id = ?", (case_id,)).fetchone()
    return None if row is None else (row[0], row[1])


def visit_date_problem(db, values: dict[str, Any], *, now: datetime | None = None,
                       context: tuple[str | None, int | None] | None = None
                       ) -> DateOutOfBounds | None:
    """:func:`date_problem` for a visit's values (``case_id``, ``occurred_at``,
    ``late_entry_confirmed``) against its case as stored (or ``context``); None when fine or
    when the case is not known here yet (nothing to compare with)."""
    if context is None:
        context = case_context(db, values["case_id"])
    if context is None or not values.get("occurred_at"):
        return None
    opened_on, birth_year = context
    return date_problem(
        values["occurred_at"], opened_on=opened_on,
        birth_year=birth_year if isinstance(birth_year, int) else None,
        late_entry_confirmed=bool(values.get("late_entry_confirmed")),
        now=now or datetime.now().astimezone())


__all__ = ["BEFORE_BIRTH", "BEFORE_OPENING", "FUTURE", "FUTURE_TOLERANCE", "DateOutOfBounds",
           "case_context", "date_problem", "visit_date_problem"]
