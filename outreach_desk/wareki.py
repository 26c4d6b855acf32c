"""和暦 (the Japanese era calendar): 令和8年12月8日 for 2026-12-08.

Python's standard library knows no Japanese era, so the eras since Japan took up the Gregorian
calendar are listed here with the day each began (as Unicode CLDR and Windows date them): the
year of an era is counted from 1 (元年) on that day and goes up every 1 January. A day before
明治 has no era here and is written in the Western calendar. A new era is one more line in
``ERAS``.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple


class Era(NamedTuple):
    name: str
    starts: date


ERAS: tuple[Era, ...] = (
    Era("明治", date(1868, 9, 8)),
    Era("大正", date(1912, 7, 30)),
    Era("昭和", date(1926, 12, 25)),
    Era("平成", date(1989, 1, 8)),
    Era("令和", date(2019, 5, 1)),
)


def era_of(day: date) -> tuple[str, int] | None:
    """The era of ``day`` and its year in that era (1 = 元年), or None before 明治."""
    for era in reversed(ERAS):
        if day >= era.starts:
            return era.name, day.year - era.starts.year + 1
    return None


def _year(number: int) -> str:
    return "元" if number == 1 else str(number)


def wareki_date(day: date) -> str:
    """令和8年12月8日 (令和元年5月1日 for an era's first year); 1867年1月1日 before 明治."""
    era = era_of(day)
    if era is None:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{era[0]}{_year(era[1])}年{day.month}月{day.day}日"


def wareki_month(year: int, month: int) -> str:
    """令和8年12月: the era of the month's last day (a month that starts an era is named by
    the new era, as offices do: 2019年5月 is 令和元年5月, 1989年1月 is 平成元年1月)."""
    last = date(year + (month == 12), month % 12 + 1, 1).toordinal() - 1
    era = era_of(date.fromordinal(last))
    if era is None:
        return f"{year}年{month}月"
    return f"{era[0]}{_year(era[1])}年{month}月"


__all__ = ["ERAS", "Era", "era_of", "wareki_date", "wareki_month"]
