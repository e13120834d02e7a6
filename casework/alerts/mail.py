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

from casework.alerts.engine import retry_locked
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
                  .order_by(EmailMessage.id).limit(limit)
                  .with_for_update(skip_locked=True).scalar_subquery())
    ids = db.session.execute(
        sa.update(EmailMessage)
        .where(EmailMessage.id.in_(candidates), EmailMessage.status == EmailStatus.PENDING)
        .values(status=EmailStatus.SENDING, attempts=EmailMessage.attempts + 1,
                next_attempt_at=now)
        .returning(EmailMessage.id).execution_options(synchronize_session=False)).scalars().all()
    db.session.commit()
    return sorted(ids)


def _mime(row: Any) -> MimeMessage:
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


def _outcome(row: Any, error: Exception | None, counts: DispatchCounts,
             max_attempts: int) -> dict[str, Any]:
    """The new values for a row after one try (``row.attempts`` already counts this try)."""
    now = clock.now()
    if error is None:
        counts.sent += 1
        return {"status": EmailStatus.SENT, "sent_at": now, "last_error": None}
    message = f"{type(error).__name__}: {error}"[:500]
    if row.attempts >= max_attempts:
        counts.failed += 1
        log.error("email %s failed after %s attempts: %s", row.id, row.attempts, message)
        return {"status": EmailStatus.FAILED, "last_error": message}
    counts.retrying += 1
    return {"status": EmailStatus.PENDING, "last_error": message,
            "next_attempt_at": now + backoff(row.attempts)}


def _save_many(row_ids: list[int], values: dict[str, Any]) -> None:
    def write() -> None:
        db.session.execute(sa.update(EmailMessage).where(EmailMessage.id.in_(row_ids)).values(**values)
                           .execution_options(synchronize_session=False))
        db.session.commit()

    retry_locked(write)


def dispatch_outbox(*, limit: int = 500) -> DispatchCounts:
    """Send (or record) every outbox row that is due; record each result as it happens.

    Reads end before the SMTP conversation, and each result is its own short transaction.
    """
    counts = DispatchCounts()
    max_attempts = int(current_app.config.get("ALERTS_EMAIL_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))
    configured = mail_configured()
    while True:
        ids = retry_locked(lambda: _claim(limit))
        if not ids:
            return counts
        if not configured:  # recorded, not sent: one statement for the whole batch
            _save_many(ids, {"status": EmailStatus.RECORDED})
            counts.recorded += len(ids)
            continue
        rows = db.session.execute(
            sa.select(EmailMessage.id, EmailMessage.to_address, EmailMessage.subject,
                      EmailMessage.body, EmailMessage.attempts)
            .where(EmailMessage.id.in_(ids)).order_by(EmailMessage.id)).all()
        db.session.commit()
        for row in rows:
            _save_many([row.id], _outcome(row, _try_send(row), counts, max_attempts))


def _try_send(row: Any) -> Exception | None:
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
