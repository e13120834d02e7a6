"""The inbox (acknowledge, resolve, email settings), the admin page, and the alerts API."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from casework.alerts import service
from casework.alerts.models import Alert, AlertPreference, EmailMode
from casework.audit.models import AuditEvent
from casework.extensions import db
from tests import factories
from tests.integration.api.conftest import Api

D = dt.date


@pytest.fixture
def sent(session, users):
    """An SCPO in the OCD whose 12-month expiry reminder has been sent."""
    case = factories.case(lead_lawyer=users.lawyer)
    order = factories.order(factories.convicted_defendant(case), made_on=D(2025, 10, 1),
                            served_on=D(2025, 10, 1), offender_manager=users.offender_manager)
    session.commit()
    service.send_due_alerts(D(2029, 10, 1))
    alert = session.execute(sa.select(Alert).where(Alert.subject_id == order.id,
                                                   Alert.status == "sent")).scalar_one()
    return alert


def test_inbox_lists_the_alert_for_its_offender_manager_and_lawyer(sent, users, as_user):
    for user in (users.offender_manager, users.lawyer):
        page = as_user(user).get("/alerts").get_data(as_text=True)
        assert "Order expiry" in page and "expires in 365 days, on 1 October 2030" in page
        assert "Acknowledge" in page


def test_other_units_never_see_it(sent, users, as_user):
    client = as_user(users.other_lawyer)
    assert "expires in 365 days" not in client.get("/alerts?scope=unit").get_data(as_text=True)
    assert client.form(f"/alerts/{sent.id}/acknowledge").status_code == 404


def test_analysts_have_no_alerts_pages(sent, users, as_user):
    client = as_user(users.analyst)
    assert client.get("/alerts").status_code == 403
    assert client.get("/admin/alerts").status_code == 403


def test_acknowledge_then_resolve_is_audited(sent, users, as_user, session):
    client = as_user(users.offender_manager)
    response = client.form(f"/alerts/{sent.id}/acknowledge")
    assert response.status_code == 302
    session.expire_all()
    assert sent.status.value == "acknowledged" and sent.acknowledged_by_id == users.offender_manager.id
    response = client.form(f"/alerts/{sent.id}/resolve", {"note": "Renewal application lodged"})
    session.expire_all()
    assert sent.status.value == "resolved" and sent.resolved_at is not None
    reasons = session.execute(sa.select(AuditEvent.summary, AuditEvent.reason)
                              .where(AuditEvent.object_type == "alert")
                              .order_by(AuditEvent.id)).all()
    assert [r.summary for r in reasons] == ["Alert acknowledged: Order expiry due 1 October 2029",
                                            "Alert resolved: Order expiry due 1 October 2029"]
    assert reasons[1].reason == "Renewal application lodged"
    assert "expires in 365 days" in client.get("/alerts?view=resolved").get_data(as_text=True)
    again = client.form(f"/alerts/{sent.id}/resolve", follow_redirects=True)
    assert "You cannot resolve this alert because it is resolved" in again.get_data(as_text=True)


def test_upcoming_view_shows_future_reminders(sent, users, as_user):
    page = as_user(users.offender_manager).get("/alerts?view=upcoming").get_data(as_text=True)
    assert "1 April 2030" in page  # the 6-month reminder, not yet due


def test_email_settings_saved(sent, users, as_user, session):
    client = as_user(users.lawyer)
    assert "How do you want to hear about new alerts?" in client.get(
        "/alerts/email-settings").get_data(as_text=True)
    assert client.form("/alerts/email-settings", {"email_mode": "digest"}).status_code == 302
    assert session.get(AlertPreference, users.lawyer.id).email_mode == EmailMode.DIGEST
    bad = client.form("/alerts/email-settings", {"email_mode": "carrier-pigeon"})
    assert bad.status_code == 200 and "Error:" in bad.get_data(as_text=True)


def test_admin_page_lists_sweep_runs(sent, users, as_user):
    page = as_user(users.admin).get("/admin/alerts").get_data(as_text=True)
    assert "alerts-sweep" in page and "for 1 October 2029" in page and "sent 1" in page


@pytest.fixture
def api(client, users):
    db.session.commit()
    return Api(client, users)


def test_api_lists_alerts_with_filters(sent, api, users):
    body = api.get("/api/v1/alerts?status=sent", user=users.offender_manager).get_json()
    assert [a["id"] for a in body["items"]] == [sent.id]
    item = body["items"][0]
    assert set(item) >= {"id", "kind", "due_on", "status", "subject_type", "subject_id", "message"}
    assert item["due_on"] == "2029-10-01" and item["kind"] == "order_expiry"
    pending = api.get("/api/v1/alerts?status=pending&due_before=2030-05-01").get_json()["items"]
    assert [a["due_on"] for a in pending] == ["2030-04-01"]
    assert api.get("/api/v1/alerts?kind=order_starts").get_json()["items"] == []
    assert api.get("/api/v1/alerts", user=users.other_lawyer).get_json()["items"] == []
    assert api.get("/api/v1/alerts?status=nonsense").status_code == 422
    assert api.get("/api/v1/alerts", user=users.analyst).status_code == 403


def test_api_acknowledge(sent, api, users):
    path = f"/api/v1/alerts/{sent.id}/acknowledge"
    assert api.post(path, user=users.other_lawyer).status_code == 404
    response = api.post(path, user=users.offender_manager)
    assert response.status_code == 200 and response.get_json()["status"] == "acknowledged"
    service.resolve(db.session.get(Alert, sent.id), actor=users.lawyer)
    db.session.commit()
    refused = api.post(path, user=users.offender_manager)
    assert refused.status_code == 422
    assert "because it is resolved" in str(refused.get_json()["errors"])
