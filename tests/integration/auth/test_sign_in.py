from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.auth.models import UserSession
from casework.core import clock
from casework.extensions import db
from tests.factories import PASSWORD


def _sign_in(client, email, password):
    return client.form("/sign-in", {"email": email, "password": password})


def test_sign_in_creates_server_session_and_audits(client, users):
    response = _sign_in(client, users.lawyer.email, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"
    assert client.get("/home").status_code == 200
    records = db.session.execute(
        sa.select(UserSession).where(UserSession.user_id == users.lawyer.id)).scalars().all()
    assert len(records) == 1 and records[0].ended_at is None
    summaries = db.session.execute(sa.select(AuditEvent.summary)).scalars().all()
    assert f"{users.lawyer.name} signed in" in summaries


def test_wrong_password_and_unknown_user_get_the_same_message(client, users):
    wrong = _sign_in(client, users.lawyer.email, "not the password at all")
    unknown = _sign_in(client, "nobody@cps.example.gov.uk", "not the password at all")
    for response in (wrong, unknown):
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Enter a correct email address and password" in html
        assert html.count("<title>Error:") == 1


def test_lockout_after_limit_even_with_right_password(client, users, app):
    limit = app.config["LOGIN_FAILURE_LIMIT"]
    for _ in range(limit):
        _sign_in(client, users.lawyer.email, "wrong password here")
    response = _sign_in(client, users.lawyer.email, PASSWORD)
    assert "Too many failed sign-in attempts" in response.get_data(as_text=True)
    assert client.get("/home").status_code == 302
    failures = db.session.execute(
        sa.select(sa.func.count()).select_from(AuditEvent)
        .where(AuditEvent.summary.like("Failed sign-in%"))).scalar_one()
    assert failures == limit


def test_new_session_identity_at_sign_in(client, users):
    with client.session_transaction() as s:
        s["sid"] = "attacker-chosen"
    _sign_in(client, users.lawyer.email, PASSWORD)
    with client.session_transaction() as s:
        assert s["sid"] != "attacker-chosen"


def test_replayed_cookie_after_sign_out_is_refused(app, client, users):
    _sign_in(client, users.lawyer.email, PASSWORD)
    cookie = client.get_cookie("casework_session").value
    assert client.form("/sign-out").status_code == 302
    replay = app.test_client()
    replay.set_cookie("casework_session", cookie)
    response = replay.get("/home")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_idle_and_absolute_timeouts(client, users, as_user):
    as_user(users.lawyer)
    start = clock.now()
    with clock.frozen(start + dt.timedelta(minutes=29)):
        assert client.get("/home").status_code == 200
    with clock.frozen(start + dt.timedelta(minutes=29 + 31)):
        response = client.get("/home")
        assert response.status_code == 302
    as_user(users.lawyer)
    start = clock.now()
    t = start
    while t < start + dt.timedelta(hours=12):  # active all day: still ends at 12 hours
        t += dt.timedelta(minutes=20)
        with clock.frozen(t):
            status = client.get("/home").status_code
    assert status == 302


def test_disabling_a_user_ends_their_sessions(client, users, as_user):
    from casework.auth import service

    as_user(users.lawyer)
    assert client.get("/home").status_code == 200
    service.set_active(users.lawyer, active=False, actor=users.admin)
    db.session.commit()
    assert client.get("/home").status_code == 302


def test_open_redirect_is_refused(client, users):
    for target in ("//evil.example", "/\\evil.example", "https://evil.example/", "javascript:x"):
        response = client.form(f"/sign-in?next={target}",
                               {"email": users.lawyer.email, "password": PASSWORD})
        assert response.headers["Location"] == "/home", target
        client.form("/sign-out")
