"""Every administration route: 403 for lawyers, offender managers and analysts; sign-in for
signed-out visitors; and nothing changes when a refused POST is sent."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from casework.auth.models import ApiToken, User
from casework.core import clock
from casework.extensions import db
from tests.factories import unit

OPEN_TO_ALL_SIGNED_IN = {"admin.change_password"}


def admin_routes(app):
    """(endpoint, methods, rule) for every admin-only route, straight from the URL map."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin") and rule.endpoint not in OPEN_TO_ALL_SIGNED_IN:
            found.append((rule.endpoint, sorted(rule.methods - {"HEAD", "OPTIONS"}), rule))
    return found


def _url(rule, ids):
    return rule.build({k: ids[k] for k in rule.arguments})[1]


@pytest.fixture
def ids(users):
    token = ApiToken(user_id=users.lawyer.id, token_hash="0" * 64, created_at=clock.now())
    db.session.add(token)
    db.session.flush()
    return {"user_id": users.lawyer.id, "token_id": token.id, "unit_id": unit("sfd").id}


def test_the_admin_routes_are_all_found(app):
    endpoints = {e for e, _, _ in admin_routes(app)}
    expected = {"admin.home", "admin.users", "admin.new_user", "admin.user", "admin.edit_user",
                "admin.disable_user", "admin.enable_user", "admin.unlock_user", "admin.end_sessions",
                "admin.issue_token", "admin.revoke_token", "units.index", "units.new",
                "units.rename", "units.deactivate", "units.reactivate", "audit.log"}
    assert expected <= endpoints


@pytest.mark.parametrize("role", ["lawyer", "offender_manager", "analyst"])
def test_other_roles_get_403_on_every_admin_route(app, client, users, as_user, ids, role):
    as_user(getattr(users, role))
    token = client.csrf_token()
    checked = 0
    for endpoint, methods, rule in admin_routes(app):
        url = _url(rule, ids)
        for method in methods:
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": token, "name": "Hacked",
                                                  "code": "hacked", "kind": "area"})
            assert response.status_code == 403, (endpoint, method, response.status_code)
            checked += 1
    assert checked >= 20
    lawyer = db.session.get(User, users.lawyer.id)
    db.session.refresh(lawyer)
    assert lawyer.active and lawyer.name == "Lee Lawyer"
    assert db.session.get(ApiToken, ids["token_id"]).revoked_at is None
    assert unit("sfd").active and unit("sfd").name == "Specialist Fraud Division"


def test_signed_out_visitors_are_sent_to_sign_in(app, client, users, ids):
    token = client.csrf_token()
    password_rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "admin.change_password")
    routes = admin_routes(app) + [("admin.change_password", ["GET", "POST"], password_rule)]
    for endpoint, methods, rule in routes:
        url = _url(rule, ids)
        for method in methods:
            response = (client.get(url) if method == "GET"
                        else client.post(url, data={"csrf_token": token}))
            assert response.status_code == 302, (endpoint, method)
            assert response.headers["Location"].startswith("/sign-in"), (endpoint, method)
    assert db.session.execute(sa.select(User.active).where(User.id == users.lawyer.id)).scalar_one()


def test_admin_reaches_every_admin_page(app, client, users, as_user, ids):
    as_user(users.admin)
    for endpoint, methods, rule in admin_routes(app):
        if "GET" in methods:
            response = client.get(_url(rule, ids))
            assert response.status_code == 200, endpoint


def test_admin_navigation_and_home_links(client, users, as_user):
    as_user(users.admin)
    html = client.get("/admin").get_data(as_text=True)
    for href in ('href="/admin/users"', 'href="/admin/units"', 'href="/admin/audit"'):
        assert href in html
    home = client.get("/home").get_data(as_text=True)
    assert 'href="/admin"' in home
    as_user(users.lawyer)
    home = client.get("/home").get_data(as_text=True)
    assert 'href="/admin"' not in home and 'href="/admin/users"' not in home
    assert 'href="/account/password"' in home
