"""A lawyer's main journey: find and open a case, open a new one, add a defendant and a charge,
record the outcome and see it all on the case timeline and in the history."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAWYER, UI
from tests.browser.helpers import fill_date

pytestmark = pytest.mark.browser


def test_lawyer_finds_and_opens_a_case_from_the_list(ui: UI) -> None:
    ui.sign_in(LAWYER)
    ui.goto("/cases")
    rows = ui.page.locator("table tbody tr")
    expect(rows.first).to_be_visible()
    urn = rows.first.get_by_role("link").first.inner_text().strip()
    ui.click(rows.first.get_by_role("link", name=urn))
    expect(ui.page.locator(".govuk-caption-l")).to_have_text(urn)
    expect(ui.page.get_by_role("heading", name=re.compile(r"^Defendants \(\d+\)"))).to_be_visible()


def test_lawyer_opens_a_case_adds_a_defendant_records_an_outcome_and_sees_the_timeline(
        ui: UI, today: dt.date) -> None:
    page = ui.page
    ui.sign_in(LAWYER)
    ui.goto("/cases")
    ui.click(page.get_by_role("button", name="Open a case"))
    page.get_by_label("Unique reference number (URN)", exact=True).fill("01OC9999926")
    page.get_by_label("Operation name", exact=True).fill("Browser Test")
    page.get_by_label("Unit", exact=True).select_option(label="Organised Crime Division")
    page.get_by_label("Organised crime type", exact=True).select_option(label="Drugs supply and importation")
    page.get_by_label("National Crime Agency", exact=True).check()
    fill_date(page, "received_on", today - dt.timedelta(days=200))
    ui.click(page.get_by_role("button", name="Open case"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Browser Test")

    ui.click(page.get_by_role("button", name="Add a defendant"))
    page.get_by_label("Surname", exact=True).fill("Hartley")
    page.get_by_label("Forenames", exact=True).fill("Connor James")
    fill_date(page, "date_of_birth", dt.date(1988, 4, 17))
    page.get_by_label("PNC ID (optional)", exact=True).fill("06/123456A")
    ui.click(page.get_by_role("button", name="Add defendant"))
    expect(page.get_by_text("Connor James Hartley").first).to_be_visible()

    _add_charge(ui, today - dt.timedelta(days=150))
    ui.click(page.get_by_role("link", name="Back to case 01OC9999926"))
    ui.click(page.get_by_role("link", name="View record of Connor James Hartley"))
    ui.click(page.get_by_role("button", name="Record outcome"))
    page.get_by_label("Guilty plea", exact=True).check()
    fill_date(page, "finalised_on", today - dt.timedelta(days=20))
    ui.click(page.get_by_role("button", name="Save outcome"))
    expect(page.get_by_text("Guilty plea").first).to_be_visible()

    ui.click(page.get_by_role("link", name="Back to case 01OC9999926"))
    timeline = page.locator("#timeline ~ *").first
    expect(timeline).to_contain_text("Guilty plea")
    expect(timeline).to_contain_text("Connor James HARTLEY")


def _add_charge(ui: UI, charged_on: dt.date) -> None:
    page = ui.page
    ui.click(page.get_by_role("link", name="Add a charge for Connor James Hartley"))
    page.get_by_label("Offence", exact=True).fill(
        "Being concerned in the supply of a controlled drug of Class A")
    page.get_by_label("Statute", exact=True).fill("Misuse of Drugs Act 1971")
    page.get_by_label("Section", exact=True).fill("s.4(3)(b)")
    fill_date(page, "charged_on", charged_on)
    page.get_by_label("Principal offence category", exact=True).select_option(label="Drugs offences")
    ui.click(page.get_by_role("button", name="Add charge"))


def test_adding_a_defendant_without_a_surname_shows_the_error(ui: UI) -> None:
    page = ui.page
    ui.sign_in(LAWYER)
    ui.goto("/cases")
    ui.click(page.locator("table tbody tr").first.get_by_role("link").first)
    ui.click(page.get_by_role("button", name="Add a defendant"))
    page.get_by_label("Forenames", exact=True).fill("Nobody")
    ui.click(page.get_by_role("button", name="Add defendant"))
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter the surname")
    expect(page.get_by_label("Forenames", exact=True)).to_have_value("Nobody")
