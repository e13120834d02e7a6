"""The sweep against a fake source: rows, not timers; exactly once; cancelling what is no longer
true; superseding after a gap; a record of every run."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from casework.alerts import engine, service
from casework.alerts.models import EmailMessage, EmailStatus, JobRun
from casework.extensions import db
from tests import factories
from tests.integration.alerts.conftest import rows, statuses

D = dt.date


@pytest.fixture
def ocd(session):
    return factories.unit("ocd").id


def test_sweep_twice_creates_and_sends_each_alert_once(session, users, fake_source, ocd):
    for n in range(1, 6):
        fake_source.add(n, D(2026, 11, n * 5), unit_id=ocd, assignee_id=users.offender_manager.id)
    session.commit()
    first = service.send_due_alerts(D(2026, 11, 16))
    second = service.send_due_alerts(D(2026, 11, 16))
    print(f"first {first.counts()} second {second.counts()}")
    assert (first.created, first.sent) == (5, 3)
    assert (second.created, second.sent, second.cancelled) == (0, 0, 0)
    assert sorted(statuses().values()) == ["pending", "pending", "sent", "sent", "sent"]
    emails = session.execute(sa.select(EmailMessage)).scalars().all()
    assert len(emails) == 3 and {e.to_address for e in emails} == {users.offender_manager.email}
    assert {e.status for e in emails} == {EmailStatus.RECORDED}  # no mail server in tests


def test_future_alert_waits_for_its_day(session, fake_source, ocd):
    fake_source.add(1, D(2027, 1, 10), unit_id=ocd)
    session.commit()
    assert service.send_due_alerts(D(2027, 1, 9)).sent == 0
    assert statuses() == {"widget:1:widget_due:2027-01-10": "pending"}
    assert service.send_due_alerts(D(2027, 1, 10)).sent == 1
    assert rows()[0].sent_at is not None


def test_a_changed_date_cancels_the_old_alert_and_creates_the_new(session, fake_source, ocd):
    old = fake_source.add(1, D(2027, 1, 10), unit_id=ocd)
    session.commit()
    service.send_due_alerts(D(2026, 12, 1))
    fake_source.remove(old.key)
    fake_source.add(1, D(2027, 4, 10), unit_id=ocd)
    result = service.send_due_alerts(D(2026, 12, 2))
    assert (result.created, result.cancelled) == (1, 1)
    assert statuses() == {old.key: "cancelled", "widget:1:widget_due:2027-04-10": "pending"}
    assert rows(key=old.key)[0].cancel_reason == engine.NO_LONGER_APPLIES


def test_sent_alerts_are_history_and_never_cancelled(session, fake_source, ocd):
    old = fake_source.add(1, D(2026, 11, 1), unit_id=ocd)
    session.commit()
    service.send_due_alerts(D(2026, 11, 2))
    fake_source.remove(old.key)
    assert service.send_due_alerts(D(2026, 11, 3)).cancelled == 0
    assert statuses() == {old.key: "sent"}


def test_suppressed_alerts_exist_but_are_never_sent(session, fake_source, ocd):
    live = fake_source.add(1, D(2026, 11, 1), unit_id=ocd)
    session.commit()
    fake_source.alerts[live.key] = engine.ExpectedAlert(**{**live.__dict__,
                                                            "suppressed": "Not sent: discharged"})
    fake_source.add(2, D(2026, 11, 1), unit_id=ocd, suppressed="Not sent: discharged")
    result = service.send_due_alerts(D(2026, 11, 5))
    assert result.sent == 0
    assert set(statuses().values()) == {"cancelled"}
    assert {a.cancel_reason for a in rows()} == {"Not sent: discharged"}


def test_after_a_gap_only_the_latest_of_a_series_is_sent(session, fake_source, ocd):
    for days, due in ((90, D(2026, 12, 1)), (30, D(2027, 1, 30)), (7, D(2027, 2, 22))):
        fake_source.add(1, due, unit_id=ocd, token=f"{days}d", series="widget:1:expiry")
    session.commit()
    result = service.send_due_alerts(D(2027, 2, 1))
    assert (result.superseded, result.sent) == (1, 1)
    assert statuses() == {"widget:1:widget_due:90d": "cancelled",
                          "widget:1:widget_due:30d": "sent", "widget:1:widget_due:7d": "pending"}
    assert rows(key="widget:1:widget_due:90d")[0].cancel_reason == engine.SUPERSEDED
    assert service.send_due_alerts(D(2027, 2, 22)).sent == 1


def test_pending_due_wording_is_refreshed_before_sending(session, fake_source, ocd):
    alert = fake_source.add(1, D(2026, 11, 1), unit_id=ocd, message="expires in 30 days")
    session.commit()
    service.send_due_alerts(D(2026, 10, 1))
    fake_source.alerts[alert.key] = engine.ExpectedAlert(**{**alert.__dict__,
                                                            "message": "expired on 1 December"})
    result = service.send_due_alerts(D(2026, 12, 5))
    assert (result.updated, result.sent) == (1, 1)
    assert rows()[0].message == "expired on 1 December"


def test_dry_run_counts_and_writes_nothing(session, fake_source, ocd):
    fake_source.add(1, D(2026, 11, 1), unit_id=ocd)
    fake_source.add(2, D(2027, 11, 1), unit_id=ocd)
    session.commit()
    result = service.send_due_alerts(D(2026, 11, 5), dry_run=True)
    assert (result.created, result.sent) == (2, 1)
    assert rows() == []
    assert session.execute(sa.select(sa.func.count()).select_from(JobRun)).scalar_one() == 0


def test_every_run_is_recorded_with_its_counts(session, fake_source, ocd):
    fake_source.add(1, D(2026, 11, 1), unit_id=ocd)
    session.commit()
    result = service.send_due_alerts(D(2026, 11, 5), trigger="cli")
    run = session.get(JobRun, result.run_id)
    assert run.status.value == "succeeded" and run.trigger == "cli"
    assert run.as_of == D(2026, 11, 5) and run.finished_at is not None
    assert run.counts["created"] == 1 and run.counts["sent"] == 1


def test_a_failing_run_is_recorded_with_its_error(session, fake_source, ocd, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("source exploded")

    monkeypatch.setattr(fake_source, "expected", broken)
    with pytest.raises(RuntimeError):
        service.send_due_alerts(D(2026, 11, 5))
    run = session.execute(sa.select(JobRun).order_by(JobRun.id.desc())).scalars().first()
    assert run.status.value == "failed" and "source exploded" in run.error


def test_recompute_for_one_subject_leaves_others_alone(session, fake_source, ocd):
    a1 = fake_source.add(1, D(2027, 1, 1), unit_id=ocd)
    a2 = fake_source.add(2, D(2027, 1, 1), unit_id=ocd)
    session.commit()
    service.send_due_alerts(D(2026, 11, 1))
    fake_source.remove(a1.key)
    fake_source.remove(a2.key)
    counts = service.recompute_for("widget", [1], today=D(2026, 11, 2))
    assert counts.cancelled == 1
    assert statuses() == {a1.key: "cancelled", a2.key: "pending"}


def test_unassigned_alerts_go_to_the_units_offender_managers(session, users, fake_source, ocd):
    fake_source.add(1, D(2026, 11, 1), unit_id=ocd)
    session.commit()
    service.send_due_alerts(D(2026, 11, 5))
    to = session.execute(sa.select(EmailMessage.to_address)).scalars().all()
    assert to == [users.offender_manager.email]
    db.session.rollback()
