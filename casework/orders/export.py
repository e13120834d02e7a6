"""CSV export of the filtered register. Cells a spreadsheet would run as a formula are escaped
with a leading quote (OWASP CSV injection: = + - @ tab and carriage return)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator

from casework.orders.models import AncillaryOrder

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HEADER = ["Order id", "Type", "Defendant", "Case URN", "Unit", "Court", "Made on", "Starts on",
          "Ends on", "Status", "Served on", "Offender manager", "Next check due"]


def formula_safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _row(order: AncillaryOrder, today: dt.date) -> list[str]:
    ends = "Until further order" if order.indefinite else order.ends_on
    return [formula_safe(v) for v in (
        order.id, order.rule.short, order.defendant.full_name, order.defendant.case.urn,
        order.unit.name, order.court, order.made_on, order.starts_on or "On release", ends or "",
        order.status_label(today), order.served_on,
        order.offender_manager.name if order.offender_manager else "", order.next_check_due_on)]


def csv_lines(orders: Iterable[AncillaryOrder], today: dt.date) -> Iterator[str]:
    """Yield the CSV a line at a time (the OFFICIAL-SENSITIVE marking first)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(["OFFICIAL-SENSITIVE"])
    writer.writerow(HEADER)
    yield flush()
    for order in orders:
        writer.writerow(_row(order, today))
        yield flush()
