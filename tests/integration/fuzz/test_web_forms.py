"""Hypothesis posts junk to every state-changing web form as a user allowed to use it, with a
valid CSRF token: never a 5xx or a traceback; a refusal shows a GOV.UK error summary (or an
error banner after a redirect) in the service's own words and writes nothing; nothing with a
control character is ever stored.

CASEWORK_FUZZ_EXAMPLES sets the examples per form (default 25; CI 200; ``make fuzz`` 3000).
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given

from casework.core.auth import allowed_roles
from casework.extensions import db
from tests.conftest import sign_in_as
from tests.integration.fuzz import checks
from tests.integration.fuzz.forms import form_data, form_fields
from tests.integration.fuzz.junk import FUZZ
from tests.integration.fuzz.records import World
from tests.integration.fuzz.web_targets import WEB_TARGETS, WebTarget

pytestmark = pytest.mark.fuzz

ROLE_ORDER = ("lawyer", "offender_manager", "admin", "analyst")

#: Tables that record who is signed in or what they prefer: not case data, not audited.
BOOKKEEPING = {"user_sessions", "login_throttles", "alert_preferences", "report_subscriptions",
               "api_tokens"}


def _user(app: Any, users: Any, endpoint: str, target: WebTarget) -> Any:
    if target.user == "":
        return None
    if target.user:
        return getattr(users, target.user)
    roles = allowed_roles(app.view_functions[endpoint]) or ()
    return getattr(users, next(r for r in ROLE_ORDER if r in roles))


def _flashes(client: Any) -> list[tuple[str, str]]:
    with client.session_transaction() as s:
        return list(s.pop("_flashes", []))


def _judge(target: WebTarget, tally: checks.Tally, response: Any, flashes: list[tuple[str, str]],
           changed: set[str], data: dict[str, Any]) -> None:
    status = response.status_code
    page = response.get_data(as_text=True)
    context = (tally.label, status, data)
    tally.seen(status)
    assert status < 500, context
    checks.assert_no_traceback(page, context)
    summary = checks.summary_messages(page) if status < 300 or status >= 400 else None
    errors = [m for category, m in flashes if category == "error"]
    if status in (301, 302, 303) and not errors:
        outcome = "accepted"
    elif status == 200 and summary is None:
        outcome = "accepted"  # a page that is the result (an API token shown once, JSON status)
    else:
        outcome = "rejected"
        messages = errors or summary or []
        if not messages and status >= 400:
            message = checks.error_page_message(page) or (response.is_json and response.get_json())
            messages = [str(message)] if message else []
        assert messages, ("a refusal without a message", context, page[:2000])
        assert not checks.unclear(messages), (messages, context)
        tally.messages.update(messages)
    if outcome == "accepted":
        tally.accepted += 1
        assert not summary, context
        domain = changed - BOOKKEEPING
        assert not domain or "audit_events" in domain, ("a change without an audit row", changed, context)
    else:
        tally.rejected += 1
        half = changed - target.writes_on_reject
        if half:
            tally.half_written += 1
        assert not half, ("half-written", half, context)


def _nul_stored() -> list[str]:
    """Text columns holding NUL or another control character (SQLite stores them; PostgreSQL
    refuses NUL, which would have been a 5xx)."""
    if db.session.get_bind().dialect.name != "sqlite":
        return []
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.c:
            if isinstance(column.type, sa.String) and not isinstance(column.type, sa.Enum):
                hit = db.session.scalar(sa.select(sa.func.count()).select_from(table).where(
                    sa.func.instr(column, "\x00") > 0))
                if hit:
                    found.append(f"{table.name}.{column.name}")
    return found


@pytest.mark.parametrize("endpoint", sorted(WEB_TARGETS))
def test_fuzz_web_form(endpoint, app, client, users):
    target = WEB_TARGETS[endpoint]
    world = World(users)
    url = target.url(world)
    db.session.commit()
    user = _user(app, users, endpoint, target)
    if user is not None:
        sign_in_as(client, user)
    fields = {**(form_fields(app, target.form) if target.form else {}), **target.fields(world)}
    db.session.commit()
    state = {"token": client.csrf_token()}
    query = checks.fingerprint_query()
    tally = checks.Tally(f"web POST {url} ({endpoint})")

    @FUZZ
    @given(data=form_data(fields))
    def run(data: dict[str, Any]) -> None:
        db.session.rollback()
        before = checks.fingerprint(query)
        response = client.post(url, data={**data, "csrf_token": state["token"]})
        db.session.rollback()  # as the end of a real request would: only commits remain
        changed = checks.changed_tables(before, checks.fingerprint(query))
        _judge(target, tally, response, _flashes(client), changed, data)
        if user is None and response.status_code == 302:  # signed in: sign out for the next one
            client.post("/sign-out", data={"csrf_token": state["token"]})
            db.session.rollback()
        if changed or user is None:
            state["token"] = client.csrf_token()  # signing in or out starts a new session

    run()
    tally.report()
    assert _nul_stored() == []
