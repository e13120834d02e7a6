"""CSV and Excel renderings of a ReportDocument (the same figures as the HTML page).

Text cells that a spreadsheet would run as a formula are escaped with a leading quote (OWASP
CSV injection); numbers stay numbers. Rates keep one decimal place (DOMAIN.md 3.2).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from casework.reports.tables import ReportDocument, Table, as_text_cell, formula_safe, header_labels

MARKING = "OFFICIAL-SENSITIVE"


def to_csv(document: ReportDocument) -> str:
    """One CSV: the marking and title, then each table with a blank line between."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([MARKING])
    writer.writerow([formula_safe(document.title), formula_safe(document.subtitle)])
    for table in document.tables:
        writer.writerow([])
        writer.writerow([formula_safe(table.title)])
        writer.writerow(header_labels(table))
        for row in table.all_rows:
            writer.writerow([as_text_cell(v) for v in row])
    return out.getvalue()


_FORMATS = {"int": "#,##0", "rate": "0.0", "money": "£#,##0.00"}


def to_xlsx(document: ReportDocument) -> bytes:
    """One worksheet per table, header row bold and frozen, numbers as Excel numbers."""
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for table in document.tables:
        sheet = workbook.create_sheet(_sheet_name(table.title, used))
        sheet.freeze_panes = "A4"
        sheet.append([MARKING])
        sheet.append([formula_safe(document.title), formula_safe(document.subtitle)])
        sheet.append([_bold(sheet, label) for label in header_labels(table)])
        for row in table.all_rows:
            sheet.append([_cell(sheet, value, column.kind) for value, column in zip(row, table.columns)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bold(sheet: object, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=formula_safe(text))
    cell.font = Font(bold=True)
    return cell


def _cell(sheet: object, value: object, kind: str) -> WriteOnlyCell | str | None:
    if value is None:
        return None
    if kind == "text" or isinstance(value, str) and kind not in _FORMATS:
        return WriteOnlyCell(sheet, value=formula_safe(str(value)))
    number = Decimal(str(value)) if not isinstance(value, int) else value
    cell = WriteOnlyCell(sheet, value=number)
    cell.number_format = _FORMATS.get(kind, "General")
    return cell


def _sheet_name(title: str, used: set[str]) -> str:
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Sheet"
    base, n = name, 2
    while name in used:
        suffix = f" {n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def table_rows_as_text(table: Table) -> list[list[str]]:
    """Plain strings for every row (used by tests and by the monthly email summary)."""
    return [[as_text_cell(v) for v in row] for row in table.all_rows]
