"""Every statutory limit, at the boundary and one day past it, for every order type and court."""

from __future__ import annotations

import datetime as dt

import pytest

from casework.orders import rules
from casework.orders.rules import (
    RULES,
    ConditionKind,
    CourtLevel,
    OrderStatus,
    OrderType,
    StartTrigger,
    add_months,
    add_years,
    check_condition,
    check_court,
    check_discharge,
    check_duration,
    check_made_on,
    check_trigger,
    rule_for,
    status_of,
)

START = dt.date(2026, 3, 1)
DAY = dt.timedelta(days=1)

# (type, court, maximum years or None, section cited). Every court allowed for every type.
MAXIMA = [
    (OrderType.SCPO, CourtLevel.HIGH_COURT, 5, "Serious Crime Act 2007, s.16(2)"),
    (OrderType.SCPO, CourtLevel.CROWN_COURT, 5, "Serious Crime Act 2007, s.16(2)"),
    (OrderType.FRO, CourtLevel.MAGISTRATES, 5, "s.76(5)"),
    (OrderType.FRO, CourtLevel.CROWN_COURT, 15, "s.76(6)"),
    (OrderType.FRO, CourtLevel.HIGH_COURT, 15, "s.76(6)"),
    (OrderType.CDDA, CourtLevel.MAGISTRATES, 5, "Company Directors Disqualification Act 1986, s.2(3)"),
    (OrderType.CDDA, CourtLevel.CROWN_COURT, 15, "Company Directors Disqualification Act 1986, s.2(3)"),
    (OrderType.CDDA, CourtLevel.HIGH_COURT, 15, "Company Directors Disqualification Act 1986, s.2(3)"),
]
MINIMA = [
    (OrderType.TRO, CourtLevel.CROWN_COURT, 2, "Criminal Justice and Police Act 2001, s.33(3)"),
    (OrderType.TRO, CourtLevel.MAGISTRATES, 2, "Criminal Justice and Police Act 2001, s.33(3)"),
    (OrderType.SHPO, CourtLevel.CROWN_COURT, 5, "Sentencing Act 2020"),
    (OrderType.SHPO, CourtLevel.MAGISTRATES, 5, "Sentencing Act 2020"),
    (OrderType.STPO, CourtLevel.CROWN_COURT, 5, "Modern Slavery Act 2015, s.17"),
    (OrderType.STPO, CourtLevel.MAGISTRATES, 5, "Modern Slavery Act 2015, s.17"),
]


def duration(order_type, court, end, *, start=START, indefinite=False, **kw):
    return check_duration(rule_for(order_type), court_level=court, starts_on=start, ends_on=end,
                          indefinite=indefinite, **kw)


@pytest.mark.parametrize(("order_type", "court", "years", "section"), MAXIMA)
def test_maximum_exactly_is_allowed_and_one_day_more_is_refused(order_type, court, years, section):
    assert duration(order_type, court, add_years(START, years)) == []
    problems = duration(order_type, court, add_years(START, years) + DAY)
    assert len(problems) == 1
    field, message = problems[0]
    assert field == "ends_on"
    assert f"at most {years} years" in message and section in message


@pytest.mark.parametrize(("order_type", "court", "years", "section"), MAXIMA)
def test_maximum_as_a_length_in_months(order_type, court, years, section):
    assert duration(order_type, court, None, start=None, term_months=12 * years) == []
    [(field, message)] = duration(order_type, court, None, start=None, term_months=12 * years + 1)
    assert field == "term_months" and section in message


@pytest.mark.parametrize(("order_type", "court", "years", "section"), MINIMA)
def test_minimum_exactly_is_allowed_and_one_day_less_is_refused(order_type, court, years, section):
    assert duration(order_type, court, add_years(START, years)) == []
    [(field, message)] = duration(order_type, court, add_years(START, years) - DAY)
    assert field == "ends_on"
    assert f"at least {years} years" in message and section in message


@pytest.mark.parametrize(("order_type", "court", "years", "section"), MINIMA)
def test_no_maximum_for_minimum_only_orders(order_type, court, years, section):
    assert duration(order_type, court, add_years(START, 60)) == []
    assert duration(order_type, court, None, start=None, term_months=12 * years) == []
    assert duration(order_type, court, None, start=None, term_months=12 * years - 1) != []


