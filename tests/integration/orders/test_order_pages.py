"""Order pages: access by role and unit, the register's filters, keyset pages and CSV export,
the record form's statutory refusals, bulk reassignment and the "this week" dashboard."""

from __future__ import annotations

import csv
import datetime as dt
import io
from html import unescape

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.core import clock
from casework.orders.models import AncillaryOrder
from tests import factories

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def frozen():
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def world(session, users, frozen):
    ocd_case = factories.case("ocd", actor=users.lawyer)
    d = factories.convicted_defendant(ocd_case, surname="Hale", actor=users.lawyer)
    order = factories.order(d, actor=users.lawyer, offender_manager=users.offender_manager)
    other_case = factories.case("london_north", actor=users.other_lawyer)
    other = factories.order(factories.convicted_defendant(other_case, surname="Elsewhere",
                                                          actor=users.other_lawyer),
                            actor=users.other_lawyer)
    return d, order, other


@pytest.mark.parametrize("path", ["/orders", "/orders/this-week", "/orders/export.csv", "/orders/{id}",
                                  "/orders/{id}/vary", "/orders/{id}/checks/new"])
def test_access_by_role_and_unit(client, users, as_user, world, path):
    _, order, other = world
    as_user(users.analyst)
    assert client.get(path.format(id=order.id)).status_code == 403
    as_user(users.admin)
    admin_status = client.get(path.format(id=other.id)).status_code
    assert admin_status == (403 if path.endswith(("vary", "new")) else 200)
    as_user(users.offender_manager)
    assert client.get(path.format(id=order.id)).status_code == 200
    if "{id}" in path:
        assert client.get(path.format(id=other.id)).status_code == 404
    as_user(users.lawyer)
    assert client.get(path.format(id=order.id)).status_code == 200


def test_register_is_scoped_filtered_and_paginated(client, users, as_user, world, app):
    d, order, other = world
    factories.order(d, type="cdda", actor=users.lawyer, term_months=24)
    as_user(users.lawyer)
    html = client.get("/orders").get_data(as_text=True)
    assert "Sam HALE" in html and "ELSEWHERE" not in html
    html = client.get("/orders?type=cdda").get_data(as_text=True)
    assert "CDDA" in html and f"SCPO {order.id}" not in html
    html = client.get("/orders?ending_before=2028-01-01").get_data(as_text=True)
    assert "CDDA" in html and f"SCPO {order.id}" not in html
    html = client.get(f"/orders?manager={users.offender_manager.id}").get_data(as_text=True)
    assert f"SCPO {order.id}" in html and "CDDA" not in html
    app.config["PAGE_SIZE"], size = 1, app.config["PAGE_SIZE"]
    try:
        first = client.get("/orders").get_data(as_text=True)
        assert "CDDA" in first and "rel=\"next\"" in first  # soonest end first
        nxt = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
        second = client.get(nxt).get_data(as_text=True)
        assert f"SCPO {order.id}" in second and "CDDA" not in second
    finally:
        app.config["PAGE_SIZE"] = size
    assert client.get("/orders?after=garbage").status_code == 400


