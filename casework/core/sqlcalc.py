"""Date and exact-integer arithmetic in SQL that compiles for both SQLite and PostgreSQL.

SQLite keeps dates as ISO text and has no date type arithmetic, PostgreSQL has real dates; the
constructs below hide that difference so queries can count days, add days or calendar months,
and divide whole numbers exactly on either database.

- ``days_between(a, b)``: whole days from ``a`` to ``b`` (``b - a``).
- ``add_days(day, n)``: ``day`` plus ``n`` days.
- ``add_months(day, n)``: calendar months; a day missing from the target month falls back to its
  last day (31 August + 6 months = 28/29 February), as ``confiscation.rules.add_months``.
- ``wide_int(x)``: an integer that may grow past 64 bits when multiplied: NUMERIC on PostgreSQL
  (exact, unbounded); SQLite has no wider integer, so it stays INTEGER there and an overflow shows
  as a REAL result or an "integer overflow" error, which callers must treat as "not exact".
- ``int_div(a, b)``: integer division truncating toward zero on both (``div`` on PostgreSQL, where
  ``/`` on NUMERIC would keep the fraction).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class days_between(FunctionElement[int]):  # noqa: N801  (reads like the SQL function it is)
    type = sa.Integer()
    inherit_cache = True


@compiles(days_between)
def _days_between_pg(element: days_between, compiler: Any, **kw: Any) -> str:
    start, stop = list(element.clauses)
    return f"({compiler.process(stop, **kw)} - {compiler.process(start, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    start, stop = list(element.clauses)
    return (f"CAST(julianday({compiler.process(stop, **kw)}) - "
            f"julianday({compiler.process(start, **kw)}) AS INTEGER)")


def _int(value: Any) -> Any:
    return sa.literal(value, sa.Integer) if isinstance(value, int) else value


class add_days(FunctionElement[Any]):  # noqa: N801
    """``add_days(day, n)``; ``n`` an int or an integer expression."""

    type = sa.Date()
    inherit_cache = True

    def __init__(self, day: Any, days: Any) -> None:
        super().__init__(day, _int(days))


@compiles(add_days)
def _add_days_pg(element: add_days, compiler: Any, **kw: Any) -> str:
    day, n = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST({day} + CAST({n} AS INTEGER) AS DATE)"


@compiles(add_days, "sqlite")
def _add_days_sqlite(element: add_days, compiler: Any, **kw: Any) -> str:
    day, n = (compiler.process(c, **kw) for c in element.clauses)
    return f"date({day}, ({n}) || ' days')"


class add_months(FunctionElement[Any]):  # noqa: N801
    """``add_months(day, n)``, clamped to the target month's last day; ``n`` an int or an
    integer expression."""

    type = sa.Date()
    inherit_cache = True

    def __init__(self, day: Any, months: Any) -> None:
        super().__init__(day, _int(months))


@compiles(add_months)
def _add_months_pg(element: add_months, compiler: Any, **kw: Any) -> str:
    day, n = (compiler.process(c, **kw) for c in element.clauses)
    # PostgreSQL's date + interval already clamps to the end of a shorter month.
    return f"CAST({day} + make_interval(months => CAST({n} AS INTEGER)) AS DATE)"


@compiles(add_months, "sqlite")
def _add_months_sqlite(element: add_months, compiler: Any, **kw: Any) -> str:
    d, n = (compiler.process(c, **kw) for c in element.clauses)
    # SQLite rolls 31 Aug + 6 months over into March; take the earlier of that and the last day
    # of the target month (ISO text compares as dates).
    same_day = (f"date({d}, 'start of month', ({n}) || ' months', "
                f"(CAST(strftime('%d', {d}) AS INTEGER) - 1) || ' days')")
    last_day = f"date({d}, 'start of month', (({n}) + 1) || ' months', '-1 day')"
    return f"min({same_day}, {last_day})"


class wide_int(FunctionElement[Any]):  # noqa: N801
    type = sa.BigInteger()
    inherit_cache = True


@compiles(wide_int)
def _wide_int_pg(element: wide_int, compiler: Any, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return f"CAST({compiler.process(value, **kw)} AS NUMERIC)"


@compiles(wide_int, "sqlite")
def _wide_int_sqlite(element: wide_int, compiler: Any, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return f"({compiler.process(value, **kw)})"


class int_div(FunctionElement[Any]):  # noqa: N801
    type = sa.BigInteger()
    inherit_cache = True


@compiles(int_div)
def _int_div_pg(element: int_div, compiler: Any, **kw: Any) -> str:
    a, b = list(element.clauses)
    return f"div({compiler.process(a, **kw)}, {compiler.process(b, **kw)})"


@compiles(int_div, "sqlite")
def _int_div_sqlite(element: int_div, compiler: Any, **kw: Any) -> str:
    a, b = list(element.clauses)
    return f"(({compiler.process(a, **kw)}) / ({compiler.process(b, **kw)}))"
