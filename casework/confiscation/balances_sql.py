"""Balances with POCA s.12 interest for many orders at once, computed in SQL.

``rules.compute_balance`` is the reference (and still answers for one order); this module gives
the same figures, to the penny, as one statement for any set of orders, so lists and reports never
load ledgers into Python. How (SQLite and PostgreSQL alike):

1. Events per order, each a *change* on a day: ledger entries (pence paid), the order amount
   (the amount made, then granted reconsiderations; each row minus the one before it, by
   ``LAG``), the judgment-debt rate (basis points, again as a difference from the previous
   rate, for every order), the interest-free window of a pending s.11(4) application (+1 on its
   first day, -1 the day after it ends) and a marker on the first day interest can run (the
   day after the due date). Only days up to ``as_of``.
2. Grouped per order and day, running ``SUM``s turn the changes into the amount, paid total,
   rate and window state in force from that day, and ``LEAD`` gives the next day: each row is a
   segment over which nothing changes (the breaks of ``rules.compute_balance``).
3. Per order: ``SUM(principal x basis points x days)`` over the segments from the first interest
   day where the principal (amount - paid) is positive and no window applies. That is exact in
   integers (PostgreSQL NUMERIC; SQLite 64-bit), and interest in pence is that sum divided by
   100 x 100 x 365, rounded half up once, exactly what ``compute_balance`` does with Decimals.

SQLite has no integer wider than 64 bits: past about £1bn of principal x 15% x 20 years the
arithmetic would overflow (into a REAL, or an "integer overflow" error). ``Inexact`` is raised
then, and callers use the reference instead; PostgreSQL never needs to.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from casework.confiscation import rules
from casework.confiscation.models import (
    ConfiscationOrder,
    JudgmentDebtRate,
    Payment,
    ReconsiderationApplication,
    ReconsiderationOutcome,
)
from casework.core.sqlcalc import add_days, add_months, days_between, int_div, wide_int

CO = ConfiscationOrder
#: interest pence = principal pence x basis points x days / (100 x 100 x 365), rounded half up
DIVISOR = 100 * 100 * int(rules.DAYS_IN_YEAR)


class Inexact(Exception):
    """The SQL arithmetic could not stay exact (SQLite 64-bit overflow): use the reference."""


def pence(column: Any) -> Any:
    return sa.cast(sa.func.round(column * 100), sa.BigInteger)


def _free_until(order: Any) -> Any:
    """Last day of the s.11(4) interest-free window: the decision, but no later than the
    extended-period limit (``rules.interest_free_windows``)."""
    months = {regime: limits[1] for regime, limits in rules.TIME_TO_PAY_MONTHS.items()}
    stop = sa.case((order.made_on >= rules.SCA_2015_COMMENCEMENT,
                    add_months(order.made_on, months[rules.Regime.SCA_2015])),
                   else_=add_months(order.made_on, months[rules.Regime.PRE_2015]))
    decided = order.extension_decided_on
    return sa.case((decided.is_not(None) & (decided < stop), decided), else_=stop)


def _events(ids: Any, as_of: Any, listed: Any) -> Any:
    """Every dated change per order (step 1), one UNION ALL; ``ids`` is a SELECT of order ids,
    ``listed`` the same ids as values when the caller has them (the ledger is then read by order
    id on its index whatever the planner guesses about ``ids``)."""
    zero = sa.literal_column("0", sa.BigInteger)
    first_day = add_days(sa.func.coalesce(CO.extended_due_on, CO.due_on), 1)
    amounts = sa.union_all(
        sa.select(CO.id.label("order_id"), CO.made_on.label("day"),
                  sa.literal_column("0", sa.Integer).label("rank"),
                  pence(CO.original_amount).label("pence")).where(CO.id.in_(ids)),
        sa.select(ReconsiderationApplication.order_id, ReconsiderationApplication.decided_on,
                  ReconsiderationApplication.id, pence(ReconsiderationApplication.new_amount))
        .where(ReconsiderationApplication.order_id.in_(ids),
               ReconsiderationApplication.outcome == ReconsiderationOutcome.GRANTED,
               ReconsiderationApplication.new_amount.is_not(None),
               ReconsiderationApplication.decided_on.is_not(None)),
    ).subquery("amounts")
    amount_steps = sa.select(
        amounts.c.order_id, amounts.c.day,
        (amounts.c.pence - sa.func.lag(amounts.c.pence, 1, 0).over(
            partition_by=amounts.c.order_id, order_by=(amounts.c.day, amounts.c.rank))).label("change"),
    ).subquery("amount_steps")
    bps = pence(JudgmentDebtRate.percent)
    rate_steps = sa.select(
        JudgmentDebtRate.effective_from.label("day"),
        (bps - sa.func.lag(bps, 1, 0).over(order_by=JudgmentDebtRate.effective_from)).label("change"),
    ).where(JudgmentDebtRate.effective_from <= as_of).subquery("rate_steps")
    free_until = _free_until(CO)
    has_window = CO.extension_applied_on.is_not(None) & (free_until >= CO.extension_applied_on)

    def row(order_id: Any, day: Any, paid: Any = zero, amount: Any = zero, rate: Any = zero,
            free: Any = zero, rated: Any = zero, started: Any = zero) -> list[Any]:
        return [order_id.label("order_id"), day.label("day"), paid.label("paid"),
                amount.label("amount"), rate.label("rate"), free.label("free"), rated.label("rated"),
                started.label("started")]

    one, minus_one = sa.literal_column("1", sa.BigInteger), sa.literal_column("-1", sa.BigInteger)
    return sa.union_all(
        # summed per order and day in the index's order (order_id, received_on): no sort
        sa.select(*row(Payment.order_id, Payment.received_on, paid=sa.func.sum(pence(Payment.amount))))
        .where(Payment.order_id.in_(ids if listed is None else listed), Payment.received_on <= as_of)
        .group_by(Payment.order_id, Payment.received_on),
        sa.select(*row(amount_steps.c.order_id, amount_steps.c.day, amount=amount_steps.c.change))
        .where(amount_steps.c.day <= as_of),
        sa.select(*row(CO.id, rate_steps.c.day, rate=rate_steps.c.change, rated=one))
        .select_from(CO).join(rate_steps, sa.true()).where(CO.id.in_(ids)),
        sa.select(*row(CO.id, first_day, started=one)).where(CO.id.in_(ids), first_day <= as_of),
        sa.select(*row(CO.id, CO.extension_applied_on, free=one))
        .where(CO.id.in_(ids), has_window, CO.extension_applied_on <= as_of),
        sa.select(*row(CO.id, add_days(free_until, 1), free=minus_one))
        .where(CO.id.in_(ids), has_window, add_days(free_until, 1) <= as_of),
    ).subquery("events")


def interest_by_order(ids: Any, as_of: dt.date | sa.BindParameter[Any],
                      listed: Sequence[int] | sa.BindParameter[Any] | None = None) -> sa.Subquery:
    """Per order in ``ids`` (a SELECT of order ids; ``listed``: the same as values or an
    expanding parameter, if known): ``order_id``, ``amount_pence`` and ``paid_pence`` on
    ``as_of`` (a date or a Date parameter), ``interest_pence`` (rounded half up) and
    ``unrated_from`` (the first day interest would run with no rate in force, else NULL)."""
    if isinstance(as_of, dt.date):
        as_of = sa.literal(as_of, sa.Date)
    ev = _events(ids, as_of, listed)
    # One window for all (ROWS frame: each day is one row after the GROUP BY; cheaper than the
    # default RANGE frame on SQLite, and LEAD ignores the frame).
    window = {"partition_by": ev.c.order_id, "order_by": ev.c.day, "rows": (None, 0)}

    def running(column: Any) -> Any:
        return sa.func.sum(sa.func.sum(column)).over(**window)

    segments = sa.select(
        ev.c.order_id, ev.c.day,
        running(ev.c.paid).label("paid"), running(ev.c.amount).label("amount"),
        running(ev.c.rate).label("bps"), running(ev.c.free).label("free"),
        running(ev.c.rated).label("rated"), running(ev.c.started).label("started"),
        sa.func.lead(ev.c.day).over(**window).label("next_day"),
    ).group_by(ev.c.order_id, ev.c.day).subquery("segments")
    s = segments
    stop = sa.func.coalesce(s.c.next_day, add_days(as_of, 1))
    principal = s.c.amount - s.c.paid
    accrues = (s.c.started > 0) & (principal > 0) & (s.c.free <= 0)
    product = wide_int(principal) * s.c.bps * days_between(s.c.day, stop)
    accrued = sa.func.sum(sa.case((accrues & (s.c.rated > 0), product), else_=0))
    last = s.c.next_day.is_(None)
    return (sa.select(
        s.c.order_id,
        sa.func.sum(sa.case((last, s.c.amount), else_=0)).label("amount_pence"),
        sa.func.sum(sa.case((last, s.c.paid), else_=0)).label("paid_pence"),
        int_div(accrued + DIVISOR // 2, DIVISOR).label("interest_pence"),
        sa.func.min(sa.case((accrues & (s.c.rated <= 0), s.c.day))).label("unrated_from"),
    ).group_by(s.c.order_id).subquery("interest"))


@functools.cache
def listed_statement() -> sa.Select[Any]:
    """``interest_by_order`` for a list of orders, built once: parameters ``balance_ids``
    (expanding) and ``balance_as_of``. Building the statement costs more than running it for a
    defendant's few orders."""
    ids: sa.BindParameter[Any] = sa.bindparam("balance_ids", expanding=True)
    chosen = sa.select(CO.id).where(CO.id.in_(ids)).cte("chosen")
    return sa.select(interest_by_order(sa.select(chosen.c.id), sa.bindparam("balance_as_of", type_=sa.Date),
                                       listed=ids))


def exact_pence(value: Any) -> int:
    """A pence figure read back from SQL, or ``Inexact`` if SQLite fell back to floating point."""
    if value is None:
        return 0
    if isinstance(value, float):
        raise Inexact(value)
    return int(value)


def no_rate(day: Any) -> ValueError:
    when = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
    return ValueError(f"no judgment-debt rate in force on {when.isoformat()}")
