"""Report filters shared by the web pages, the downloads and the JSON API.

The same query-string parameters everywhere (API.md, Reports):
``from=YYYY-MM-DD&to=YYYY-MM-DD&group=month|quarter|financial_year&unit=&crime_type=``.
A unit-scoped user may only filter by one of their own units; whatever the filter, the query
also applies their unit scope, so another unit's defendants are never counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from casework.core.validation import Problems
from casework.reports.periods import Grouping, Period, period_of, periods_between
from casework.units.models import CrimeType, Unit

MAX_YEARS = 25  # keeps a grouped-by-month request to a few hundred rows


@dataclass(frozen=True)
class ReportFilters:
    """What a report covers. ``unit_ids`` is the user's scope (None = every unit)."""

    first: dt.date
    last: dt.date
    grouping: Grouping = Grouping.MONTH
    unit: Unit | None = None
    crime_type: CrimeType | None = None
    unit_ids: tuple[int, ...] | None = None

    @property
    def periods(self) -> list[Period]:
        return periods_between(self.first, self.last, self.grouping)

    def query_args(self, **overrides: Any) -> dict[str, str]:
        """The filters as URL parameters (for links to downloads and grouping changes)."""
        args = {"from": self.first.isoformat(), "to": self.last.isoformat(),
                "group": self.grouping.value, "unit": self.unit.code if self.unit else "",
                "crime_type": self.crime_type.code if self.crime_type else ""}
        args.update({k: str(v) for k, v in overrides.items()})
        return {k: v for k, v in args.items() if v}

    def describe(self) -> str:
        """Plain words for page headings and PDF subtitles."""
        from casework.core.templating import format_uk_date

        parts = [f"{format_uk_date(self.first)} to {format_uk_date(self.last)}",
                 f"by {self.grouping.label.lower()}"]
        parts.append(self.unit.name if self.unit else "all your units" if self.unit_ids else "all units")
        if self.crime_type:
            parts.append(self.crime_type.name)
        return ", ".join(parts)

    def for_period(self, period: Period, grouping: Grouping | None = None) -> ReportFilters:
        return replace(self, first=period.starts_on, last=period.ends_on,
                       grouping=grouping or self.grouping)


def default_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last twelve months including this one."""
    this_month = period_of(today, Grouping.MONTH)
    start = this_month.starts_on
    for _ in range(11):
        start = period_of(start - dt.timedelta(days=1), Grouping.MONTH).starts_on
    return start, today


def parse_filters(args: Mapping[str, str], *, today: dt.date, unit_scope: list[int] | None,
                  units: list[Unit], crime_types: list[CrimeType]) -> ReportFilters:
    """Read the query string. Raises ValidationError naming each bad parameter."""
    problems = Problems()
    first_default, last_default = default_range(today)
    first = _date(args.get("from"), "from", "start", problems) or first_default
    last = _date(args.get("to"), "to", "end", problems) or last_default
    if last < first:
        problems.add("to", "The end date must be the same as or after the start date")
    elif (last - first).days > MAX_YEARS * 366:
        problems.add("from", f"Choose a range of {MAX_YEARS} years or less")
    group = (args.get("group") or Grouping.MONTH.value).strip()
    if group not in {g.value for g in Grouping}:
        problems.add("group", "Group by month, quarter or financial_year")
        group = Grouping.MONTH.value
    unit = _choice(args.get("unit"), {u.code: u for u in units
                                      if unit_scope is None or u.id in unit_scope},
                   "unit", "Choose one of your units", problems)
    crime_type = _choice(args.get("crime_type"), {c.code: c for c in crime_types},
                         "crime_type", "Choose an organised-crime type from the list", problems)
    problems.raise_if_any()
    return ReportFilters(first, last, Grouping(group), unit, crime_type,
                         None if unit_scope is None else tuple(unit_scope))


def _date(raw: str | None, field: str, word: str, problems: Problems) -> dt.date | None:
    if not raw or not raw.strip():
        return None
    try:
        value = dt.date.fromisoformat(raw.strip())
    except ValueError:
        problems.add(field, f"Enter the {word} date as YYYY-MM-DD, for example 2026-04-01")
        return None
    if not 1900 <= value.year <= 2200:
        problems.add(field, f"Enter a real {word} date")
        return None
    return value


def _choice(raw: str | None, options: Mapping[str, Any], field: str, message: str,
            problems: Problems) -> Any:
    code = (raw or "").strip()
    if not code:
        return None
    if code not in options:
        problems.add(field, message)
        return None
    return options[code]
