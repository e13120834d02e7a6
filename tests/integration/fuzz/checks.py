"""What every fuzzed answer must satisfy, and the figures each test prints.

A fingerprint of the database (rows per table plus the sum of the optimistic-lock ``version``
column, which SQLAlchemy bumps on every UPDATE) shows whether a request wrote anything. Every
alteration also writes an audit row, so a change to a table without a version still shows.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from casework.extensions import db

#: Printed by the terminal summary (tests/integration/fuzz/conftest.py) as well as to stdout.
FIGURES: list[str] = []

TRACEBACK = ("Traceback (most recent call last)", "File \"/", "sqlalchemy.exc", "psycopg",
             "sqlite3.", "werkzeug.exceptions", "jinja2.exceptions")

#: Library wording that tells the user nothing about which field or rule (WTForms, pydantic).
UNCLEAR = ("This field is required", "Not a valid", "Invalid value", "Invalid Choice",
           "Invalid choice", "Field must be", "Field cannot be", "Number must be", "Invalid email address",
           "Input should", "Field required", "validation error", "pydantic", "Value error",
           "type=", "errors.pydantic.dev", "None is not", "'NoneType'", "object has no attribute")

_SUMMARY = re.compile(r'<div class="govuk-error-summary".*?</div>\s*</div>', re.S)
_ITEM = re.compile(r"<li>\s*(?:<a [^>]*>)?(.*?)(?:</a>)?\s*</li>", re.S)
_ERROR_PAGE = re.compile(r'<h1 class="govuk-heading-l">(.*?)</h1>', re.S)


def fingerprint_query() -> Any:
    existing = set(sa.inspect(db.session.connection()).get_table_names())
    parts = []
    for table in db.metadata.sorted_tables:
        if table.name not in existing:
            continue
        version = (sa.func.coalesce(sa.func.sum(table.c.version), 0) if "version" in table.c
                   else sa.literal(0))
        parts.append(sa.select(sa.literal(table.name).label("t"), sa.func.count().label("n"),
                               version.label("v")).select_from(table))
    return sa.union_all(*parts)


def fingerprint(query: Any) -> dict[str, tuple[int, int]]:
    return {t: (int(n), int(v)) for t, n, v in db.session.execute(query)}


def changed_tables(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
    return {t for t in after if after[t] != before.get(t)}


def summary_messages(page: str) -> list[str] | None:
    """The GOV.UK error summary's messages, or None when the page has no summary."""
    found = _SUMMARY.search(page)
    if found is None:
        return None
    return [html.unescape(re.sub(r"<[^>]+>", "", m)).strip() for m in _ITEM.findall(found.group(0))]


def error_page_message(page: str) -> str | None:
    found = _ERROR_PAGE.search(page)
    return html.unescape(found.group(1)).strip() if found else None


def unclear(messages: list[str]) -> list[str]:
    return [m for m in messages if not m or any(w in m for w in UNCLEAR)]


def assert_no_traceback(text: str, context: Any) -> None:
    for marker in TRACEBACK:
        assert marker not in text, (marker, context)


@dataclass
class Tally:
    """Counts for one endpoint; ``line()`` is the figure the test prints."""

    label: str
    examples: int = 0
    server_errors: int = 0
    rejected: int = 0
    accepted: int = 0
    half_written: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    messages: set[str] = field(default_factory=set)

    def seen(self, status: int) -> None:
        self.examples += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status >= 500:
            self.server_errors += 1

    def line(self) -> str:
        codes = ", ".join(f"{k}x{v}" for k, v in sorted(self.statuses.items()))
        return (f"[fuzz] {self.label}: {self.examples} examples, {self.server_errors} 5xx, "
                f"{self.rejected} rejected with a message, {self.accepted} accepted, "
                f"{self.half_written} half-written ({codes})")

    def report(self) -> None:
        FIGURES.append(self.line())
        print(self.line())
