"""Building report documents and recording their disclosure.

Every export (CSV, Excel, PDF, and the monthly PDF) is a disclosure under the Data Protection
Act 2018 s.62 and is audited as ``disclose`` in the same transaction as the response.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from casework.audit import service as audit
from casework.auth.models import User
from casework.reports import (
    confiscation_queries,
    documents,
    exports,
    order_queries,
    pdf,
    queries,
    review,
    tables,
)
from casework.reports.filters import ReportFilters
from casework.reports.tables import ReportDocument


@dataclass(frozen=True)
class ReportKind:
    slug: str
    title: str
    build: Callable[[ReportFilters], ReportDocument]
    summary: str


REPORTS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> None:
    REPORTS[kind.slug] = kind


register(ReportKind(
    "conviction-rate", "Conviction rate",
    lambda f: tables.conviction_document(queries.conviction_report(f)),
    "Defendants finalised by outcome, convictions, finalised and the CPS conviction rate, "
    "with the trial conviction rate and the principal offence breakdown."))
register(ReportKind(
    "confiscation", "Confiscation",
    lambda f: documents.confiscation_document(confiscation_queries.confiscation_report(f)),
    "Confiscation orders made and their value, amounts collected, outstanding balances by age "
    "with interest, compensation paid to victims and restraint orders obtained."))
register(ReportKind(
    "ancillary-orders", "Ancillary orders",
    lambda f: documents.ancillary_document(order_queries.ancillary_report(f)),
    "Orders obtained by type, active orders, breaches and their outcomes, and orders ending "
    "next quarter."))

register(ReportKind(
    "quarterly-review", "Quarterly performance review",
    lambda f: documents.review_document(review.quarterly_review(f)),
    "One quarter's conviction rate, confiscation and ancillary orders by organised-crime type "
    "and unit, with the change on the previous quarter and on the same quarter a year earlier."))

FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", "CSV"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
    "pdf": ("application/pdf", "PDF"),
}


def render(document: ReportDocument, fmt: str) -> bytes:
    if fmt == "csv":
        return exports.to_csv(document).encode("utf-8-sig")  # BOM: Excel reads UTF-8 names
    if fmt == "xlsx":
        return exports.to_xlsx(document)
    if fmt == "pdf":
        return pdf.render_pdf(document)
    raise ValueError(f"unknown format {fmt!r}")


def record_disclosure(document: ReportDocument, *, fmt: str, actor: User | None,
                      recipient: str | None = None) -> None:
    """Audit an export as a disclosure (DPA 2018 s.62). Flushes; the caller commits."""
    label = FORMATS[fmt][1]
    to = f" to {recipient}" if recipient else ""
    audit.record("disclose", object_type="report", object_id=None,
                 summary=f"{document.title} report ({document.subtitle}) exported as {label}{to}",
                 changes={"file": f"{document.filename}.{fmt}"}, actor=actor)
