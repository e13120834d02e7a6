"""Sessions: a new identity at sign-in, no replay after sign-out or expiry, 30 minutes idle and
12 hours absolute, a warning that offers to extend (WCAG 2.2.1) and that comes before either
limit, and a user disabled mid-session stopped on the very next request, reads and writes alike.

(Sign-in, logout replay, both timeouts and disabling are also covered in
tests/integration/auth/test_sign_in.py; password change and "end sessions" in
tests/integration/admin/.)
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from casework.auth import service
from casework.auth.models import UserSession
from casework.cases.models import Case
from casework.core import clock
from casework.extensions import db
from tests import factories
from tests.conftest import make_app, sign_in_as
from tests.factories import PASSWORD
from tests.integration.security.world import csrf_token

START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
COOKIE = "casework_session"


def _at(minutes: float) -> dt.datetime:
    return START + dt.timedelta(minutes=minutes)


def _signed_in(response) -> bool:
    return response.status_code == 200


def _sign_in(client, email: str, password: str = PASSWORD):
    return client.form("/sign-in", {"email": email, "password": password})


def test_sign_in_issues_a_new_cookie_and_the_old_one_grants_nothing(app, client, users):
    with clock.frozen(START):
        client.get("/sign-in")
        before = client.get_cookie(COOKIE).value
        assert _sign_in(client, users.lawyer.email).status_code == 302
        after = client.get_cookie(COOKIE).value
        assert after != before
        replay = app.test_client()
        replay.set_cookie(COOKIE, before)
        assert replay.get("/home").status_code == 302
        # A session id planted before sign-in (even a live one of someone else) is replaced.
        planted = service.start_session(users.analyst)
        db.session.commit()
        fresh = app.test_client()
        with fresh.session_transaction() as s:
            s["sid"] = planted.id
        fresh.form("/sign-in", {"email": users.lawyer.email, "password": PASSWORD})
        with fresh.session_transaction() as s:
            assert s["sid"] != planted.id
        assert "Lee Lawyer" in fresh.get("/home").get_data(as_text=True)


@pytest.mark.parametrize("ending", ["sign-out", "idle", "absolute"])
def test_a_cookie_replayed_after_the_session_ended_is_refused_everywhere(app, client, users,
                                                                         ending):
    with clock.frozen(START):
        _sign_in(client, users.lawyer.email)
        cookie = client.get_cookie(COOKIE).value
        token = csrf_token(app, client)
        if ending == "sign-out":
            assert client.form("/sign-out").status_code == 302
    later = {"sign-out": 1, "idle": 31, "absolute": 12 * 60 + 1}[ending]
    with clock.frozen(_at(later)):
        if ending == "absolute":  # keep the session busy all day: it still ends at 12 hours
            for minute in range(20, 12 * 60, 20):
                with clock.frozen(_at(minute)):
                    assert client.get("/session/status").status_code == 200
                    client.get("/home")
        replay = app.test_client()
        replay.set_cookie(COOKIE, cookie)
        assert replay.get("/home").headers["Location"].startswith("/sign-in")
        replay.set_cookie(COOKIE, cookie)
        assert replay.get("/session/status").status_code == 302
        replay.set_cookie(COOKIE, cookie)
        response = replay.post("/cases/new", data={"csrf_token": token, "urn": "01RE0000126",
                                                    "name": "Replay"})
        assert response.status_code in (302, 400)
        replay.set_cookie(COOKIE, cookie)
        assert replay.post("/session/extend", headers={"X-CSRFToken": token}).status_code in (302, 400)
    assert db.session.execute(sa.select(Case).where(Case.urn == "01RE0000126")).first() is None
    record = db.session.execute(sa.select(UserSession).where(
        UserSession.user_id == users.lawyer.id)).scalar_one()
    assert record.ended_at is not None
    print(f"\n[sessions] replay after {ending}: refused on GET, status, POST and extend "
          f"(ended: {record.ended_reason})")


def test_idle_limit_is_thirty_minutes_to_the_second(app, client, users):
    for seconds, alive in ((30 * 60 - 1, True), (30 * 60 + 1, False)):
        with clock.frozen(START):
            sign_in_as(client, users.lawyer)
        with clock.frozen(START + dt.timedelta(seconds=seconds)):
            assert _signed_in(client.get("/home")) is alive, seconds


def test_polling_the_status_does_not_keep_a_session_alive(app, client, users):
    with clock.frozen(START):
        sign_in_as(client, users.lawyer)
    for minute in (10, 20, 29):
        with clock.frozen(_at(minute)):
            body = client.get("/session/status").get_json()
            assert body["seconds_remaining"] == (30 - minute) * 60
    with clock.frozen(_at(31)):
        assert client.get("/home").status_code == 302


def test_the_warning_offers_to_extend_and_extending_restarts_the_idle_timer(app, client, users):
    with clock.frozen(START):
        sign_in_as(client, users.lawyer)
        html = client.get("/home").get_data(as_text=True)
    dialog = re.search(r'<dialog[^>]*id="session-dialog"[^>]*>', html).group(0)
    assert 'data-idle-minutes="30"' in dialog and 'data-warning-minutes="5"' in dialog
    assert "Stay signed in" in html and 'data-extend-url="/session/extend"' in dialog
    token = re.search(r'data-csrf="([^"]+)"', dialog).group(1)
    with clock.frozen(_at(26)):  # inside the 5-minute warning
        assert client.get("/session/status").get_json()["seconds_remaining"] == 4 * 60
        assert client.post("/session/extend").status_code == 400  # CSRF applies here too
        response = client.post("/session/extend", headers={"X-CSRFToken": token})
        assert response.get_json() == {"seconds_remaining": 30 * 60, "absolute": False}
    with clock.frozen(_at(26 + 29)):
        assert client.get("/home").status_code == 200


def test_the_warning_comes_before_the_absolute_limit_and_extending_cannot_pass_it(app, client,
                                                                                   users):
    with clock.frozen(START):
        sign_in_as(client, users.lawyer)
    for minute in range(20, 11 * 60 + 50, 20):
        with clock.frozen(_at(minute)):
            client.get("/home")
    with clock.frozen(_at(11 * 60 + 50)):  # 10 minutes left of the 12 hours
        html = client.get("/home").get_data(as_text=True)
        remaining = int(re.search(r'data-seconds-remaining="(\d+)"', html).group(1))
        assert remaining == 10 * 60  # the page schedules its warning from this, not from 30 min
        token = re.search(r'data-csrf="([^"]+)"', html).group(1)
        body = client.post("/session/extend", headers={"X-CSRFToken": token}).get_json()
        assert body == {"seconds_remaining": 10 * 60, "absolute": True}
    with clock.frozen(_at(12 * 60 + 1)):
        assert client.get("/home").status_code == 302


def test_a_user_disabled_mid_session_is_stopped_on_the_next_request(app, client, users):
    with clock.frozen(START):
        sign_in_as(client, users.lawyer)
        token = csrf_token(app, client)
        assert client.get("/cases/new").status_code == 200  # a form is open
        service.set_active(users.lawyer, active=False, actor=users.admin)
        db.session.commit()
        response = client.post("/cases/new", data={
            "csrf_token": token, "urn": "01DI0000126", "name": "Operation Late",
            "unit": str(factories.unit("ocd").id), "crime_type": str(factories.crime_type().id)})
        assert response.status_code in (302, 400)
        assert not response.headers.get("Location", "/sign-in").startswith("/cases/")
        assert client.get("/home").headers["Location"].startswith("/sign-in")
    assert db.session.execute(sa.select(Case).where(Case.urn == "01DI0000126")).first() is None


def test_the_session_cookie_is_httponly_samesite_and_secure_in_production(database_url, app,
                                                                          client, users):
    _sign_in(client, users.lawyer.email)
    cookie = client.get_cookie(COOKIE)
    assert cookie.http_only and cookie.same_site == "Lax"
    production = make_app(database_url, ENV_NAME="production", TESTING=False)
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.config["SESSION_COOKIE_HTTPONLY"] is True
