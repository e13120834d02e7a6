"""Reporting periods: months, financial quarters (Q1 = April-June) and financial years."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.reports import periods
from casework.reports.periods import Grouping

D = dt.date


@pytest.mark.parametrize("day, month, quarter, fy", [
    (D(2014, 3, 31), "2014-03", "2013-14 Q4", "2013-14"),
    (D(2014, 4, 1), "2014-04", "2014-15 Q1", "2014-15"),
    (D(2026, 6, 30), "2026-06", "2026-27 Q1", "2026-27"),
    (D(2026, 7, 1), "2026-07", "2026-27 Q2", "2026-27"),
    (D(2026, 10, 31), "2026-10", "2026-27 Q3", "2026-27"),
    (D(2026, 12, 31), "2026-12", "2026-27 Q3", "2026-27"),
    (D(2027, 1, 1), "2027-01", "2026-27 Q4", "2026-27"),
    (D(1999, 4, 1), "1999-04", "1999-00 Q1", "1999-00"),
])
def test_labels(day, month, quarter, fy):
    assert periods.period_of(day, Grouping.MONTH).label == month
    assert periods.period_of(day, Grouping.QUARTER).label == quarter
    assert periods.period_of(day, Grouping.FINANCIAL_YEAR).label == fy


def test_ranges():
    q3 = periods.parse_quarter("2026-27 Q3")
    assert (q3.starts_on, q3.ends_on) == (D(2026, 10, 1), D(2026, 12, 31))
    q4 = periods.parse_quarter("2026-27 Q4")
    assert (q4.starts_on, q4.ends_on) == (D(2027, 1, 1), D(2027, 3, 31))
    fy = periods.parse_financial_year("2013-14")
    assert (fy.starts_on, fy.ends_on) == (D(2013, 4, 1), D(2014, 3, 31))
    feb = periods.parse_month("2028-02")
    assert (feb.starts_on, feb.ends_on) == (D(2028, 2, 1), D(2028, 2, 29))


@pytest.mark.parametrize("text", ["2026-13", "2026-1", "26-10", "October 2026", "", "2026-00"])
def test_bad_months_are_refused(text):
    with pytest.raises(ValueError, match="YYYY-MM"):
        periods.parse_month(text)


@pytest.mark.parametrize("text", ["2026-28 Q1", "2026-27 Q5", "2026 Q1"])
def test_bad_quarters_are_refused(text):
    with pytest.raises(ValueError):
        periods.parse_quarter(text)


def test_periods_between_covers_the_range():
    got = periods.periods_between(D(2026, 3, 15), D(2026, 10, 2), Grouping.QUARTER)
    assert [p.label for p in got] == ["2025-26 Q4", "2026-27 Q1", "2026-27 Q2", "2026-27 Q3"]
    assert periods.periods_between(D(2026, 2, 1), D(2026, 1, 1), Grouping.MONTH) == []
    months = periods.periods_between(D(2025, 4, 1), D(2026, 3, 31), Grouping.MONTH)
    assert len(months) == 12 and months[0].label == "2025-04" and months[-1].label == "2026-03"


def test_previous_and_year_earlier():
    q1 = periods.parse_quarter("2026-27 Q1")
    assert periods.previous(q1, Grouping.QUARTER).label == "2025-26 Q4"
    assert periods.year_earlier(q1, Grouping.QUARTER).label == "2025-26 Q1"


@given(st.dates(D(1990, 1, 1), D(2100, 12, 31)), st.sampled_from(list(Grouping)))
def test_every_day_is_inside_its_period_and_keys_round_trip(day, grouping):
    period = periods.period_of(day, grouping)
    assert period.starts_on <= day <= period.ends_on
    assert periods.period_from_key(period.key, grouping) == period
    nxt = periods.period_of(period.ends_on + dt.timedelta(days=1), grouping)
    assert nxt.key > period.key and nxt.starts_on == period.ends_on + dt.timedelta(days=1)
