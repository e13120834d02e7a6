"""Two people edit the same order at once (QUALITY.md "no lost updates", the 409 half): both
open the form, A saves, B saves from the stale copy. B gets a 409 page that says what A changed
(what, who, when), keeps everything B typed, and carries the current version so that saving
again is a deliberate overwrite. Nothing of B's is written by the refused save."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.core import clock
from casework.orders.models import AncillaryOrder, OrderBreach, OrderVariation
from tests import factories
from tests.conftest import Client, sign_in_as

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def order(session: Any, users: Any) -> Any:
    with clock.frozen(TODAY):
        case = factories.case("ocd", actor=users.lawyer)
        defendant = factories.convicted_defendant(case, surname="Hale", actor=users.lawyer)
        made = factories.order(defendant, actor=users.lawyer)  # SCPO made 1 Oct 2025, 5 years
        session.commit()
        yield made


def _hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="(\d*)"', html)
    assert match, f"no hidden {name} field"
    return match.group(1)


def _two_people(app: Any, client: Client, first: Any, second: Any) -> tuple[Client, Client]:
    app.test_client_class = Client
    other: Client = app.test_client()  # type: ignore[assignment]
    return sign_in_as(client, first), sign_in_as(other, second)


def test_stale_vary_shows_the_other_persons_change_and_keeps_what_was_typed(
        app, client, session, users, order):
    a, b = _two_people(app, client, users.lawyer, users.offender_manager)
    url = f"/orders/{order.id}/vary"
    with clock.frozen(dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)):
        form_a, form_b = a.get(url).get_data(as_text=True), b.get(url).get_data(as_text=True)
        seen = {name: _hidden(form_b, name) for name in ("version", "seen_event")}
        assert seen == {name: _hidden(form_a, name) for name in ("version", "seen_event")}
        saved = a.form(url, {"version": _hidden(form_a, "version"),
                             "seen_event": _hidden(form_a, "seen_event"),
                             "varied_on": ["19", "11", "2026"], "ends_on": ["1", "10", "2029"],
                             "reason": "Risk reduced on review"})
        assert saved.status_code == 302

    with clock.frozen(dt.datetime(2026, 11, 20, 9, 45, tzinfo=dt.UTC)):
        refused = b.form(url, {**seen, "varied_on": ["20", "11", "2026"], "term_years": "3",
                               "term_extra_months": "6", "reason": "Breach of curfew in October"})
    html = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 409
    assert "Someone else changed this record" in html and "have not been saved" in html
    changes = html[html.index('id="conflict-changes"'):]
    changes = changes[:changes.index("</ul>")]
    # What A changed, who A is, and when (London time); only A's change is listed.
    assert "End date changed from 1 October 2030 to 1 October 2029" in changes
    assert "Lee Lawyer" in changes and "20 November 2026 at 09:30" in changes
    assert changes.count("<li>") == 1
    # Everything B typed is still in the form.
    assert "Breach of curfew in October" in html
    assert re.search(r'name="term_years"[^>]*value="3"', html)
    assert re.search(r'name="term_extra_months"[^>]*value="6"', html)
    assert re.search(r'id="varied_on-day" name="varied_on" type="text" value="20"', html)
    # The refused save wrote nothing: one variation (A's), A's end date.
    session.expire_all()
    current = session.get(AncillaryOrder, order.id)
    assert current.ends_on == dt.date(2029, 10, 1)
    reasons = session.execute(sa.select(OrderVariation.reason)
                              .where(OrderVariation.order_id == order.id)).scalars().all()
    assert reasons == ["Risk reduced on review"]
    # The page now carries the current version and audit position: saving again overwrites.
    assert _hidden(html, "version") == str(current.version) != seen["version"]
    newest = session.execute(sa.select(sa.func.max(AuditEvent.id))).scalar_one()
    assert _hidden(html, "seen_event") == str(newest)
    with clock.frozen(dt.datetime(2026, 11, 20, 9, 50, tzinfo=dt.UTC)):
        again = b.form(url, {"version": _hidden(html, "version"),
                             "seen_event": _hidden(html, "seen_event"),
                             "varied_on": ["20", "11", "2026"], "term_years": "3",
                             "term_extra_months": "6", "reason": "Breach of curfew in October"})
    assert again.status_code == 302
    session.expire_all()
    assert session.get(AncillaryOrder, order.id).ends_on == dt.date(2029, 4, 1)


def test_stale_breach_update_is_409_with_the_change(app, client, session, users, order):
    with clock.frozen(TODAY):
        breach = _breach(order, users)
        session.commit()
    a, b = _two_people(app, client, users.offender_manager, users.lawyer)
    url = f"/orders/{order.id}/breaches/{breach.id}"
    with clock.frozen(TODAY):
        form_a, form_b = a.get(url).get_data(as_text=True), b.get(url).get_data(as_text=True)
        assert _hidden(form_a, "version") == str(breach.version)
        saved = a.form(url, {"version": _hidden(form_a, "version"),
                             "seen_event": _hidden(form_a, "seen_event"),
                             "prosecution": "charged", "outcome": ""})
        assert saved.status_code == 302
        refused = b.form(url, {"version": _hidden(form_b, "version"),
                               "seen_event": _hidden(form_b, "seen_event"),
                               "prosecution": "no_further_action", "outcome": "Warning given"})
    html = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 409
    assert "Prosecution changed from Not decided to Charged" in html and "Omar Manager" in html
    assert "Warning given" in html
    session.expire_all()
    fresh = session.get(OrderBreach, breach.id)
    assert fresh.prosecution.value == "charged" and fresh.outcome is None
    assert _hidden(html, "version") == str(fresh.version)


def _breach(order: Any, users: Any) -> Any:
    from casework.orders import service

    return service.record_breach(order, occurred_on=dt.date(2026, 10, 3), description="Missed curfew",
                                 actor=users.lawyer)
