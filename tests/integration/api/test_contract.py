"""The shapes API.md promises: field names, date and money strings, list shape, status codes."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.core import signals
from casework.extensions import db
from tests.integration.api.helpers import charge, convicted_defendant, make_case, make_defendant

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def test_units_and_reference(api, users):
    units = api.get("/api/v1/units", user=users.analyst).get_json()
    assert set(units) == {"items", "next"} and units["next"] is None
    codes = {u["code"] for u in units["items"]}
    assert {"ocd", "sfd", "intl", "pocd", "scctd", "london_north"} <= codes
    assert all(set(u) >= {"code", "name"} for u in units["items"])
    ref = api.get("/api/v1/reference").get_json()
    assert {c["code"] for c in ref["crime_types"]} >= {
        "drugs", "firearms", "immigration", "trafficking", "cse", "cyber", "money_laundering",
        "fraud", "bribery_corruption", "acquisitive", "other"}
    assert [o["code"] for o in ref["outcomes"]] == [
        "guilty_plea", "convicted_after_trial", "proved_in_absence", "acquitted_after_trial",
        "directed_acquittal", "discontinued", "administratively_finalised"]
    assert {t["code"] for t in ref["order_types"]} >= {"scpo", "tro", "fro", "shpo", "stpo", "cdda"}
    for items in ref.values():
        assert all(set(i) == {"code", "name"} and i["name"] for i in items)


def test_open_a_case(api):
    response = api.post("/api/v1/cases", {"urn": "01 ye 1234524", "name": "Operation Alpha",
                                          "unit": "ocd", "crime_type": "firearms",
                                          "agency": "nca", "received_on": "2026-01-05"})
    assert response.status_code == 201
    case = response.get_json()
    assert case["urn"] == "01YE1234524" and case["unit"] == "ocd"
    assert case["crime_type"] == "firearms" and case["agency"] == "nca"
    assert case["received_on"] == "2026-01-05" and isinstance(case["id"], int)
    assert case["version"] == 1
    again = api.get(f"/api/v1/cases/{case['id']}").get_json()
    assert again["urn"] == case["urn"] and again["defendants"] == []


def test_codes_are_forgiving_about_case_and_agency_names(api):
    case = make_case(api, unit="OCD", crime_type="Drugs", agency="National Crime Agency")
    assert (case["unit"], case["crime_type"], case["agency"]) == ("ocd", "drugs", "nca")
    assert make_case(api, agency="HMRC")["agency"] == "hmrc"
    agencies = {a["code"] for a in api.get("/api/v1/reference").get_json()["agencies"]}
    assert {"nca", "police", "hmrc"} <= agencies


def test_urn_is_unique(api):
    make_case(api, urn="01YE7654321")
    response = api.post("/api/v1/cases", {"urn": "01ye7654321", "name": "Dup", "unit": "ocd",
                                          "crime_type": "drugs"})
    assert response.status_code == 422
    assert "URN" in response.get_json()["errors"]["urn"][0]


def test_missing_and_invalid_fields_name_the_rule_in_plain_english(api):
    response = api.post("/api/v1/cases", {"name": "x" * 121, "unit": 5, "crime_type": "drugs",
                                          "received_on": "05/01/2026", "agency": "mi6"})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["urn"] == ["Enter the unique reference number (URN)"]
    assert errors["name"] == ["The operation name must be 120 characters or fewer"]
    assert errors["unit"] == ["The unit code must be text"]
    assert errors["received_on"] == [
        "Enter the date the case was received in the format YYYY-MM-DD"]
    assert errors["agency"][0].startswith("The investigating agency must be one of: nca")
    impossible = api.post("/api/v1/cases", {"urn": "01AA0000001", "name": "x", "unit": "nowhere",
                                            "crime_type": "drugs", "received_on": "2026-02-30"})
    errors = impossible.get_json()["errors"]
    assert errors["received_on"] == [
        "The date the case was received must be a real date, like 2026-03-27"]
    unknown = api.post("/api/v1/cases", {"urn": "01AA0000001", "name": "x", "unit": "nowhere",
                                         "crime_type": "drugs"})
    assert unknown.get_json()["errors"]["unit"][0].startswith("There is no unit with the code")


def test_malformed_json_and_non_objects_are_400(api):
    for data in ("{", "", "[1, 2]", '"text"', "null", "NaN", b"\xff\xfe"):
        response = api.call("POST", "/api/v1/cases", api.users.lawyer, data=data)
        assert response.status_code == 400, data
        assert response.get_json()["error"]


def test_unknown_api_route_and_wrong_method_are_json(api):
    missing = api.get("/api/v1/no-such-thing")
    assert missing.status_code == 404 and missing.is_json
    wrong = api.call("DELETE", "/api/v1/cases", api.users.lawyer)
    assert wrong.status_code == 405 and wrong.is_json


def test_list_shape_filters_and_keyset_pages(api):
    made = [make_case(api, name=f"Operation Keyset {i}", received_on=f"2026-01-0{i + 1}",
                      crime_type="fraud" if i % 2 else "drugs") for i in range(5)]
    seen, after, pages = [], None, 0
    while True:
        url = "/api/v1/cases?limit=2&q=keyset" + (f"&after={after}" if after else "")
        page = api.get(url).get_json()
        assert set(page) == {"items", "next"}
        seen += [c["id"] for c in page["items"]]
        pages += 1
        after = page["next"]
        if after is None:
            break
    assert pages == 3 and sorted(seen) == sorted(c["id"] for c in made) and len(set(seen)) == 5
    assert seen == [c["id"] for c in reversed(made)]  # most recently received first
    fraud = api.get("/api/v1/cases?crime_type=fraud&q=keyset").get_json()["items"]
    assert {c["id"] for c in fraud} == {made[1]["id"], made[3]["id"]}
    assert api.get("/api/v1/cases?unit=sfd&q=keyset").get_json()["items"] == []
    assert api.get("/api/v1/cases?limit=0").status_code == 422
    assert api.get("/api/v1/cases?after=not-a-cursor").status_code == 422


def test_defendant_lifecycle_and_shapes(api):
    case = make_case(api)
    response = api.post(f"/api/v1/cases/{case['id']}/defendants", {
        "surname": "Jones", "forenames": "Amy", "date_of_birth": "1990-05-06",
        "pnc_id": "98/123456x"})
    assert response.status_code == 201
    d = response.get_json()
    assert d["case_id"] == case["id"] and d["version"] == 1 and d["pnc_id"] == "98/123456X"
    assert d["orders"] == [] and d["confiscation"] == [] and d["outcome"] is None
    assert d["sentence"] is None and d["date_of_birth"] == "1990-05-06"
    charge(api, d["id"])
    outcome = api.put(f"/api/v1/defendants/{d['id']}/outcome",
                      {"outcome": "convicted_after_trial", "finalised_on": "2026-03-01"})
    assert outcome.status_code == 200
    body = outcome.get_json()
    assert body["outcome"] == "convicted_after_trial" and body["finalised_on"] == "2026-03-01"
    sentence = api.put(f"/api/v1/defendants/{d['id']}/sentence",
                       {"sentenced_on": "2026-04-01", "custody_months": 96,
                        "release_on": "2030-04-01"})
    assert sentence.status_code == 200
    body = sentence.get_json()
    assert body["sentence"] == {"sentenced_on": "2026-04-01", "custody_months": 96,
                                "release_on": "2030-04-01", "release_is_actual": False}
    read = api.get(f"/api/v1/defendants/{d['id']}").get_json()
    assert read["release_on"] == "2030-04-01" and read["charges"][0]["charged_on"] == "2026-01-10"
    for key in ("date_of_birth", "finalised_on", "sentenced_on", "release_on"):
        assert DATE.match(read[key])
    case_now = api.get(f"/api/v1/cases/{case['id']}").get_json()
    assert [x["id"] for x in case_now["defendants"]] == [d["id"]]


def test_reading_a_defendant_writes_one_consultation_row(api):
    d = make_defendant(api, make_case(api)["id"])

    def consults():
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "consult", AuditEvent.object_type == "defendant",
            AuditEvent.object_id == d["id"]))

    before = consults()
    assert api.get(f"/api/v1/defendants/{d['id']}").status_code == 200
    assert consults() == before + 1
    row = db.session.execute(sa.select(AuditEvent).where(AuditEvent.action == "consult")
                             .order_by(AuditEvent.id.desc()).limit(1)).scalar_one()
    assert row.actor_id == api.users.lawyer.id and row.case_id == d["case_id"]


def test_stale_version_is_409_and_changes_nothing(api):
    d = convicted_defendant(api)
    stale = api.put(f"/api/v1/defendants/{d['id']}/outcome",
                    {"outcome": "acquitted_after_trial", "finalised_on": "2026-02-02",
                     "version": d["version"] - 1})
    assert stale.status_code == 409
    assert stale.get_json()["version"] == d["version"]
    assert api.get(f"/api/v1/defendants/{d['id']}").get_json()["outcome"] == "guilty_plea"
    fresh = api.put(f"/api/v1/defendants/{d['id']}/sentence",
                    {"sentenced_on": "2026-02-10", "version": d["version"]})
    assert fresh.status_code == 200 and fresh.get_json()["version"] == d["version"] + 1


def test_release_date_change_is_announced_for_orders_and_alerts(api):
    d = convicted_defendant(api)
    heard = []

    def receiver(sender, **kwargs):
        heard.append((sender.id, kwargs["old"], kwargs["new"]))

    signals.release_date_changed.connect(receiver)
    try:
        url = f"/api/v1/defendants/{d['id']}/sentence"
        api.put(url, {"sentenced_on": "2026-02-10", "custody_months": 24,
                      "release_on": "2027-02-10"})
        api.put(url, {"sentenced_on": "2026-02-10", "custody_months": 24,
                      "release_on": "2027-02-10"})  # unchanged: no announcement
        api.put(url, {"sentenced_on": "2026-02-10", "custody_months": 24,
                      "release_on": "2027-08-10"})
    finally:
        signals.release_date_changed.disconnect(receiver)
    assert [(h[1], h[2]) for h in heard] == [
        (None, dt.date(2027, 2, 10)),
        (dt.date(2027, 2, 10), dt.date(2027, 8, 10))]


def test_service_rules_come_back_as_422(api):
    d = make_defendant(api, make_case(api)["id"])
    response = api.put(f"/api/v1/defendants/{d['id']}/sentence", {"sentenced_on": "2026-02-10"})
    assert response.status_code == 422
    assert response.get_json()["errors"]["sentenced_on"] == [
        "Record a conviction outcome before recording a sentence"]


def test_money_in_responses_is_a_two_place_string():
    from decimal import Decimal

    from pydantic import TypeAdapter

    from casework.api import schemas

    adapter = TypeAdapter(schemas.Money)
    assert adapter.dump_python(Decimal("600000"), mode="json") == "600000.00"
    assert adapter.dump_python(Decimal("0.5"), mode="json") == "0.50"
    parse = TypeAdapter(schemas.MoneyIn)
    assert parse.validate_python("600,000.5") == Decimal("600000.50")
    assert parse.validate_python(12.34) == Decimal("12.34")
    assert parse.validate_python(7) == Decimal("7.00")


def _statements(api, url):
    from sqlalchemy import event

    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert api.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_the_case_list_runs_a_fixed_number_of_queries(api):
    """No N+1: unit, crime type, lead lawyer and defendant counts come with the page."""
    for i in range(2):
        make_defendant(api, make_case(api, name=f"Operation Count {i}")["id"])
    few = _statements(api, "/api/v1/cases?q=count")
    for i in range(2, 10):
        make_defendant(api, make_case(api, name=f"Operation Count {i}")["id"])
    many = _statements(api, "/api/v1/cases?q=count")
    assert 0 < few == many
    page = api.get("/api/v1/cases?q=count").get_json()
    assert len(page["items"]) == 10 and all(c["defendant_count"] == 1 for c in page["items"])


def test_a_concurrent_edit_is_409_not_500(api, monkeypatch):
    """A StaleDataError at flush (someone saved in between) or a unique-key race answers 409."""
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm.exc import StaleDataError

    from casework.api import defendants

    d = convicted_defendant(api)
    url = f"/api/v1/defendants/{d['id']}/outcome"
    body = {"outcome": "discontinued", "finalised_on": "2026-02-02"}
    for exc in (StaleDataError("stale"), IntegrityError("insert", {}, Exception("unique"))):
        def boom(*args, exc=exc, **kwargs):
            raise exc

        monkeypatch.setattr(defendants.service, "record_outcome", boom)
        response = api.put(url, body)
        assert response.status_code == 409 and response.get_json()["error"]
    monkeypatch.undo()
    assert api.get(f"/api/v1/defendants/{d['id']}").get_json()["outcome"] == "guilty_plea"


def test_a_body_over_one_mebibyte_is_refused(api):
    response = api.call("POST", "/api/v1/cases", api.users.lawyer,
                        data='{"name": "' + "x" * (1024 * 1024 + 10) + '"}')
    assert response.status_code == 413 and response.is_json
