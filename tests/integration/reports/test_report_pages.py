"""The conviction-rate page and its downloads: the same figures in HTML, CSV, Excel and PDF."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from casework.audit.models import AuditEvent
from tests.integration.reports.conftest import finalise

D = dt.date
ARGS = "from=2026-03-01&to=2026-09-30&group=quarter"
EXPECTED = [  # period, GP, CAT, PIA, AAT, DA, DISC, ADMIN, convictions, finalised, rate
    ["2025-26 Q4", "1", "0", "0", "0", "0", "0", "0", "1", "1", "100.0"],
    ["2026-27 Q1", "0", "1", "1", "1", "1", "0", "0", "2", "4", "50.0"],
    ["2026-27 Q2", "0", "0", "0", "0", "0", "1", "1", "0", "2", "0.0"],
    ["Total", "1", "1", "1", "1", "1", "1", "1", "3", "7", "42.9"],
]


@pytest.fixture
def figures(session):
    from tests.integration.reports.test_conviction_queries import BOUNDARY

    for outcome, day in BOUNDARY:
        finalise(outcome, day)
    finalise("guilty_plea", D(2026, 5, 5), unit="london_north")  # never counted for OCD users


def _html_rows(html: str, table_id: str) -> list[list[str]]:
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    rows = []
    for tr in re.findall(r"<tr class=\"govuk-table__row[^\"]*\">(.*?)</tr>", table, re.S):
        raw = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in raw]
        if cells and cells[0] not in ("", "Period"):
            rows.append([c.replace(",", "").removesuffix("%").replace("–", "") for c in cells])
    return rows


def test_page_shows_figures_right_aligned(figures, users, as_user):
    client = as_user(users.analyst)
    response = client.get(f"/reports/conviction-rate?{ARGS}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _html_rows(html, "table-1") == EXPECTED
    assert "govuk-table__cell--numeric" in html and "govuk-table__header--numeric" in html
    assert 'aria-hidden="true"' in html and "<canvas" not in html and 'style="' not in html
    assert 'width="100"' in html  # 2025-26 Q4 bar at 100%
    assert _html_rows(html, "table-2")[-1] == ["Total", "1", "3", "33.3"]


def test_csv_excel_pdf_carry_the_same_figures(figures, users, as_user, session):
    client = as_user(users.analyst)
    got = {}
    for fmt in ("csv", "xlsx", "pdf"):
        response = client.get(f"/reports/conviction-rate/download.{fmt}?{ARGS}")
        assert response.status_code == 200, fmt
        assert "attachment" in response.headers["Content-Disposition"]
        got[fmt] = response.data
    rows = list(csv.reader(io.StringIO(got["csv"].decode("utf-8-sig"))))
    assert rows[0] == ["OFFICIAL-SENSITIVE"]
    start = rows.index(next(r for r in rows if r and r[0] == "2025-26 Q4"))
    assert rows[start:start + 4] == EXPECTED

    sheet = load_workbook(io.BytesIO(got["xlsx"])).worksheets[0]
    values = [[_xl(v, i == 10) for i, v in enumerate(row)]
              for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert values == EXPECTED

    reader = PdfReader(io.BytesIO(got["pdf"]))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "OFFICIAL-SENSITIVE" in reader.pages[0].extract_text()
    assert f"Page 1 of {len(reader.pages)}" in text
    for row in EXPECTED:
        line = " ".join(row[:-1]) + " " + row[-1] + "%"
        assert line in " ".join(text.split()), line

    events = session.execute(sa.select(AuditEvent).where(AuditEvent.action == "disclose")).scalars().all()
    assert len(events) == 3
    assert all(e.actor_id == users.analyst.id and e.object_type == "report" for e in events)
    assert {e.summary.rsplit(" ", 1)[-1] for e in events} == {"CSV", "Excel", "PDF"}


def _xl(value, is_rate):
    if value is None:
        return ""
    return f"{value:.1f}" if is_rate else str(value)


def test_admin_sees_every_unit(figures, users, as_user):
    html = as_user(users.admin).get(f"/reports/conviction-rate?{ARGS}").get_data(as_text=True)
    assert _html_rows(html, "table-1")[-1][9] == "8"


def test_other_unit_filter_is_refused_for_a_scoped_user(figures, users, as_user):
    client = as_user(users.analyst)
    response = client.get(f"/reports/conviction-rate?{ARGS}&unit=london_north")
    assert response.status_code == 400
    assert "Choose one of your units" in response.get_data(as_text=True)
    assert client.get(f"/reports/conviction-rate/download.csv?{ARGS}&unit=london_north").status_code == 400


def test_bad_dates_show_an_error_summary(users, as_user):
    response = as_user(users.analyst).get("/reports/conviction-rate?from=31/03/2026")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and 'href="#from"' in html
    assert "<title>Error: Conviction rate" in html


@pytest.mark.parametrize("role", ["analyst", "admin", "lawyer", "offender_manager"])
def test_every_role_may_read_reports(users, as_user, role):
    client = as_user(getattr(users, role))
    assert client.get("/reports").status_code == 200
    assert client.get("/reports/conviction-rate").status_code == 200


def test_unknown_report_or_format_is_404(users, as_user):
    client = as_user(users.analyst)
    assert client.get("/reports/nope").status_code == 404
    assert client.get("/reports/conviction-rate/download.exe").status_code == 404


def test_signed_out_users_are_sent_to_sign_in(client):
    assert client.get("/reports/conviction-rate").status_code in (302, 401)


@pytest.mark.parametrize("slug", ["confiscation", "ancillary-orders"])
def test_other_reports_render_in_every_format(users, as_user, slug):
    client = as_user(users.analyst)
    html = client.get(f"/reports/{slug}?{ARGS}").get_data(as_text=True)
    assert "govuk-table__cell--numeric" in html and "Download PDF" in html
    for fmt in ("csv", "xlsx", "pdf"):
        assert client.get(f"/reports/{slug}/download.{fmt}?{ARGS}").status_code == 200


def test_every_reports_route_needs_sign_in(app, client):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("reports.")]
    assert {r.endpoint for r in rules} >= {"reports.index", "reports.show", "reports.download",
                                           "reports.monthly_index", "reports.monthly_pdf",
                                           "reports.subscription"}
    values = {"slug": "conviction-rate", "fmt": "csv", "month": "2026-10"}
    for rule in rules:
        url = rule.build({k: values[k] for k in rule.arguments})[1]
        response = client.get(url) if "GET" in rule.methods else client.form(url, {})
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], url


def test_junk_filters_never_fail_with_a_5xx(users, as_user):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    client = as_user(users.lawyer)
    junk = st.one_of(st.text(max_size=30), st.sampled_from(["2026-02-30", "9999-12-31", "0001-01-01",
                                                            "=1+1", "quarter", "\x00"]))

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(start=junk, end=junk, group=junk, unit=junk, quarter=junk)
    def check(start, end, group, unit, quarter):
        for slug in ("conviction-rate", "quarterly-review"):
            response = client.get(f"/reports/{slug}", query_string={
                "from": start, "to": end, "group": group, "unit": unit, "quarter": quarter})
            assert response.status_code in (200, 400), (slug, response.status_code)

    check()


@pytest.mark.parametrize("slug", ["conviction-rate", "confiscation", "ancillary-orders", "quarterly-review"])
def test_page_query_count_does_not_grow_with_rows(users, as_user, slug):
    from tests.integration.reports.conftest import count_queries
    from tests.integration.reports.test_conviction_queries import _bulk_defendants

    client = as_user(users.admin)
    url = f"/reports/{slug}?from=2024-04-01&to=2026-03-31&group=month"
    client.get(url)  # warm-up (first-request set-up)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _bulk_defendants(300, D(2024, 4, 1))
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(few) == len(many) < 30, (len(few), len(many))
