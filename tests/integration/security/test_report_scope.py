"""Reports, exports, lists and search never count another unit's rows for a unit-scoped user.

Every figure a signed-in OCD user can read (report pages, CSV, Excel and PDF downloads, the
monthly PDF, the order and confiscation CSV exports, lists, search and the JSON API) is read,
then London North gains a convicted defendant, an ancillary order with a breach, a confiscation
order with a payment, a restraint order and an alert inside every report's period; each is read
again and must be unchanged, while a London North lawyer's copy must change (so the seeded rows
really fall inside what is read).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from pypdf import PdfReader

from casework.auth.service import issue_token
from casework.cases import hearings
from casework.confiscation import restraint as restraint_service
from casework.confiscation import service as confiscation_service
from casework.core import clock
from casework.extensions import db
from casework.orders import monitoring
from casework.reports import monthly
from casework.reports.periods import parse_month
from tests import factories
from tests.conftest import sign_in_as
from tests.integration.security.policy import POLICY
from tests.integration.security.world import TODAY, add_alert

D = dt.date
ARGS = "from=2026-01-01&to=2026-03-31&group=month"
REPORTS = ("conviction-rate", "confiscation", "ancillary-orders")
URLS = [
    *(f"/reports/{slug}?{ARGS}" for slug in REPORTS),
    "/reports/quarterly-review?quarter=2025-26+Q4",
    *(f"/reports/{slug}/download.{fmt}?{ARGS}" for slug in REPORTS for fmt in ("csv", "xlsx", "pdf")),
    *(f"/reports/quarterly-review/download.{fmt}?quarter=2025-26+Q4" for fmt in ("csv", "xlsx", "pdf")),
    "/reports/monthly/2026-02",
    "/orders/export.csv", "/confiscation/export.csv",
    "/orders", "/confiscation", "/cases", "/cases?q=Seeded", "/alerts?scope=unit",
    *(f"/api/v1/reports/{slug}?{ARGS}" for slug in REPORTS),
    "/api/v1/cases", "/api/v1/cases?q=Seeded", "/api/v1/orders", "/api/v1/confiscation-orders",
    "/api/v1/alerts",
]


def seed(code: str, actor: Any) -> None:
    """Rows inside February 2026, the report period and the 2025-26 Q4 review."""
    case = factories.case(code, name="Operation Seeded", received_on=D(2025, 6, 2), actor=actor)
    defendant = factories.convicted_defendant(case, charged_on=D(2025, 7, 1),
                                              finalised_on=D(2026, 2, 10), actor=actor)
    hearings.record_hearing(case, court="Southwark Crown Court", hearing_on=D(2026, 3, 12),
                            kind="mention", actor=actor)
    order = factories.order(defendant, made_on=D(2026, 2, 12), actor=actor)
    monitoring.record_breach(order, occurred_on=D(2026, 2, 20), description="Seeded breach",
                             actor=actor, today=TODAY)
    conf = factories.confiscation_order(defendant, made_on=D(2026, 2, 12), amount="77777.77",
                                        actor=actor)
    confiscation_service.record_payment(conf, received_on=D(2026, 2, 20),
                                        amount=Decimal("1234.56"), actor=actor)
    restraint_service.record_restraint(defendant, condition="proceedings",
                                       applied_on=D(2026, 2, 1), made_on=D(2026, 2, 3), actor=actor)
    add_alert(case, order.id, f"seeded:{code}")
    db.session.commit()


def _normalise(url: str, response: Any) -> Any:
    assert response.status_code == 200, (url, response.status_code)
    body = response.data
    if ".csv" in url:
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    if ".xlsx" in url:
        book = load_workbook(io.BytesIO(body), read_only=True)
        return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book]
    if ".pdf" in url or "/monthly/" in url:
        return [page.extract_text() for page in PdfReader(io.BytesIO(body)).pages]
    if url.startswith("/api/"):
        return response.get_json()
    html = body.decode()
    html = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r'(nonce|value)="[^"]*"', "", html)  # per-request CSRF tokens and nonces


class Reader:
    def __init__(self, app: Any, user: Any) -> None:
        self.user = user
        self.client = app.test_client()
        sign_in_as(self.client, user)
        self.token = issue_token(user)
        db.session.commit()

    def may_read(self, app: Any, url: str) -> bool:
        endpoint, _ = app.url_map.bind("localhost").match(url.split("?")[0])
        return str(self.user.role) in POLICY[endpoint].roles

    def read(self, url: str) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if url.startswith("/api/") else {}
        return _normalise(url, self.client.get(url, headers=headers))


def test_a_unit_scoped_user_never_sees_another_units_rows(app, client, users):
    with clock.frozen(TODAY):
        seed("ocd", users.lawyer)
        monthly.generate(parse_month("2026-02"), trigger="manual")
        db.session.commit()
        scoped = [Reader(app, u) for u in (users.lawyer, users.offender_manager, users.analyst)]
        other = Reader(app, users.other_lawyer)
        cells = [(r, url) for r in scoped for url in URLS if r.may_read(app, url)]
        before = {(r.user.id, url): r.read(url) for r, url in cells}
        other_before = {url: other.read(url) for url in URLS}
        seed("london_north", users.other_lawyer)
        leaked = [(str(r.user.role), url) for r, url in cells
                  if r.read(url) != before[(r.user.id, url)]]
        unseen = [url for url in URLS if other.read(url) == other_before[url]]
    formats = {fmt: sum(1 for _, url in cells if fmt in url) for fmt in (".csv", ".xlsx", ".pdf")}
    print(f"\n[access] unit scope: {len(cells)} reads by 3 OCD roles of {len(URLS)} reports, "
          f"exports, lists and API answers ({formats}), {len(leaked)} changed by London North's "
          f"rows; {len(URLS) - len(unseen)}/{len(URLS)} changed for London North's own lawyer")
    assert leaked == []
    assert unseen == []
