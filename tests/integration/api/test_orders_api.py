"""The ancillary-orders endpoints as API.md describes them: shapes, statutory 422s, release-date
moves, scoping (404), roles (403) and stale versions (409)."""

from __future__ import annotations

from casework.core import clock
from tests.integration.api.helpers import convicted_defendant


def _order(api, defendant_id, user=None, **body):
    return api.post(f"/api/v1/defendants/{defendant_id}/orders", body, user=user)


def test_record_read_and_list_an_order(api, users):
    d = convicted_defendant(api)
    response = _order(api, d["id"], type="scpo", made_on="2026-03-02", court="Leeds Crown Court",
                      ends_on="2031-03-02",
                      conditions=[{"text": "No more than one mobile phone", "ends_on": "2029-03-02"}])
    assert response.status_code == 201, response.get_json()
    order = response.get_json()
    assert {"id", "type", "status", "made_on", "starts_on", "ends_on", "indefinite", "version"} <= set(order)
    assert order["starts_on"] == "2026-03-02" and order["status"] == "active"
    assert order["conditions"][0]["ends_on"] == "2029-03-02"
    got = api.get(f"/api/v1/orders/{order['id']}", user=users.offender_manager).get_json()
    assert got["id"] == order["id"] and "s.25" in got["breach_offence"]
    listed = api.get("/api/v1/orders?type=scpo&status=active").get_json()
    assert [o["id"] for o in listed["items"]] == [order["id"]] and listed["next"] is None
    assert api.get("/api/v1/orders?ending_before=2031-01-01").get_json()["items"] == []
    assert api.get("/api/v1/orders?unit=london_north").get_json()["items"] == []
    defendant = api.get(f"/api/v1/defendants/{d['id']}").get_json()
    assert [o["id"] for o in defendant["orders"]] == [order["id"]]


def test_duration_beyond_the_statute_is_422_naming_the_limit(api):
    d = convicted_defendant(api)
    response = _order(api, d["id"], type="scpo", made_on="2026-03-02", ends_on="2031-03-03")
    assert response.status_code == 422
    assert "Serious Crime Act 2007, s.16(2)" in response.get_json()["errors"]["ends_on"][0]
    response = _order(api, d["id"], type="cdda", made_on="2026-03-02", court_level="magistrates",
                      ends_on="2031-03-03")
    assert "s.2(3)" in response.get_json()["errors"]["ends_on"][0]
    response = _order(api, d["id"], type="fro", made_on="2026-03-02", ends_on="2027-03-02")
    assert response.status_code == 422 and "made_on" in response.get_json()["errors"]
    response = _order(api, d["id"], type="scpo", made_on="2026-03-02", indefinite=True)
    assert "until further order" in response.get_json()["errors"]["indefinite"][0]
    assert api.get("/api/v1/orders?status=").get_json()["items"] == []


def test_tro_pending_until_release_then_moves(api):
    d = convicted_defendant(api)
    tro = _order(api, d["id"], type="tro", made_on="2026-03-02", term_months=36).get_json()
    assert tro["status"] == "pending_release" and tro["starts_on"] is None
    url = f"/api/v1/defendants/{d['id']}/sentence"
    assert api.put(url, {"sentenced_on": "2026-03-02", "custody_months": 96,
                         "release_on": "2030-01-15"}).status_code == 200
    moved = api.get(f"/api/v1/orders/{tro['id']}").get_json()
    assert (moved["starts_on"], moved["ends_on"]) == ("2030-01-15", "2033-01-15")
    api.put(url, {"sentenced_on": "2026-03-02", "custody_months": 96, "release_on": "2029-06-01"})
    moved = api.get(f"/api/v1/orders/{tro['id']}").get_json()
    assert (moved["starts_on"], moved["ends_on"]) == ("2029-06-01", "2032-06-01")
    assert moved["status"] == "pending_release"


def test_vary_breach_and_discharge(api, users):
    d = convicted_defendant(api)
    order = _order(api, d["id"], type="scpo", made_on="2026-03-02", ends_on="2028-03-02").get_json()
    base = f"/api/v1/orders/{order['id']}"
    today = clock.today().isoformat()
    too_long = api.post(f"{base}/variations", {"varied_on": today, "reason": "Renewal",
                                               "ends_on": "2031-03-03"})
    assert too_long.status_code == 422
    varied = api.post(f"{base}/variations", {"varied_on": today, "reason": "Renewal",
                                             "ends_on": "2031-03-02", "version": order["version"]})
    assert varied.status_code == 201 and varied.get_json()["ends_on"] == "2031-03-02"
    stale = api.post(f"{base}/variations", {"varied_on": today, "reason": "Again",
                                            "ends_on": "2030-03-02", "version": order["version"]})
    assert stale.status_code == 409
    breach = api.post(f"{base}/breaches", {"occurred_on": today, "description": "Second phone found"},
                      user=users.offender_manager)
    assert breach.status_code == 201 and breach.get_json()["prosecution"] == "not_decided"
    done = api.post(f"{base}/discharge", {"discharged_on": today, "reason": "Replaced"})
    assert done.status_code == 200 and done.get_json()["status"] == "discharged"


def test_scope_and_roles(api, users):
    d = convicted_defendant(api)
    order = _order(api, d["id"], type="cdda", made_on="2026-03-02", ends_on="2030-03-02").get_json()
    assert api.get(f"/api/v1/orders/{order['id']}", user=users.other_lawyer).status_code == 404
    assert _order(api, d["id"], user=users.other_lawyer, type="cdda", made_on="2026-03-02",
                  ends_on="2030-03-02").status_code == 404
    assert api.get("/api/v1/orders", user=users.analyst).status_code == 403
    assert _order(api, d["id"], user=users.admin, type="cdda", made_on="2026-03-02",
                  ends_on="2030-03-02").status_code == 403
    assert api.get(f"/api/v1/orders/{order['id']}", user=users.admin).status_code == 200
    assert api.get("/api/v1/orders", user=users.other_lawyer).get_json()["items"] == []
