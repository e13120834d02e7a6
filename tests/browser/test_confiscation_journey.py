"""POCA Part 2 from restraint to payment: a lawyer records a restraint order, the conviction, a
confiscation order and two payments, then reads the balance with s.12 interest."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAWYER, UI
from tests.browser.helpers import fill_date_group, money, sentenced_defendant

pytestmark = pytest.mark.browser


def test_restraint_conviction_confiscation_and_payments(ui: UI, build: Any, today: dt.date) -> None:
    ids = build(sentenced_defendant, surname="Poca", crime="money_laundering", today=today,
                convicted_days_ago=300, convicted=False)
    page = ui.page
    charged_on = today - dt.timedelta(days=500)
    ui.sign_in(LAWYER)
    ui.goto(f"/defendants/{ids['defendant']}/confiscation")

    ui.click(page.get_by_role("button", name="Record a restraint order"))
    page.get_by_role("radio", name=re.compile(r"^s\.40\(3\)")).check()
    fill_date_group(page, "Date applied for", charged_on + dt.timedelta(days=3))
    fill_date_group(page, "Date made", charged_on + dt.timedelta(days=6))
    page.get_by_label("Court", exact=True).fill("Southwark Crown Court")
    ui.click(page.get_by_role("button", name="Save"))
    expect(page.locator("main")).to_contain_text("Southwark Crown Court")

    ui.goto(f"/defendants/{ids['defendant']}")
    ui.click(page.get_by_role("button", name="Record outcome"))
    page.get_by_label("Guilty plea").check()
    fill_date_group(page, "Date finalised", today - dt.timedelta(days=300))
    ui.click(page.get_by_role("button", name="Save outcome"))

    ui.goto(f"/defendants/{ids['defendant']}/confiscation")
    ui.click(page.get_by_role("button", name="Record a confiscation order"))
    made_on = today - dt.timedelta(days=200)
    fill_date_group(page, "Date the order was made", made_on)
    page.get_by_label("Court", exact=True).fill("Southwark Crown Court")
    page.get_by_label("Benefit figure", exact=True).fill("250000")
    page.get_by_label("Available amount", exact=True).fill("120,000")
    page.get_by_label("Order amount (recoverable amount)", exact=True).fill("£120,000.00")
    fill_date_group(page, "Date payment is due", made_on)
    ui.click(page.get_by_role("button", name="Save"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("£120,000.00")

    for days_ago, amount in ((150, "25000"), (100, "15000.50")):
        ui.click(page.get_by_role("button", name="Record a payment"))
        fill_date_group(page, "Date received", today - dt.timedelta(days=days_ago))
        page.get_by_label("Amount", exact=True).fill(amount)
        page.get_by_label("Reference", exact=True).fill(f"HMCTS-BT-{days_ago}")
        ui.click(page.get_by_role("button", name="Record payment"))
    expect(page.get_by_role("table", name="Payments").locator("tbody tr")).to_have_count(2)

    balance = page.locator("main dl").first
    values = {k.strip(): v for k, v in zip(balance.locator("dt").all_inner_texts(),
                                           balance.locator("dd").all_inner_texts())}
    assert money(values["Order amount"]) == Decimal("120000.00")
    assert money(values["Paid"]) == Decimal("40000.50")
    interest = money(values["Interest (s.12)"])
    assert interest > 0, "payment was due 200 days ago: interest must be accruing (POCA s.12)"
    assert money(values["Outstanding"]) == Decimal("120000.00") - Decimal("40000.50") + interest
