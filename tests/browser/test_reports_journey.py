"""An analyst's reports journey: open each report, change the grouping and filters, download
every format and read each file back. axe-core checks every page (the ``ui`` helper)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import ADMIN, ANALYST, UI, text_of


def _download(ui: UI, name: str) -> bytes:
    with ui.page.expect_download() as info:
        ui.page.get_by_role("link", name=name).click()
    path = info.value.path()
    return open(path, "rb").read()  # noqa: PTH123,SIM115


def test_conviction_rate_grouping_filters_and_downloads(ui: UI) -> None:
    page = ui.page
    ui.sign_in(ANALYST)
    ui.click(page.get_by_role("link", name="Reports", exact=True))
    ui.click(page.get_by_role("link", name="Conviction rate"))
    assert ui.heading() == "Conviction rate"
    page.get_by_label("From", exact=True).fill("2020-04-01")
    page.get_by_label("Group by").select_option(label="Financial year")
    ui.click(page.get_by_role("button", name="Apply filters"))
    assert "group=financial_year" in page.url
    table = page.locator("#table-1")
    expect(table.locator("tbody tr").first.locator("th")).to_have_text(re.compile(r"^20\d\d-\d\d$"))
    total = text_of(table.locator("tfoot tr"))
    assert total.startswith("Total")
    expect(page.locator("#table-1 td.govuk-table__cell--numeric").first).to_be_visible()
    expect(page.locator("figure.app-chart svg").first).to_have_attribute("aria-hidden", "true")

    page.get_by_label("Group by").select_option(label="Financial quarter")
    page.get_by_label("Organised-crime type").select_option(index=1)
    ui.click(page.get_by_role("button", name="Apply filters"))
    assert "group=quarter" in page.url and "crime_type=" in page.url
    expect(page.locator("#table-1 tbody tr").first.locator("th")).to_have_text(
        re.compile(r"^20\d\d-\d\d Q[1-4]$"))
    finalised = text_of(page.locator("#table-1 tfoot td").nth(8)).replace(",", "")

    csv_rows = list(csv.reader(io.StringIO(_download(ui, "Download CSV").decode("utf-8-sig"))))
    assert csv_rows[0] == ["OFFICIAL-SENSITIVE"]
    assert next(r for r in csv_rows if r and r[0] == "Total")[9] == finalised
    sheet = load_workbook(io.BytesIO(_download(ui, "Download Excel"))).worksheets[0]
    totals = [row for row in sheet.iter_rows(values_only=True) if row[0] == "Total"]
    assert str(totals[0][9]) == finalised
    reader = PdfReader(io.BytesIO(_download(ui, "Download PDF")))
    assert "OFFICIAL-SENSITIVE" in reader.pages[0].extract_text()


@pytest.mark.parametrize("slug, heading", [
    ("confiscation", "Confiscation"), ("ancillary-orders", "Ancillary orders"),
    ("quarterly-review", "Quarterly performance review"),
])
def test_each_report_opens_filters_and_downloads(ui: UI, slug: str, heading: str) -> None:
    page = ui.page
    ui.sign_in(ADMIN)
    ui.goto(f"/reports/{slug}")
    assert ui.heading() == heading
    page.get_by_label("Unit", exact=True).select_option(label="Organised Crime Division")
    if slug == "quarterly-review":
        page.get_by_label("Financial quarter").select_option(index=2)
    else:
        page.get_by_label("Group by").select_option(label="Financial quarter")
    ui.click(page.get_by_role("button", name="Apply filters"))
    assert "unit=ocd" in page.url
    expect(page.locator("table.app-report-table").first).to_be_visible()
    assert _download(ui, "Download CSV").decode("utf-8-sig").startswith("OFFICIAL-SENSITIVE")
    assert load_workbook(io.BytesIO(_download(ui, "Download Excel"))).worksheets
    assert len(PdfReader(io.BytesIO(_download(ui, "Download PDF"))).pages) >= 1


def test_monthly_reports_page_and_subscription(ui: UI) -> None:
    page = ui.page
    ui.sign_in(ANALYST)
    ui.goto("/reports/monthly")
    ui.click(page.get_by_role("button", name="Email me the monthly report"))
    expect(page.get_by_role("button", name="Stop emailing me the monthly report")).to_be_visible()
    ui.click(page.get_by_role("button", name="Stop emailing me the monthly report"))


def test_bad_filter_shows_an_error_summary(ui: UI) -> None:
    page = ui.page
    ui.sign_in(ANALYST)
    ui.goto("/reports/conviction-rate")
    page.get_by_label("From", exact=True).fill("31/03/2026")
    ui.click(page.get_by_role("button", name="Apply filters"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the start date")
    assert page.title().startswith("Error: ")
