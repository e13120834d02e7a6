"""Conviction-rate figures, aggregated in SQL (DOMAIN.md 3.1, 3.2; DESIGN.md convention 10).

A defendant counts once, in the period containing ``finalised_on``, under their recorded
outcome. Each report is a fixed number of queries whatever the number of defendants: one
``GROUP BY period`` query and one ``GROUP BY principal offence`` query, each counting all seven
outcomes with ``SUM(CASE ...)``. The formula itself lives only in ``reports.rules``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from casework.cases.models import Case, Defendant
from casework.cases.rules import OffenceCategory, Outcome
from casework.extensions import db
from casework.reports import rules
from casework.reports.filters import ReportFilters
from casework.reports.periods import period_from_key, period_key

NO_PRINCIPAL_OFFENCE = "No principal offence (administrative finalisations)"


@dataclass(frozen=True)
class OutcomeRow:
    """One line of the conviction-rate table: the seven outcome counts and the derived figures."""

    period: str
    counts: Mapping[str, int] = field(default_factory=dict)
    key: str = ""

    def count(self, outcome: str) -> int:
        return int(self.counts.get(outcome, 0))

    @property
    def convictions(self) -> int:
        return rules.convictions(self.counts)

    @property
    def finalised(self) -> int:
        return rules.finalised(self.counts)

    @property
    def conviction_rate(self) -> str | None:
        return rules.conviction_rate(self.counts)

    @property
    def trials(self) -> int:
        return rules.trials(self.counts)

    @property
    def trial_conviction_rate(self) -> str | None:
        return rules.trial_conviction_rate(self.counts)

    def as_api(self) -> dict[str, Any]:
        """Exactly the row shape in API.md."""
        return {"period": self.period,
                **{code: self.count(code) for code in rules.OUTCOME_COLUMNS},
                "convictions": self.convictions, "finalised": self.finalised,
                "conviction_rate": self.conviction_rate}


@dataclass(frozen=True)
class ConvictionReport:
    filters: ReportFilters
    rows: list[OutcomeRow]
    total: OutcomeRow
    by_offence: list[OutcomeRow]


def scope_conditions(filters: ReportFilters, unit_column: Any, crime_type_column: Any | None
                     ) -> list[sa.ColumnElement[bool]]:
    """The user's unit scope AND the chosen unit and crime type (never widening the scope)."""
    conditions: list[sa.ColumnElement[bool]] = []
    if filters.unit_ids is not None:
        conditions.append(unit_column.in_(filters.unit_ids or (-1,)))
    if filters.unit is not None:
        conditions.append(unit_column == filters.unit.id)
    if filters.crime_type is not None and crime_type_column is not None:
        conditions.append(crime_type_column == filters.crime_type.id)
    return conditions


def _outcome_sums() -> list[sa.ColumnElement[Any]]:
    return [sa.func.coalesce(sa.func.sum(sa.case((Defendant.outcome == Outcome(code), 1), else_=0)),
                             0).label(code)
            for code in rules.OUTCOME_COLUMNS]


def _finalised_in(filters: ReportFilters, *columns: Any) -> sa.Select[Any]:
    return (sa.select(*columns, *_outcome_sums())
            .select_from(Defendant).join(Case, Defendant.case_id == Case.id)
            .where(Defendant.outcome.is_not(None),
                   Defendant.finalised_on.between(filters.first, filters.last),
                   *scope_conditions(filters, Case.unit_id, Case.crime_type_id)))


def _counts(row: Any) -> dict[str, int]:
    return {code: int(getattr(row, code) or 0) for code in rules.OUTCOME_COLUMNS}


def total_of(rows: Iterable[OutcomeRow], label: str = "Total") -> OutcomeRow:
    """Sum already-aggregated rows (a handful of period lines, never defendants)."""
    counts = dict.fromkeys(rules.OUTCOME_COLUMNS, 0)
    for row in rows:
        for code in rules.OUTCOME_COLUMNS:
            counts[code] += row.count(code)
    return OutcomeRow(label, counts, key="total")


def outcomes_by_period(filters: ReportFilters) -> list[OutcomeRow]:
    """One row per period in the range (periods with nothing finalised show zeros)."""
    key = period_key(Defendant.finalised_on, filters.grouping).label("period_key")
    found = {int(r.period_key): _counts(r) for r in db.session.execute(
        _finalised_in(filters, key).group_by(key).order_by(key))}
    rows = [OutcomeRow(p.label, found.pop(p.key, dict.fromkeys(rules.OUTCOME_COLUMNS, 0)),
                       key=str(p.key)) for p in filters.periods]
    # Anything left is outside the computed periods (cannot happen; kept visible rather than lost)
    rows += [OutcomeRow(period_from_key(k, filters.grouping).label, c, key=str(k))
             for k, c in sorted(found.items())]
    return rows


def outcomes_by_offence(filters: ReportFilters) -> list[OutcomeRow]:
    """One row per principal offence category with any finalisations, in CPS order; admin
    finalisations have no principal offence and are shown separately (DOMAIN.md 3.1)."""
    category = Defendant.principal_offence.label("category")
    found = {r.category: _counts(r) for r in db.session.execute(
        _finalised_in(filters, category).group_by(Defendant.principal_offence))}
    rows = [OutcomeRow(c.label, found[c], key=c.value) for c in OffenceCategory if c in found]
    if None in found:
        rows.append(OutcomeRow(NO_PRINCIPAL_OFFENCE, found[None], key="none"))
    return rows


def conviction_report(filters: ReportFilters) -> ConvictionReport:
    """Two queries: outcomes by period and by principal offence category."""
    rows = outcomes_by_period(filters)
    return ConvictionReport(filters, rows, total_of(rows), outcomes_by_offence(filters))
