"""Ancillary-order figures, aggregated in SQL (DOMAIN.md 1; DESIGN.md convention 10).

Orders obtained count in the period containing ``made_on``. "Active" and "pending release" use
the register's own SQL for ``orders.rules.status_of`` on the report's end date, so the figures
agree with the register. Three queries whatever the number of orders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from casework.cases.models import Case, Defendant
from casework.extensions import db
from casework.orders.models import AncillaryOrder, OrderBreach, Prosecution
from casework.orders.queries import status_clause
from casework.orders.rules import OrderStatus, OrderType
from casework.reports.filters import ReportFilters
from casework.reports.periods import Grouping, Period, period_key, period_of
from casework.reports.queries import scope_conditions

AO = AncillaryOrder


@dataclass(frozen=True)
class ObtainedRow:
    period: str
    by_type: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_type.values())


@dataclass(frozen=True)
class TypeSnapshot:
    """One order type: obtained in the range, and its state on the report's end date."""

    type: str
    label: str
    obtained: int
    active: int
    pending_release: int
    expiring_next_quarter: int
    breaches: int


@dataclass(frozen=True)
class BreachOutcome:
    outcome: str
    label: str
    count: int


@dataclass(frozen=True)
class AncillaryReport:
    filters: ReportFilters
    as_of: dt.date
    next_quarter: Period
    obtained: list[ObtainedRow]
    obtained_total: ObtainedRow
    by_type: list[TypeSnapshot]
    breaches: list[BreachOutcome]


def _base(filters: ReportFilters, *columns: Any) -> sa.Select[Any]:
    return (sa.select(*columns).select_from(AO)
            .join(Defendant, AO.defendant_id == Defendant.id).join(Case, Defendant.case_id == Case.id)
            .where(*scope_conditions(filters, AO.unit_id, Case.crime_type_id)))


def _count_if(condition: Any) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def obtained_by_period(filters: ReportFilters) -> list[ObtainedRow]:
    key = period_key(AO.made_on, filters.grouping).label("period_key")
    found: dict[int, dict[str, int]] = {}
    for row in db.session.execute(
            _base(filters, key, AO.type, sa.func.count().label("n"))
            .where(AO.made_on.between(filters.first, filters.last)).group_by(key, AO.type)):
        found.setdefault(int(row.period_key), {})[OrderType(row.type).value] = int(row.n)
    return [ObtainedRow(p.label, {t.value: found.get(p.key, {}).get(t.value, 0) for t in OrderType})
            for p in filters.periods]


def snapshot_by_type(filters: ReportFilters, as_of: dt.date, next_quarter: Period) -> list[TypeSnapshot]:
    """Per type: obtained in range, active and pending release on ``as_of``, ending next quarter,
    and breaches that occurred in the range."""
    breaches = (sa.select(sa.func.count()).where(
        OrderBreach.order_id == AO.id, OrderBreach.occurred_on.between(filters.first, filters.last))
        .correlate(AO).scalar_subquery())
    ending = sa.and_(status_clause(OrderStatus.ACTIVE, as_of), AO.indefinite.is_(False),
                     AO.ends_on.between(next_quarter.starts_on, next_quarter.ends_on))
    stmt = _base(filters, AO.type,
                 _count_if(AO.made_on.between(filters.first, filters.last)).label("obtained"),
                 _count_if(status_clause(OrderStatus.ACTIVE, as_of)).label("active"),
                 _count_if(status_clause(OrderStatus.PENDING_RELEASE, as_of)).label("pending"),
                 _count_if(ending).label("ending"),
                 sa.func.coalesce(sa.func.sum(breaches), 0).label("breaches"),
                 ).where(AO.made_on <= as_of).group_by(AO.type)
    found = {OrderType(r.type): r for r in db.session.execute(stmt)}
    return [TypeSnapshot(t.value, t.label, *(int(getattr(found[t], c)) if t in found else 0
                                             for c in ("obtained", "active", "pending", "ending",
                                                       "breaches")))
            for t in OrderType]


def breaches_by_outcome(filters: ReportFilters) -> list[BreachOutcome]:
    stmt = (_base(filters, OrderBreach.prosecution, sa.func.count().label("n"))
            .join(OrderBreach, OrderBreach.order_id == AO.id)
            .where(OrderBreach.occurred_on.between(filters.first, filters.last))
            .group_by(OrderBreach.prosecution))
    found = {Prosecution(r.prosecution): int(r.n) for r in db.session.execute(stmt)}
    return [BreachOutcome(p.value, p.label, found.get(p, 0)) for p in Prosecution]


def ancillary_report(filters: ReportFilters) -> AncillaryReport:
    """Three queries: obtained by period and type; state by type; breaches by outcome."""
    as_of = filters.last
    next_quarter = period_of(period_of(as_of, Grouping.QUARTER).ends_on + dt.timedelta(days=1),
                             Grouping.QUARTER)
    obtained = obtained_by_period(filters)
    total = ObtainedRow("Total", {t.value: sum(r.by_type[t.value] for r in obtained) for t in OrderType})
    return AncillaryReport(filters, as_of, next_quarter, obtained, total,
                           snapshot_by_type(filters, as_of, next_quarter), breaches_by_outcome(filters))
