"""Query-count guards: no page or API read runs more SQL statements when there are more rows.

Each probe in ``pages.PROBES`` is requested once the world holds 3 rows of everything and again
at 30: the statement counts must be equal. An N+1 (a lazy load per row in a template, a query
per order in a loop) adds statements with every row and fails here, with the statements it
repeats. A new GET endpoint without a probe (or a reasoned exemption) fails the inventory test.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from casework.auth.service import issue_token
from casework.core import clock
from casework.extensions import db
from tests.conftest import Client, sign_in_as
from tests.integration.performance import world
from tests.integration.performance.counting import Statements, count_statements
from tests.integration.performance.pages import EXEMPT, PROBES, Probe

SMALL, LARGE = 2, 20


def test_every_get_endpoint_is_guarded_or_exempt(app: Flask) -> None:
    get_endpoints = {r.endpoint for r in app.url_map.iter_rules() if "GET" in (r.methods or ())}
    guarded = {p.endpoint for p in PROBES}
    missing = get_endpoints - guarded - set(EXEMPT)
    assert not missing, f"GET endpoints without a query-count probe or an exemption: {sorted(missing)}"
    stale = (guarded | set(EXEMPT)) - get_endpoints
    assert not stale, f"probes or exemptions for endpoints that no longer exist: {sorted(stale)}"
    assert not guarded & set(EXEMPT), "an endpoint is both guarded and exempt"
    print(f"[query-count] {len(get_endpoints)} GET endpoints: {len(guarded)} guarded by "
          f"{len(PROBES)} probes, {len(EXEMPT)} exempt (no growing rows)")


@dataclass
class Reading:
    statements: Statements
    status: int
    body: str

    @property
    def size(self) -> int:
        return len(self.body)


class Requester:
    """A signed-in browser per role, and a bearer token per role for the API."""

    def __init__(self, app: Flask, users: Any) -> None:
        self.app, self.users = app, users
        self.browsers: dict[str, Client] = {}
        self.tokens: dict[str, str] = {}

    def sign_in(self, probes: list[Probe]) -> None:
        """Sessions and tokens first: requests run with a fresh database session each."""
        self.app.test_client_class = Client
        self.browsers["_api"] = self.app.test_client()  # type: ignore[assignment]
        for probe in probes:
            user = getattr(self.users, probe.role)
            if probe.api and probe.role not in self.tokens:
                self.tokens[probe.role] = issue_token(user)
            elif not probe.api and probe.role not in self.browsers:
                self.browsers[probe.role] = sign_in_as(self.app.test_client(), user)  # type: ignore[arg-type]
        db.session.commit()

    def get(self, probe: Probe, url: str) -> Reading:
        """One request with a fresh database session, as in production: the test keeps its app
        context (and so its session) across requests, and a row already in that session's
        identity map would hide a per-row lazy load."""
        if probe.api:
            client, headers = self.browsers["_api"], {"Authorization": f"Bearer {self.tokens[probe.role]}"}
        else:
            client, headers = self.browsers[probe.role], {}
        db.session.remove()
        with count_statements() as seen:
            response = client.get(url, headers=headers)
        return Reading(seen, response.status_code, response.get_data(as_text=True)
                       if response.mimetype != "application/pdf" and "sheet" not in response.mimetype else "")


@pytest.fixture
def requester(app: Flask, users: Any, session: Any) -> Requester:
    requester = Requester(app, users)
    requester.sign_in(PROBES)
    return requester


def test_no_page_runs_more_statements_with_more_rows(requester: Requester, users: Any) -> None:
    with clock.frozen(world.TODAY):
        w = world.build(users)
        world.grow(w, SMALL - w.rows)
        urls = [probe.url(w) for probe in PROBES]
        small = [requester.get(probe, url) for probe, url in zip(PROBES, urls)]
        w = world.reload(w)
        world.grow(w, LARGE - w.rows)
        large = [requester.get(probe, url) for probe, url in zip(PROBES, urls)]

    failures = []
    print(f"\n[query-count] statements per request with {SMALL} and {LARGE} rows of everything")
    for probe, few, many in zip(PROBES, small, large):
        same = len(few.statements) == len(many.statements)
        print(f"  {'ok ' if same else 'N+1'} {len(few.statements):3d} {len(many.statements):3d}  "
              f"{few.size:8d} {many.size:8d} {probe.endpoint:34} {probe.label}")
        if few.status != 200 or many.status != 200:
            failures.append(f"{probe.label}: status {few.status}/{many.status}")
        elif probe.shows and probe.shows.format(n=LARGE).lower() not in many.body.lower():
            failures.append(f"{probe.label}: the newest row ({probe.shows.format(n=LARGE)}) is not shown")
        elif not same:
            failures.append(f"{probe.label}: {len(few.statements)} -> {len(many.statements)} "
                            f"statements\n{few.statements.diff(many.statements)}")
    print(f"[query-count] {len(PROBES)} probes, {len(PROBES) - len(failures)} constant, "
          f"{len(failures)} failing")
    assert not failures, "\n".join(failures)