def test_tro_message_says_after_release():
    [(_, message)] = duration(OrderType.TRO, CourtLevel.CROWN_COURT, add_years(START, 2) - DAY)
    assert "at least 2 years after release" in message


def test_fro_life_sentence_allows_twenty_years_and_not_a_day_more():
    rule = rule_for(OrderType.FRO)
    ok = check_duration(rule, court_level=CourtLevel.CROWN_COURT, starts_on=START,
                        ends_on=add_years(START, 20), indefinite=False, life_sentence=True)
    assert ok == []
    [(_, message)] = check_duration(rule, court_level=CourtLevel.CROWN_COURT, starts_on=START,
                                    ends_on=add_years(START, 20) + DAY, indefinite=False,
                                    life_sentence=True)
    assert "at most 20 years" in message and "s.76(7)" in message and "life" in message


def test_scpo_and_cdda_have_no_minimum():
    assert duration(OrderType.SCPO, CourtLevel.CROWN_COURT, START + DAY) == []
    assert duration(OrderType.CDDA, CourtLevel.MAGISTRATES, START + DAY) == []


@pytest.mark.parametrize("order_type", list(OrderType))
def test_indefinite_only_where_the_statute_allows_it(order_type):
    problems = duration(order_type, CourtLevel.CROWN_COURT, None, indefinite=True)
    if order_type in (OrderType.SHPO, OrderType.STPO):
        assert problems == []
    else:
        [(field, message)] = problems
        assert field == "indefinite" and "until further order" in message


def test_scpo_extended_pending_charge_is_not_held_to_five_years():
    assert duration(OrderType.SCPO, CourtLevel.CROWN_COURT, add_years(START, 7),
                    extended_pending_charge=True) == []
    assert duration(OrderType.SCPO, CourtLevel.CROWN_COURT, None, indefinite=True,
                    extended_pending_charge=True) == []


@pytest.mark.parametrize("order_type", list(OrderType))
def test_end_must_follow_start_and_something_must_be_given(order_type):
    court = sorted(RULES[order_type].courts)[0]
    assert duration(order_type, court, START)[0][0] == "ends_on"
    assert duration(order_type, court, None)[0] == ("ends_on",
                                                    "Enter the date the order ends, or its length")
    assert duration(order_type, court, None, start=None, term_months=0)[0][0] == "term_months"


def test_courts_that_may_make_each_order():
    scpo = rule_for(OrderType.SCPO)
    [(field, message)] = check_court(scpo, CourtLevel.MAGISTRATES)
    assert field == "court_level" and "Not magistrates" in message
    assert check_court(scpo, CourtLevel.HIGH_COURT) == []
    for t in (OrderType.SHPO, OrderType.STPO, OrderType.TRO):
        assert check_court(rule_for(t), CourtLevel.HIGH_COURT) != []
    assert check_court(rule_for(OrderType.CDDA), CourtLevel.MAGISTRATES) == []
    assert check_court(rule_for(OrderType.FRO), None) != []


def test_start_triggers():
    assert check_trigger(rule_for(OrderType.TRO), StartTrigger.ON_MAKING) != []
    assert check_trigger(rule_for(OrderType.TRO), StartTrigger.ON_RELEASE) == []
    for t in (OrderType.FRO, OrderType.CDDA):
        assert check_trigger(rule_for(t), StartTrigger.ON_RELEASE) != []
    assert check_trigger(rule_for(OrderType.SCPO), StartTrigger.ON_DATE_SPECIFIED) == []


def test_no_new_fros_from_3_may_2015():
    fro = rule_for(OrderType.FRO)
    today = dt.date(2026, 1, 1)
    assert check_made_on(fro, dt.date(2015, 5, 2), today) == []
    [(field, message)] = check_made_on(fro, dt.date(2015, 5, 3), today)
    assert field == "made_on" and "Serious Crime Act 2015, s.50" in message
    assert check_made_on(rule_for(OrderType.SCPO), today + DAY, today) != []


