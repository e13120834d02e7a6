"""The monthly performance report: built, stored once per month, and sent to subscribers.

On the first working day of each month (England and Wales: weekends and bank holidays from
``holidays.country_holidays("GB", subdiv="ENG")``) the scheduler generates last month's report.
The job runs every morning and acts on any day from the first working day onwards until the
month's row exists, so a scheduler that was down on the day catches up, and the unique
``monthly_reports.month`` key means it happens exactly once even across restarts, overlapping
runs or a second scheduler.

Subscribers get an email with a link, never the PDF: the stored PDF covers every unit, and each
reader's link opens a copy limited to their own units (their unit scope), audited as a
disclosure when downloaded.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

import holidays
import sqlalchemy as sa
from flask import current_app

from casework.alerts.engine import insert_ignoring
from casework.alerts.models import EmailMessage, EmailStatus
from casework.audit import service as audit
from casework.auth.models import User
from casework.core import clock
from casework.core.templating import format_uk_date
from casework.extensions import db
from casework.reports import confiscation_queries, documents, order_queries, pdf, queries, tables
from casework.reports.filters import ReportFilters
from casework.reports.models import MonthlyReport, ReportSubscription
from casework.reports.periods import FY_FIRST_MONTH, Grouping, Period, period_of, previous
from casework.reports.tables import ReportDocument

MONTHLY = "monthly"


@cache
def _bank_holidays(year: int) -> Any:
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def first_working_day(month: Period) -> dt.date:
    """First Monday-to-Friday of the month that is not an England and Wales bank holiday."""
    day = month.starts_on
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def month_label(month: Period) -> str:
    return format_uk_date(month.starts_on, "MMMM y")


def monthly_filters(month: Period, unit_ids: tuple[int, ...] | None = None) -> ReportFilters:
    """The financial year to date, by month, ending with ``month``."""
    fy_start = dt.date(month.starts_on.year if month.starts_on.month >= FY_FIRST_MONTH
                       else month.starts_on.year - 1, FY_FIRST_MONTH, 1)
    return ReportFilters(fy_start, month.ends_on, Grouping.MONTH, unit_ids=unit_ids)


def monthly_document(month: Period, unit_ids: tuple[int, ...] | None = None) -> ReportDocument:
    """Conviction rate, confiscation and ancillary orders, financial year to date by month."""
    f = monthly_filters(month, unit_ids)
    sections = [
        *tables.conviction_tables(queries.conviction_report(f)),
        *documents.confiscation_tables(confiscation_queries.confiscation_report(f)),
        *documents.ancillary_tables(order_queries.ancillary_report(f)),
    ]
    return ReportDocument(f"Monthly performance report: {month_label(month)}", f.describe(),
                          f"monthly-report-{month.label}", sections,
                          notes=["Management information drawn from Casework; provisional and "
                                 "subject to revision as records are corrected."])


def stored(month: Period) -> MonthlyReport | None:
    return db.session.execute(  # type: ignore[no-any-return]
        sa.select(MonthlyReport).where(MonthlyReport.month == month.label)).scalar_one_or_none()


def generate(month: Period, *, trigger: str) -> tuple[MonthlyReport, bool]:
    """Store ``month``'s report unless it exists; (row, created). Flushes; the caller commits.

    The insert runs in a savepoint: if another process stored the month first, the unique key
    refuses this one and the existing row is returned (created False), with no emails queued.
    """
    existing = stored(month)
    if existing is not None:
        return existing, False
    body = pdf.render_pdf(monthly_document(month))
    row = MonthlyReport(month=month.label, starts_on=month.starts_on, ends_on=month.ends_on,
                        generated_at=clock.now(), trigger=trigger, pdf=body, size_bytes=len(body))
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except sa.exc.IntegrityError:
        found = stored(month)
        if found is None:
            raise
        return found, False
    row.emails_queued = queue_emails(month)
    audit.record("disclose", object_type="monthly_report", object_id=row.id,
                 summary=f"Monthly performance report for {month_label(month)} generated "
                         f"({trigger}) and sent to {row.emails_queued} subscriber(s)")
    return row, True


def subscribers() -> list[User]:
    return list(db.session.execute(
        sa.select(User).join(ReportSubscription, ReportSubscription.user_id == User.id)
        .where(ReportSubscription.report == MONTHLY, User.active.is_(True)).order_by(User.id)).scalars())


def queue_emails(month: Period) -> int:
    """One outbox row per subscriber (dedupe key per month and user: never twice)."""
    users = subscribers()
    if not users:
        return 0
    base = str(current_app.config.get("BASE_URL") or "http://localhost:5000").rstrip("/")
    now, label = clock.now(), month_label(month)
    rows = [{"dedupe_key": f"monthly-report:{month.label}:user:{u.id}", "alert_id": None,
             "user_id": u.id, "to_address": u.email,
             "subject": f"Casework monthly performance report: {label}",
             "body": _email_body(u, label, f"{base}/reports/monthly/{month.label}"),
             "status": EmailStatus.PENDING, "attempts": 0, "next_attempt_at": now, "created_at": now}
            for u in users]
    db.session.execute(insert_ignoring(EmailMessage.__table__, "dedupe_key").values(rows))
    return len(rows)


def _email_body(user: User, label: str, link: str) -> str:
    return (f"Dear {user.name},\n\nThe monthly performance report for {label} is ready: the "
            "conviction rate, confiscation and ancillary orders, financial year to date.\n\n"
            f"Open it (for the units you work in) at:\n{link}\n\n"
            "The report is OFFICIAL-SENSITIVE. To stop receiving it, change your report "
            "subscription in Casework.\n")


def month_due(today: dt.date) -> Period | None:
    """Last month, once this month's first working day has come; else None."""
    this_month = period_of(today, Grouping.MONTH)
    if today < first_working_day(this_month):
        return None
    return previous(this_month, Grouping.MONTH)


def run_scheduled(today: dt.date | None = None, *, trigger: str = "schedule") -> dict[str, int]:
    """The scheduler's job: generate and send last month's report if due and not yet done."""
    month = month_due(today or clock.today())
    if month is None:
        return {"generated": 0, "not_due": 1}
    row, created = generate(month, trigger=trigger)
    db.session.commit()
    if created and row.emails_queued:
        from casework.alerts.mail import dispatch_outbox

        dispatch_outbox()
    return {"generated": int(created), "emails_queued": row.emails_queued if created else 0}
