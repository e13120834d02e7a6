"""Security headers on every response of every route (pages, downloads, API JSON, static files,
redirects and error pages), and error pages that never show a traceback or an exception's text."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from casework.core import clock
from tests.conftest import make_app
from tests.integration.security.policy import ANONYMOUS, POLICY, PUBLIC, ROLES
from tests.integration.security.world import TODAY, Actors, build_world

CSP_PARTS = ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'")
STATIC = ("/static/", "/assets/")
SECRET = "secret internals: password=hunter2"
LEAKS = ("Traceback", "secret internals", "hunter2", "RuntimeError", "OperationalError",
         'File "', "sqlalchemy", "werkzeug")


def header_problems(path: str, response) -> list[str]:
    h = response.headers
    problems = []
    csp = h.get("Content-Security-Policy", "")
    problems += [f"CSP lacks {part}" for part in CSP_PARTS if part not in csp]
    if not h.get("Strict-Transport-Security", "").startswith("max-age="):
        problems.append("no HSTS")
    if h.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    if h.get("Referrer-Policy") not in ("same-origin", "no-referrer", "strict-origin"):
        problems.append("no Referrer-Policy")
    if not path.startswith(STATIC) and "no-store" not in h.get("Cache-Control", ""):
        problems.append("not no-store")
    return [f"{path} ({response.status_code}): {p}" for p in problems]


def _readers(endpoint: str) -> list[str]:
    roles = POLICY[endpoint].roles
    allowed = list(ROLES) if roles == PUBLIC else [r for r in ROLES if r in roles]
    return [*allowed, ANONYMOUS]


def test_every_route_and_answer_carries_the_security_headers(app, client, users):
    with clock.frozen(TODAY):
        world = build_world(users)
        actors = Actors(app, users)
        problems: list[str] = []
        statuses: dict[int, int] = {}
        kinds: set[str] = set()
        endpoints = set()
        sent = 0
        for rule in app.url_map.iter_rules():
            endpoints.add(rule.endpoint)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                for other in (False, True) if POLICY[rule.endpoint].unit else (False,):
                    url = world.url(rule, other)
                    for role in _readers(rule.endpoint):
                        response = actors.request(role, method, url, rule.endpoint, other_unit=other)
                        sent += 1
                        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                        kinds.add(response.mimetype)
                        problems += header_problems(url, response)
                        if method != "GET" and rule.endpoint == "auth.sign_out":
                            actors.resign(role)
        extra = [("/no-such-page", "GET"), ("/api/v1/no-such", "GET"), ("/sign-out", "GET"),
                 ("/api/v1/cases", "DELETE"), ("/static/no-such.css", "GET"),
                 ("/cases/99999999", "GET"), ("/reports/monthly/1999-01", "GET"),
                 ("/admin", "GET"), ("/sign-out", "POST"), ("/api/v1/cases", "POST")]
        for path, method in extra:
            for role in ("lawyer", ANONYMOUS):
                response = actors.clients[role].open(path, method=method)
                sent += 1
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                problems += header_problems(path, response)
    print(f"\n[headers] {len(endpoints)} routes + {len(extra)} error paths, {sent} responses "
          f"(status {dict(sorted(statuses.items()))}; {len(kinds)} content types), "
          f"{len(problems)} missing headers")
    assert {400, 401, 403, 404, 405} <= set(statuses)
    assert {"text/csv", "application/pdf", "application/json", "text/html"} <= kinds
    assert problems == []


@pytest.fixture(params=[True, False], ids=["testing", "production-like"])
def boom_app(request, database_url, app):
    """A second app on the test database with routes that fail, TESTING on and off."""
    other = make_app(database_url, TESTING=request.param)

    @other.route("/__boom")
    def boom():  # pragma: no cover - exercised through the client
        raise RuntimeError(SECRET)

    @other.route("/api/v1/__boom")
    def api_boom():  # pragma: no cover
        raise sa.exc.OperationalError("SELECT password_hash FROM users", {}, Exception(SECRET))

    return other


def test_a_500_shows_no_traceback_and_carries_the_headers(boom_app):
    client = boom_app.test_client()
    checked = 0
    for path in ("/__boom", "/api/v1/__boom"):
        response = client.get(path)
        text = response.get_data(as_text=True)
        assert response.status_code == 500
        assert [leak for leak in LEAKS if leak in text] == [], path
        assert header_problems(path, response) == []
        checked += 1
    assert "problem with the service" in client.get("/__boom").get_data(as_text=True)
    assert client.get("/api/v1/__boom").get_json()["error"]
    print(f"\n[headers] 500 pages (TESTING={boom_app.testing}): {checked} checked, no traceback")


def test_a_failing_real_view_answers_500_without_its_message(app, client, users, as_user,
                                                               monkeypatch):
    """A download whose renderer fails mid-request: the user sees the plain 500 page."""
    from casework.reports import service

    def fail(*_args, **_kwargs):
        raise RuntimeError(SECRET)

    monkeypatch.setattr(service, "render", fail)
    as_user(users.analyst)
    response = client.get("/reports/conviction-rate/download.csv")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert [leak for leak in LEAKS if leak in text] == []
    assert header_problems("/reports/conviction-rate/download.csv", response) == []


def test_inline_script_carries_the_nonce(client):
    response = client.get("/sign-in")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.get_data(as_text=True)
    assert nonce not in client.get("/sign-in").headers["Content-Security-Policy"]  # per request


def test_a_busy_sqlite_database_answers_503_saying_nothing_was_saved(database_url, app):
    """SQLite's "database is locked" after the busy timeout is not a fault: the user is told
    nothing was saved and to send again (HTML and API), never shown the SQL."""
    other = make_app(database_url)

    @other.route("/__busy", methods=["GET"])
    def busy():  # pragma: no cover - exercised through the client
        raise sa.exc.OperationalError("UPDATE ancillary_orders SET ends_on=?", {},
                                      Exception("database is locked"))

    @other.route("/api/v1/__busy", methods=["GET"])
    def api_busy():  # pragma: no cover
        raise sa.exc.OperationalError("UPDATE ancillary_orders SET ends_on=?", {},
                                      Exception("database is locked"))

    client = other.test_client()
    page = client.get("/__busy")
    assert page.status_code == 503 and page.headers["Retry-After"] == "2"
    text = page.get_data(as_text=True)
    assert "Nothing was saved" in text and "UPDATE" not in text
    assert header_problems("/__busy", page) == []
    api = client.get("/api/v1/__busy")
    assert api.status_code == 503 and "Nothing was saved" in api.get_json()["message"]
