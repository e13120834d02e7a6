"""Signing in and out, and what a user sees when it goes wrong."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ADMIN, LAWYER, UI

pytestmark = pytest.mark.browser


def test_sign_in_and_out(ui: UI) -> None:
    ui.sign_in(LAWYER)
    expect(ui.page).to_have_url(re.compile(r"/home$"))
    expect(ui.page.get_by_text("Priya Lawyer").first).to_be_visible()
    ui.click(ui.page.get_by_role("button", name="Sign out"))
    expect(ui.page).to_have_url(re.compile(r"/sign-in$"))
    expect(ui.page.get_by_text("You have signed out.")).to_be_visible()


def test_sign_in_errors_are_summarised_and_linked(ui: UI) -> None:
    ui.goto("/sign-in")
    ui.click(ui.page.get_by_role("button", name="Sign in"))
    expect(ui.page).to_have_title(re.compile(r"^Error: Sign in"))
    summary = ui.page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter your email address")
    expect(summary).to_contain_text("Enter your password")
    summary.get_by_role("link", name="Enter your email address").click()
    expect(ui.page.get_by_label("Email address")).to_be_focused()


def test_wrong_password_gives_the_same_message_as_an_unknown_user(ui: UI) -> None:
    ui.sign_in(ADMIN, password="not the right password")
    expect(ui.page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a correct email address and password")
    typed = ui.page.get_by_label("Email address").input_value()
    assert typed == ADMIN
    ui.sign_in("nobody@casework.example", password="not the right password")
    expect(ui.page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a correct email address and password")


def test_signed_out_user_is_sent_to_sign_in(ui: UI) -> None:
    ui.goto("/home")
    expect(ui.page).to_have_url(re.compile(r"/sign-in"))
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Sign in to Casework")
