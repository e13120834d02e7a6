"""Ancillary orders: a lawyer records an SCPO with conditions; recording a release starts a TRO;
an offender manager works the week's list and acknowledges an alert."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from casework.cases.models import Defendant
from casework.extensions import db
from casework.orders import service as orders
from casework.orders.rules import CourtLevel, OrderType, StartTrigger
from tests.browser.conftest import LAWYER, OFFENDER_MANAGER, UI
from tests.browser.helpers import fill_date_group, sentenced_defendant, user_with

pytestmark = pytest.mark.browser


def uk(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_lawyer_records_an_scpo_with_conditions(ui: UI, build: Any, today: dt.date) -> None:
    ids = build(sentenced_defendant, surname="Scpo", today=today, convicted_days_ago=60,
                release_on=today + dt.timedelta(days=700))
    page = ui.page
    ui.sign_in(LAWYER)
    ui.goto(f"/defendants/{ids['defendant']}/orders/new?type=scpo")
    page.get_by_role("radio", name="Crown Court", exact=True).check()
    page.get_by_label("Name of the court", exact=True).fill("Southwark Crown Court")
    made_on = today - dt.timedelta(days=32)
    fill_date_group(page, "Date made", made_on)
    page.get_by_role("radio", name="On release from custody").check()
    page.get_by_role("group", name=re.compile("^Or its length")).get_by_label("Years", exact=True).fill("5")
    fill_date_group(page, "Date served", made_on)
    page.get_by_role("radio", name="Present or represented when made").check()
    page.get_by_label("Offender manager", exact=True).select_option(label="Sam Offender-Manager")
    page.get_by_label("Breach check every (months)", exact=True).fill("3")
    ui.click(page.get_by_role("button", name="Save order"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Serious Crime Prevention Order")
    expect(page.locator("main")).to_contain_text(uk(today + dt.timedelta(days=700)))

    for kind, text in (("Prohibition", "Not to possess more than one mobile telephone"),
                       ("Financial reporting", "To report income and assets to the NCA")):
        ui.click(page.get_by_role("link", name="Add a condition"))
        page.get_by_role("radio", name=kind, exact=True).check()
        page.get_by_label("Wording of the condition", exact=True).fill(text)
        if kind == "Financial reporting":
            page.get_by_label("Reports due every (months)", exact=True).fill("6")
        ui.click(page.get_by_role("button", name="Add condition"))
        expect(page.locator("main")).to_contain_text(text)


def _pending_tro(*, today: dt.date) -> dict[str, int]:
    ids = sentenced_defendant(surname="Tro", today=today, convicted_days_ago=900, custody_months=48)
    defendant = db.session.get(Defendant, ids["defendant"])
    assert defendant is not None and defendant.sentenced_on is not None
    order = orders.record_order(defendant, type=OrderType.TRO, made_on=defendant.sentenced_on,
                                court_level=CourtLevel.CROWN_COURT, court="Liverpool Crown Court",
                                start_trigger=StartTrigger.ON_RELEASE, term_months=24,
                                served_on=defendant.sentenced_on, actor=defendant.case.lead_lawyer)
    return {**ids, "order": order.id}


def test_recording_a_release_starts_the_tro(ui: UI, build: Any, today: dt.date) -> None:
    ids = build(_pending_tro, today=today)
    page = ui.page
    ui.sign_in(LAWYER)
    ui.goto(f"/orders/{ids['order']}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pending release")

    ui.goto(f"/defendants/{ids['defendant']}")
    ui.click(page.get_by_role("button", name="Record sentence").or_(
        page.get_by_role("button", name="Change sentence")))
    released = today - dt.timedelta(days=10)
    fill_date_group(page, "Release date (optional)", released)
    page.get_by_role("radio", name="Actual (released)").check()
    ui.click(page.get_by_role("button", name="Save sentence"))

    ui.goto(f"/orders/{ids['order']}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Active")
    summary = page.locator("main dl").first
    expect(summary).to_contain_text(uk(released))
    expect(summary).to_contain_text(uk(released.replace(year=released.year + 2)))


def _overdue_scpo(*, today: dt.date) -> dict[str, int]:
    """An SCPO in force for a year, managed by the demo offender manager, with monthly checks
    and none recorded: a check is overdue."""
    ids = sentenced_defendant(surname="Overdue", today=today, convicted_days_ago=420, custody_months=None)
    defendant = db.session.get(Defendant, ids["defendant"])
    assert defendant is not None and defendant.finalised_on is not None
    manager = user_with(OFFENDER_MANAGER)
    made_on = defendant.finalised_on + dt.timedelta(days=30)
    order = orders.record_order(defendant, type=OrderType.SCPO, made_on=made_on,
                                court_level=CourtLevel.CROWN_COURT, court="Leeds Crown Court",
                                start_trigger=StartTrigger.ON_MAKING, term_months=60, served_on=made_on,
                                offender_manager=manager, check_interval_months=1,
                                actor=defendant.case.lead_lawyer)
    return {**ids, "order": order.id}


def test_offender_manager_works_the_week_and_acknowledges_an_alert(
        ui: UI, build: Any, sweep: Any, today: dt.date) -> None:
    ids = build(_overdue_scpo, today=today)
    sweep()
    page = ui.page
    ui.sign_in(OFFENDER_MANAGER)
    ui.click(page.get_by_role("link", name="Orders needing action this week"))
    link = page.get_by_role("link", name=re.compile(r"SCPO – Test OVERDUE"))
    expect(link.first).to_be_visible()
    ui.click(link.first)
    expect(page).to_have_url(re.compile(f"/orders/{ids['order']}$"))

    ui.click(page.get_by_role("link", name="Record a check"))
    page.get_by_role("radio", name="Compliant", exact=True).check()
    ui.click(page.get_by_role("button", name="Save check"))
    expect(page.locator("main")).to_contain_text("Compliant")

    ui.goto("/alerts")
    row = page.locator("table tbody tr", has_text="OVERDUE").first
    expect(row).to_be_visible()
    ui.click(row.get_by_role("button", name=re.compile("^Acknowledge")))
    expect(page.locator("main")).to_contain_text(re.compile("acknowledged", re.I))
