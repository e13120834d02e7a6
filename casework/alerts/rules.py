"""Alert lead times and wording: pure date maths, no database.

Lead times are design choices recorded in DOMAIN.md section 5 (marked **design** there); the
statutory anchor of each alert kind is cited beside it. Nothing here reads the clock: callers
pass ``today`` (or ``as_of``) explicitly.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class LeadTime:
    """A reminder threshold before an event: ``months`` and/or ``days`` ahead of it."""

    months: int = 0
    days: int = 0

    @property
    def label(self) -> str:
        """Stable text used in alert keys ("12m", "90d"); never change it for existing values."""
        return f"{self.months}m" if self.months else f"{self.days}d"

    @property
    def words(self) -> str:
        if self.months:
            return "1 month" if self.months == 1 else f"{self.months} months"
        return "1 day" if self.days == 1 else f"{self.days} days"

    def before(self, event_on: dt.date) -> dt.date:
        return add_months(event_on, -self.months) - dt.timedelta(days=self.days)


# A1: SCPO expiry. Max 5 years (Serious Crime Act 2007 s.16(2)); a new order "to the same or
# similar effect" may be sought before the old one ends (s.16(5)-(6)), but outside a fresh
# conviction only in the High Court (s.1), which is slow: so warn a year ahead (design).
SCPO_EXPIRY_LEADS = (LeadTime(months=12), LeadTime(months=6), LeadTime(months=3), LeadTime(months=1))
# Every other order type (TRO, FRO, SHPO, STPO, director disqualification: DOMAIN.md 1.3-1.7).
DEFAULT_EXPIRY_LEADS = (LeadTime(days=90), LeadTime(days=30), LeadTime(days=7))
# A10: foreign-travel prohibitions in SHPOs/STPOs are capped at 5 years but renewable
# (Sexual Offences Act 2003 s.103D / Sentencing Act 2020 s.348; Modern Slavery Act 2015 s.18).
TRAVEL_BAN_LEADS = (LeadTime(days=90), LeadTime(days=30))
# A3/A6: an order that runs from release (SCPO usually; TRO always, CJPA 2001 s.33(3)) needs
# service confirmed and monitoring started; warn this many days before it comes into force.
STARTS_NOTICE = LeadTime(days=14)
# A4: order made but no service recorded after this many days (SCA 2007 s.10; design: 7).
NOT_SERVED_AFTER_DAYS = 7
# A5: reports and compliance checks: a reminder this many days before the due date, and an
# "overdue" alert the day after it (SCA 2007 s.5(5), s.5A; MSA 2015 s.19).
DUE_SOON_DAYS = 7
OVERDUE_AFTER_DAYS = 1
# A stale order: no compliance check for longer than its schedule plus this grace, so it is an
# escalation after "check overdue", not a second alert on the same day (design; cf. the stale
# case alert, DOMAIN.md 4.7 codeforamerica/intake #239).
STALE_GRACE_DAYS = 28

EXPIRY_LEADS_BY_TYPE = {"scpo": SCPO_EXPIRY_LEADS}


def expiry_leads(order_type: str, overrides: dict[str, tuple[LeadTime, ...]] | None = None,
                 ) -> tuple[LeadTime, ...]:
    """Lead times for an order type's expiry reminders, longest first (configurable per type)."""
    table = {**EXPIRY_LEADS_BY_TYPE, **(overrides or {})}
    leads = table.get(str(order_type), (overrides or {}).get("default", DEFAULT_EXPIRY_LEADS))
    return tuple(sorted(leads, reverse=True))


def parse_leads(text: str) -> tuple[LeadTime, ...]:
    """Config form "12m,6m,3m,1m" or "90d,30d,7d" -> lead times (ValueError if malformed)."""
    leads = []
    for part in (p.strip().lower() for p in text.split(",") if p.strip()):
        number, unit = int(part[:-1]), part[-1]
        if number <= 0 or unit not in "md":
            raise ValueError(f"lead time {part!r} must look like 12m or 90d")
        leads.append(LeadTime(months=number) if unit == "m" else LeadTime(days=number))
    if not leads:
        raise ValueError("at least one lead time is needed")
    return tuple(sorted(set(leads), reverse=True))


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the month's last day (31 March - 1 month = 28/29 February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@functools.lru_cache(maxsize=8192)
def uk_date(day: dt.date) -> str:
    """1 March 2027: babel's en_GB "d MMMM y", written out (a sweep words hundreds of thousands
    of alerts, and babel's locale lookups cost more than the rest of an alert's wording)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def days_between(start: dt.date, end: dt.date) -> int:
    return (end - start).days


def when(event_on: dt.date, as_of: dt.date, *, future: str, today_word: str, past: str) -> str:
    """Wording that stays true on the day it is read: "expires in 90 days, on 1 March 2027",
    "expires today (1 March 2027)" or, when the event has already happened, "expired on ...".

    Alerts first computed after their event (a late entry, or after an outage) must say it is
    past, never "in -3 days" (DOMAIN.md 4.8, svthalia/concrexit #600).
    """
    gap = days_between(as_of, event_on)
    if gap > 0:
        return f"{future} in {gap} day{'s' if gap != 1 else ''}, on {uk_date(event_on)}"
    if gap == 0:
        return f"{today_word} ({uk_date(event_on)})"
    return f"{past} on {uk_date(event_on)}"


def reading_day(due_on: dt.date, today: dt.date) -> dt.date:
    """The day an alert will be read: its due date, or today if it is already overdue."""
    return max(due_on, today)
