"""GET /api/v1/reports/*: exactly the figures the web page and downloads show."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.extensions import db
from tests.integration.api.conftest import Api
from tests.integration.reports.test_report_pages import ARGS, EXPECTED, figures  # noqa: F401

D = dt.date
ROW_KEYS = ["period", "guilty_plea", "convicted_after_trial", "proved_in_absence",
            "acquitted_after_trial", "directed_acquittal", "discontinued",
            "administratively_finalised", "convictions", "finalised", "conviction_rate"]


@pytest.fixture
def api(client, users):
    db.session.commit()
    return Api(client, users)


def _as_strings(row):
    return [str(row[k]) for k in ROW_KEYS]


def test_conviction_rate_rows_match_the_csv(figures, api, users, as_user):  # noqa: F811
    response = api.get(f"/api/v1/reports/conviction-rate?{ARGS}", user=users.analyst)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert all(set(r) == set(ROW_KEYS) for r in body["rows"]) and set(body["total"]) == set(ROW_KEYS)
    api_rows = [_as_strings(r) for r in body["rows"]] + [_as_strings(body["total"])]
    api_rows[-1][0] = "Total"
    assert api_rows == EXPECTED
    assert body["trial_conviction_rate"][-1] == {"period": "Total", "convicted_after_trial": 1,
                                                 "trials": 3, "trial_conviction_rate": "33.3"}
    csv_text = as_user(users.analyst).get(
        f"/reports/conviction-rate/download.csv?{ARGS}").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert all(r in rows for r in api_rows)
    events = db.session.execute(sa.select(AuditEvent).where(AuditEvent.action == "disclose")).scalars()
    assert any("through the API" in e.summary for e in events)


def test_empty_period_has_null_rate(api, users):
    body = api.get("/api/v1/reports/conviction-rate?from=2001-04-01&to=2001-04-30",
                   user=users.analyst).get_json()
    assert body["rows"] == [{**dict.fromkeys(ROW_KEYS, 0), "period": "2001-04", "conviction_rate": None}]
    assert body["total"]["conviction_rate"] is None


def test_labels_for_each_grouping(figures, api, users):  # noqa: F811
    def labels(group):
        body = api.get(f"/api/v1/reports/conviction-rate?from=2026-03-01&to=2026-10-31&group={group}",
                       user=users.admin).get_json()
        return [r["period"] for r in body["rows"]]

    assert labels("month")[:2] == ["2026-03", "2026-04"] and labels("month")[-1] == "2026-10"
    assert labels("quarter") == ["2025-26 Q4", "2026-27 Q1", "2026-27 Q2", "2026-27 Q3"]
    assert labels("financial_year") == ["2025-26", "2026-27"]


def test_scoped_user_cannot_ask_for_another_unit(figures, api, users):  # noqa: F811
    response = api.get(f"/api/v1/reports/conviction-rate?{ARGS}&unit=london_north", user=users.analyst)
    assert response.status_code == 422
    assert response.get_json() == {"errors": {"unit": ["Choose one of your units"]}}
    body = api.get(f"/api/v1/reports/conviction-rate?{ARGS}", user=users.other_lawyer).get_json()
    assert body["total"]["finalised"] == 1  # only london_north's defendant


def test_bad_parameters_are_422(api, users):
    response = api.get("/api/v1/reports/confiscation?from=yesterday&group=week", user=users.analyst)
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"from", "group"}


def test_no_token_is_401(api):
    assert api.call("GET", "/api/v1/reports/ancillary-orders").status_code == 401


@pytest.mark.parametrize("path", ["confiscation", "ancillary-orders"])
def test_other_reports(api, users, path):
    response = api.get(f"/api/v1/reports/{path}?{ARGS}", user=users.offender_manager)
    assert response.status_code == 200
    body = response.get_json()
    assert [r["period"] for r in body["rows"]] == ["2025-26 Q4", "2026-27 Q1", "2026-27 Q2"]
    if path == "confiscation":
        assert body["total"]["value_made"] == "0.00" and body["compensation"]["paid"] == "0.00"
    else:
        assert body["total"]["by_type"]["scpo"] == 0 and body["next_quarter"] == "2026-27 Q3"
