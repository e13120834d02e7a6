"""Stored monthly reports and who receives them.

``monthly_reports.month`` is unique, so the monthly report is generated exactly once per month
however many schedulers, restarts or CLI runs try (the loser of a race sees the constraint and
stops). The stored PDF covers every unit: it is the service's record of what was published.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from casework.extensions import db


class MonthlyReport(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "monthly_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(sa.String(7), unique=True)  # "2026-10"
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    generated_at: Mapped[dt.datetime]
    trigger: Mapped[str] = mapped_column(sa.String(20))  # schedule | cli | manual
    pdf: Mapped[bytes] = mapped_column(sa.LargeBinary)
    size_bytes: Mapped[int]
    emails_queued: Mapped[int] = mapped_column(default=0)


class ReportSubscription(db.Model):  # type: ignore[name-defined,misc]
    """A user who wants the monthly report emailed (a link to their own units' copy)."""

    __tablename__ = "report_subscriptions"
    __table_args__ = (sa.UniqueConstraint("user_id", "report"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    report: Mapped[str] = mapped_column(sa.String(40), default="monthly")
    created_at: Mapped[dt.datetime]
