from __future__ import annotations

import pytest

from casework.core.auth import allowed_roles

PUBLIC_ENDPOINTS = {"static", "core.assets", "core.index", "core.health", "core.accessibility",
                    "auth.sign_in"}


def test_every_route_declares_who_may_use_it(app):
    """The access policy table: a route with no role rule fails this test."""
    missing = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        roles = allowed_roles(view)
        if rule.endpoint in PUBLIC_ENDPOINTS:
            assert rule.endpoint == "static" or roles == ("public",), rule.endpoint
            continue
        if rule.endpoint.startswith("api."):
            continue  # API routes are checked by tests/integration/api/test_policy.py
        if not roles or roles == ("public",):
            missing.append(rule.endpoint)
    assert missing == []


def test_security_headers_on_pages_and_errors(client):
    for path in ("/sign-in", "/does-not-exist", "/accessibility"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        for part in ("default-src 'self'", "object-src 'none'", "base-uri 'none'",
                     "frame-ancestors 'none'"):
            assert part in csp
        assert "max-age=" in response.headers["Strict-Transport-Security"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["Cache-Control"] == "no-store"


def test_inline_script_carries_the_nonce(client):
    response = client.get("/sign-in")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.get_data(as_text=True)


def test_post_without_csrf_token_is_refused(client, users, as_user):
    as_user(users.lawyer)
    response = client.post("/sign-out", data={})
    assert response.status_code == 400
    assert client.get("/home").status_code == 200  # still signed in: nothing changed


def test_expired_csrf_form_is_offered_back_with_what_was_typed(client, users, as_user):
    as_user(users.lawyer)
    response = client.post("/sign-out", data={"csrf_token": "stale", "note": "kept text"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="kept text"' in html and "Send again" in html


def test_unexpected_error_shows_no_traceback(database_url, app):
    from tests.conftest import make_app

    other = make_app(database_url)

    @other.route("/__boom")
    def boom():  # pragma: no cover - exercised through the client
        raise RuntimeError("secret internals")

    response = other.test_client().get("/__boom")
    assert response.status_code == 500
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/home", "/admin/audit", "/admin/units"])
def test_signed_out_users_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_admin_pages_refuse_other_roles(client, users, as_user):
    as_user(users.lawyer)
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/units").status_code == 403
