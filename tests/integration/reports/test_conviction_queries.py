"""Conviction-rate figures from hand-built defendants at period boundaries (DOMAIN.md 3.2)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from casework.cases.models import Case, Defendant
from casework.core.validation import ValidationError
from casework.reports import queries
from casework.reports.filters import ReportFilters, parse_filters
from casework.reports.periods import Grouping
from casework.units import queries as unit_queries
from tests import factories
from tests.integration.reports.conftest import count_queries, finalise

D = dt.date

BOUNDARY = [  # one defendant per outcome, each on a period boundary
    ("guilty_plea", D(2026, 3, 31)),
    ("convicted_after_trial", D(2026, 4, 1)),
    ("proved_in_absence", D(2026, 4, 30)),
    ("acquitted_after_trial", D(2026, 5, 1)),
    ("directed_acquittal", D(2026, 6, 30)),
    ("discontinued", D(2026, 7, 1)),
    ("administratively_finalised", D(2026, 9, 30)),
]


@pytest.fixture
def boundary_defendants(session):
    return [finalise(outcome, day) for outcome, day in BOUNDARY]


def _filters(first, last, grouping=Grouping.MONTH, **kw):
    return ReportFilters(first, last, grouping, **kw)


def test_each_outcome_lands_in_the_month_containing_its_finalisation(boundary_defendants):
    report = queries.conviction_report(_filters(D(2026, 3, 1), D(2026, 9, 30)))
    by = {r.period: r for r in report.rows}
    assert list(by) == ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09"]
    assert by["2026-03"].count("guilty_plea") == 1 and by["2026-03"].finalised == 1
    assert by["2026-04"].count("convicted_after_trial") == 1
    assert by["2026-04"].count("proved_in_absence") == 1
    assert by["2026-04"].conviction_rate == "100.0"
    assert by["2026-05"].as_api()["acquitted_after_trial"] == 1
    assert by["2026-05"].conviction_rate == "0.0"
    assert by["2026-06"].count("directed_acquittal") == 1
    assert by["2026-07"].count("discontinued") == 1
    assert by["2026-08"].finalised == 0 and by["2026-08"].conviction_rate is None
    assert by["2026-09"].count("administratively_finalised") == 1
    total = report.total
    assert (total.convictions, total.finalised, total.conviction_rate) == (3, 7, "42.9")
    assert total.trial_conviction_rate == "33.3"  # CAT 1 / (CAT 1 + AAT 1 + DA 1)


def test_financial_year_boundary_31_march_1_april(boundary_defendants):
    report = queries.conviction_report(_filters(D(2025, 4, 1), D(2027, 3, 31),
                                                Grouping.FINANCIAL_YEAR))
    by = {r.period: r for r in report.rows}
    assert list(by) == ["2025-26", "2026-27"]
    assert by["2025-26"].as_api() == {
        "period": "2025-26", "guilty_plea": 1, "convicted_after_trial": 0, "proved_in_absence": 0,
        "acquitted_after_trial": 0, "directed_acquittal": 0, "discontinued": 0,
        "administratively_finalised": 0, "convictions": 1, "finalised": 1, "conviction_rate": "100.0"}
    assert (by["2026-27"].convictions, by["2026-27"].finalised) == (2, 6)
    assert by["2026-27"].conviction_rate == "33.3"


def test_financial_quarters(boundary_defendants):
    report = queries.conviction_report(_filters(D(2026, 1, 1), D(2026, 9, 30), Grouping.QUARTER))
    assert [(r.period, r.finalised, r.convictions) for r in report.rows] == [
        ("2025-26 Q4", 1, 1), ("2026-27 Q1", 4, 2), ("2026-27 Q2", 2, 0)]


def test_range_ends_are_inclusive_and_exclusive_outside(boundary_defendants):
    report = queries.conviction_report(_filters(D(2026, 4, 1), D(2026, 6, 30)))
    assert report.total.finalised == 4  # not 31 March, not 1 July
    assert report.total.count("guilty_plea") == 0


def test_principal_offence_breakdown(session):
    finalise("guilty_plea", D(2026, 5, 5), category="fraud_and_forgery")
    finalise("acquitted_after_trial", D(2026, 5, 6), category="fraud_and_forgery")
    finalise("guilty_plea", D(2026, 5, 7), category="drugs_offences")
    finalise("administratively_finalised", D(2026, 5, 8))
    report = queries.conviction_report(_filters(D(2026, 5, 1), D(2026, 5, 31)))
    rows = [(r.period, r.finalised, r.conviction_rate) for r in report.by_offence]
    assert rows == [("Fraud and forgery", 2, "50.0"), ("Drugs offences", 1, "100.0"),
                    (queries.NO_PRINCIPAL_OFFENCE, 1, "0.0")]
    assert sum(r.finalised for r in report.by_offence) == report.total.finalised


def test_unfinalised_defendants_are_not_counted(session):
    factories.defendant(charged_on=D(2026, 1, 5))
    report = queries.conviction_report(_filters(D(2000, 1, 1), D(2026, 11, 1), Grouping.FINANCIAL_YEAR))
    assert report.total.finalised == 0 and report.total.conviction_rate is None


def _parse(args, user):
    from casework.cases.queries import unit_scope

    return parse_filters(args, today=D(2026, 11, 20), unit_scope=unit_scope(user),
                         units=unit_queries.all_units(), crime_types=unit_queries.all_crime_types())


def test_unit_scoped_user_never_counts_another_units_defendants(users):
    finalise("guilty_plea", D(2026, 5, 5), unit="ocd")
    finalise("discontinued", D(2026, 5, 5), unit="london_north")
    finalise("discontinued", D(2026, 5, 6), unit="london_north", crime="fraud")
    args = {"from": "2026-05-01", "to": "2026-05-31"}
    assert queries.conviction_report(_parse(args, users.analyst)).total.finalised == 1
    assert queries.conviction_report(_parse(args, users.other_lawyer)).total.finalised == 2
    assert queries.conviction_report(_parse(args, users.admin)).total.finalised == 3
    admin_ln = _parse({**args, "unit": "london_north", "crime_type": "fraud"}, users.admin)
    assert queries.conviction_report(admin_ln).total.finalised == 1
    with pytest.raises(ValidationError) as err:
        _parse({**args, "unit": "london_north"}, users.analyst)
    assert err.value.errors == {"unit": ["Choose one of your units"]}


def test_bad_filters_name_each_parameter(users):
    with pytest.raises(ValidationError) as err:
        _parse({"from": "2026-13-01", "to": "x", "group": "week", "crime_type": "nope"}, users.admin)
    assert set(err.value.errors) == {"from", "to", "group", "crime_type"}
    with pytest.raises(ValidationError, match="end date must be"):
        _parse({"from": "2026-05-01", "to": "2026-04-01"}, users.admin)


def _bulk_defendants(n: int, start: D) -> None:
    """Many finalised defendants inserted directly (the query count must not depend on n)."""
    from casework.cases.rules import OffenceCategory, Outcome

    case = factories.case("ocd")
    outcomes, cats = list(Outcome), list(OffenceCategory)
    factories.db.session.execute(sa.insert(Defendant), [
        {"case_id": case.id, "surname": f"Bulk{i}", "forenames": "Test", "version": 1,
         "outcome": outcomes[i % 7], "finalised_on": start + dt.timedelta(days=i % 700),
         "principal_offence": None if outcomes[i % 7] == Outcome.ADMINISTRATIVELY_FINALISED
         else cats[i % len(cats)], "release_is_actual": False}
        for i in range(n)])


@pytest.mark.parametrize("grouping", list(Grouping))
def test_fixed_number_of_queries_regardless_of_rows(session, grouping):
    filters = _filters(D(2024, 4, 1), D(2026, 3, 31), grouping)
    _bulk_defendants(5, D(2024, 4, 1))
    with count_queries() as few:
        small = queries.conviction_report(filters)
    _bulk_defendants(700, D(2024, 4, 1))
    with count_queries() as many:
        big = queries.conviction_report(filters)
    assert len(few) == len(many) == 2
    assert big.total.finalised == small.total.finalised + 700 == 705
    assert session.execute(sa.select(sa.func.count()).select_from(Defendant).join(Case)
                           ).scalar_one() >= 705
