"""Disabling, unlocking, ending sessions and API tokens, each checked against the real sign-in
and bearer-token checks, with exact audit counts."""

from __future__ import annotations

import re

import sqlalchemy as sa

from casework.auth import service as auth_service
from casework.auth.models import ApiToken, LoginThrottle, User, UserSession
from casework.extensions import db
from tests.factories import PASSWORD
from tests.integration.admin.helpers import audit_count, last_audit


def _lock(client, app, email):
    for _ in range(app.config["LOGIN_FAILURE_LIMIT"]):
        client.form("/sign-in", {"email": email, "password": "a wrong password"})


def test_disabling_a_signed_in_user_ends_their_session_on_the_next_request(app, client, users,
                                                                           as_user):
    from tests.conftest import sign_in_as

    victim = app.test_client()
    sign_in_as(victim, users.lawyer)
    assert victim.get("/home").status_code == 200
    as_user(users.admin)
    before = audit_count(object_type="user", object_id=users.lawyer.id)
    assert client.form(f"/admin/users/{users.lawyer.id}/disable").status_code == 302
    assert audit_count(object_type="user", object_id=users.lawyer.id) == before + 1
    assert "disabled" in last_audit().summary
    response = victim.get("/home")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
    reasons = db.session.execute(sa.select(UserSession.ended_reason).where(
        UserSession.user_id == users.lawyer.id)).scalars().all()
    assert reasons == ["user disabled"]  # ended in the database, not just refused
    # and the password no longer signs them in
    fresh = app.test_client()
    fresh.form("/sign-in", {"email": users.lawyer.email, "password": PASSWORD})
    assert fresh.get("/home").status_code == 302
    # enabling lets them sign in again (the refused sign-in above wrote its own auth row)
    before = audit_count(object_type="user", object_id=users.lawyer.id)
    assert client.form(f"/admin/users/{users.lawyer.id}/enable").status_code == 302
    assert audit_count(object_type="user", object_id=users.lawyer.id) == before + 1
    assert last_audit().summary == f"User {users.lawyer.name} enabled"
    fresh.form("/sign-in", {"email": users.lawyer.email, "password": PASSWORD})
    assert fresh.get("/home").status_code == 200


def test_unlock_clears_the_lockout(app, client, users, as_user):
    locked_out = app.test_client()
    _lock(locked_out, app, users.analyst.email)
    response = locked_out.form("/sign-in", {"email": users.analyst.email, "password": PASSWORD})
    assert "Too many failed sign-in attempts" in response.get_data(as_text=True)
    as_user(users.admin)
    page = client.get(f"/admin/users/{users.analyst.id}").get_data(as_text=True)
    assert "Locked until" in page
    assert "Locked" in client.get("/admin/users?role=analyst").get_data(as_text=True)
    before = audit_count(object_type="user", object_id=users.analyst.id)
    assert client.form(f"/admin/users/{users.analyst.id}/unlock").status_code == 302
    assert db.session.get(LoginThrottle, users.analyst.email) is None
    assert audit_count(object_type="user", object_id=users.analyst.id) == before + 1
    limit = app.config["LOGIN_FAILURE_LIMIT"]
    assert last_audit().summary == (f"Account {users.analyst.email} unlocked ({limit} failed "
                                    "sign-in attempts cleared)")
    locked_out.form("/sign-in", {"email": users.analyst.email, "password": PASSWORD})
    assert locked_out.get("/home").status_code == 200


def test_unlock_with_nothing_to_clear_writes_nothing(app, client, users, as_user):
    app.test_client().form("/sign-in", {"email": users.analyst.email, "password": PASSWORD})
    assert db.session.get(LoginThrottle, users.analyst.email).failures == 0  # a row, no failures
    as_user(users.admin)
    before = audit_count()
    client.form(f"/admin/users/{users.analyst.id}/unlock")
    assert audit_count() == before