@pytest.mark.parametrize("order_type", [OrderType.SHPO, OrderType.STPO])
def test_foreign_travel_ban_at_most_five_years(order_type):
    rule = rule_for(order_type)
    kw = {"kind": ConditionKind.FOREIGN_TRAVEL, "starts_on": START, "order_ends_on": None,
          "order_indefinite": True}
    assert check_condition(rule, ends_on=add_years(START, 5), **kw) == []
    [(_, message)] = check_condition(rule, ends_on=add_years(START, 5) + DAY, **kw)
    assert "at most 5 years" in message and rule.travel_max.section in message
    assert check_condition(rule, ends_on=None, **kw) != []  # must have an end date


@pytest.mark.parametrize("order_type", [OrderType.SHPO, OrderType.STPO])
def test_each_prohibition_at_least_five_years_or_until_further_order(order_type):
    rule = rule_for(order_type)
    kw = {"kind": ConditionKind.PROHIBITION, "starts_on": START, "order_ends_on": None,
          "order_indefinite": True}
    assert check_condition(rule, ends_on=add_years(START, 5), **kw) == []
    assert check_condition(rule, ends_on=None, **kw) == []
    assert check_condition(rule, ends_on=add_years(START, 5) - DAY, **kw) != []


def test_condition_cannot_outlast_a_fixed_order():
    rule = rule_for(OrderType.SCPO)
    end = add_years(START, 3)
    kw = {"kind": ConditionKind.FINANCIAL_REPORTING, "starts_on": START, "order_ends_on": end,
          "order_indefinite": False}
    assert check_condition(rule, ends_on=end, **kw) == []
    assert check_condition(rule, ends_on=end + DAY, **kw) != []


@pytest.mark.parametrize("order_type", [OrderType.SHPO, OrderType.STPO])
def test_discharge_within_five_years_needs_consents(order_type):
    rule = rule_for(order_type)
    made = START
    early = add_years(made, 5) - DAY
    [(field, message)] = check_discharge(rule, started_on=made, made_on=made, discharged_on=early,
                                         consents=False)
    assert field == "consents" and rule.discharge_bar.section in message
    assert check_discharge(rule, started_on=made, made_on=made, discharged_on=early, consents=True) == []
    assert check_discharge(rule, started_on=made, made_on=made, discharged_on=add_years(made, 5),
                           consents=False) == []


def test_discharge_not_before_making():
    rule = rule_for(OrderType.SCPO)
    assert check_discharge(rule, started_on=None, made_on=START, discharged_on=START - DAY,
                           consents=False) != []


def test_date_maths_clamps_leap_days():
    assert add_years(dt.date(2024, 2, 29), 5) == dt.date(2029, 2, 28)
    assert add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 30), 2) == dt.date(2027, 1, 30)


def test_status_is_computed_from_dates():
    today = dt.date(2027, 1, 1)
    kw = {"indefinite": False, "discharged_on": None, "today": today}
    assert status_of(starts_on=None, ends_on=None, **kw) == OrderStatus.PENDING_RELEASE
    assert status_of(starts_on=today + DAY, ends_on=today + 9 * DAY, **kw) == OrderStatus.PENDING_RELEASE
    assert status_of(starts_on=today, ends_on=today + DAY, **kw) == OrderStatus.ACTIVE
    assert status_of(starts_on=START, ends_on=today, **kw) == OrderStatus.EXPIRED
    assert status_of(starts_on=START, ends_on=None, indefinite=True, discharged_on=None,
                     today=today) == OrderStatus.ACTIVE
    assert status_of(starts_on=START, ends_on=None, indefinite=True, discharged_on=today,
                     today=today) == OrderStatus.DISCHARGED
    assert status_of(starts_on=START, ends_on=None, indefinite=True, discharged_on=today + DAY,
                     today=today) == OrderStatus.ACTIVE


def test_every_rule_is_complete_and_cited():
    assert set(RULES) == set(OrderType)
    for rule in RULES.values():
        assert rule.statute and rule.who_makes and rule.breach_offence and rule.breach_penalty
        assert rule.courts and rule.triggers
        for limit in [rule.min_years, rule.max_years_life, rule.indefinite, rule.travel_max,
                      *rule.max_years.values()]:
            assert limit is None or ("Act" in limit.section and "s." in limit.section)
    assert rules.SERVICE_CHASE_DAYS == 7
