"""CSV/Excel escaping and on-screen formatting of report cells (no database)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from casework.reports import exports
from casework.reports.tables import Column, ReportDocument, Table, display, formula_safe


@pytest.mark.parametrize("raw, safe", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("@SUM(A1)", "'@SUM(A1)"),
    ("+1+1", "'+1+1"), ("-2+3", "'-2+3"), ("\tcmd", "'\tcmd"), ("\rx", "'\rx"),
    ("-33.3", "-33.3"), ("+2", "+2"), ("Operation Ładny", "Operation Ładny"), ("", ""),
])
def test_formula_injection_is_escaped(raw, safe):
    assert formula_safe(raw) == safe


def _doc(name: str) -> ReportDocument:
    table = Table("T", [Column("Name", "text"), Column("Count"), Column("Rate", "rate"),
                        Column("Value", "money")],
                  [[name, 1234, "84.7", Decimal("1234567.50")], ["None", 0, None, Decimal("0.00")]])
    return ReportDocument("=cmd|' /C calc'!A0", "sub", "f", [table])


def test_csv_escapes_text_and_keeps_numbers():
    rows = list(csv.reader(io.StringIO(exports.to_csv(_doc("=1+2")))))
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert rows[4] == ["Name", "Count", "Rate (%)", "Value (£)"]
    assert rows[5] == ["'=1+2", "1234", "84.7", "1234567.50"]
    assert rows[6] == ["None", "0", "", "0.00"]


def test_excel_never_stores_a_formula():
    book = load_workbook(io.BytesIO(exports.to_xlsx(_doc("=1+2"))))
    sheet = book.worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert sheet["A4"].value == "'=1+2" and sheet["B4"].value == 1234
    assert sheet["C4"].value == pytest.approx(84.7) and sheet["C4"].number_format == "0.0"
    assert sheet["D4"].value == pytest.approx(1234567.5)


@pytest.mark.parametrize("value, kind, text", [
    (1234, "int", "1,234"), ("84.7", "rate", "84.7%"), (None, "rate", "–"),
    (Decimal("1234.5"), "money", "£1,234.50"), ("+1234.50", "num", "+1,234.50"),
    ("-33.3", "num", "-33.3"), (12, "num", "12"), ("n/a", "num", "n/a"),
])
def test_display(value, kind, text):
    assert display(value, kind) == text
