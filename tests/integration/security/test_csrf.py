"""CSRF on every state-changing route, cookies never accepted by the API, and reads that never
change a row.

* Every POST/PUT/PATCH/DELETE web route, sent by a role allowed to use it, without a token, with
  a forged token and with another session's token: 400, and not one row anywhere changes.
* Every API write sent with a signed-in browser's cookie (and a valid form token) but no bearer
  token: 401 (the API is exempt from CSRF because it never reads a cookie), nothing written.
* Every GET route, by every role and a signed-out visitor, own and other unit: every table is
  the same afterwards except for the audit rows a read writes (consultation, disclosure,
  refused use) and the session's last-seen time.
"""

from __future__ import annotations

import datetime as dt

from casework.core import clock
from tests.conftest import sign_in_as
from tests.integration.security.policy import ANONYMOUS, POLICY, PUBLIC, ROLES
from tests.integration.security.snapshot import changes, rows_in, snapshot
from tests.integration.security.world import TODAY, Actors, build_world, csrf_token, walk_gets

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
LATER = dt.datetime.combine(TODAY, dt.time(12, 2), tzinfo=clock.LONDON)  # sessions get touched


def _writes(app, *, api: bool):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") == api:
            for method in sorted(rule.methods & STATE_CHANGING):
                yield method, rule


def _role_for(endpoint: str) -> str:
    roles = POLICY[endpoint].roles
    return ANONYMOUS if roles == PUBLIC else next(r for r in ROLES if r in roles)


def test_every_web_write_without_a_valid_token_is_400_and_changes_nothing(app, client, users):
    with clock.frozen(TODAY):
        world = build_world(users)
        actors = Actors(app, users)
        stranger = app.test_client()
        sign_in_as(stranger, users.other_lawyer)
        foreign = csrf_token(app, stranger)  # valid, but for another session
        before = snapshot()
        answers: dict[int, int] = {}
        wrong = []
        sent = 0
        for method, rule in _writes(app, api=False):
            for role in {_role_for(rule.endpoint), ANONYMOUS}:
                url = world.url(rule, other_unit=False)
                client_ = actors.clients[role]
                for data in ({}, {"csrf_token": "forged"}, {"csrf_token": foreign},
                             {"csrf_token": ""}, {"name": "x", "email": "a@b.c"}):
                    response = client_.open(url, method=method, data=data)
                    sent += 1
                    answers[response.status_code] = answers.get(response.status_code, 0) + 1
                    if response.status_code != 400:
                        wrong.append((rule.endpoint, role, data, response.status_code))
                json_response = client_.open(url, method=method, json={"csrf_token": "x"})
                sent += 1
                answers[json_response.status_code] = answers.get(json_response.status_code, 0) + 1
                if json_response.status_code != 400:
                    wrong.append((rule.endpoint, role, "json", json_response.status_code))
        changed = changes(before, snapshot(), reads=False)
    routes = len({rule.endpoint for _, rule in _writes(app, api=False)})
    print(f"\n[csrf] {routes} web routes that change state, {sent} requests without a valid "
          f"token: answers {answers}, {len(wrong)} not refused, 0 rows changed "
          f"of {rows_in(before)}" if not changed else f"\n[csrf] changed: {changed}")
    assert wrong == []
    assert changed == []
    assert answers.get(500, 0) == 0


def test_the_api_never_takes_a_cookie_in_place_of_a_token(app, client, users):
    with clock.frozen(TODAY):
        world = build_world(users)
        actors = Actors(app, users)
        before = snapshot()
        wrong = []
        sent = 0
        for method, rule in _writes(app, api=True):
            for role in ROLES:
                url = world.url(rule, other_unit=False)
                response = actors.clients[role].open(
                    url, method=method, json={"csrf_token": actors.csrf[role]},
                    headers={"X-CSRFToken": actors.csrf[role]})
                sent += 1
                if response.status_code != 401 or not response.is_json:
                    wrong.append((rule.endpoint, role, response.status_code))
        changed = changes(before, snapshot(), reads=False)
    print(f"\n[csrf] API: {sent} writes with a signed-in cookie and no bearer token, "
          f"{sent - len(wrong)} refused 401, {len(changed)} tables changed")
    assert wrong == [] and changed == []


def test_no_get_changes_a_row(app, client, users):
    with clock.frozen(TODAY):
        world = build_world(users)
        actors = Actors(app, users)
    with clock.frozen(LATER):
        before = snapshot()
        sent = errors = 0
        for response in walk_gets(app, world, actors):
            sent += 1
            errors += response.status_code >= 500
        after = snapshot()
        changed = changes(before, after, reads=True)
    audit = len(after["audit_events"]) - len(before["audit_events"])
    print(f"\n[csrf] {sent} GET requests over every route, role and unit: {errors} 5xx, "
          f"{len(changed)} tables changed beyond {audit} read audit rows "
          f"(of {rows_in(before)} rows checked)")
    assert changed == [] and errors == 0


def test_an_expired_token_offers_the_form_back_with_what_was_typed(client, users, as_user):
    as_user(users.lawyer)
    response = client.post("/sign-out", data={"csrf_token": "stale", "note": "kept text"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="kept text"' in html and "Send again" in html
    assert client.get("/home").status_code == 200  # still signed in: nothing changed
