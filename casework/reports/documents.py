"""Confiscation and ancillary-order reports as neutral tables (rendered by every format)."""

from __future__ import annotations

from decimal import Decimal

from casework.core.templating import format_uk_date
from casework.reports.confiscation_queries import AgeRow, ConfiscationReport, ConfiscationRow
from casework.reports.order_queries import AncillaryReport, ObtainedRow
from casework.reports.tables import Cell, Chart, Column, ReportDocument, Table

CONFISCATION_COLUMNS = [Column("Period", "text"), Column("Confiscation orders made"),
                        Column("Value of orders made", "money"), Column("Amounts collected", "money"),
                        Column("Restraint orders obtained")]


def _confiscation_cells(row: ConfiscationRow) -> list[Cell]:
    return [row.period, row.orders_made, row.value_made, row.collected, row.restraint_orders]


def _age_cells(row: AgeRow) -> list[Cell]:
    return [row.band, row.orders, row.principal, row.interest, row.outstanding]


def confiscation_tables(report: ConfiscationReport) -> list[Table]:
    grouping = report.filters.grouping.label.lower()
    on = format_uk_date(report.as_of)
    comp = report.compensation
    return [
        Table(f"Confiscation orders, collection and restraint by {grouping}", CONFISCATION_COLUMNS,
              [_confiscation_cells(r) for r in report.rows], _confiscation_cells(report.total),
              Chart(f"Amounts collected by {grouping} (£)", [r.period for r in report.rows],
                    [r.collected for r in report.rows], kind="money"),
              note="Value is the amount of each order when made (POCA 2002 s.6). Amounts collected "
                   "are payments received in the period, less any reversed."),
        Table(f"Outstanding balances on {on}, by age", [
            Column("Age since payment fell due", "text"), Column("Live orders"),
            Column("Unpaid amount", "money"), Column("Interest (POCA s.12)", "money"),
            Column("Total outstanding", "money")],
            [_age_cells(a) for a in report.ageing], _age_cells(report.ageing_total),
            note="Interest runs at the civil judgment-debt rate on sums unpaid after the due date "
                 "(POCA 2002 s.12); age counts from the due date after any s.11 extension."),
        Table(f"Compensation paid to victims, to {on}", [
            Column("Orders with compensation", "text"), Column("Orders"),
            Column("Compensation directed", "money"), Column("Compensation paid", "money")],
            [["All", comp.orders, comp.directed, comp.paid]],
            note="Where the court directs it, compensation is paid first out of sums recovered "
                 "(POCA 2002 s.13(5) and (6))."),
    ]


def confiscation_document(report: ConfiscationReport) -> ReportDocument:
    f = report.filters
    return ReportDocument("Confiscation", f.describe(),
                          f"confiscation-{f.first.isoformat()}-to-{f.last.isoformat()}",
                          confiscation_tables(report))


def _obtained_cells(row: ObtainedRow, types: list[str]) -> list[Cell]:
    return [row.period, *(row.by_type[t] for t in types), row.total]


def ancillary_tables(report: AncillaryReport) -> list[Table]:
    from casework.orders.rules import OrderType

    types = [t.value for t in OrderType]
    grouping = report.filters.grouping.label.lower()
    on = format_uk_date(report.as_of)
    nq = report.next_quarter
    return [
        Table(f"Ancillary orders obtained by {grouping}",
              [Column("Period", "text"), *(Column(t.value.upper()) for t in OrderType), Column("Total")],
              [_obtained_cells(r, types) for r in report.obtained],
              _obtained_cells(report.obtained_total, types),
              Chart(f"Ancillary orders obtained by {grouping}", [r.period for r in report.obtained],
                    [Decimal(r.total) for r in report.obtained], kind="int")),
        Table(f"Orders by type on {on}", [
            Column("Order type", "text"), Column("Obtained in the period"), Column("Active"),
            Column("Pending release"), Column(f"Ending in {nq.label}"), Column("Breaches in the period")],
            [[s.label, s.obtained, s.active, s.pending_release, s.expiring_next_quarter, s.breaches]
             for s in report.by_type],
            ["Total", *(sum(getattr(s, a) for s in report.by_type) for a in
                        ("obtained", "active", "pending_release", "expiring_next_quarter", "breaches"))],
            note=f"Ending in {nq.label}: active orders whose end date falls between "
                 f"{format_uk_date(nq.starts_on)} and {format_uk_date(nq.ends_on)}, needing a decision "
                 "on renewal or a fresh application."),
        Table("Breaches in the period and their outcomes", [
            Column("Prosecution for the breach", "text"), Column("Breaches")],
            [[b.label, b.count] for b in report.breaches],
            ["Total", sum(b.count for b in report.breaches)]),
    ]


def ancillary_document(report: AncillaryReport) -> ReportDocument:
    f = report.filters
    return ReportDocument("Ancillary orders", f.describe(),
                          f"ancillary-orders-{f.first.isoformat()}-to-{f.last.isoformat()}",
                          ancillary_tables(report))
