"""A lawyer's confiscation journey: a convicted defendant, a restraint order, a confiscation
order, two payments, then the balance with interest (POCA s.12) on the order page. axe-core
checks every page on the way (the ``ui`` helper)."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from tests.browser.conftest import LAWYER, UI
from tests.browser.helpers import fill_date

NAME = "Maya Okonkwo-Reid"


def _convicted_defendant(ui: UI, today: dt.date) -> None:
    page = ui.page
    ui.goto("/cases")
    ui.click(page.get_by_role("button", name="Open a case"))
    page.get_by_label("Unique reference number (URN)", exact=True).fill("01CF7777726")
    page.get_by_label("Operation name", exact=True).fill("Confiscation Journey")
    page.get_by_label("Unit", exact=True).select_option(label="Organised Crime Division")
    page.get_by_label("Organised crime type", exact=True).select_option(label="Money laundering")
    page.get_by_label("National Crime Agency", exact=True).check()
    fill_date(page, "received_on", today - dt.timedelta(days=400))
    ui.click(page.get_by_role("button", name="Open case"))
    ui.click(page.get_by_role("button", name="Add a defendant"))
    page.get_by_label("Surname", exact=True).fill("Okonkwo-Reid")
    page.get_by_label("Forenames", exact=True).fill("Maya")
    ui.click(page.get_by_role("button", name="Add defendant"))
    ui.click(page.get_by_role("link", name=f"Add a charge for {NAME}"))
    page.get_by_label("Offence", exact=True).fill("Concealing criminal property")
    page.get_by_label("Statute", exact=True).fill("Proceeds of Crime Act 2002")
    page.get_by_label("Section", exact=True).fill("s.327")
    fill_date(page, "charged_on", today - dt.timedelta(days=300))
    page.get_by_label("Principal offence category", exact=True).select_option(label="Fraud and forgery")
    ui.click(page.get_by_role("button", name="Add charge"))
    ui.click(page.get_by_role("link", name="Back to case 01CF7777726"))
    ui.click(page.get_by_role("link", name=f"View record of {NAME}"))
    ui.click(page.get_by_role("button", name="Record outcome"))
    page.get_by_label("Guilty plea", exact=True).check()
    fill_date(page, "finalised_on", today - dt.timedelta(days=20))
    ui.click(page.get_by_role("button", name="Save outcome"))


def _pay(ui: UI, on: dt.date, amount: str) -> None:
    page = ui.page
    ui.click(page.get_by_role("button", name="Record a payment"))
    fill_date(page, "received_on", on)
    page.get_by_label("Amount", exact=True).fill(amount)
    ui.click(page.get_by_role("button", name="Record payment"))
    expect(page.locator(".govuk-notification-banner, body").first).to_contain_text("Payment recorded")


def test_restraint_order_payments_balance_and_interest(ui: UI, today: dt.date) -> None:
    page = ui.page
    ui.sign_in(LAWYER)
    _convicted_defendant(ui, today)
    ui.click(page.get_by_role("link", name=re.compile("Open the confiscation record")))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Confiscation")

    ui.click(page.get_by_role("button", name="Record a restraint order"))
    page.get_by_label("s.40(3): proceedings have started and not concluded", exact=True).check()
    fill_date(page, "applied_on", today - dt.timedelta(days=290))
    fill_date(page, "made_on", today - dt.timedelta(days=289))
    page.get_by_label("Court", exact=True).fill("Southwark Crown Court")
    ui.click(page.get_by_role("button", name="Save"))
    expect(page.locator("main")).to_contain_text("In force")

    ui.click(page.get_by_role("button", name="Record a confiscation order"))
    fill_date(page, "made_on", today - dt.timedelta(days=10))
    page.get_by_label("Benefit figure", exact=True).fill("120,000.00")
    page.get_by_label("Available amount", exact=True).fill("36500")
    page.get_by_label("Order amount (recoverable amount)", exact=True).fill("36500.00")
    ui.click(page.get_by_role("button", name="Save"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("£36,500.00")

    paid_on = today - dt.timedelta(days=5)
    _pay(ui, paid_on, "18000.00")
    _pay(ui, paid_on, "250.00")

    # Due the day the order was made: 4 days at £8.00 a day on £36,500, then 6 days (to today)
    # at £4.00 on £18,250 = £56.00 interest.
    summary = page.locator("#balance ~ .govuk-summary-list").first
    expect(summary).to_contain_text("£18,250.00")
    expect(summary).to_contain_text("£56.00")
    expect(page.locator("#outstanding")).to_have_text("£18,306.00")
    expect(page.locator("#ledger tbody tr")).to_have_count(2)

    ui.click(page.get_by_role("link", name="Back to the confiscation record"))
    expect(page.locator(".moj-timeline")).to_contain_text("Restraint order made")
    expect(page.locator(".moj-timeline")).to_contain_text("Confiscation order of £36,500.00 made")
    ui.goto("/confiscation?sort=outstanding&order=desc")
    expect(page.get_by_role("heading", level=1)).to_have_text("Live confiscation orders")
    expect(page.get_by_role("link", name="Download as CSV")).to_be_visible()
