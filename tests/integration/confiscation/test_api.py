"""The confiscation endpoints as API.md describes them: default terms, balances as of a day with
interest, idempotent payments, statutory 422s, scoping and roles."""

from __future__ import annotations

from tests.integration.api.conftest import api  # noqa: F401  (fixture)
from tests.integration.api.helpers import convicted_defendant

ORDER = {"made_on": "2026-02-02", "benefit": "100000", "available_amount": 36500, "amount": "36500.00"}


def _order(api, defendant_id, user=None, **body):  # noqa: F811
    return api.post(f"/api/v1/defendants/{defendant_id}/confiscation-orders", {**ORDER, **body}, user=user)


def test_order_has_the_band_default_term_and_a_balance(api, users):  # noqa: F811
    d = convicted_defendant(api)
    response = _order(api, d["id"])
    assert response.status_code == 201, response.get_json()
    order = response.get_json()
    assert order["default_term_months"] == 60 and order["amount"] == "36500.00"
    assert order["due_on"] == "2026-02-02" and {"id", "version"} <= set(order)
    got = api.get(f"/api/v1/confiscation-orders/{order['id']}?as_of=2026-02-12").get_json()
    assert (got["paid"], got["interest"], got["outstanding"]) == ("0.00", "80.00", "36580.00")
    defendant = api.get(f"/api/v1/defendants/{d['id']}").get_json()
    assert [o["id"] for o in defendant["confiscation"]] == [order["id"]]


def test_band_boundaries_through_the_api(api):  # noqa: F811
    d = convicted_defendant(api)
    for amount, months in (("10000.00", 6), ("10000.01", 60), ("500000.00", 60), ("500000.01", 84),
                           ("1000000.00", 84), ("1000000.01", 168)):
        body = _order(api, d["id"], amount=amount, benefit=amount, available_amount=amount).get_json()
        assert body["default_term_months"] == months, amount


def test_payment_replay_returns_the_first_payment(api):  # noqa: F811
    d = convicted_defendant(api)
    order = _order(api, d["id"]).get_json()
    url = f"/api/v1/confiscation-orders/{order['id']}/payments"
    body = {"received_on": "2026-02-07", "amount": "18250.00"}
    first = api.post(url, body, headers={"Idempotency-Key": "pay-1"})
    again = api.post(url, body, headers={"Idempotency-Key": "pay-1"})
    assert first.status_code == 201 and again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.get_json()["id"] == again.get_json()["id"]
    assert len(api.get(url).get_json()["items"]) == 1
    clash = api.post(url, {**body, "amount": "1.00"}, headers={"Idempotency-Key": "pay-1"})
    assert clash.status_code == 422 and "idempotency_key" in clash.get_json()["errors"]
    balance = api.get(f"/api/v1/confiscation-orders/{order['id']}?as_of=2026-02-12").get_json()
    # due 2 Feb; 3-6 Feb on £36,500 at £8/day = £32; 7-12 Feb on £18,250 at £4/day = £24
    assert (balance["paid"], balance["interest"], balance["outstanding"]) == ("18250.00", "56.00", "18306.00")


def test_reversal_and_statutory_422s(api):  # noqa: F811
    d = convicted_defendant(api)
    too_late = _order(api, d["id"], due_on="2026-05-03")
    assert too_late.status_code == 422 and "s.11" in too_late.get_json()["errors"]["due_on"][0]
    term = _order(api, d["id"], amount="10000", benefit="10000", default_term_months=7)
    assert "s.35(2A)" in term.get_json()["errors"]["default_term_months"][0]
    order = _order(api, d["id"]).get_json()
    paid = api.post(f"/api/v1/confiscation-orders/{order['id']}/payments",
                    {"received_on": "2026-02-03", "amount": 36500}).get_json()
    assert api.get(f"/api/v1/confiscation-orders/{order['id']}").get_json()["status"] == "satisfied"
    rev = api.post(f"/api/v1/confiscation-orders/{order['id']}/payments/{paid['id']}/reversal",
                   {"reversed_on": "2026-02-04", "reason": "Bounced"})
    assert rev.status_code == 201 and rev.get_json()["amount"] == "-36500.00"
    assert api.get(f"/api/v1/confiscation-orders/{order['id']}").get_json()["status"] == "live"
    ext = api.put(f"/api/v1/confiscation-orders/{order['id']}/extension",
                  {"applied_on": "2026-02-02", "decided_on": "2026-02-10", "extended_due_on": "2026-08-03"})
    assert ext.status_code == 422 and "6 months" in ext.get_json()["errors"]["extended_due_on"][0]


def test_restraint_timetable_and_enforcement_endpoints(api, users):  # noqa: F811
    d = convicted_defendant(api)
    r = api.post(f"/api/v1/defendants/{d['id']}/restraint-orders",
                 {"condition": "investigation", "applied_on": "2025-06-01", "made_on": "2025-06-02"})
    assert r.status_code == 422 and "s.41" in r.get_json()["errors"]["next_report_due_on"][0]
    r = api.post(f"/api/v1/defendants/{d['id']}/restraint-orders",
                 {"condition": "investigation", "applied_on": "2025-06-01", "made_on": "2025-06-02",
                  "next_report_due_on": "2025-09-01"}).get_json()
    assert r["status"] == "made" and r["pre_charge"] is True
    event = api.post(f"/api/v1/restraint-orders/{r['id']}/events",
                     {"kind": "reported", "occurred_on": "2025-09-01", "next_report_due_on": "2025-12-01",
                      "version": r["version"]})
    assert event.status_code == 201 and event.get_json()["next_report_due_on"] == "2025-12-01"
    t = api.put(f"/api/v1/defendants/{d['id']}/confiscation-timetable",
                {"convicted_on": "2026-02-01", "hearing_on": "2028-02-02"})
    assert t.status_code == 422 and "s.14" in t.get_json()["errors"]["hearing_on"][0]
    t = api.put(f"/api/v1/defendants/{d['id']}/confiscation-timetable",
                {"convicted_on": "2026-02-01", "s16_due_on": "2026-03-01", "lifestyle": True,
                 "lifestyle_basis": "schedule_2"}).get_json()
    assert t["postponement_limit"] == "2028-02-01" and t["reconsideration_deadline"] == "2032-01-31"
    order = _order(api, d["id"]).get_json()
    step = api.post(f"/api/v1/confiscation-orders/{order['id']}/enforcement-steps",
                    {"kind": "receiver_applied", "taken_on": "2026-03-10"})
    assert step.status_code == 201
    assert api.get(f"/api/v1/restraint-orders/{r['id']}", user=users.offender_manager).status_code == 200


def test_scope_and_roles(api, users):  # noqa: F811
    d = convicted_defendant(api)
    order = _order(api, d["id"]).get_json()
    assert api.get(f"/api/v1/confiscation-orders/{order['id']}", user=users.other_lawyer).status_code == 404
    assert api.get("/api/v1/confiscation-orders", user=users.other_lawyer).get_json()["items"] == []
    assert api.get(f"/api/v1/confiscation-orders/{order['id']}", user=users.analyst).status_code == 403
    pay = api.post(f"/api/v1/confiscation-orders/{order['id']}/payments",
                   {"received_on": "2026-02-03", "amount": "1"}, user=users.offender_manager)
    assert pay.status_code == 403
    assert api.get(f"/api/v1/confiscation-orders/{order['id']}", user=users.admin).status_code == 200