def test_csv_export_escapes_formulas_and_is_audited(client, users, as_user, session, world, frozen):
    d, order, _ = world
    danger = factories.convicted_defendant(factories.case("ocd", actor=users.lawyer),
                                           surname="=HYPERLINK(1)", forenames="@Evil", actor=users.lawyer)
    factories.order(danger, actor=users.lawyer, court="+Crown")
    as_user(users.offender_manager)
    response = client.get("/orders/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["OFFICIAL-SENSITIVE"] and rows[1][0] == "Order id"
    body = [r for r in rows[2:] if r]
    assert len(body) == 2
    evil = next(r for r in body if "Evil" in r[2])
    assert evil[2].startswith("'@Evil") and evil[5] == "'+Crown"
    event = session.execute(sa.select(AuditEvent).where(AuditEvent.action == "disclose")
                            .order_by(AuditEvent.id.desc())).scalars().first()
    assert event is not None and "2 orders" in event.summary


def test_record_form_refuses_duration_and_keeps_input(client, users, as_user, session, world):
    d, _, _ = world
    as_user(users.lawyer)
    before = session.execute(sa.select(sa.func.count()).select_from(AncillaryOrder)).scalar_one()
    response = client.form(f"/defendants/{d.id}/orders/new", {
        "type": "scpo", "court_level": "crown_court", "court": "Leeds Crown Court",
        "made_on": ["1", "3", "2026"], "start_trigger": "on_making",
        "ends_on": ["2", "3", "2031"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Serious Crime Act 2007, s.16(2)" in html
    assert "Leeds Crown Court" in html and "Error:" in html
    after = session.execute(sa.select(sa.func.count()).select_from(AncillaryOrder)).scalar_one()
    assert after == before
    response = client.form(f"/defendants/{d.id}/orders/new", {
        "type": "scpo", "court_level": "crown_court", "made_on": ["1", "3", "2026"],
        "start_trigger": "on_making",
        "ends_on": ["1", "3", "2031"]})
    assert response.status_code == 302 and "/orders/" in response.headers["Location"]


def test_other_unit_defendant_is_404_for_record(client, users, as_user, world):
    as_user(users.other_lawyer)
    d, _, _ = world
    assert client.get(f"/defendants/{d.id}/orders/new").status_code == 404


def test_order_page_shows_everything_and_is_audited(client, users, as_user, session, world):
    _, order, _ = world
    as_user(users.offender_manager)
    assert client.form(f"/orders/{order.id}/checks/new", {
        "checked_on": ["18", "11", "2026"],
        "result": "compliant", "notes": "Home visit done"}).status_code == 302
    html = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "Serious Crime Prevention Order" in html and "Home visit done" in html
    assert "Serious Crime Act 2007, s.25" in html
    consult = session.execute(sa.select(AuditEvent).where(
        AuditEvent.action == "consult", AuditEvent.object_id == order.id)).scalars().all()
    assert consult


def test_vary_conflict_is_409(client, users, as_user, world):
    _, order, _ = world
    as_user(users.lawyer)
    response = client.form(f"/orders/{order.id}/vary", {
        "version": str(order.version - 1 if order.version > 1 else 99), "reason": "More risk",
        "varied_on": ["1", "11", "2026"],
        "term_years": "4"})
    assert response.status_code == 409


def test_bulk_reassign(client, users, as_user, session, world):
    d, order, other = world
    second = factories.order(d, actor=users.lawyer)
    manager2 = factories.user("offender_manager", ("ocd",), name="Nia Newmanager")
    as_user(users.lawyer)
    response = client.form("/orders/assign", {"order": [str(order.id), str(second.id), str(other.id)],
                                              "offender_manager": str(manager2.id)})
    assert response.status_code == 302
    session.expire_all()
    assert order.offender_manager_id == manager2.id and second.offender_manager_id == manager2.id
    assert other.offender_manager_id is None  # another unit's order is never touched


def test_this_week_dashboard(client, users, as_user, world, session):
    d, order, _ = world  # made 1 Oct 2025, unserved
    released = factories.convicted_defendant(factories.case("ocd", actor=users.lawyer),
                                             release_on=TODAY + dt.timedelta(days=10), actor=users.lawyer)
    factories.order(released, type="tro", term_months=24, actor=users.lawyer)
    factories.order(d, type="cdda", made_on=dt.date(2025, 12, 1), term_months=12, actor=users.lawyer,
                    check_interval_months=1, served_on=dt.date(2025, 12, 1))
    as_user(users.lawyer)
    html = client.get("/orders/this-week?mine=0").get_data(as_text=True)
    assert "Not served 7 days after being made (2)" in html  # the SCPO and the TRO
    assert "Release near: orders about to start (1)" in html
    assert "Ending soon: decide on renewal (1)" in html  # the CDDA ends 1 Dec 2026
    assert "Breach checks due or overdue (1)" in html and "overdue" in html


def test_types_page_shows_every_statutory_rule(client, users, as_user):
    as_user(users.analyst)
    html = unescape(client.get("/orders/types").get_data(as_text=True))
    for text in ("Serious Crime Act 2007, s.16(2)", "Criminal Justice and Police Act 2001, s.36",
                 "Company Directors Disqualification Act 1986, s.13", "2 years' imprisonment",
                 "Modern Slavery Act 2015, s.30"):
        assert text in html


def test_defendant_panel_lists_orders(client, users, as_user, world):
    d, order, _ = world
    as_user(users.lawyer)
    response = client.get(f"/defendants/{d.id}")
    if response.status_code == 404:
        pytest.fail("defendant page not found")
    html = response.get_data(as_text=True)
    assert "Ancillary orders" in html and f"/orders/{order.id}" in html


def _queries_for(client, url):
    from sqlalchemy import event

    from casework.extensions import db

    seen = []

    def count(*args, **kwargs):
        seen.append(1)

    engine = db.session.get_bind().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_register_and_dashboard_query_counts_do_not_grow_with_rows(client, users, as_user, world):
    d, _, _ = world
    as_user(users.lawyer)

    def more(n):
        for _ in range(n):
            factories.order(factories.convicted_defendant(d.case, actor=users.lawyer),
                            actor=users.lawyer, offender_manager=users.offender_manager,
                            check_interval_months=1)

    more(1)
    few = (_queries_for(client, "/orders"), _queries_for(client, "/orders/this-week?mine=0"))
    more(6)
    many = (_queries_for(client, "/orders"), _queries_for(client, "/orders/this-week?mine=0"))
    assert many == few


def test_tro_form_starts_on_release_whatever_the_radio_says(client, users, as_user, world, session):
    d, _, _ = world
    as_user(users.lawyer)
    response = client.form(f"/defendants/{d.id}/orders/new", {
        "type": "tro", "court_level": "crown_court", "made_on": ["1", "9", "2025"],
        "start_trigger": "on_making", "term_years": "3"})
    assert response.status_code == 302
    order_id = int(response.headers["Location"].rsplit("/", 1)[1])
    tro = session.get(AncillaryOrder, order_id)
    assert tro.runs_from_release and tro.term_months == 36
    assert "Pending release" in client.get(f"/orders/{order_id}").get_data(as_text=True)


def test_case_timeline_shows_order_dates(client, users, as_user, world):
    d, order, _ = world
    as_user(users.lawyer)
    html = client.get(f"/cases/{d.case_id}").get_data(as_text=True)
    assert "SCPO (Sam HALE) made" in html and "SCPO (Sam HALE) ends" in html


def test_order_page_shows_panels_added_by_higher_layers(client, users, as_user, world, app):
    from casework.orders.routes import ORDER_PANELS

    _, order, _ = world
    app.jinja_loader.loaders[0].searchpath.append(str(__import__("pathlib").Path(__file__).parent))
    ORDER_PANELS.append(("panel_fixture.html", lambda o, user: {"text": f"Alerts for {o.id}"}))
    try:
        as_user(users.lawyer)
        html = client.get(f"/orders/{order.id}").get_data(as_text=True)
    finally:
        ORDER_PANELS.pop()
        app.jinja_loader.loaders[0].searchpath.pop()
    assert f"Alerts for {order.id}" in html
