"""Quarterly performance review: conviction rate, confiscation and ancillary orders for one
financial quarter, by organised-crime type and by unit, with the change on the previous quarter
and on the same quarter a year earlier.

Each measure is one SQL query grouped by (slice, quarter) over the five quarters from the year
earlier to the current one, for each of the two slicings: twelve queries whatever the number of
records. The overall line is the sum of the crime-type slices (every record has one crime type).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from casework.cases.models import Case, Defendant
from casework.confiscation import ledger
from casework.confiscation.models import ConfiscationOrder, Payment, RestraintOrder
from casework.extensions import db
from casework.orders.models import AncillaryOrder, OrderBreach
from casework.reports import rules
from casework.reports.filters import ReportFilters
from casework.reports.periods import Grouping, Period, period_key, period_of, previous, year_earlier
from casework.reports.queries import scope_conditions
from casework.units.models import CrimeType, Unit

CO, AO = ConfiscationOrder, AncillaryOrder


@dataclass
class Figures:
    """Everything the review shows for one slice in one quarter."""

    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(rules.OUTCOME_COLUMNS, 0))
    confiscation_orders: int = 0
    confiscation_value: Decimal = Decimal("0.00")
    collected: Decimal = Decimal("0.00")
    restraint_orders: int = 0
    ancillary_orders: int = 0
    breaches: int = 0

    @property
    def finalised(self) -> int:
        return rules.finalised(self.outcomes)

    @property
    def convictions(self) -> int:
        return rules.convictions(self.outcomes)

    @property
    def conviction_rate(self) -> str | None:
        return rules.conviction_rate(self.outcomes)

    @property
    def trial_conviction_rate(self) -> str | None:
        return rules.trial_conviction_rate(self.outcomes)

    def add(self, other: Figures) -> None:
        for code in rules.OUTCOME_COLUMNS:
            self.outcomes[code] += other.outcomes[code]
        for name in ("confiscation_orders", "confiscation_value", "collected", "restraint_orders",
                     "ancillary_orders", "breaches"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class ReviewLine:
    label: str
    current: Figures = field(default_factory=Figures)
    previous: Figures = field(default_factory=Figures)
    year_earlier: Figures = field(default_factory=Figures)


@dataclass(frozen=True)
class QuarterlyReview:
    filters: ReportFilters
    quarter: Period
    previous: Period
    year_earlier: Period
    overall: ReviewLine
    by_crime_type: list[ReviewLine]
    by_unit: list[ReviewLine]


Slicer = Callable[[], Any]


def _measures(filters: ReportFilters) -> list[tuple[Any, Any, list[Any], Callable[[Figures, Any], None]]]:
    """(date column, FROM/JOIN select, aggregate columns, how to store a row) per measure."""
    def outcomes(fig: Figures, row: Any) -> None:
        fig.outcomes.update({c: int(getattr(row, c) or 0) for c in rules.OUTCOME_COLUMNS})

    def money_made(fig: Figures, row: Any) -> None:
        fig.confiscation_orders, fig.confiscation_value = int(row.n), ledger.from_pence(row.v)

    sums = [sa.func.coalesce(sa.func.sum(sa.case((Defendant.outcome == c, 1), else_=0)), 0).label(c)
            for c in rules.OUTCOME_COLUMNS]
    return [
        (Defendant.finalised_on, sa.select().select_from(Defendant).join(Case, Defendant.case_id == Case.id)
         .where(Defendant.outcome.is_not(None)), sums, outcomes),
        (CO.made_on, sa.select().select_from(CO).join(Case, CO.case_id == Case.id),
         [sa.func.count().label("n"), ledger.pence_sum(CO.original_amount).label("v")],  # type: ignore[arg-type]
         money_made),
        (Payment.received_on, sa.select().select_from(Payment).join(CO, Payment.order_id == CO.id)
         .join(Case, CO.case_id == Case.id), [ledger.pence_sum(Payment.amount).label("v")],  # type: ignore[arg-type]
         lambda fig, row: setattr(fig, "collected", ledger.from_pence(row.v))),
        (RestraintOrder.made_on, sa.select().select_from(RestraintOrder)
         .join(Case, RestraintOrder.case_id == Case.id), [sa.func.count().label("n")],
         lambda fig, row: setattr(fig, "restraint_orders", int(row.n))),
        (AO.made_on, sa.select().select_from(AO).join(Defendant, AO.defendant_id == Defendant.id)
         .join(Case, Defendant.case_id == Case.id), [sa.func.count().label("n")],
         lambda fig, row: setattr(fig, "ancillary_orders", int(row.n))),
        (OrderBreach.occurred_on, sa.select().select_from(OrderBreach)
         .join(AO, OrderBreach.order_id == AO.id).join(Defendant, AO.defendant_id == Defendant.id)
         .join(Case, Defendant.case_id == Case.id), [sa.func.count().label("n")],
         lambda fig, row: setattr(fig, "breaches", int(row.n))),
    ]


def _collect(filters: ReportFilters, slice_column: Any, first: Period, last: Period
             ) -> dict[tuple[int, int], Figures]:
    """{(slice id, quarter key): Figures} for every measure: one grouped query per measure."""
    out: dict[tuple[int, int], Figures] = {}
    for date_column, base, aggregates, store in _measures(filters):
        key = period_key(date_column, Grouping.QUARTER).label("k")
        stmt = (base.add_columns(slice_column.label("s"), key, *aggregates)
                .where(date_column.between(first.starts_on, last.ends_on),
                       *scope_conditions(filters, Case.unit_id, Case.crime_type_id))
                .group_by(slice_column, key))
        for row in db.session.execute(stmt):
            store(out.setdefault((int(row.s), int(row.k)), Figures()), row)
    return out


def _lines(found: dict[tuple[int, int], Figures], slices: list[tuple[int, str]],
           periods: tuple[Period, Period, Period]) -> list[ReviewLine]:
    """One line per slice with anything to show in any of the three quarters."""
    lines = []
    for slice_id, label in slices:
        if not any((slice_id, p.key) in found for p in periods):
            continue
        figures = [found.get((slice_id, p.key), Figures()) for p in periods]
        lines.append(ReviewLine(label, *figures))
    return lines


def quarterly_review(filters: ReportFilters) -> QuarterlyReview:
    """The quarter containing ``filters.last``, against the one before and a year before."""
    quarter = period_of(filters.last, Grouping.QUARTER)
    prev, earlier = previous(quarter, Grouping.QUARTER), year_earlier(quarter, Grouping.QUARTER)
    three = (quarter, prev, earlier)
    crime_types = db.session.execute(sa.select(CrimeType.id, CrimeType.name)
                                     .order_by(CrimeType.position, CrimeType.name)).all()
    units_q = sa.select(Unit.id, Unit.name).order_by(Unit.kind, Unit.name)
    if filters.unit_ids is not None:
        units_q = units_q.where(Unit.id.in_(filters.unit_ids or (-1,)))
    if filters.unit is not None:
        units_q = units_q.where(Unit.id == filters.unit.id)
    by_type = _lines(_collect(filters, Case.crime_type_id, earlier, quarter),
                     [(r.id, r.name) for r in crime_types], three)
    by_unit = _lines(_collect(filters, Case.unit_id, earlier, quarter),
                     [(r.id, r.name) for r in db.session.execute(units_q)], three)
    overall = ReviewLine("All")
    for line in by_type:
        for part in ("current", "previous", "year_earlier"):
            getattr(overall, part).add(getattr(line, part))
    if filters.crime_type is not None:
        by_type = [line for line in by_type if line.label == filters.crime_type.name]
    return QuarterlyReview(filters, quarter, prev, earlier, overall, by_type, by_unit)
