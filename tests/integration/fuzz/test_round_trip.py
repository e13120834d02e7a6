"""What an accepted junk value becomes: a formula payload is stored as the text typed and the CSV
export escapes it; a control character is refused with a message (PostgreSQL cannot store NUL,
so SQLite must not either); right-to-left and combining text comes back unchanged."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from casework.extensions import db
from casework.orders.models import AncillaryOrder
from tests.integration.fuzz import checks
from tests.integration.fuzz.junk import FORMULAS
from tests.integration.fuzz.records import World

pytestmark = pytest.mark.fuzz

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _order_form(court: str) -> dict[str, object]:
    return {"type": "scpo", "court_level": "crown_court", "court": court,
            "made_on": ["1", "10", "2025"], "start_trigger": "on_making", "term_years": "5"}


def test_formula_payloads_are_stored_as_typed_and_escaped_in_the_csv(client, users, as_user):
    world = World(users)
    url = f"/defendants/{world.convicted.id}/orders/new"
    db.session.commit()
    as_user(users.lawyer)
    payloads = [p for p in FORMULAS if p.strip() == p] + ["\u202eevil\u202c", "e\u0301\u0301 Court"]
    for court in payloads:
        response = client.form(url, _order_form(court))
        assert response.status_code == 302, (court, checks.summary_messages(response.get_data(as_text=True)))
    stored = set(db.session.scalars(sa.select(AncillaryOrder.court)))
    assert set(payloads) <= stored
    rows = list(csv.reader(io.StringIO(client.get("/orders/export.csv").get_data(as_text=True))))
    court_column = rows[1].index("Court")
    cells = {row[court_column] for row in rows[2:]}
    for court in payloads:
        expected = "'" + court if court.startswith(FORMULA_STARTS) else court
        assert expected in cells, (court, cells)
    assert not any(c.startswith(FORMULA_STARTS) for c in cells)
    print(f"[fuzz] round trip: {len(payloads)} formula and unicode payloads stored as typed, "
          f"{sum(p.startswith(FORMULA_STARTS) for p in payloads)} escaped in the CSV export")


@pytest.mark.parametrize("court", ["a\x00b", "\x1b[31m", "x\x7f"])
def test_control_characters_are_refused_with_a_message(client, users, as_user, court):
    world = World(users)
    url = f"/defendants/{world.convicted.id}/orders/new"
    db.session.commit()
    as_user(users.lawyer)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AncillaryOrder))
    response = client.form(url, _order_form(court))
    assert response.status_code == 200
    messages = checks.summary_messages(response.get_data(as_text=True))
    assert messages and not checks.unclear(messages), messages
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AncillaryOrder)) == before
