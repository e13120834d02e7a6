"""The monthly report: generated once per month, stored, emailed to subscribers over real SMTP,
and written by ``flask reports monthly``; the PDF read back with pypdf."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import socket

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from casework.alerts.models import EmailMessage
from casework.reports import monthly, subscriptions
from casework.reports.models import MonthlyReport
from casework.reports.periods import parse_month
from tests.integration.reports.conftest import finalise

D = dt.date


@pytest.fixture
def smtp(app):
    """A real SMTP server (aiosmtpd) on 127.0.0.1; the app's mail settings point at it."""
    from aiosmtpd.controller import Controller

    class Collector:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
            self.messages.append(envelope)
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        yield handler
    finally:
        app.config.update(saved)
        controller.stop()


@pytest.fixture
def october(session):
    finalise("guilty_plea", D(2026, 10, 1))
    finalise("discontinued", D(2026, 10, 31))
    finalise("guilty_plea", D(2026, 10, 15), unit="london_north")
    finalise("guilty_plea", D(2026, 11, 1))  # next month: not in October's report


def _pdf_text(body: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages).split())


def test_generated_once_and_emailed_once(october, users, smtp, session):
    subscriptions.set_subscription(users.analyst, subscribed=True)
    subscriptions.set_subscription(users.admin, subscribed=True)
    session.commit()
    assert monthly.run_scheduled(D(2026, 11, 1)) == {"generated": 0, "not_due": 1}  # Sunday
    first = monthly.run_scheduled(D(2026, 11, 2))  # Monday: the first working day
    assert first == {"generated": 1, "emails_queued": 2}
    for later in (D(2026, 11, 2), D(2026, 11, 3), D(2026, 11, 30)):  # restarts, later days
        assert monthly.run_scheduled(later) == {"generated": 0, "emails_queued": 0}
    rows = session.execute(sa.select(MonthlyReport)).scalars().all()
    assert [(r.month, r.emails_queued) for r in rows] == [("2026-10", 2)]
    assert sorted(m.rcpt_tos[0] for m in smtp.messages) == sorted(
        [users.analyst.email, users.admin.email])
    assert len(smtp.messages) == 2
    assert b"/reports/monthly/2026-10" in smtp.messages[0].content
    assert session.execute(sa.select(sa.func.count()).select_from(EmailMessage)).scalar_one() == 2
    text = _pdf_text(rows[0].pdf)
    assert "OFFICIAL-SENSITIVE" in text and "Monthly performance report: October 2026" in text
    # October row of the conviction table: GP 2 (ocd + london_north), discontinued 1, 3 finalised
    assert "2026-10 2 0 0 0 0 1 0 2 3 66.7%" in text
    assert f"Page 1 of {len(PdfReader(io.BytesIO(rows[0].pdf)).pages)}" in text


def test_a_racing_second_generation_is_refused_by_the_unique_month(october, session):
    month = parse_month("2026-10")
    session.add(MonthlyReport(month="2026-10", starts_on=month.starts_on, ends_on=month.ends_on,
                              generated_at=dt.datetime(2026, 11, 2, 7, tzinfo=dt.UTC), trigger="other",
                              pdf=b"%PDF-", size_bytes=5))
    session.flush()
    row, created = monthly.generate(month, trigger="schedule")
    assert not created and row.trigger == "other"
    nested = session.begin_nested()
    with pytest.raises(sa.exc.IntegrityError):
        session.add(MonthlyReport(month="2026-10", starts_on=month.starts_on, ends_on=month.ends_on,
                                  generated_at=dt.datetime(2026, 11, 2, 7, tzinfo=dt.UTC),
                                  trigger="x", pdf=b"", size_bytes=0))
        session.flush()
    nested.rollback()


def test_scoped_subscriber_downloads_only_their_units(october, users, as_user, session):
    monthly.run_scheduled(D(2026, 11, 2))
    analyst = as_user(users.analyst)
    assert "2026-10" in analyst.get("/reports/monthly").get_data(as_text=True)
    scoped = _pdf_text(analyst.get("/reports/monthly/2026-10").data)
    assert "2026-10 1 0 0 0 0 1 0 1 2 50.0%" in scoped  # london_north's defendant left out
    everything = _pdf_text(as_user(users.admin).get("/reports/monthly/2026-10").data)
    assert "2026-10 2 0 0 0 0 1 0 2 3 66.7%" in everything
    assert as_user(users.admin).get("/reports/monthly/2026-09").status_code == 404


def test_subscribe_and_unsubscribe(users, as_user):
    client = as_user(users.lawyer)
    client.form("/reports/monthly/subscription", {"subscribe": "yes"})
    assert subscriptions.is_subscribed(users.lawyer)
    assert "Stop emailing me" in client.get("/reports/monthly").get_data(as_text=True)
    client.form("/reports/monthly/subscription", {"subscribe": "no"})
    assert not subscriptions.is_subscribed(users.lawyer)
    assert client.post("/reports/monthly/subscription", data={"subscribe": "yes"}).status_code == 400


def test_cli_writes_the_pdf(october, app, tmp_path):
    out = tmp_path / "october.pdf"
    result = app.test_cli_runner().invoke(
        args=["reports", "monthly", "--month", "2026-10", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2026-10 2 0 0 0 0 1 0 2 3 66.7%" in _pdf_text(out.read_bytes())


@pytest.mark.parametrize("args, reason", [
    (["--month", "2026-13"], "YYYY-MM"),
    (["--month", "October"], "YYYY-MM"),
    (["--month", "2099-01"], "has not started"),
    (["--month", "2026-10", "--out", "/nonexistent-folder/x.pdf"], "does not exist"),
    (["--month", "2026-10", "--out", "report.txt"], ".pdf"),
])
def test_cli_refuses_with_one_line(app, session, args, reason, tmp_path):
    if "--out" not in args:
        args = [*args, "--out", str(tmp_path / "x.pdf")]
    result = app.test_cli_runner().invoke(args=["reports", "monthly", *args])
    assert result.exit_code != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and reason in lines[0]


def test_scheduler_registers_the_monthly_job(app):
    from casework.alerts import scheduler

    spec = next(s for s in scheduler.registered_jobs() if s.id == "monthly-report")
    assert spec.cron == {"hour": 7, "minute": 15}
    built = scheduler.build_scheduler(app, startup_sweep=False)
    job = built.get_job("monthly-report")
    assert job is not None and job.misfire_grace_time >= 3600
    with contextlib.suppress(Exception):
        built.shutdown(wait=False)
