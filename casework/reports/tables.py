"""Report dataclasses turned into neutral tables, charts and documents.

Every format (HTML, CSV, Excel, PDF) renders one ``ReportDocument`` built here from the query
dataclasses, so the figures cannot differ between formats (DESIGN.md convention 10).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from casework.core.money import format_gbp
from casework.reports import rules
from casework.reports.queries import ConvictionReport, OutcomeRow

Cell = int | Decimal | str | None
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "int"  # int | rate | money | num (mixed figures, shown as given) | text

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


@dataclass(frozen=True)
class Chart:
    """A bar chart of one numeric column: labels and values (None = no figure)."""

    title: str
    labels: list[str]
    values: list[Decimal | None]
    kind: str = "rate"  # rate (0-100) | int | money

    @property
    def maximum(self) -> Decimal:
        if self.kind == "rate":
            return Decimal(100)
        return max((v for v in self.values if v is not None), default=Decimal(0)) or Decimal(1)

    def bars(self) -> list[tuple[str, Decimal | None, int]]:
        """(label, value, width as a whole percentage of the largest possible value)."""
        top = self.maximum
        return [(label, value, 0 if value is None else int(value * 100 / top))
                for label, value in zip(self.labels, self.values)]


@dataclass(frozen=True)
class Table:
    title: str
    columns: list[Column]
    rows: list[list[Cell]]
    total: list[Cell] | None = None
    chart: Chart | None = None
    note: str = ""

    @property
    def all_rows(self) -> list[list[Cell]]:
        return self.rows + ([self.total] if self.total else [])


@dataclass(frozen=True)
class ReportDocument:
    title: str
    subtitle: str
    filename: str  # stem, e.g. conviction-rates-2026-04-01-to-2026-10-31
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def display(value: Cell, kind: str) -> str:
    """How a cell reads on screen and in the PDF: 1,234 / 84.7% / £1,234.00 / – for no figure."""
    if value is None:
        return "–"
    if kind == "int":
        return f"{int(value):,}"
    if kind == "rate":
        return f"{value}%"
    if kind == "money":
        return format_gbp(Decimal(value))
    if kind == "num":
        return _grouped(value)
    return str(value)


def _grouped(value: Cell) -> str:
    """A figure with thousands separators, keeping its sign and decimal places ("+1,234.50")."""
    if isinstance(value, int):
        return f"{value:,}"
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    exponent = number.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    text = f"{number:,.{places}f}"
    return f"+{text}" if str(value).startswith("+") else text


def _rate(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


OUTCOME_TABLE_COLUMNS = [
    *(Column(rules.OUTCOME_LABELS[c]) for c in rules.OUTCOME_COLUMNS),
    Column("Convictions"), Column("Finalised"), Column("Conviction rate", "rate"),
]


def outcome_cells(row: OutcomeRow) -> list[Cell]:
    return [row.period, *(row.count(c) for c in rules.OUTCOME_COLUMNS), row.convictions,
            row.finalised, row.conviction_rate]


def _trial_cells(row: OutcomeRow) -> list[Cell]:
    return [row.period, row.count("convicted_after_trial"), row.trials, row.trial_conviction_rate]


def conviction_tables(report: ConvictionReport, first_heading: str = "Period") -> list[Table]:
    grouping = report.filters.grouping.label.lower()
    rows = report.rows
    return [
        Table(f"Defendants finalised by {grouping}",
              [Column(first_heading, "text"), *OUTCOME_TABLE_COLUMNS],
              [outcome_cells(r) for r in rows], outcome_cells(report.total),
              Chart(f"Conviction rate by {grouping} (%)", [r.period for r in rows],
                    [_rate(r.conviction_rate) for r in rows]),
              note=CONVICTION_RATE_NOTE),
        Table("Trial conviction rate (shown separately)",
              [Column(first_heading, "text"), Column("Convicted after trial"), Column("Trials"),
               Column("Trial conviction rate", "rate")],
              [_trial_cells(r) for r in rows], _trial_cells(report.total), note=TRIAL_RATE_NOTE),
        Table("By principal offence category",
              [Column("Principal offence category", "text"), *OUTCOME_TABLE_COLUMNS],
              [outcome_cells(r) for r in report.by_offence],
              outcome_cells(report.total) if report.by_offence else None),
    ]


CONVICTION_RATE_NOTE = (
    "Conviction rate = (guilty pleas + convictions after trial + proved in absence) divided by "
    "all defendants finalised, including dropped cases, directed acquittals and administrative "
    "finalisations (CPS definition). Counted per defendant, in the period of finalisation.")
TRIAL_RATE_NOTE = (
    "Trial conviction rate = convictions after trial divided by trials (convictions after trial + "
    "acquittals after trial + judge directed or ordered acquittals). Guilty pleas are left out.")


def conviction_document(report: ConvictionReport) -> ReportDocument:
    f = report.filters
    return ReportDocument(
        "Conviction rate", f.describe(),
        f"conviction-rates-{f.first.isoformat()}-to-{f.last.isoformat()}",
        conviction_tables(report))


def formula_safe(value: str) -> str:
    """Escape a text cell a spreadsheet would run as a formula (= + - @, tab, CR) with a quote.

    A plain signed number ("-33.3", "+2") is data, not a formula, and is left alone."""
    if value and value[0] in ("=", "+", "-", "@", "\t", "\r") and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def header_labels(table: Table) -> Sequence[str]:
    return [c.label + (" (%)" if c.kind == "rate" else " (£)" if c.kind == "money" else "")
            for c in table.columns]


def as_text_cell(value: Any) -> str:
    """The plain value written to CSV: numbers as digits, rates to one decimal place."""
    if value is None:
        return ""
    if isinstance(value, str):
        return formula_safe(value)
    return str(value)
