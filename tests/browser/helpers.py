"""Small form-filling helpers for GOV.UK components in browser journeys."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page


def fill_date(page: Page, field: str, value: dt.date) -> None:
    """A GOV.UK date input: ``<field>-day``, ``-month`` and ``-year`` boxes."""
    page.locator(f"#{field}-day").fill(str(value.day))
    page.locator(f"#{field}-month").fill(str(value.month))
    page.locator(f"#{field}-year").fill(str(value.year))
