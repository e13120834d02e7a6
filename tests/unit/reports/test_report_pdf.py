"""The PDF: A4, marking and "Page N of M" on every page, header row repeated across pages, a
registered TTF so every name renders, and a clean Helvetica fallback. Read back with pypdf."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader

from casework.reports import pdf
from casework.reports.tables import Chart, Column, ReportDocument, Table

NAME = "Paweł Łukasiewicz-Øster"


def _document(rows: int) -> ReportDocument:
    table = Table("Long table", [Column("Unit", "text"), Column("Guilty plea"), Column("Rate", "rate")],
                  [[f"{NAME} {i}", i, "50.0"] for i in range(rows)], ["Total", rows, "50.0"],
                  Chart("Rates", ["a", "b"], [Decimal("50.0"), None]))
    return ReportDocument("Test report", "subtitle", "test", [table])


def _pages(body: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(body)).pages]


def test_every_page_has_marking_numbers_and_the_header_row():
    body = pdf.render_pdf(_document(150))
    reader = PdfReader(io.BytesIO(body))
    pages = _pages(body)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert text.count("OFFICIAL-SENSITIVE") == 2  # top and bottom
        assert f"Page {number} of {len(pages)}" in text
        assert "Guilty plea" in text  # repeated header row
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert sorted((round(width), round(height))) == [595, 842]  # A4 (landscape)
    assert reader.metadata.title == "Test report"


def test_names_render_with_the_registered_font():
    text = _pages(pdf.render_pdf(_document(2)))[0]
    assert f"{NAME} 1" in text


def test_fallback_to_helvetica_when_the_font_is_missing(tmp_path: Path, caplog):
    assert pdf.register_fonts((tmp_path,)) == ("Helvetica", "Helvetica-Bold")
    assert "Helvetica" in caplog.text
    body = pdf.render_pdf(_document(3), font_dirs=(tmp_path,))
    assert "Page 1 of 1" in _pages(body)[0]


def test_dejavu_is_used_when_installed():
    if not (pdf.FONT_DIRS[0] / "DejaVuSans.ttf").is_file():
        assert pdf.register_fonts() == ("Helvetica", "Helvetica-Bold")
        return
    assert pdf.register_fonts() == ("DejaVuSans", "DejaVuSans-Bold")
    reader = PdfReader(io.BytesIO(pdf.render_pdf(_document(2))))
    names = {str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("DejaVuSans" in n for n in names)
