"""Confiscation pages: access by role and unit, forms through to the ledger, list and export."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from casework.confiscation import service
from casework.confiscation.models import ConfiscationOrder, Payment, RestraintOrder
from tests import factories

D = dt.date


def date_fields(name: str, day: dt.date) -> dict[str, list[str]]:
    """UKDateField posts three values under one name (day, month, year)."""
    return {name: [str(day.day), str(day.month), str(day.year)]}


@pytest.fixture
def pages(order):
    return [f"/defendants/{order.defendant_id}/confiscation", f"/confiscation-orders/{order.id}",
            "/confiscation"]


@pytest.mark.parametrize("who", ["lawyer", "offender_manager", "admin"])
def test_readers_see_the_pages(client, users, as_user, pages, who):
    as_user(getattr(users, who))
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path


def test_analysts_get_403_and_other_units_404(client, users, as_user, order, pages):
    as_user(users.analyst)
    for path in pages:
        assert client.get(path).status_code == 403
    as_user(users.other_lawyer)
    assert client.get(pages[0]).status_code == 404
    assert client.get(pages[1]).status_code == 404
    assert "£36,500.00" not in client.get("/confiscation").get_data(as_text=True)


def test_offender_manager_cannot_record(client, users, as_user, order):
    as_user(users.offender_manager)
    assert client.get(f"/confiscation-orders/{order.id}/payments/new").status_code == 403
    response = client.form(f"/confiscation-orders/{order.id}/payments/new", {"amount": "1.00"})
    assert response.status_code == 403


def test_record_restraint_then_order_then_payments(client, users, as_user, convicted, session):
    as_user(users.lawyer)
    base = f"/defendants/{convicted.id}"
    response = client.form(f"{base}/restraint/new", {
        "condition": "proceedings", **date_fields("applied_on", D(2025, 3, 1)),
        **date_fields("made_on", D(2025, 3, 2)), "court": "Southwark Crown Court"})
    assert response.status_code == 302
    assert session.execute(sa.select(RestraintOrder).where(
        RestraintOrder.defendant_id == convicted.id)).scalar_one().made_on == D(2025, 3, 2)

    response = client.form(f"{base}/confiscation-orders/new", {
        **date_fields("made_on", D(2025, 10, 1)), "benefit": "100,000", "available_amount": "36500",
        "amount": "36500.00"})
    assert response.status_code == 302
    order = session.execute(sa.select(ConfiscationOrder).where(
        ConfiscationOrder.defendant_id == convicted.id)).scalar_one()
    assert order.default_term_months == 60

    form = client.get(f"/confiscation-orders/{order.id}/payments/new").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" type="hidden" value="([0-9a-f]+)"', form)
    assert key, "the payment form carries a one-use key"
    payment = {"idempotency_key": key.group(1), **date_fields("received_on", D(2025, 10, 11)),
               "amount": "18250.00"}
    assert client.form(f"/confiscation-orders/{order.id}/payments/new", payment).status_code == 302
    assert client.form(f"/confiscation-orders/{order.id}/payments/new", payment).status_code == 302
    rows = session.execute(sa.select(Payment).where(Payment.order_id == order.id)).scalars().all()
    assert len(rows) == 1  # the double submission made one row

    page = client.get(f"/confiscation-orders/{order.id}?as_of=2025-10-21").get_data(as_text=True)
    assert "£18,250.00" in page and "£116.00" in page and "£18,366.00" in page


def test_form_errors_name_the_statute(client, users, as_user, convicted):
    as_user(users.lawyer)
    response = client.form(f"/defendants/{convicted.id}/confiscation-orders/new", {
        **date_fields("made_on", D(2025, 10, 1)), "benefit": "5000", "available_amount": "5000",
        "amount": "5000", **date_fields("due_on", D(2026, 1, 2))})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "s.11" in html and "Error:" in html


def test_reversal_through_the_page(client, users, as_user, order, session):
    payment, _ = service.record_payment(order, received_on=D(2025, 10, 2), amount=Decimal("100.00"),
                                        actor=users.lawyer)
    as_user(users.lawyer)
    response = client.form(f"/confiscation-orders/{order.id}/payments/{payment.id}/reverse", {
        **date_fields("reversed_on", D(2025, 10, 3)), "reason": "Cheque returned unpaid"})
    assert response.status_code == 302
    amounts = session.execute(sa.select(Payment.amount).where(Payment.order_id == order.id)).scalars().all()
    assert sorted(amounts) == [Decimal("-100.00"), Decimal("100.00")]


def test_list_sorts_and_exports(client, users, as_user, convicted, session):
    small = factories.confiscation_order(convicted, amount="5000.00", actor=users.lawyer)
    big = factories.confiscation_order(convicted, amount="750000.00", actor=users.lawyer)
    as_user(users.lawyer)
    html = client.get("/confiscation?sort=outstanding&order=desc").get_data(as_text=True)
    assert html.index("£750,000.00") < html.index("£5,000.00")
    html = client.get("/confiscation?sort=amount&order=asc").get_data(as_text=True)
    assert html.index("£5,000.00") < html.index("£750,000.00")
    csv = client.get("/confiscation/export.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    body = csv.get_data(as_text=True)
    assert f"{big.id}," in body and f"{small.id}," in body and "750000.00" in body


def test_defendant_page_shows_the_confiscation_panel(client, users, as_user, order):
    as_user(users.lawyer)
    html = client.get(f"/defendants/{order.defendant_id}").get_data(as_text=True)
    assert "Open the confiscation record" in html and "£36,500.00" in html


def test_case_timeline_shows_confiscation(client, users, as_user, order):
    as_user(users.lawyer)
    html = client.get(f"/cases/{order.case_id}").get_data(as_text=True)
    assert "Confiscation order of £36,500.00 against" in html


def test_every_form_renders_and_the_timetable_saves(client, users, as_user, order, session):
    from casework.confiscation import restraint

    r = restraint.record_restraint(order.defendant, condition="proceedings", applied_on=D(2025, 3, 1),
                                   actor=users.lawyer)
    as_user(users.lawyer)
    for path in (f"/defendants/{order.defendant_id}/restraint/new", f"/restraint-orders/{r.id}/events/new",
                 f"/defendants/{order.defendant_id}/confiscation/timetable",
                 f"/defendants/{order.defendant_id}/confiscation-orders/new",
                 f"/confiscation-orders/{order.id}/payments/new",
                 f"/confiscation-orders/{order.id}/extension",
                 f"/confiscation-orders/{order.id}/enforcement/new",
                 f"/confiscation-orders/{order.id}/reconsiderations/new",
                 f"/confiscation-orders/{order.id}/write-off"):
        assert client.get(path).status_code == 200, path
    response = client.form(f"/defendants/{order.defendant_id}/confiscation/timetable", {
        **date_fields("convicted_on", D(2025, 9, 1)), **date_fields("s16_due_on", D(2025, 10, 1)),
        "lifestyle": "yes", "lifestyle_basis": "schedule_2"})
    assert response.status_code == 302
    html = client.get(f"/defendants/{order.defendant_id}/confiscation").get_data(as_text=True)
    assert "1 September 2027" in html and "Schedule 2" in html  # postponement limit, s.75 basis
    response = client.form(f"/restraint-orders/{r.id}/events/new", {
        "kind": "made", **date_fields("occurred_on", D(2025, 3, 2)), "version": str(r.version)})
    assert response.status_code == 302
