"""POCA Part 2 rules without a database: bands, time to pay, postponement, interest, deadlines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.confiscation import rules
from casework.confiscation.rules import Rate, Reconsideration

D = dt.date
POST = D(2024, 3, 1)
PRE = D(2015, 5, 31)
EIGHT = [Rate(D(1900, 1, 1), Decimal("8"))]


@pytest.mark.parametrize(("amount", "months"), [
    ("0.01", 6),
    ("10000.00", 6),
    ("10000.01", 60),
    ("500000.00", 60),
    ("500000.01", 84),
    ("1000000.00", 84),
    ("1000000.01", 168),
    ("25000000.00", 168),
])
def test_default_term_bands_at_their_boundaries(amount, months):
    """POCA s.35(2A): each limit belongs to the lower band."""
    assert rules.max_default_term_months(Decimal(amount), POST) == months


def test_bands_start_on_1_june_2015_and_older_orders_are_not_banded():
    assert rules.max_default_term_months(Decimal("10000.01"), D(2015, 6, 1)) == 60
    assert rules.max_default_term_months(Decimal("10000.01"), PRE) is None
    assert rules.check_default_term(None, Decimal("5000"), PRE) is not None  # must be given
    assert rules.check_default_term(200, Decimal("5000"), PRE) is None  # stored as fixed


def test_court_fixed_term_is_checked_against_the_band():
    assert rules.check_default_term(6, Decimal("10000.00"), POST) is None
    message = rules.check_default_term(7, Decimal("10000.00"), POST)
    assert message and "6 months" in message and "s.35(2A)" in message
    assert rules.check_default_term(60, Decimal("10000.01"), POST) is None
    assert rules.check_default_term(61, Decimal("10000.01"), POST)
    assert rules.check_default_term(0, Decimal("10000.01"), POST)
    assert rules.check_default_term(None, Decimal("10000.01"), POST) is None  # computed instead


def test_no_automatic_release_from_10_million_after_june_2015():
    assert rules.no_automatic_release(Decimal("10000000.00"), D(2015, 6, 1))
    assert not rules.no_automatic_release(Decimal("9999999.99"), POST)
    assert not rules.no_automatic_release(Decimal("20000000.00"), PRE)


def test_time_to_pay_limits_by_regime():
    post = rules.time_to_pay_limits(D(2024, 1, 15))
    assert (post.latest_due_on, post.latest_extended_on) == (D(2024, 4, 15), D(2024, 7, 15))
    pre = rules.time_to_pay_limits(D(2014, 1, 15))
    assert (pre.latest_due_on, pre.latest_extended_on) == (D(2014, 7, 15), D(2015, 1, 15))


def test_due_date_within_3_months_and_not_before_the_order():
    made = D(2024, 11, 30)
    assert rules.check_due_on(made, made) is None  # due the day it is made
    assert rules.check_due_on(made, D(2025, 2, 28)) is None  # 30 Nov + 3 months, clamped
    message = rules.check_due_on(made, D(2025, 3, 1))
    assert message and "3 months" in message and "s.11" in message
    assert rules.check_due_on(made, D(2024, 11, 29))
    assert rules.check_due_on(D(2014, 11, 30), D(2015, 5, 30)) is None  # old regime: 6 months
    assert rules.check_due_on(D(2014, 11, 30), D(2015, 5, 31))


def test_extension_limits():
    made = D(2024, 1, 10)
    ok = rules.check_extension(made, D(2024, 4, 10), D(2024, 4, 1), D(2024, 7, 10))
    assert ok == {}
    late = rules.check_extension(made, D(2024, 4, 10), D(2024, 4, 11), D(2024, 5, 10))
    assert "extension_applied_on" in late
    too_long = rules.check_extension(made, D(2024, 4, 10), D(2024, 4, 1), D(2024, 7, 11))
    assert "6 months" in too_long["extended_due_on"]
    old = rules.check_extension(D(2014, 1, 10), D(2014, 7, 10), D(2014, 7, 1), D(2015, 1, 10))
    assert old == {}


def test_postponement_limit():
    assert rules.postponement_limit(D(2024, 2, 29)) == D(2026, 2, 28)
    assert rules.postponement_limit(D(2024, 1, 1), D(2025, 12, 1)) == D(2026, 3, 1)
    assert rules.postponement_limit(D(2024, 1, 1), D(2025, 1, 1)) == D(2026, 1, 1)
    assert rules.check_postponement(D(2024, 1, 1), D(2026, 1, 1), appeal_determined_on=None,
                                    exceptional=False) is None
    msg = rules.check_postponement(D(2024, 1, 1), D(2026, 1, 2), appeal_determined_on=None,
                                   exceptional=False)
    assert msg and "s.14" in msg
    assert rules.check_postponement(D(2024, 1, 1), D(2026, 1, 2), appeal_determined_on=None,
                                    exceptional=True) is None


def test_reconsideration_deadline_six_years_from_conviction():
    assert rules.reconsideration_deadline(D(2020, 5, 5)) == D(2026, 5, 4)
    ok = rules.check_reconsideration(Reconsideration.S21, convicted_on=D(2020, 5, 5),
                                     applied_on=D(2026, 5, 4), benefit=None, new_available_amount=None)
    assert ok == {}
    late = rules.check_reconsideration(Reconsideration.S21, convicted_on=D(2020, 5, 5),
                                       applied_on=D(2026, 5, 5), benefit=None,
                                       new_available_amount=None)
    assert "s.21" in late["applied_on"]
    any_time = rules.check_reconsideration(Reconsideration.S22, convicted_on=D(2000, 1, 1),
                                           applied_on=D(2026, 1, 1), benefit=Decimal("100"),
                                           new_available_amount=Decimal("100.01"))
    assert list(any_time) == ["new_available_amount"]


def balance(amount, due, as_of, payments=(), rates=EIGHT, **kw):
    return rules.compute_balance(amounts=[(D(2000, 1, 1), Decimal(amount))], due_on=due,
                                 payments=[(d, Decimal(a)) for d, a in payments], rates=rates,
                                 as_of=as_of, **kw)


def test_no_interest_up_to_and_on_the_due_date():
    b = balance("36500.00", D(2023, 1, 1), D(2023, 1, 1))
    assert b.interest == Decimal("0.00") and b.outstanding == Decimal("36500.00")


def test_interest_is_daily_simple_at_8_percent():
    # 36,500 x 8% / 365 = £8.00 a day; 10 days after the due date = £80.00
    b = balance("36500.00", D(2023, 1, 1), D(2023, 1, 11))
    assert b.interest == Decimal("80.00")
    assert b.outstanding == Decimal("36580.00")


def test_interest_over_a_leap_year_counts_29_february():
    # 1 Jan 2024 to 31 Dec 2024 is 366 days at 1/365 of the annual rate each
    b = balance("36500.00", D(2023, 12, 31), D(2024, 12, 31))
    assert b.interest == Decimal("2928.00")
    across = balance("36500.00", D(2024, 2, 27), D(2024, 3, 1))  # 28, 29 Feb, 1 Mar
    assert across.interest == Decimal("24.00")
    plain = balance("36500.00", D(2023, 2, 27), D(2023, 3, 1))  # 28 Feb, 1 Mar
    assert plain.interest == Decimal("16.00")


def test_part_payments_reduce_the_principal_from_the_day_received():
    # £8/day on 36,500; half paid on day 6 -> £4/day after
    b = balance("36500.00", D(2023, 1, 1), D(2023, 1, 11), [(D(2023, 1, 6), "18250.00")])
    assert b.interest == Decimal("32.00") + Decimal("24.00")  # 2-5 Jan at £8, 6-11 Jan at £4
    assert b.paid == Decimal("18250.00")
    assert b.principal_outstanding == Decimal("18250.00")
    assert b.outstanding == Decimal("18306.00")


def test_payment_before_due_date_means_less_interest_later():
    b = balance("36500.00", D(2023, 1, 10), D(2023, 1, 20), [(D(2023, 1, 2), "36500.00")])
    assert b.interest == Decimal("0.00") and b.outstanding == Decimal("0.00")


def test_overpayment_pays_interest_and_then_leaves_a_credit():
    b = balance("36500.00", D(2023, 1, 1), D(2023, 1, 11), [(D(2023, 1, 11), "36572.00")])
    assert b.interest == Decimal("72.00")  # 2..10 Jan unpaid; paid on 11 Jan
    assert b.outstanding == Decimal("0.00")
    over = balance("36500.00", D(2023, 1, 1), D(2023, 1, 11), [(D(2023, 1, 11), "36600.00")])
    assert over.outstanding == Decimal("-28.00")


def test_reversal_restores_the_balance_and_interest():
    paid_then_reversed = [(D(2023, 1, 2), "36500.00"), (D(2023, 1, 2), "-36500.00")]
    assert balance("36500.00", D(2023, 1, 1), D(2023, 1, 11), paid_then_reversed) == \
        balance("36500.00", D(2023, 1, 1), D(2023, 1, 11))


def test_rate_table_is_dated():
    rates = [Rate(D(1900, 1, 1), Decimal("8")), Rate(D(2023, 1, 6), Decimal("4"))]
    b = balance("36500.00", D(2023, 1, 1), D(2023, 1, 10), rates=rates)
    assert b.interest == Decimal("32.00") + Decimal("20.00")  # 4 days at 8, 5 at 4
    with pytest.raises(ValueError):
        rules.compute_balance(amounts=[(D(1800, 1, 1), Decimal("1"))], due_on=D(1800, 1, 1),
                              payments=[], rates=EIGHT, as_of=D(1800, 1, 5))


def test_no_interest_while_an_extension_application_is_pending():
    made = D(2023, 1, 1)
    windows = rules.interest_free_windows(made_on=made, extension_applied_on=D(2023, 1, 1),
                                          extension_decided_on=D(2023, 1, 5))
    b = balance("36500.00", made, D(2023, 1, 10), interest_free=windows)
    assert b.interest == Decimal("40.00")  # 2..5 Jan free; 6..10 Jan charged
    undecided = rules.interest_free_windows(made_on=made, extension_applied_on=D(2023, 1, 1),
                                            extension_decided_on=None)
    assert undecided == [(D(2023, 1, 1), D(2023, 7, 1))]  # capped at 6 months from the order


def test_varied_amount_applies_from_the_decision():
    b = rules.compute_balance(amounts=[(D(2023, 1, 1), Decimal("36500")), (D(2023, 1, 6), Decimal("73000"))],
                              due_on=D(2023, 1, 1), payments=[], rates=EIGHT, as_of=D(2023, 1, 10))
    assert b.amount == Decimal("73000")
    assert b.interest == Decimal("32.00") + Decimal("80.00")


@given(amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50000000"), places=2),
       cuts=st.lists(st.integers(min_value=1, max_value=400), max_size=5))
def test_balance_identity_holds_for_any_payments(amount, cuts):
    payments = [(D(2023, 1, 1) + dt.timedelta(days=c), Decimal("1000.00")) for c in cuts]
    b = balance(str(amount), D(2023, 1, 1), D(2024, 6, 1), [(d, str(a)) for d, a in payments])
    assert b.outstanding == b.amount + b.interest - b.paid
    assert b.interest >= 0
    assert b.principal_outstanding == max(b.amount - b.paid, Decimal("0.00"))


def test_compensation_is_paid_first():
    assert rules.compensation_paid(Decimal("500"), Decimal("800")) == Decimal("500")
    assert rules.compensation_paid(Decimal("1000"), Decimal("800")) == Decimal("800")
    assert rules.compensation_paid(Decimal("1000"), None) == Decimal("0.00")


def test_add_months_clamps_to_month_end():
    assert rules.add_months(D(2024, 8, 31), 3) == D(2024, 11, 30)
    assert rules.add_months(D(2023, 11, 30), 3) == D(2024, 2, 29)
    assert rules.add_years(D(2024, 2, 29), 6) == D(2030, 2, 28)
