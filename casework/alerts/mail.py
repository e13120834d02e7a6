"""Sending the outbox through SMTP after the commit, with retries and exponential backoff.

Each message is claimed (pending -> sending) by a compare-and-set update before it is sent, so
two processes never send one row twice. A failure schedules a retry (1, 2, 4 ... minutes, capped)
and after the last attempt the row is ``failed`` and listed on the administrators' alerts page.
With no ``CASEWORK_MAIL_SERVER`` configured, messages are ``recorded``, not sent.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage as MimeMessage
from typing import Any

import sqlalchemy as sa
from flask import current_app

from casework.alerts.models import EmailMessage, EmailStatus
from casework.core import clock
from casework.extensions import db

log = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 60
BACKOFF_CAP_SECONDS = 6 * 3600
DEFAULT_MAX_ATTEMPTS = 6
#: A row left "sending" this long (its process died mid-send) is tried again.
STUCK_AFTER = dt.timedelta(minutes=15)


@dataclass
class DispatchCounts:
    sent: int = 0
    recorded: int = 0
    retrying: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"emails_sent": self.sent, "emails_recorded": self.recorded,
                "emails_retrying": self.retrying, "emails_failed": self.failed}


def backoff(attempts: int) -> dt.timedelta:
    """Delay before the next try after ``attempts`` failures: 1, 2, 4, 8 ... minutes, capped."""
    seconds = BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, BACKOFF_CAP_SECONDS))


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def _claim(limit: int) -> list[int]:
    now = clock.now()
    db.session.execute(
        sa.update(EmailMessage)
        .where(EmailMessage.status == EmailStatus.SENDING,
               EmailMessage.next_attempt_at <= now - STUCK_AFTER)
        .values(status=EmailStatus.PENDING).execution_options(synchronize_session=False))
    candidates = (sa.select(EmailMessage.id)
                  .where(EmailMessage.status == EmailStatus.PENDING,
                         EmailMessage.next_attempt_at <= now)
                  .order_by(EmailMessage.id).limit(limit).scalar_subquery())
    ids = db.session.execute(
        sa.update(EmailMessage)
        .where(EmailMessage.id.in_(candidates), EmailMessage.status == EmailStatus.PENDING)
        .values(status=EmailStatus.SENDING, attempts=EmailMessage.attempts + 1,
                next_attempt_at=now)
        .returning(EmailMessage.id).execution_options(synchronize_session=False)).scalars().all()
    db.session.commit()
    return sorted(ids)


def _mime(row: EmailMessage) -> MimeMessage:
    msg = MimeMessage()
    msg["From"] = current_app.config.get("MAIL_FROM") or "casework@localhost"
    msg["To"] = row.to_address
    msg["Subject"] = row.subject
    msg.set_content(row.body)
    return msg


def _send(messages: list[MimeMessage]) -> None:
    config = current_app.config
    timeout = float(config.get("MAIL_TIMEOUT_SECONDS", 20))
    with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25),
                      timeout=timeout) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        for message in messages:
            smtp.send_message(message)


def _finish(row: EmailMessage, error: Exception | None, counts: DispatchCounts,
            max_attempts: int) -> None:
    now = clock.now()
    if error is None:
        row.status, row.sent_at, row.last_error = EmailStatus.SENT, now, None
        counts.sent += 1
        return
    row.last_error = f"{type(error).__name__}: {error}"[:500]
    if row.attempts >= max_attempts:
        row.status = EmailStatus.FAILED
        counts.failed += 1
        log.error("email %s failed after %s attempts: %s", row.id, row.attempts, row.last_error)
    else:
        row.status, row.next_attempt_at = EmailStatus.PENDING, now + backoff(row.attempts)
        counts.retrying += 1


def dispatch_outbox(*, limit: int = 500) -> DispatchCounts:
    """Send (or record) every outbox row that is due; commit after each message."""
    counts = DispatchCounts()
    max_attempts = int(current_app.config.get("ALERTS_EMAIL_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))
    while True:
        ids = _claim(limit)
        if not ids:
            return counts
        for row_id in ids:
            row = db.session.get(EmailMessage, row_id)
            if row is None:
                continue
            if not mail_configured():
                row.status = EmailStatus.RECORDED
                counts.recorded += 1
            else:
                _finish(row, _try_send(row), counts, max_attempts)
            db.session.commit()
        if len(ids) < limit:
            return counts


def _try_send(row: EmailMessage) -> Exception | None:
    try:
        _send([_mime(row)])
    except (OSError, smtplib.SMTPException) as exc:
        return exc
    return None


def failed_emails(limit: int = 50) -> Any:
    return db.session.execute(
        sa.select(EmailMessage)
        .where(sa.or_(EmailMessage.status == EmailStatus.FAILED,
                      sa.and_(EmailMessage.status == EmailStatus.PENDING,
                              EmailMessage.last_error.is_not(None))))
        .order_by(EmailMessage.id.desc()).limit(limit)).scalars().all()
