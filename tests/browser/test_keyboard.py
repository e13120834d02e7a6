"""Keyboard use and reflow (WCAG 2.4.1 bypass blocks, 1.4.10 reflow at 320 CSS px)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAWYER, UI

pytestmark = pytest.mark.browser


def test_skip_link_is_first_and_moves_focus_to_main_content(ui: UI) -> None:
    ui.sign_in(LAWYER)
    ui.page.keyboard.press("Tab")
    skip = ui.page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    ui.page.keyboard.press("Enter")
    expect(ui.page.locator("#main-content")).to_be_focused()
    # The next Tab goes into the page content, not back to the header.
    ui.page.keyboard.press("Tab")
    in_main = ui.page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
    assert in_main, "focus left the main content after the skip link"


def test_case_list_has_no_horizontal_scroll_at_320px(ui: UI) -> None:
    """WCAG 1.4.10 Reflow: 320 CSS px wide (1280 px at 400% zoom) without scrolling sideways."""
    ui.page.set_viewport_size({"width": 320, "height": 640})
    ui.goto("/sign-in")
    assert_no_horizontal_scroll(ui)
    ui.sign_in(LAWYER)
    ui.goto("/cases")
    expect(ui.page.locator("table tbody tr").first).to_be_visible()
    assert_no_horizontal_scroll(ui)


def assert_no_horizontal_scroll(ui: UI) -> None:
    widths = ui.page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"page scrolls sideways at 320px: {widths[0]} > {widths[1]}"
