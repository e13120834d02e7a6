"""Role x route x unit: every endpoint in ``app.url_map`` is in the policy table, declares the
same roles in code, and answers every role, own-unit and other-unit record as the table says."""

from __future__ import annotations

import time
from collections import Counter

from casework.core import clock
from casework.core.auth import allowed_roles
from tests.integration.security.policy import ANONYMOUS, OK, POLICY, PUBLIC, ROLES, expected, outcome
from tests.integration.security.world import TODAY, Actors, build_world


def _methods(rule):
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_route_is_in_the_policy_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - set(POLICY)) == [], "routes missing from the policy table"
    assert sorted(set(POLICY) - endpoints) == [], "policy entries for routes that do not exist"


def test_the_roles_declared_in_code_match_the_table(app):
    wrong = []
    for endpoint, rule in POLICY.items():
        if endpoint == "static":
            continue
        declared = allowed_roles(app.view_functions[endpoint])
        if declared is None or frozenset(declared) != rule.roles:
            wrong.append((endpoint, declared, sorted(rule.roles)))
    assert wrong == []


def _cells(app):
    """(method, rule, other_unit) for every route; a route naming a unit's record twice."""
    cells = []
    for rule in app.url_map.iter_rules():
        policy = POLICY[rule.endpoint]
        units = (False, True) if policy.unit else (False,)
        for method in _methods(rule):
            for other in units:
                cells.append((method, rule, other))
    # Reads first, so that writes (a discharge, a write-off) cannot change what a read sees.
    return sorted(cells, key=lambda c: (c[0] != "GET", c[1].endpoint, c[2]))


def test_every_role_and_unit_gets_what_the_table_says(app, client, users):
    started = time.perf_counter()
    with clock.frozen(TODAY):
        world = build_world(users)
        actors = Actors(app, users)
        mismatches: list[tuple[str, str, str, str, str, int]] = []
        tally: Counter[str] = Counter()
        requests = unexpected_2xx = server_errors = 0
        cells = _cells(app)
        for method, rule, other in cells:
            for role in (*ROLES, ANONYMOUS):
                url = world.url(rule, other)
                response = actors.request(role, method, url, rule.endpoint, other_unit=other)
                requests += 1
                want = expected(rule.endpoint, role, other)
                got = outcome(response.status_code, response.headers.get("Location"))
                if response.status_code == 400 and (b"security token" in response.data
                                                   or b"Send your form again" in response.data):
                    got = "CSRF refused"  # the matrix's own token must always be accepted
                if got == "sign-in" and (POLICY[rule.endpoint].roles == PUBLIC or (
                        rule.endpoint == "auth.sign_out" and role != ANONYMOUS)):
                    got = OK  # the home page sends visitors to sign in; signing out ends there
                tally[got] += 1
                if response.status_code >= 500:
                    server_errors += 1
                if want != OK and 200 <= response.status_code < 300:
                    unexpected_2xx += 1
                if want != got:
                    mismatches.append((rule.endpoint, method, url, role, want,
                                       response.status_code))
                if method != "GET" and rule.endpoint == "auth.sign_out":
                    actors.resign(role)
    routes = len({rule.endpoint for _, rule, _ in cells})
    public = sum(1 for e, r in POLICY.items() if r.roles == PUBLIC)
    print(f"\n[access] {routes} routes ({len(cells)} route x method x unit cells, {public} public) "
          f"x {len(ROLES) + 1} roles = {requests} requests, {unexpected_2xx} unexpected 2xx, "
          f"{server_errors} 5xx, {len(mismatches)} mismatches; answers {dict(tally)} "
          f"in {time.perf_counter() - started:.1f}s")
    for mismatch in mismatches:
        print("[access] mismatch:", *mismatch)
    assert mismatches == []
    assert unexpected_2xx == 0 and server_errors == 0
