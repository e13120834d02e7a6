"""First working day of the month (England and Wales bank holidays) and when the job acts."""

from __future__ import annotations

import datetime as dt

import pytest

from casework.reports import monthly
from casework.reports.periods import parse_month

D = dt.date


@pytest.mark.parametrize("month, first", [
    ("2026-06", D(2026, 6, 1)),   # Monday
    ("2026-08", D(2026, 8, 3)),   # 1 August is a Saturday
    ("2027-01", D(2027, 1, 4)),   # New Year's Day, Friday
    ("2022-01", D(2022, 1, 4)),   # Saturday 1st, Monday 3rd is the substitute bank holiday
    ("2024-04", D(2024, 4, 2)),   # Easter Monday 1 April 2024
    ("2026-05", D(2026, 5, 1)),   # Friday; the early May bank holiday is Monday 4 May
    ("2021-05", D(2021, 5, 4)),   # Saturday 1st; Monday 3rd early May bank holiday
])
def test_first_working_day(month, first):
    assert monthly.first_working_day(parse_month(month)) == first


@pytest.mark.parametrize("today, due", [
    (D(2024, 4, 1), None), (D(2024, 4, 2), "2024-03"), (D(2024, 4, 30), "2024-03"),
    (D(2027, 1, 1), None), (D(2027, 1, 3), None), (D(2027, 1, 4), "2026-12"),
    (D(2026, 12, 1), "2026-11"),
])
def test_month_due(today, due):
    month = monthly.month_due(today)
    assert (month.label if month else None) == due


def test_monthly_filters_run_from_the_start_of_the_financial_year():
    f = monthly.monthly_filters(parse_month("2027-03"))
    assert (f.first, f.last) == (D(2026, 4, 1), D(2027, 3, 31))
    f = monthly.monthly_filters(parse_month("2026-04"))
    assert (f.first, f.last) == (D(2026, 4, 1), D(2026, 4, 30))
