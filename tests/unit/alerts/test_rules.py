"""Lead times and wording: pure date maths."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.alerts import rules
from casework.alerts.rules import LeadTime


def test_scpo_leads_are_a_year_six_three_and_one_month():
    leads = rules.expiry_leads("scpo")
    assert [lead.label for lead in leads] == ["12m", "6m", "3m", "1m"]
    assert [lead.before(dt.date(2030, 3, 1)) for lead in leads] == [
        dt.date(2029, 3, 1), dt.date(2029, 9, 1), dt.date(2029, 12, 1), dt.date(2030, 2, 1)]


@pytest.mark.parametrize("order_type", ["tro", "fro", "shpo", "stpo", "cdda"])
def test_other_orders_warn_90_30_and_7_days_ahead(order_type):
    leads = rules.expiry_leads(order_type)
    assert [lead.before(dt.date(2030, 3, 1)) for lead in leads] == [
        dt.date(2029, 12, 1), dt.date(2030, 1, 30), dt.date(2030, 2, 22)]


def test_lead_times_are_configurable_per_type_and_by_default():
    overrides = {"scpo": rules.parse_leads("18m, 9m"), "default": rules.parse_leads("60d")}
    assert [lead.label for lead in rules.expiry_leads("scpo", overrides)] == ["18m", "9m"]
    assert [lead.label for lead in rules.expiry_leads("tro", overrides)] == ["60d"]


@pytest.mark.parametrize("text", ["", "12x", "0m", "-3d", "m"])
def test_malformed_lead_times_are_refused(text):
    with pytest.raises(ValueError):
        rules.parse_leads(text)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (dt.date(2027, 3, 31), -1, dt.date(2027, 2, 28)),
    (dt.date(2028, 3, 31), -1, dt.date(2028, 2, 29)),  # leap year
    (dt.date(2027, 1, 31), 1, dt.date(2027, 2, 28)),
    (dt.date(2027, 12, 15), 1, dt.date(2028, 1, 15)),
    (dt.date(2027, 1, 15), -12, dt.date(2026, 1, 15)),
    (dt.date(2027, 8, 31), -6, dt.date(2027, 2, 28)),
])
def test_months_clamp_to_the_end_of_a_shorter_month(day, months, expected):
    assert rules.add_months(day, months) == expected


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)),
       st.integers(min_value=-240, max_value=240))
def test_add_months_lands_in_the_right_month_and_never_after_the_day(day, months):
    result = rules.add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day


def test_wording_before_on_and_after_the_event():
    event = dt.date(2027, 3, 1)
    kwargs = {"future": "expires", "today_word": "expires today", "past": "expired"}
    assert rules.when(event, dt.date(2026, 12, 1), **kwargs) == "expires in 90 days, on 1 March 2027"
    assert rules.when(event, dt.date(2027, 2, 28), **kwargs) == "expires in 1 day, on 1 March 2027"
    assert rules.when(event, event, **kwargs) == "expires today (1 March 2027)"
    assert rules.when(event, dt.date(2027, 3, 4), **kwargs) == "expired on 1 March 2027"


def test_an_overdue_alert_is_worded_for_the_day_it_is_read():
    assert rules.reading_day(dt.date(2027, 1, 1), dt.date(2026, 12, 1)) == dt.date(2027, 1, 1)
    assert rules.reading_day(dt.date(2027, 1, 1), dt.date(2027, 2, 1)) == dt.date(2027, 2, 1)


def test_lead_labels_are_stable_key_parts():
    assert LeadTime(months=12).label == "12m" and LeadTime(days=7).label == "7d"
    assert LeadTime(months=1).words == "1 month" and LeadTime(days=90).words == "90 days"
