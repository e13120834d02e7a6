"""Alerts are rows, not timers (DESIGN.md convention 8).

An ``Alert`` is identified by a unique ``key`` (subject, kind, threshold and the date it was
computed from), so creating it twice is impossible and a missed night is caught up by the next
sweep. ``EmailMessage`` rows are the outbox, sent only after the commit that created them;
``JobRun`` records every scheduled or manual run for administrators.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from casework.core.db import Versioned, str_enum
from casework.extensions import db


class AlertStatus(enum.StrEnum):
    PENDING = "pending"  # computed, not yet due or not yet delivered
    SENT = "sent"  # delivered to the inboxes (emails queued)
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    CANCELLED = "cancelled"  # no longer true, superseded, or its order ended: never sent

    @property
    def label(self) -> str:
        return self.value.capitalize()


OPEN_STATUSES = (AlertStatus.SENT, AlertStatus.ACKNOWLEDGED)


class Alert(Versioned, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "alerts"
    __table_args__ = (
        sa.Index("ix_alerts_status_due_on", "status", "due_on"),
        sa.Index("ix_alerts_subject", "subject_type", "subject_id"),
        # A unit's alerts in due-date order (inbox "my unit", the API list): read in index
        # order and stop after a page, instead of sorting the unit's thousands of alerts.
        sa.Index("ix_alerts_unit_due", "unit_id", "due_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(40), index=True)
    #: Alerts in one series replace each other: when several are due at once (after an outage),
    #: only the latest is sent and the earlier ones are cancelled as superseded.
    series: Mapped[str] = mapped_column(sa.String(200), index=True)
    subject_type: Mapped[str] = mapped_column(sa.String(40))
    subject_id: Mapped[int]
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))  # ix_alerts_unit_due
    case_id: Mapped[int | None] = mapped_column(index=True)
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    lawyer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    due_on: Mapped[dt.date]
    status: Mapped[AlertStatus] = mapped_column(str_enum(AlertStatus, 20))
    message: Mapped[str] = mapped_column(sa.String(500))
    created_at: Mapped[dt.datetime]
    sent_at: Mapped[dt.datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    acknowledged_at: Mapped[dt.datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    resolved_at: Mapped[dt.datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    cancelled_at: Mapped[dt.datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(sa.String(200))

    @property
    def kind_label(self) -> str:
        from casework.alerts.sources import kind_label

        return kind_label(self.kind)


class EmailMode(enum.StrEnum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"
    OFF = "off"


class AlertPreference(db.Model):  # type: ignore[name-defined,misc]
    """How a user wants alert emails: one per alert, one daily digest, or none (inbox only)."""

    __tablename__ = "alert_preferences"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    email_mode: Mapped[EmailMode] = mapped_column(str_enum(EmailMode, 20))


class EmailStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    RECORDED = "recorded"  # no mail server configured: kept, not sent
    FAILED = "failed"  # gave up after the last retry: shown to administrators


class EmailMessage(db.Model):  # type: ignore[name-defined,misc]
    """Outbox row. ``dedupe_key`` is unique, so a recipient never gets one alert twice."""

    __tablename__ = "email_messages"
    __table_args__ = (sa.Index("ix_email_messages_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    alert_id: Mapped[int | None] = mapped_column(sa.ForeignKey("alerts.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[EmailStatus] = mapped_column(str_enum(EmailStatus, 20))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime]
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[dt.datetime]
    sent_at: Mapped[dt.datetime | None]


class JobStatus(enum.StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class JobRun(db.Model):  # type: ignore[name-defined,misc]
    """One run of a scheduled or manual job (alerts sweep, email retries, monthly report)."""

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(sa.String(60), index=True)
    trigger: Mapped[str] = mapped_column(sa.String(20))  # schedule, startup, cli, manual
    as_of: Mapped[dt.date | None]
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]
    status: Mapped[JobStatus] = mapped_column(str_enum(JobStatus, 20))
    counts: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    error: Mapped[str | None] = mapped_column(sa.Text)
    pid: Mapped[int | None]
