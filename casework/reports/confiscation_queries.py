"""Confiscation figures (POCA 2002 Part 2; DOMAIN.md 2), aggregated in SQL.

- Orders made: count and value (the amount when made) in the period containing ``made_on``.
- Amounts collected: ledger entries (payments less reversals) in the period of ``received_on``.
- Restraint orders obtained (ss.40-42): in the period containing ``made_on``.
- Outstanding on the report's end date, by age since payment fell due (``reports.rules``
  AGE_BANDS): unpaid principal is ``amount - SUM(payments)`` in SQL; s.12 interest needs the
  dated judgment-debt rate table: ``confiscation.balances_sql`` computes it per order in SQL
  (window functions over the ledger, proved equal to ``confiscation.rules.compute_balance``)
  and it is summed per band in the same statement.
- Compensation paid to victims: s.13(5)-(6) pays compensation first out of sums recovered, so
  per order it is the lesser of the amount paid and the compensation directed
  (``confiscation.rules.compensation_paid``), summed in SQL.
Money is summed in whole pence (``ledger.pence_sum``) so SQLite totals are exact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from casework.cases.models import Case
from casework.confiscation import balances_sql, ledger
from casework.confiscation.models import ConfiscationOrder, OrderStatus, Payment, RestraintOrder
from casework.extensions import db
from casework.reports import rules
from casework.reports.filters import ReportFilters
from casework.reports.periods import period_key
from casework.reports.queries import scope_conditions

CO = ConfiscationOrder
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ConfiscationRow:
    period: str
    orders_made: int = 0
    value_made: Decimal = ZERO
    collected: Decimal = ZERO
    restraint_orders: int = 0


@dataclass(frozen=True)
class AgeRow:
    band: str
    orders: int = 0
    principal: Decimal = ZERO
    interest: Decimal = ZERO

    @property
    def outstanding(self) -> Decimal:
        return self.principal + self.interest


@dataclass(frozen=True)
class Compensation:
    orders: int = 0
    directed: Decimal = ZERO
    paid: Decimal = ZERO


@dataclass(frozen=True)
class ConfiscationReport:
    filters: ReportFilters
    as_of: dt.date
    rows: list[ConfiscationRow]
    total: ConfiscationRow
    ageing: list[AgeRow]
    ageing_total: AgeRow
    compensation: Compensation = field(default_factory=Compensation)


def _orders(filters: ReportFilters, *columns: Any) -> sa.Select[Any]:
    return (sa.select(*columns).select_from(CO).join(Case, CO.case_id == Case.id)
            .where(*scope_conditions(filters, CO.unit_id, Case.crime_type_id)))


def _pence(column: Any) -> Any:
    return ledger.pence_sum(column)


def _by_period(filters: ReportFilters) -> list[ConfiscationRow]:
    made_key = period_key(CO.made_on, filters.grouping).label("k")
    made = {int(r.k): (int(r.n), ledger.from_pence(r.value)) for r in db.session.execute(
        _orders(filters, made_key, sa.func.count().label("n"),
                _pence(CO.original_amount).label("value"))
        .where(CO.made_on.between(filters.first, filters.last)).group_by(made_key))}
    paid_key = period_key(Payment.received_on, filters.grouping).label("k")
    paid = {int(r.k): ledger.from_pence(r.value) for r in db.session.execute(
        _orders(filters, paid_key, _pence(Payment.amount).label("value"))
        .join(Payment, Payment.order_id == CO.id)
        .where(Payment.received_on.between(filters.first, filters.last)).group_by(paid_key))}
    ro_key = period_key(RestraintOrder.made_on, filters.grouping).label("k")
    restraint = {int(r.k): int(r.n) for r in db.session.execute(
        sa.select(ro_key, sa.func.count().label("n")).select_from(RestraintOrder)
        .join(Case, RestraintOrder.case_id == Case.id)
        .where(RestraintOrder.made_on.between(filters.first, filters.last),
               *scope_conditions(filters, RestraintOrder.unit_id, Case.crime_type_id))
        .group_by(ro_key))}
    return [ConfiscationRow(p.label, *made.get(p.key, (0, ZERO)), paid.get(p.key, ZERO),
                            restraint.get(p.key, 0)) for p in filters.periods]


def _paid_to(as_of: dt.date) -> Any:
    """Pence paid into each order's ledger by ``as_of``, correlated to the order row (an
    index-only range per order in scope, not a sum of the whole ledger)."""
    return (sa.select(_pence(Payment.amount))
            .where(Payment.order_id == CO.id, Payment.received_on <= as_of)
            .correlate(CO).scalar_subquery())


def _age_band(due: Any, as_of: dt.date) -> Any:
    """CASE expression giving the index into rules.AGE_BANDS from the due date."""
    whens = [(due >= as_of, 0)]
    whens += [(due >= as_of - dt.timedelta(days=days or 0), index)
              for index, (_label, days) in enumerate(rules.AGE_BANDS[1:-1], start=1)]
    return sa.case(*whens, else_=len(rules.AGE_BANDS) - 1)


def _ageing(filters: ReportFilters, as_of: dt.date) -> list[AgeRow]:
    due = sa.func.coalesce(CO.extended_due_on, CO.due_on)
    unpaid = sa.cast(sa.func.round(CO.amount * 100), sa.BigInteger) - _paid_to(as_of)
    band = _age_band(due, as_of).label("band")
    live = _orders(filters).where(CO.status == OrderStatus.LIVE, CO.made_on <= as_of, unpaid > 0)
    rows = db.session.execute(live.add_columns(band, sa.func.count().label("n"),
                                               sa.func.sum(unpaid).label("pence")).group_by(band))
    found = {int(r.band): (int(r.n), ledger.from_pence(r.pence)) for r in rows}
    interest = _interest_by_band(live.add_columns(CO.id.label("id"), band), as_of)
    return [AgeRow(label, *found.get(i, (0, ZERO)), interest.get(i, ZERO))
            for i, (label, _days) in enumerate(rules.AGE_BANDS)]


def _interest_by_band(stmt: sa.Select[Any], as_of: dt.date) -> dict[int, Decimal]:
    """s.12 interest on live orders already due, per age band: each order's interest computed in
    SQL (``confiscation.balances_sql``, the same figures as ``rules.compute_balance``) and
    summed per band in the same statement."""
    chosen = stmt.where(sa.func.coalesce(CO.extended_due_on, CO.due_on) < as_of).cte("chosen")
    per_order = balances_sql.interest_by_order(sa.select(chosen.c.id), as_of)
    try:
        rows = db.session.execute(
            sa.select(chosen.c.band, sa.func.sum(per_order.c.interest_pence).label("pence"),
                      sa.func.min(per_order.c.unrated_from).label("unrated_from"))
            .join(per_order, per_order.c.order_id == chosen.c.id).group_by(chosen.c.band)).all()
        out = {int(r.band): ledger.from_pence(balances_sql.exact_pence(r.pence)) for r in rows}
    except (balances_sql.Inexact, sa.exc.OperationalError) as exc:
        if not ledger.overflowed(exc):
            raise
        return _interest_by_band_reference(stmt, as_of)
    unrated = [r.unrated_from for r in rows if r.unrated_from is not None]
    if unrated:
        raise balances_sql.no_rate(min(unrated))
    return out


def _interest_by_band_reference(stmt: sa.Select[Any], as_of: dt.date) -> dict[int, Decimal]:
    """The same through ``rules.compute_balance``: only when SQLite's 64-bit integers overflow
    (orders of hundreds of millions of pounds over decades)."""
    pairs = [(order_id, band) for order_id, band in db.session.execute(
        stmt.where(sa.func.coalesce(CO.extended_due_on, CO.due_on) < as_of))]
    orders = db.session.execute(sa.select(CO).where(CO.id.in_([i for i, _ in pairs]))).scalars().all()
    balances = ledger.reference_balances(orders, as_of)
    out: dict[int, Decimal] = {}
    for order_id, band in pairs:
        out[band] = out.get(band, ZERO) + balances[order_id].interest
    return out


def _compensation(filters: ReportFilters, as_of: dt.date) -> Compensation:
    directed = sa.cast(sa.func.round(CO.compensation_amount * 100), sa.BigInteger)
    received = _paid_to(as_of)
    to_victims = sa.case((received <= 0, 0), (received < directed, received), else_=directed)
    row = db.session.execute(
        _orders(filters, sa.func.count().label("n"), sa.func.coalesce(sa.func.sum(directed), 0).label("d"),
                sa.func.coalesce(sa.func.sum(to_victims), 0).label("p"))
        .where(CO.compensation_amount > 0, CO.made_on <= as_of)).one()
    return Compensation(int(row.n), ledger.from_pence(row.d), ledger.from_pence(row.p))


def confiscation_report(filters: ReportFilters) -> ConfiscationReport:
    """A fixed six queries whatever the number of orders and payments."""
    as_of = filters.last
    rows = _by_period(filters)
    total = ConfiscationRow("Total", sum(r.orders_made for r in rows),
                            sum((r.value_made for r in rows), ZERO),
                            sum((r.collected for r in rows), ZERO), sum(r.restraint_orders for r in rows))
    ageing = _ageing(filters, as_of)
    ageing_total = AgeRow("Total", sum(a.orders for a in ageing), sum((a.principal for a in ageing), ZERO),
                          sum((a.interest for a in ageing), ZERO))
    return ConfiscationReport(filters, as_of, rows, total, ageing, ageing_total,
                              _compensation(filters, as_of))
