"""Outcome categories, principal offence, stage derivation and record formats (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from casework.cases import rules
from casework.cases.rules import (
    CONVICTION_OUTCOMES,
    CaseStage,
    DefendantState,
    OffenceCategory,
    Outcome,
)

TODAY = dt.date(2026, 3, 10)


def test_outcome_codes_are_exactly_the_published_api_values():
    assert [o.value for o in Outcome] == [
        "guilty_plea", "convicted_after_trial", "proved_in_absence", "acquitted_after_trial",
        "directed_acquittal", "discontinued", "administratively_finalised"]


def test_convictions_are_pleas_trials_and_proofs_in_absence_only():
    expected = {Outcome.GUILTY_PLEA, Outcome.CONVICTED_AFTER_TRIAL, Outcome.PROVED_IN_ABSENCE}
    assert expected == CONVICTION_OUTCOMES
    assert not Outcome.DIRECTED_ACQUITTAL.is_conviction
    assert not Outcome.ADMINISTRATIVELY_FINALISED.is_conviction


def test_every_outcome_has_a_plain_label_and_a_hint():
    for outcome in Outcome:
        assert outcome.label and outcome.hint.endswith(".")
    assert Outcome.DISCONTINUED.label == "Prosecution dropped"
    assert "lie on file" in Outcome.DISCONTINUED.hint


def test_twelve_principal_offence_categories():
    assert len(OffenceCategory) == 12
    assert OffenceCategory.ALL_OTHER.label == "All other offences (excluding motoring)"


def test_principal_offence_is_the_most_serious_charge():
    assert rules.principal_offence([OffenceCategory.MOTORING, OffenceCategory.DRUGS,
                                    OffenceCategory.HOMICIDE]) == OffenceCategory.HOMICIDE
    assert rules.principal_offence([OffenceCategory.DRUGS]) == OffenceCategory.DRUGS
    assert rules.principal_offence([]) is None


def _s(charged=True, outcome=None, sentenced=False):
    return DefendantState(charged, outcome, sentenced)


@pytest.mark.parametrize(("states", "trial", "stage"), [
    ([], False, CaseStage.PRE_CHARGE),
    ([_s(charged=False)], True, CaseStage.PRE_CHARGE),
    ([_s(), _s(charged=False)], False, CaseStage.CHARGED),
    ([_s(), _s(outcome=Outcome.GUILTY_PLEA)], True, CaseStage.TRIAL),
    ([_s(outcome=Outcome.GUILTY_PLEA), _s(outcome=Outcome.DISCONTINUED)], False,
     CaseStage.AWAITING_SENTENCE),
    ([_s(outcome=Outcome.GUILTY_PLEA, sentenced=True), _s(outcome=Outcome.DISCONTINUED)], True,
     CaseStage.SENTENCED),
    ([_s(outcome=Outcome.ACQUITTED_AFTER_TRIAL), _s(outcome=Outcome.DISCONTINUED)], True,
     CaseStage.FINALISED),
])
def test_stage_follows_the_defendants(states, trial, stage):
    assert rules.derive_stage(states, trial_listed=trial) == stage


@pytest.mark.parametrize(("raw", "normal", "ok"), [
    ("98/123456X", "98/123456X", True),
    ("2001/0012345a", "2001/12345A", True),
    (" 98 / 1X ", "98/1X", True),
    ("98123456X", "98123456X", False),
    ("98/12345678X", "98/12345678X", False),
    ("98/123456", "98/123456", False),
    ("", None, True),
])
def test_pnc_format(raw, normal, ok):
    assert rules.normalise_pnc(raw) == normal
    assert (rules.pnc_problem(raw) is None) is ok


def test_urn_format():
    assert rules.normalise_urn(" 01 ye 12345 24 ") == "01YE1234524"
    assert rules.urn_problem("01YE1234524") is None
    assert rules.urn_problem("") == "Enter the unique reference number (URN)"
    assert rules.urn_problem("ab") is not None
    assert rules.urn_problem("01YE<script>") is not None


def test_outcome_date_cannot_precede_the_charge_or_be_in_the_future():
    charged = dt.date(2025, 5, 1)
    assert rules.outcome_date_problem(charged, first_charged_on=charged, today=TODAY) is None
    assert "on or after the date charged" in rules.outcome_date_problem(
        dt.date(2025, 4, 30), first_charged_on=charged, today=TODAY)
    assert "today or in the past" in rules.outcome_date_problem(
        TODAY + dt.timedelta(days=1), first_charged_on=charged, today=TODAY)
    assert rules.outcome_date_problem(TODAY, first_charged_on=charged, today=TODAY) is None


def _sentence(**kw):
    values = {"sentenced_on": dt.date(2025, 9, 1), "finalised_on": dt.date(2025, 9, 1),
              "outcome": Outcome.GUILTY_PLEA, "custody_months": 96,
              "release_on": dt.date(2029, 9, 1), "release_is_actual": False, "today": TODAY}
    values.update(kw)
    return rules.sentence_problems(**values)


def test_sentence_checks():
    assert _sentence() == {}
    assert "conviction" in _sentence(outcome=Outcome.ACQUITTED_AFTER_TRIAL)["sentenced_on"]
    assert "conviction" in _sentence(outcome=None)["sentenced_on"]
    assert "after the outcome date" in _sentence(sentenced_on=dt.date(2025, 8, 31))["sentenced_on"]
    assert "past" in _sentence(sentenced_on=TODAY + dt.timedelta(days=1),
                               finalised_on=TODAY)["sentenced_on"]
    assert "between 1 and 1200" in _sentence(custody_months=0)["custody_months"]
    assert "on or after the date of sentence" in _sentence(release_on=dt.date(2025, 1, 1))["release_on"]
    assert "actual release" in _sentence(release_is_actual=True)["release_on"]
    assert _sentence(release_is_actual=True, release_on=dt.date(2026, 1, 1)) == {}


def test_agency_labels():
    assert rules.agency_label("hmrc") == "HM Revenue and Customs"
    assert rules.agency_label("immigration_enforcement") == "Home Office Immigration Enforcement"
    assert rules.agency_label(None) == ""
    assert rules.agency_label("legacy text") == "legacy text"
