"""Confiscation and ancillary-order reports as neutral tables (rendered by every format)."""

from __future__ import annotations

from decimal import Decimal

from casework.core.templating import format_uk_date
from casework.reports import rules
from casework.reports.confiscation_queries import AgeRow, ConfiscationReport, ConfiscationRow
from casework.reports.order_queries import AncillaryReport, ObtainedRow
from casework.reports.review import QuarterlyReview, ReviewLine
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


# --- quarterly performance review ------------------------------------------------------------

def _summary_rows(line: ReviewLine) -> list[list[Cell]]:
    c, p, y = line.current, line.previous, line.year_earlier
    rows: list[list[Cell]] = []
    for label, attr in [("Defendants finalised", "finalised"), ("Convictions", "convictions"),
                        ("Confiscation orders made", "confiscation_orders"),
                        ("Value of confiscation orders made (£)", "confiscation_value"),
                        ("Amounts collected (£)", "collected"),
                        ("Restraint orders obtained", "restraint_orders"),
                        ("Ancillary orders obtained", "ancillary_orders"),
                        ("Breaches of ancillary orders", "breaches")]:
        now, before, then = getattr(c, attr), getattr(p, attr), getattr(y, attr)
        rows.append([label, now, before, rules.change(now, before), then, rules.change(now, then)])
    for label, attr in [("Conviction rate (%)", "conviction_rate"),
                        ("Trial conviction rate (%)", "trial_conviction_rate")]:
        now, before, then = getattr(c, attr), getattr(p, attr), getattr(y, attr)
        rows.insert(2 if attr == "conviction_rate" else 3, [
            label, now, before, rules.rate_change(now, before), then, rules.rate_change(now, then)])
    return rows


def _slice_tables(kind: str, lines: list[ReviewLine], review: QuarterlyReview) -> list[Table]:
    q, pq, yq = review.quarter.label, review.previous.label, review.year_earlier.label
    name = "organised-crime type" if kind == "type" else "unit"
    first = Column("Organised-crime type" if kind == "type" else "Unit", "text")
    conviction = Table(
        f"Conviction rate by {name}, {q}",
        [first, Column("Finalised"), Column("Conviction rate", "rate"),
         Column(f"Change on {pq} (points)", "num"), Column(f"Change on {yq} (points)", "num")],
        [[ln.label, ln.current.finalised, ln.current.conviction_rate,
          rules.rate_change(ln.current.conviction_rate, ln.previous.conviction_rate),
          rules.rate_change(ln.current.conviction_rate, ln.year_earlier.conviction_rate)] for ln in lines],
        chart=Chart(f"Conviction rate by {name}, {q} (%)", [ln.label for ln in lines],
                    [None if ln.current.conviction_rate is None else Decimal(ln.current.conviction_rate)
                     for ln in lines]) if kind == "type" else None)
    money = Table(
        f"Confiscation by {name}, {q}",
        [first, Column("Orders made"), Column("Value of orders made", "money"),
         Column(f"Change on {pq} (£)", "num"), Column(f"Change on {yq} (£)", "num"),
         Column("Amounts collected", "money")],
        [[ln.label, ln.current.confiscation_orders, ln.current.confiscation_value,
          rules.change(ln.current.confiscation_value, ln.previous.confiscation_value),
          rules.change(ln.current.confiscation_value, ln.year_earlier.confiscation_value),
          ln.current.collected] for ln in lines])
    orders = Table(
        f"Ancillary orders by {name}, {q}",
        [first, Column("Obtained"), Column(f"Change on {pq}", "num"), Column(f"Change on {yq}", "num"),
         Column("Breaches")],
        [[ln.label, ln.current.ancillary_orders,
          rules.change(ln.current.ancillary_orders, ln.previous.ancillary_orders),
          rules.change(ln.current.ancillary_orders, ln.year_earlier.ancillary_orders),
          ln.current.breaches] for ln in lines])
    return [conviction, money, orders]


def review_document(review: QuarterlyReview) -> ReportDocument:
    f, q = review.filters, review.quarter
    scope = f.unit.name if f.unit else "all your units" if f.unit_ids else "all units"
    subtitle = (f"{q.label} ({format_uk_date(q.starts_on)} to {format_uk_date(q.ends_on)}), {scope}"
                + (f", {f.crime_type.name}" if f.crime_type else ""))
    summary = Table(
        f"Summary, {q.label}",
        [Column("Measure", "text"), Column(q.label, "num"), Column(review.previous.label, "num"),
         Column(f"Change on {review.previous.label}", "num"), Column(review.year_earlier.label, "num"),
         Column(f"Change on {review.year_earlier.label}", "num")],
        _summary_rows(review.overall),
        note="Rate changes are in percentage points. Conviction rate: CPS definition (all "
             "finalised defendants in the denominator); trial conviction rate shown separately.")
    return ReportDocument(
        "Quarterly performance review", subtitle,
        f"quarterly-review-{q.label.replace(' ', '-')}",
        [summary, *_slice_tables("type", review.by_crime_type, review),
         *_slice_tables("unit", review.by_unit, review)])
