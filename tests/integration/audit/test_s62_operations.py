"""DPA 2018 s.62: every operation on personal data the app performs writes EXACTLY ONE audit row
of the right kind: collection, alteration, consultation and disclosure (exports), each driven
through the real route (web page or API) and counted before and after.

Combination and erasure: Casework has no operation that joins personal data from separate
systems, and no path that deletes personal data (records are kept; an order is discharged, a
payment reversed, both alterations), so neither action is ever written; the test proves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.audit.service import verify_chain
from casework.extensions import db
from tests.integration.api.conftest import api  # noqa: F401  (fixture)
from tests.integration.api.helpers import charge, make_case, make_defendant

REPORT_ARGS = "from=2026-01-01&to=2026-09-30&group=quarter"


@dataclass
class Row:
    label: str
    action: str
    object_type: str
    rows: int
    derived: tuple[tuple[str, str], ...] = ()


class Ledger:
    """Counts the audit rows each operation writes."""

    def __init__(self) -> None:
        self.table: list[Row] = []

    def last_id(self) -> int:
        return db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(AuditEvent.id), 0))) or 0

    def run(self, label: str, action: str, object_type: str, call: Any, status: int = 200,
            derived: tuple[tuple[str, str], ...] = ()) -> Any:
        """``derived``: rows for OTHER records the rules change as a consequence (the first
        charge moves the case out of pre-charge: the case's stage is altered)."""
        before = self.last_id()
        response = call()
        assert response.status_code == status, (label, response.status_code, response.get_data()[:300])
        new = db.session.execute(sa.select(AuditEvent).where(AuditEvent.id > before)
                                 .order_by(AuditEvent.id)).scalars().all()
        kinds = [(str(e.action), e.object_type) for e in new]
        assert kinds == [(action, object_type), *derived], f"{label}: wrote {kinds}"
        self.table.append(Row(label, action, object_type, kinds.count((action, object_type)), derived))
        return response

    def print(self) -> None:
        width = max(len(r.label) for r in self.table)
        derived = sum(len(r.derived) for r in self.table)
        print(f"\n[audit] s.62 operations: {len(self.table)} driven, {sum(r.rows for r in self.table)} "
              f"rows, exactly one each (+{derived} derived case-stage rows)")
        for r in self.table:
            extra = "".join(f" + 1 {a} {t} (derived)" for a, t in r.derived)
            print(f"[audit]   {r.label:<{width}}  {r.action:<9} {r.object_type:<26} {r.rows} row{extra}")


def test_each_operation_writes_exactly_one_audit_row(api, client, users, as_user):  # noqa: F811
    lawyer = users.lawyer
    api.token(lawyer)  # issuing the token is itself audited: keep it out of the counts
    log = Ledger()
    j = lambda response: response.get_json()  # noqa: E731

    # Collection
    case = j(log.run("API: open a case", "collect", "case", lambda: api.post("/api/v1/cases", {
        "urn": "01AU0000001", "name": "Operation Ledger", "unit": "ocd", "crime_type": "drugs",
        "received_on": "2026-01-05"}), 201))
    d = j(log.run("API: add a defendant", "collect", "defendant", lambda: api.post(
        f"/api/v1/cases/{case['id']}/defendants",
        {"surname": "Audit", "forenames": "Ada", "date_of_birth": "1980-02-03"}), 201))
    log.run("API: charge the defendant", "collect", "charge", lambda: api.post(
        f"/api/v1/defendants/{d['id']}/charges", {
            "offence": "Conspiracy to supply a controlled drug of class A",
            "statute": "Criminal Law Act 1977", "section": "s.1", "charged_on": "2026-01-10",
            "category": "drugs_offences"}), 201, derived=(("alter", "case"),))
    log.run("API: a second charge", "collect", "charge", lambda: api.post(
        f"/api/v1/defendants/{d['id']}/charges", {
            "offence": "Possession of criminal property", "statute": "Proceeds of Crime Act 2002",
            "section": "s.329", "charged_on": "2026-01-11", "category": "all_other_offences"}), 201)

    # Alteration
    log.run("API: record the outcome", "alter", "defendant", lambda: api.put(
        f"/api/v1/defendants/{d['id']}/outcome", {"outcome": "guilty_plea", "finalised_on": "2026-02-01"}),
        derived=(("alter", "case"),))

    order = j(log.run("API: make an ancillary order", "collect", "ancillary_order", lambda: api.post(
        f"/api/v1/defendants/{d['id']}/orders",
        {"type": "scpo", "made_on": "2026-03-02", "ends_on": "2028-03-02"}), 201))
    conf = j(log.run("API: make a confiscation order", "collect", "confiscation_order", lambda: api.post(
        f"/api/v1/defendants/{d['id']}/confiscation-orders",
        {"made_on": "2026-02-02", "benefit": "100000", "available_amount": "36500",
         "amount": "36500.00"}), 201))
    paid = j(log.run("API: record a payment", "collect", "confiscation_payment", lambda: api.post(
        f"/api/v1/confiscation-orders/{conf['id']}/payments",
        {"received_on": "2026-02-07", "amount": "100.00"}), 201))
    restraint = j(log.run("API: record a restraint order", "collect", "restraint_order", lambda: api.post(
        f"/api/v1/defendants/{d['id']}/restraint-orders",
        {"condition": "investigation", "applied_on": "2025-06-01", "made_on": "2025-06-02",
         "next_report_due_on": "2025-09-01"}), 201))
    log.run("API: set the confiscation timetable", "collect", "confiscation_proceeding", lambda: api.put(
        f"/api/v1/defendants/{d['id']}/confiscation-timetable",
        {"convicted_on": "2026-02-01", "asked_on": "2026-02-01"}))
    log.run("API: vary the order", "alter", "ancillary_order", lambda: api.post(
        f"/api/v1/orders/{order['id']}/variations",
        {"varied_on": "2026-04-01", "reason": "Renewal", "ends_on": "2029-03-02"}), 201)
    log.run("API: reverse the payment", "alter", "confiscation_payment", lambda: api.post(
        f"/api/v1/confiscation-orders/{conf['id']}/payments/{paid['id']}/reversal",
        {"reversed_on": "2026-02-08", "reason": "Bounced"}), 201)
    log.run("API: discharge the order", "alter", "ancillary_order", lambda: api.post(
        f"/api/v1/orders/{order['id']}/discharge", {"discharged_on": "2026-05-01", "reason": "Replaced"}))

    # Consultation: web pages and API reads of one person's or one case's records
    as_user(users.offender_manager)
    for label, object_type, path in (
            ("web: case page", "case", f"/cases/{case['id']}"),
            ("web: defendant page", "defendant", f"/defendants/{d['id']}"),
            ("web: defendant confiscation tab", "defendant", f"/defendants/{d['id']}/confiscation"),
            ("web: ancillary order page", "ancillary_order", f"/orders/{order['id']}"),
            ("web: confiscation order page", "confiscation_order", f"/confiscation-orders/{conf['id']}")):
        log.run(label, "consult", object_type, lambda path=path: client.get(path))
    for label, object_type, path in (
            ("API: read a case", "case", f"/api/v1/cases/{case['id']}"),
            ("API: read a defendant", "defendant", f"/api/v1/defendants/{d['id']}"),
            ("API: read an ancillary order", "ancillary_order", f"/api/v1/orders/{order['id']}"),
            ("API: read a confiscation order", "confiscation_order",
             f"/api/v1/confiscation-orders/{conf['id']}"),
            ("API: read a restraint order", "restraint_order", f"/api/v1/restraint-orders/{restraint['id']}"),
            ("API: read the confiscation timetable", "confiscation_proceeding",
             f"/api/v1/defendants/{d['id']}/confiscation-timetable")):
        log.run(label, "consult", object_type, lambda path=path: api.get(path))

    # Disclosure: every export format
    as_user(users.offender_manager)
    log.run("web: order register CSV", "disclose", "ancillary_order_register",
            lambda: client.get("/orders/export.csv"))
    log.run("web: confiscation CSV", "disclose", "confiscation_export",
            lambda: client.get("/confiscation/export.csv"))
    for fmt in ("csv", "xlsx", "pdf"):
        log.run(f"web: report download .{fmt}", "disclose", "report",
                lambda fmt=fmt: client.get(f"/reports/conviction-rate/download.{fmt}?{REPORT_ARGS}"))
    log.run("API: report", "disclose", "report",
            lambda: api.get(f"/api/v1/reports/conviction-rate?{REPORT_ARGS}"))

    log.print()
    written = db.session.execute(sa.select(AuditEvent.action).distinct()).scalars().all()
    assert {"combine", "erase"}.isdisjoint({str(a) for a in written})
    assert {r.action for r in log.table} == {"collect", "alter", "consult", "disclose"}
    addressed = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                  .where(AuditEvent.ip.is_not(None)))
    checked, problems = verify_chain()  # rows written in requests carry the address in the hash
    assert problems == [] and addressed >= len(log.table)
    print(f"[audit] chain over the rows written: {checked} checked ({addressed} with an address), intact")


def test_refused_and_missing_reads_write_no_consultation(api, client, users, as_user):  # noqa: F811
    """A 404 (another unit's record) is not a consultation, so it writes no row."""
    case = make_case(api)
    d = make_defendant(api, case["id"])
    charge(api, d["id"])
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                               .where(AuditEvent.action == "consult"))
    as_user(users.other_lawyer)
    for path in (f"/cases/{case['id']}", f"/defendants/{d['id']}", "/cases/999999"):
        assert client.get(path).status_code == 404
    assert api.get(f"/api/v1/cases/{case['id']}", user=users.other_lawyer).status_code == 404
    after = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action == "consult"))
    assert after == before
    print(f"\n[audit] refused reads: 4 tried, {after - before} consult rows")
