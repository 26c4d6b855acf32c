"""和暦: each era from its first day, the day before it still the previous era, 元年."""

from datetime import date, timedelta

import pytest

from outreach_desk.wareki import ERAS, era_of, wareki_date, wareki_month


@pytest.mark.parametrize(("first_day", "name", "before"), [
    (date(1868, 9, 8), "明治", None),
    (date(1912, 7, 30), "大正", ("明治", 45)),
    (date(1926, 12, 25), "昭和", ("大正", 15)),
    (date(1989, 1, 8), "平成", ("昭和", 64)),
    (date(2019, 5, 1), "令和", ("平成", 31)),
])
def test_each_era_starts_on_its_day(first_day, name, before):
    assert era_of(first_day) == (name, 1)
    assert era_of(first_day - timedelta(days=1)) == before
    assert wareki_date(first_day) == f"{name}元年{first_day.month}月{first_day.day}日"
    assert [era.name for era in ERAS].count(name) == 1


def test_years_count_from_one_on_each_new_year():
    assert wareki_date(date(2026, 12, 8)) == "令和8年12月8日"
    assert wareki_date(date(2020, 1, 1)) == "令和2年1月1日"
    assert wareki_date(date(2019, 12, 31)) == "令和元年12月31日"
    assert wareki_date(date(1988, 6, 15)) == "昭和63年6月15日"
    assert wareki_date(date(1940, 2, 11)) == "昭和15年2月11日"


def test_before_meiji_is_written_in_the_western_calendar():
    assert era_of(date(1868, 9, 7)) is None
    assert wareki_date(date(1752, 12, 8)) == "1752年12月8日"


def test_a_month_is_named_by_the_era_it_ends_in():
    assert wareki_month(2026, 12) == "令和8年12月"
    assert wareki_month(2019, 5) == "令和元年5月"
    assert wareki_month(2019, 4) == "平成31年4月"
    assert wareki_month(1989, 1) == "平成元年1月"
    assert wareki_month(1868, 1) == "1868年1月"