def test_end_all_sessions_of_a_user(app, client, users, as_user):
    from tests.conftest import sign_in_as

    browsers = [sign_in_as(app.test_client(), users.offender_manager) for _ in range(2)]
    assert all(b.get("/home").status_code == 200 for b in browsers)
    as_user(users.admin)
    before = audit_count(object_type="user", object_id=users.offender_manager.id)
    client.form(f"/admin/users/{users.offender_manager.id}/sessions/end")
    assert all(b.get("/home").status_code == 302 for b in browsers)
    assert audit_count(object_type="user", object_id=users.offender_manager.id) == before + 1
    assert last_audit().summary == f"All sessions of {users.offender_manager.name} ended (2 open)"
    assert client.get("/home").status_code == 200  # the admin's own session is untouched


def test_token_is_shown_once_works_as_bearer_and_can_be_revoked(client, users, as_user):
    as_user(users.admin)
    before = audit_count(object_type="user", object_id=users.lawyer.id)
    response = client.form(f"/admin/users/{users.lawyer.id}/tokens")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    token = re.search(r'id="api-token">([^<]+)<', response.get_data(as_text=True)).group(1)
    assert auth_service.user_for_token(token).id == users.lawyer.id
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/units", headers=bearer).status_code == 200  # the real API check
    assert audit_count(object_type="user", object_id=users.lawyer.id) == before + 1
    row = db.session.execute(sa.select(ApiToken).where(ApiToken.user_id == users.lawyer.id)).scalar_one()
    assert row.token_hash != token and token not in row.token_hash
    page = client.get(f"/admin/users/{users.lawyer.id}").get_data(as_text=True)
    assert token not in page  # never shown again
    assert f'Revoke<span class="govuk-visually-hidden"> token {row.id}</span>' in page
    assert client.form(f"/admin/users/{users.lawyer.id}/tokens/{row.id}/revoke").status_code == 302
    assert auth_service.user_for_token(token) is None
    assert client.get("/api/v1/units", headers=bearer).status_code == 401
    assert audit_count(object_type="user", object_id=users.lawyer.id) == before + 2
    assert last_audit().summary == f"API token {row.id} of {users.lawyer.name} revoked"


def test_revoking_another_users_token_through_the_wrong_url_is_404(client, users, as_user):
    as_user(users.admin)
    token = auth_service.issue_token(users.analyst)
    db.session.commit()
    row = db.session.execute(sa.select(ApiToken).where(ApiToken.user_id == users.analyst.id)).scalar_one()
    response = client.form(f"/admin/users/{users.lawyer.id}/tokens/{row.id}/revoke")
    assert response.status_code == 404
    assert auth_service.user_for_token(token).id == users.analyst.id


def test_disabling_revokes_api_tokens(client, users, as_user):
    as_user(users.admin)
    token = auth_service.issue_token(users.lawyer)
    db.session.commit()
    assert auth_service.user_for_token(token) is not None
    client.form(f"/admin/users/{users.lawyer.id}/disable")
    assert auth_service.user_for_token(token) is None
    client.form(f"/admin/users/{users.lawyer.id}/enable")
    assert auth_service.user_for_token(token) is None  # stays revoked after re-enabling
    refused = client.form(f"/admin/users/{users.lawyer.id}/disable")
    assert refused.status_code == 302
    assert client.form(f"/admin/users/{users.lawyer.id}/tokens").status_code == 302  # disabled
    assert db.session.get(User, users.lawyer.id).active is False


def test_cli_unlock_for_a_locked_out_administrator(app, client, users):
    _lock(client, app, users.admin.email)
    assert db.session.get(LoginThrottle, users.admin.email).locked_until is not None
    before = audit_count(object_type="user", object_id=users.admin.id)
    result = app.test_cli_runner().invoke(args=["users", "unlock", users.admin.email.upper()])
    assert result.exit_code == 0 and f"Unlocked {users.admin.email}" in result.output
    assert db.session.get(LoginThrottle, users.admin.email) is None
    assert audit_count(object_type="user", object_id=users.admin.id) == before + 1
    assert last_audit().actor_name == "System"
    again = app.test_cli_runner().invoke(args=["users", "unlock", users.admin.email])
    assert "was not locked" in again.output
    missing = app.test_cli_runner().invoke(args=["users", "unlock", "nobody@example.gov.uk"])
    assert missing.exit_code != 0
