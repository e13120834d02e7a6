"""The quarterly performance review: three measures, by crime type and unit, with changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from casework.reports import documents, review
from casework.reports.filters import ReportFilters
from casework.reports.periods import Grouping
from tests import factories
from tests.integration.reports.conftest import count_queries, finalise

D = dt.date


def _filters(quarter_end, **kw):
    return ReportFilters(quarter_end.replace(day=1), quarter_end, Grouping.QUARTER, **kw)


@pytest.fixture
def quarters(session):
    # 2026-27 Q2 (July-September 2026): 3 finalised, 2 convictions (drugs); 1 fraud in london_north
    finalise("guilty_plea", D(2026, 7, 1))
    finalise("convicted_after_trial", D(2026, 9, 30))
    finalise("discontinued", D(2026, 8, 15))
    finalise("guilty_plea", D(2026, 8, 1), unit="london_north", crime="fraud")
    # previous quarter 2026-27 Q1: 1 of 2
    finalise("guilty_plea", D(2026, 6, 30))
    finalise("acquitted_after_trial", D(2026, 4, 1))
    # a year earlier 2025-26 Q2: 1 of 1
    finalise("proved_in_absence", D(2025, 9, 30))
    # outside the three quarters
    finalise("guilty_plea", D(2026, 3, 31))
    defendant = finalise("guilty_plea", D(2026, 5, 1))
    factories.confiscation_order(defendant, made_on=D(2026, 7, 2), amount="1000.00")
    factories.order(defendant, type="scpo", made_on=D(2026, 9, 1))


def test_review_figures_and_changes(quarters, users):
    result = review.quarterly_review(_filters(D(2026, 9, 30), unit_ids=tuple(users.analyst.unit_ids)))
    assert (result.quarter.label, result.previous.label, result.year_earlier.label) == (
        "2026-27 Q2", "2026-27 Q1", "2025-26 Q2")
    now, before, then = result.overall.current, result.overall.previous, result.overall.year_earlier
    assert (now.finalised, now.convictions, now.conviction_rate) == (3, 2, "66.7")
    assert (before.finalised, before.conviction_rate) == (3, "66.7")  # 30 June, 1 April, 1 May
    assert (then.finalised, then.conviction_rate) == (1, "100.0")
    assert now.trial_conviction_rate == "100.0" and before.trial_conviction_rate == "0.0"
    assert (now.confiscation_orders, now.confiscation_value, now.ancillary_orders) == (
        1, Decimal("1000.00"), 1)
    assert [line.label for line in result.by_unit] == ["Organised Crime Division"] or all(
        "London" not in line.label for line in result.by_unit)
    drugs = next(line for line in result.by_crime_type if line.label.lower().startswith("drugs"))
    assert drugs.current.finalised == 3
    doc = documents.review_document(result)
    summary = {row[0]: row for row in doc.tables[0].rows}
    assert summary["Conviction rate (%)"] == ["Conviction rate (%)", "66.7", "66.7", "0.0", "100.0", "-33.3"]
    assert summary["Defendants finalised"][1:] == [3, 3, "0", 1, "+2"]
    assert summary["Value of confiscation orders made (£)"][3] == "+1000.00"


def test_admin_review_includes_every_unit(quarters):
    result = review.quarterly_review(_filters(D(2026, 9, 30)))
    assert result.overall.current.finalised == 4
    assert len(result.by_unit) == 2


def test_review_is_a_fixed_number_of_queries(quarters):
    with count_queries() as few:
        review.quarterly_review(_filters(D(2026, 9, 30)))
    for day in (1, 2, 3, 4, 5):
        finalise("guilty_plea", D(2026, 7, day), unit="sfd", crime="firearms")
    with count_queries() as many:
        review.quarterly_review(_filters(D(2026, 9, 30)))
    assert len(few) == len(many) <= 15


def test_review_page_and_downloads(quarters, users, as_user):
    client = as_user(users.analyst)
    html = client.get("/reports/quarterly-review?quarter=2026-27+Q2").get_data(as_text=True)
    assert "2026-27 Q2" in html and "Change on 2025-26 Q2" in html
    assert 'value="2026-27 Q2" selected' in html
    response = client.get("/reports/quarterly-review/download.csv?from=2026-07-01&to=2026-09-30")
    body = response.data.decode("utf-8-sig")
    assert "Conviction rate (%),66.7,66.7,0.0,100.0,-33.3" in body
    assert client.get("/reports/quarterly-review?quarter=2026-27+Q9").status_code == 400
