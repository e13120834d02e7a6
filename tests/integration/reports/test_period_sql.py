"""The SQL period key agrees with the pure-Python one on this database (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from casework.reports import periods
from casework.reports.periods import Grouping

DAYS = [dt.date(2014, 3, 31), dt.date(2014, 4, 1), dt.date(2026, 6, 30), dt.date(2026, 7, 1),
        dt.date(2026, 9, 30), dt.date(2026, 10, 1), dt.date(2026, 12, 31), dt.date(2027, 1, 1),
        dt.date(2028, 2, 29), dt.date(2027, 3, 31), dt.date(1999, 12, 31), dt.date(2000, 1, 1)]


def test_sql_period_key_matches_python(session):
    days = sa.union_all(*(sa.select(sa.literal(d, sa.Date).label("d"), sa.literal(i).label("i"))
                          for i, d in enumerate(DAYS))).subquery()
    stmt = sa.select(days.c.i, *(periods.period_key(days.c.d, g) for g in Grouping))
    rows = session.execute(stmt).all()
    assert len(rows) == len(DAYS)
    for row in rows:
        day = DAYS[row[0]]
        assert list(row[1:]) == [periods.key_for(day, g) for g in Grouping], day


def test_sql_group_by_period_key(session):
    """The same expression in SELECT and GROUP BY is accepted (PostgreSQL compares them as text)."""
    days = sa.union_all(*(sa.select(sa.literal(d, sa.Date).label("d")) for d in DAYS)).subquery()
    key = periods.period_key(days.c.d, Grouping.FINANCIAL_YEAR)
    rows = dict(session.execute(sa.select(key, sa.func.count()).group_by(key)).all())
    expected: dict[int, int] = {}
    for d in DAYS:
        k = periods.key_for(d, Grouping.FINANCIAL_YEAR)
        expected[k] = expected.get(k, 0) + 1
    assert rows == expected
