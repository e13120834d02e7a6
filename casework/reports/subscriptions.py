"""Who receives the monthly report, and the list of stored months."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from casework.audit import service as audit
from casework.auth.models import User
from casework.core import clock
from casework.extensions import db
from casework.reports.models import MonthlyReport, ReportSubscription

MONTHLY = "monthly"


def is_subscribed(user: User) -> bool:
    return db.session.execute(sa.select(ReportSubscription.id).where(
        ReportSubscription.user_id == user.id, ReportSubscription.report == MONTHLY)).first() is not None


def set_subscription(user: User, *, subscribed: bool) -> None:
    """Start or stop the monthly email for ``user`` (flushes and audits; the caller commits)."""
    if subscribed == is_subscribed(user):
        return
    if subscribed:
        db.session.add(ReportSubscription(user_id=user.id, report=MONTHLY, created_at=clock.now()))
    else:
        db.session.execute(sa.delete(ReportSubscription).where(
            ReportSubscription.user_id == user.id, ReportSubscription.report == MONTHLY))
    db.session.flush()
    audit.record("alter", object_type="report_subscription", object_id=user.id, actor=user,
                 summary=f"{user.name} {'subscribed to' if subscribed else 'unsubscribed from'} "
                         "the monthly performance report email")


def stored_reports(limit: int = 36) -> list[Any]:
    """Stored months, newest first, without loading the PDFs."""
    return list(db.session.execute(
        sa.select(MonthlyReport.month, MonthlyReport.generated_at, MonthlyReport.trigger,
                  MonthlyReport.size_bytes, MonthlyReport.emails_queued)
        .order_by(MonthlyReport.month.desc()).limit(limit)))
