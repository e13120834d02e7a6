"""The conviction-rate formula (DOMAIN.md 3.1, 3.2): no database needed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.reports import rules

ZERO = dict.fromkeys(rules.OUTCOME_COLUMNS, 0)


def test_national_cross_check_hansard_2005():
    """Hansard HC 15 Jan 2009, calendar 2005 (DOMAIN.md 3.2): 946,467 / 1,158,402 = 81.7%."""
    counts = {
        **ZERO,
        "guilty_plea": 712_397,
        "proved_in_absence": 169_270,
        "convicted_after_trial": 64_800,
        "administratively_finalised": 40_654,
        # discharged committals, dismissals and acquittals are unsuccessful outcomes: 2,705 + 28,708
        "acquitted_after_trial": 28_708 + 2_705,
        "discontinued": 139_868,
    }
    assert rules.convictions(counts) == 946_467
    assert rules.finalised(counts) == 1_158_402
    assert rules.conviction_rate(counts) == "81.7"
    assert rules.published_rate(counts) == "82"


def test_admin_finalisations_are_in_the_denominator():
    """Leaving admin finalisations out would give 84.7%, not the published 81.7% (DOMAIN.md 3.2)."""
    counts = {**ZERO, "guilty_plea": 946_467, "discontinued": 211_935 - 40_654}
    assert rules.conviction_rate(counts) == "84.7"


@pytest.mark.parametrize("outcome, is_conviction", [
    ("guilty_plea", True), ("convicted_after_trial", True), ("proved_in_absence", True),
    ("acquitted_after_trial", False), ("directed_acquittal", False), ("discontinued", False),
    ("administratively_finalised", False),
])
def test_each_outcome_alone(outcome, is_conviction):
    counts = {**ZERO, outcome: 1}
    assert rules.finalised(counts) == 1  # every outcome is in the denominator
    assert rules.convictions(counts) == int(is_conviction)
    assert rules.conviction_rate(counts) == ("100.0" if is_conviction else "0.0")


def test_nothing_finalised_has_no_rate():
    assert rules.conviction_rate(ZERO) is None
    assert rules.trial_conviction_rate(ZERO) is None
    assert rules.conviction_rate({}) is None


@pytest.mark.parametrize("n, d, expected", [
    (1, 3, "33.3"), (2, 3, "66.7"), (1, 8, "12.5"), (1, 16, "6.3"),   # 6.25 -> 6.3 (half-up)
    (3, 16, "18.8"), (5, 16, "31.3"), (1, 2000, "0.1"), (1, 2001, "0.0"), (7, 7, "100.0"),
    (847, 1000, "84.7"), (8465, 10000, "84.7"), (8475, 10000, "84.8"),
])
def test_one_decimal_place_half_up(n, d, expected):
    assert rules.percentage(n, d) == expected


def test_whole_percent_half_up():
    assert rules.percentage(1, 8, places=0) == "13"  # 12.5 -> 13, not banker's 12
    assert rules.percentage(5, 200, places=0) == "3"  # 2.5 -> 3


def test_trial_conviction_rate_excludes_pleas_and_dropped_cases():
    counts = {**ZERO, "guilty_plea": 90, "convicted_after_trial": 6, "acquitted_after_trial": 3,
              "directed_acquittal": 1, "discontinued": 10, "proved_in_absence": 5,
              "administratively_finalised": 2}
    assert rules.trials(counts) == 10
    assert rules.trial_conviction_rate(counts) == "60.0"
    assert rules.conviction_rate(counts) == f"{101 / 117 * 100:.1f}"  # 86.3


def test_rates_refuse_impossible_inputs():
    with pytest.raises(ValueError):
        rules.percentage(3, 2)


@given(st.fixed_dictionaries({code: st.integers(0, 10**6) for code in rules.OUTCOME_COLUMNS}))
def test_rate_matches_exact_fraction(counts):
    from fractions import Fraction

    rate = rules.conviction_rate(counts)
    total = sum(counts.values())
    if total == 0:
        assert rate is None
        return
    exact = Fraction(rules.convictions(counts) * 100, total)
    tenths = int(exact * 10 + Fraction(1, 2))  # floor(x + 1/2) = half-up for non-negatives
    assert rate == f"{tenths // 10}.{tenths % 10}"
    assert 0 <= float(rate) <= 100
