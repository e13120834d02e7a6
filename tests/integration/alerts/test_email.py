"""Alert emails through a real SMTP server (aiosmtpd on 127.0.0.1): sent after the commit, no
case detail, retried with backoff, failures visible to administrators, daily digest option."""

from __future__ import annotations

import datetime as dt
import email
import socket

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from casework.alerts import mail, service
from casework.alerts.models import EmailMessage, EmailMode, EmailStatus
from casework.core import clock
from tests import factories

D = dt.date


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd hook name)
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    old = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_FROM")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port,
                      MAIL_FROM="casework-alerts@cps.example.gov.uk")
    try:
        yield inbox
    finally:
        controller.stop()
        app.config.update(old)


@pytest.fixture
def due_order(session, users):
    case = factories.case(lead_lawyer=users.lawyer, name="Operation Nightjar")
    defendant = factories.convicted_defendant(case, surname="Secretname")
    order = factories.order(defendant, made_on=D(2025, 10, 1), served_on=D(2025, 10, 1),
                            offender_manager=users.offender_manager)
    session.commit()
    return order


def test_emails_reach_a_real_smtp_server_without_case_detail(session, users, smtp, due_order):
    result = service.send_due_alerts(D(2029, 10, 1))
    assert result.emails["emails_sent"] == 2
    assert sorted(m["To"] for m in smtp.messages) == sorted([users.lawyer.email,
                                                             users.offender_manager.email])
    message = smtp.messages[0]
    body = message.get_payload()
    assert message["From"] == "casework-alerts@cps.example.gov.uk"
    assert message["Subject"] == "Casework: you have a new alert"
    assert "Order expiry, due 1 October 2029" in body
    assert "Sign in to view it: http" in body and "/alerts" in body
    for secret in ("Secretname", "SECRETNAME", "Nightjar", due_order.defendant.case.urn, "SCPO"):
        assert secret not in body and secret not in message["Subject"]
    statuses = session.execute(sa.select(EmailMessage.status)).scalars().all()
    assert statuses == [EmailStatus.SENT, EmailStatus.SENT]
    again = service.send_due_alerts(D(2029, 10, 1))
    assert again.emails["emails_sent"] == 0 and len(smtp.messages) == 2


def test_daily_digest_instead_of_one_email_per_alert(session, users, smtp, due_order):
    service.set_email_mode(users.offender_manager, mode=EmailMode.DIGEST)
    service.set_email_mode(users.lawyer, mode=EmailMode.OFF)
    session.commit()
    result = service.send_due_alerts(D(2030, 9, 1))  # four expiry reminders: one is sent
    assert result.sent == 1 and result.digests_queued == 1
    assert [m["To"] for m in smtp.messages] == [users.offender_manager.email]
    assert smtp.messages[0]["Subject"] == "Casework: your alerts for 1 September 2030"
    assert "You have 1 new alert in Casework today (1 September 2030)" in smtp.messages[0].get_payload()


def test_failed_sends_back_off_then_give_up_and_show_to_admins(session, users, app, due_order,
                                                               as_user):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port(), ALERTS_EMAIL_MAX_ATTEMPTS=3)
    try:
        t0 = dt.datetime(2029, 10, 1, 7, 0, tzinfo=dt.UTC)
        with clock.frozen(t0):
            result = service.send_due_alerts(D(2029, 10, 1))
        assert result.emails["emails_retrying"] == 2
        row = session.execute(sa.select(EmailMessage)).scalars().first()
        assert row.status == EmailStatus.PENDING and row.attempts == 1
        assert row.next_attempt_at == t0 + mail.backoff(1) == t0 + dt.timedelta(minutes=1)
        with clock.frozen(t0 + dt.timedelta(seconds=30)):  # not yet due for a retry
            assert mail.dispatch_outbox().retrying == 0
        with clock.frozen(t0 + dt.timedelta(minutes=1)):
            assert mail.dispatch_outbox().retrying == 2
        session.expire_all()
        assert row.next_attempt_at == t0 + dt.timedelta(minutes=1) + dt.timedelta(minutes=2)
        with clock.frozen(t0 + dt.timedelta(minutes=3)):
            assert mail.dispatch_outbox().failed == 2
        session.expire_all()
        assert row.status == EmailStatus.FAILED and "ConnectionRefusedError" in row.last_error
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=25, ALERTS_EMAIL_MAX_ATTEMPTS=6)
    page = as_user(users.admin).get("/admin/alerts").get_data(as_text=True)
    assert "Gave up" in page and users.offender_manager.email in page
    assert "ConnectionRefusedError" in page


def test_without_a_mail_server_emails_are_recorded_and_the_admin_page_says_so(
        session, users, due_order, as_user):
    result = service.send_due_alerts(D(2029, 10, 1))
    assert result.emails["emails_recorded"] == 2 and result.emails["emails_sent"] == 0
    page = as_user(users.admin).get("/admin/alerts").get_data(as_text=True)
    assert "No mail server is configured" in page
    assert "alerts-sweep" in page and "Succeeded" in page


def test_backoff_doubles_and_is_capped():
    assert [mail.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert mail.backoff(30) == dt.timedelta(hours=6)
