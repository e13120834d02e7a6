"""Reporting periods: calendar months, financial quarters and financial years.

CPS years are financial years, 1 April to 31 March, written "2013-14" (DOMAIN.md 3.2). A
financial quarter is labelled with its year and number, Q1 = April to June, so 1 January 2027
falls in "2026-27 Q4". Months are labelled "2026-10" (API.md, Reports).

Grouping happens in SQL: ``period_key(column, grouping)`` is an integer expression built only
from EXTRACT, CASE and integer arithmetic, which SQLAlchemy compiles for SQLite and PostgreSQL
alike. The integer key is turned back into a label and a date range here, in pure Python:

- month: ``year * 100 + month``            (202610 -> "2026-10")
- quarter: ``fy_start_year * 10 + quarter`` (20263 -> "2026-27 Q3")
- financial year: ``fy_start_year``         (2026 -> "2026-27")
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

FY_FIRST_MONTH = 4  # April (DOMAIN.md 3.2: CPS years run 1 April to 31 March)


class Grouping(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    FINANCIAL_YEAR = "financial_year"

    @property
    def label(self) -> str:
        return {"month": "Month", "quarter": "Financial quarter",
                "financial_year": "Financial year"}[self.value]


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period: its sort key, label and first and last days (inclusive)."""

    key: int
    label: str
    starts_on: dt.date
    ends_on: dt.date


def financial_year_of(day: dt.date) -> int:
    """The calendar year in which ``day``'s financial year starts (31 March 2014 -> 2013)."""
    return day.year if day.month >= FY_FIRST_MONTH else day.year - 1


def fy_label(start_year: int) -> str:
    """2013 -> "2013-14"; 2099 -> "2099-00"."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def quarter_of(day: dt.date) -> int:
    """Financial quarter number: April-June 1, July-September 2, October-December 3, January-March 4."""
    return (day.month - FY_FIRST_MONTH) % 12 // 3 + 1


def key_for(day: dt.date, grouping: Grouping) -> int:
    """The same integer the SQL expression ``period_key`` computes for ``day``."""
    if grouping is Grouping.MONTH:
        return day.year * 100 + day.month
    if grouping is Grouping.QUARTER:
        return financial_year_of(day) * 10 + quarter_of(day)
    return financial_year_of(day)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_from_key(key: int, grouping: Grouping) -> Period:
    """Label and date range for a key produced by ``key_for`` or ``period_key``."""
    if grouping is Grouping.MONTH:
        year, month = divmod(key, 100)
        return Period(key, f"{year:04d}-{month:02d}", dt.date(year, month, 1), _month_end(year, month))
    if grouping is Grouping.QUARTER:
        fy, quarter = divmod(key, 10)
        first_month = (FY_FIRST_MONTH - 1 + (quarter - 1) * 3) % 12 + 1
        year = fy if first_month >= FY_FIRST_MONTH else fy + 1
        return Period(key, f"{fy_label(fy)} Q{quarter}", dt.date(year, first_month, 1),
                      _month_end(year, first_month + 2))
    return Period(key, fy_label(key), dt.date(key, FY_FIRST_MONTH, 1),
                  dt.date(key + 1, FY_FIRST_MONTH, 1) - dt.timedelta(days=1))


def period_of(day: dt.date, grouping: Grouping) -> Period:
    return period_from_key(key_for(day, grouping), grouping)


def periods_between(first: dt.date, last: dt.date, grouping: Grouping) -> list[Period]:
    """Every period that overlaps ``first``..``last`` (inclusive), oldest first."""
    return list(_iter_periods(first, last, grouping))


def _iter_periods(first: dt.date, last: dt.date, grouping: Grouping) -> Iterator[Period]:
    if last < first:
        return
    period = period_of(first, grouping)
    while period.starts_on <= last:
        yield period
        period = period_of(period.ends_on + dt.timedelta(days=1), grouping)


def previous(period: Period, grouping: Grouping) -> Period:
    return period_of(period.starts_on - dt.timedelta(days=1), grouping)


def year_earlier(period: Period, grouping: Grouping) -> Period:
    """The same period one year before (2026-27 Q3 -> 2025-26 Q3)."""
    day = period.starts_on
    return period_of(day.replace(year=day.year - 1), grouping)


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-(\d{2}) Q([1-4])$")
_FY = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> Period:
    """"2026-10" -> that month. Raises ValueError with a plain-English reason."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise ValueError(f"Month must be written YYYY-MM, for example 2026-10 (got {text!r})")
    return period_from_key(int(match.group(1)) * 100 + int(match.group(2)), Grouping.MONTH)


def parse_quarter(text: str) -> Period:
    """"2026-27 Q3" -> that financial quarter."""
    match = _QUARTER.match(text.strip())
    if not match or fy_label(int(match.group(1))) != f"{match.group(1)}-{match.group(2)}":
        raise ValueError(f"Quarter must be written like 2026-27 Q3 (got {text!r})")
    return period_from_key(int(match.group(1)) * 10 + int(match.group(3)), Grouping.QUARTER)


def parse_financial_year(text: str) -> Period:
    """"2026-27" -> that financial year."""
    match = _FY.match(text.strip())
    if not match or fy_label(int(match.group(1))) != text.strip():
        raise ValueError(f"Financial year must be written like 2026-27 (got {text!r})")
    return period_from_key(int(match.group(1)), Grouping.FINANCIAL_YEAR)


def period_key(column: Any, grouping: Grouping) -> sa.ColumnElement[int]:
    """Portable SQL integer for the period containing the date ``column`` (see module docstring)."""
    year = sa.cast(sa.extract("year", column), sa.Integer)
    month = sa.cast(sa.extract("month", column), sa.Integer)
    if grouping is Grouping.MONTH:
        return year * _n(100) + month
    fy = year - sa.case((month < _n(FY_FIRST_MONTH), _n(1)), else_=_n(0))
    if grouping is Grouping.FINANCIAL_YEAR:
        return fy
    quarter = (month + _n(12 - FY_FIRST_MONTH)) % _n(12) // _n(3) + _n(1)
    return fy * _n(10) + quarter


def _n(value: int) -> sa.ColumnElement[int]:
    """An integer constant rendered inline, not as a bind parameter, so the same expression in
    SELECT and GROUP BY is textually identical (PostgreSQL compares them as text)."""
    return sa.literal_column(str(int(value)), sa.Integer)
