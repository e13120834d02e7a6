"""An administrator's journey: users (add with errors, change, token, disable) and units, with
axe-core run on every page loaded."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import ADMIN, UI


def test_admin_manages_a_user(ui: UI) -> None:
    ui.sign_in(ADMIN)
    ui.goto("/admin")
    assert ui.heading() == "Administration"
    ui.click(ui.page.locator("#admin-links").get_by_role("link", name="Users"))
    ui.click(ui.page.get_by_role("button", name="Add a user"))
    ui.page.get_by_label("Email address").fill("browser.user@casework.example")
    ui.page.get_by_label("Full name").fill("Bea Browser")
    ui.page.get_by_label("Initial password").fill("short")
    ui.click(ui.page.get_by_role("button", name="Create user"))
    summary = ui.page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose a role")
    expect(summary).to_contain_text("Password must be at least 12 characters")
    expect(ui.page.get_by_label("Full name")).to_have_value("Bea Browser")
    ui.page.get_by_label("Lawyer", exact=True).check()
    ui.page.get_by_label("Organised Crime Division").check()
    ui.page.get_by_label("Initial password").fill("a long browser passphrase")
    ui.click(ui.page.get_by_role("button", name="Create user"))
    assert ui.heading() == "Bea Browser"
    ui.click(ui.page.get_by_role("link", name="Change role"))
    ui.page.get_by_label("Analyst").check()
    ui.click(ui.page.get_by_role("button", name="Save changes"))
    expect(ui.page.locator(".govuk-summary-list")).to_contain_text("Analyst")
    ui.click(ui.page.get_by_role("button", name="Issue an API token"))
    token = ui.page.locator("#api-token").inner_text()
    assert token.startswith("cw_")
    ui.click(ui.page.get_by_role("link", name="Back to Bea Browser"))
    assert token not in ui.page.content()
    ui.click(ui.page.get_by_role("button", name=re.compile("^Revoke")))
    expect(ui.page.locator("#tokens")).to_contain_text("Revoked")
    ui.click(ui.page.get_by_role("button", name="Disable account"))
    expect(ui.page.locator(".govuk-summary-list")).to_contain_text("Disabled")


def test_admin_adds_renames_and_deactivates_a_unit(ui: UI) -> None:
    ui.sign_in(ADMIN)
    ui.goto("/admin/units")
    ui.click(ui.page.get_by_role("button", name="Add a unit"))
    ui.page.get_by_label("Code").fill("Bad Code")
    ui.click(ui.page.get_by_role("button", name="Add unit"))
    expect(ui.page.locator(".govuk-error-summary")).to_contain_text("Code must use only lowercase")
    ui.page.get_by_label("Code").fill("browser_unit")
    ui.page.get_by_label("Name").fill("Browser Unit")
    ui.page.get_by_label("CPS Area").check()
    ui.click(ui.page.get_by_role("button", name="Add unit"))
    row = ui.page.locator("#units-table tr", has_text="browser_unit")
    ui.click(row.get_by_role("link", name=re.compile("^Rename")))
    ui.page.get_by_label("Name").fill("Browser Unit Renamed")
    ui.click(ui.page.get_by_role("button", name="Save name"))
    row = ui.page.locator("#units-table tr", has_text="browser_unit")
    expect(row).to_contain_text("Browser Unit Renamed")
    ui.click(row.get_by_role("button", name=re.compile("^Deactivate")))
    expect(ui.page.locator("#units-table tr", has_text="browser_unit")).to_contain_text("Deactivated")
