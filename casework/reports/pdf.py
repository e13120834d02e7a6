"""PDF rendering of a ReportDocument with ReportLab (a convenience copy; HTML is primary).

A4, the protective marking "OFFICIAL-SENSITIVE" at the top and bottom of every page, "Page N
of M", tables that repeat their header row across pages (LongTable, repeatRows=1), a bar chart
from reportlab.graphics, and DejaVu Sans registered so every name renders (Helvetica lacks
characters such as "ł"). If the DejaVu files are missing the PDF falls back to Helvetica.
"""

from __future__ import annotations

import io
import logging
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from casework.reports.tables import Chart, ReportDocument, Table, display, header_labels

log = logging.getLogger(__name__)

MARKING = "OFFICIAL-SENSITIVE"
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
BLUE = colors.HexColor("#1d70b8")


def register_fonts(dirs: tuple[Path, ...] = FONT_DIRS) -> tuple[str, str]:
    """Register DejaVu Sans (regular, bold) once; (regular, bold) font names, Helvetica if absent."""
    for folder in dirs:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
                pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
            return "DejaVuSans", "DejaVuSans-Bold"
    log.warning("DejaVu Sans not found in %s: the PDF uses Helvetica, which cannot show every "
                "character in names (install fonts-dejavu-core)", ", ".join(map(str, dirs)))
    return "Helvetica", "Helvetica-Bold"


def _numbered_canvas(font: str) -> type[pdfcanvas.Canvas]:
    class NumberedCanvas(pdfcanvas.Canvas):
        """Two passes: keep each page's state, then stamp marking and "Page N of M"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab API)
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self._stamp(total)
                super().showPage()
            super().save()

        def _stamp(self, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setFont(font, 10)
            self.drawCentredString(width / 2, height - 10 * mm, MARKING)
            self.drawCentredString(width / 2, 8 * mm, MARKING)
            self.setFont(font, 8)
            self.drawRightString(width - 12 * mm, 8 * mm, f"Page {self._pageNumber} of {total}")
            self.restoreState()

    return NumberedCanvas


def render_pdf(document: ReportDocument, font_dirs: tuple[Path, ...] = FONT_DIRS) -> bytes:
    font, bold = register_fonts(font_dirs)
    buffer = io.BytesIO()
    pagesize = landscape(A4)
    doc = SimpleDocTemplate(buffer, pagesize=pagesize, title=document.title, author="Casework",
                            subject=MARKING, lang="en-GB", leftMargin=12 * mm,
                            rightMargin=12 * mm, topMargin=18 * mm, bottomMargin=16 * mm)
    styles = _styles(font, bold)
    story: list[Any] = [Paragraph(_esc(document.title), styles["h1"]),
                        Paragraph(_esc(document.subtitle), styles["body"]), Spacer(1, 4 * mm)]
    for table in document.tables:
        story += _table_flowables(table, styles, font, bold, doc.width)
    for note in document.notes:
        story.append(Paragraph(_esc(note), styles["small"]))
    doc.build(story, canvasmaker=_numbered_canvas(font))
    return buffer.getvalue()


def _styles(font: str, bold: str) -> dict[str, ParagraphStyle]:
    return {
        "h1": ParagraphStyle("h1", fontName=bold, fontSize=18, leading=22, spaceAfter=4),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=13, leading=16, spaceBefore=8, spaceAfter=4),
        "body": ParagraphStyle("body", fontName=font, fontSize=10, leading=13),
        "small": ParagraphStyle("small", fontName=font, fontSize=8, leading=10, spaceBefore=3),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=7.5, leading=9),
        "head": ParagraphStyle("head", fontName=bold, fontSize=7.5, leading=9),
        "headnum": ParagraphStyle("headnum", fontName=bold, fontSize=7.5, leading=9, alignment=TA_RIGHT),
    }


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table_flowables(table: Table, styles: dict[str, ParagraphStyle], font: str, bold: str,
                     width: float) -> list[Any]:
    out: list[Any] = [Paragraph(_esc(table.title), styles["h2"])]
    if table.chart is not None and any(v is not None for v in table.chart.values):
        out += [bar_chart(table.chart, font, width), Spacer(1, 3 * mm)]
    head = [Paragraph(_esc(label), styles["headnum" if col.numeric else "head"])
            for label, col in zip(header_labels(table), table.columns)]
    body = [[Paragraph(_esc(display(v, c.kind)), styles["cell"]) if not c.numeric
             else display(v, c.kind) for v, c in zip(row, table.columns)] for row in table.all_rows]
    if not table.rows:
        out.append(Paragraph("Nothing to report for this selection.", styles["body"]))
        return out
    first_width = width * 0.2
    other = (width - first_width) / max(1, len(table.columns) - 1)
    grid = LongTable([head, *body], repeatRows=1, colWidths=[first_width] + [other] * (len(head) - 1))
    grid.setStyle(_table_style(table, font, bold))
    out.append(grid)
    if table.note:
        out.append(Paragraph(_esc(table.note), styles["small"]))
    return out


def _table_style(table: Table, font: str, bold: str) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("FONTNAME", (0, 0), (-1, 0), bold), ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#b1b4b6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f2f1")]),
    ]
    for index, column in enumerate(table.columns):
        if column.numeric:
            commands.append(("ALIGN", (index, 1), (index, -1), "RIGHT"))
    if table.total:
        commands += [("FONTNAME", (0, -1), (-1, -1), bold),
                     ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black)]
    return TableStyle(commands)


def bar_chart(chart: Chart, font: str, width: float, height: float = 55 * mm) -> Drawing:
    """A reportlab.graphics vertical bar chart with the values labelled on the bars."""
    drawing = Drawing(width, height)
    bars = VerticalBarChart()
    bars.x, bars.y = 30, 28
    bars.width, bars.height = width - 50, height - 45
    bars.data = [[float(v) if v is not None else 0.0 for v in chart.values]]
    bars.valueAxis.valueMin = 0
    top = chart.maximum if chart.kind == "rate" else chart.maximum * Decimal("1.15")
    bars.valueAxis.valueMax = float(top)
    bars.valueAxis.labels.fontName = font
    bars.valueAxis.labels.fontSize = 7
    bars.categoryAxis.categoryNames = chart.labels
    bars.categoryAxis.labels.fontName = font
    bars.categoryAxis.labels.fontSize = 6.5
    bars.categoryAxis.labels.angle = 30 if len(chart.labels) > 8 else 0
    bars.categoryAxis.labels.boxAnchor = "ne" if len(chart.labels) > 8 else "n"
    bars.bars[0].fillColor = BLUE
    bars.barLabelFormat = "%.1f" if chart.kind == "rate" else "%.0f"
    bars.barLabels.fontName = font
    bars.barLabels.fontSize = 6
    bars.barLabels.nudge = 6
    drawing.add(bars)
    drawing.add(String(0, height - 10, chart.title, fontName=font, fontSize=9))
    return drawing
