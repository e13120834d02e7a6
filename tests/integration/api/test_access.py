"""Role x endpoint x unit: 401 without a valid token, 403 for a role outside the rule, 404 for
another unit's record, and no cookie session ever accepted in place of a token."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.auth import service as auth_service
from casework.core.auth import ALL_ROLES, allowed_roles
from casework.extensions import db
from tests.conftest import sign_in_as
from tests.integration.api.helpers import make_case, make_defendant


def _path(rule: str) -> str:
    return re.sub(r"<(?:\w+:)?\w+>", "1", rule)


def _api_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            roles = allowed_roles(app.view_functions[rule.endpoint])
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method, roles


def test_every_role_outside_the_rule_gets_403_and_inside_never_does(app, api, users):
    by_role = {"admin": users.admin, "lawyer": users.lawyer,
               "offender_manager": users.offender_manager, "analyst": users.analyst}
    unexpected = []
    checked = 0
    for rule, method, roles in _api_routes(app):
        if roles == ("public",):
            continue
        for role in ALL_ROLES:
            response = api.call(method, _path(rule.rule), by_role[role], json={})
            checked += 1
            refused = response.status_code == 403
            if refused != (role not in roles) or response.status_code in (401, 500):
                unexpected.append((method, rule.rule, role, response.status_code))
            assert response.is_json, (method, rule.rule)
    assert checked >= 20
    assert unexpected == []


def test_refusals_are_audited(api, users):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "authz_denied"))
    assert api.post("/api/v1/cases", {}, user=users.analyst).status_code == 403
    after = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "authz_denied"))
    assert after == before + 1


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Bearer nope", "Basic abc",
                                    "Bearer " + "x" * 5000, "Token cw_abc"])
def test_missing_or_bad_token_is_401_json(api, header):
    headers = {} if header is None else {"Authorization": header}
    response = api.call("GET", "/api/v1/cases", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_disabled_user_and_revoked_token_are_401(api, users):
    token = api.token(users.lawyer)
    headers = {"Authorization": f"Bearer {token}"}
    assert api.call("GET", "/api/v1/units", headers=headers).status_code == 200
    auth_service.set_active(users.lawyer, active=False, actor=users.admin)
    db.session.commit()
    assert api.call("GET", "/api/v1/units", headers=headers).status_code == 401
    users.lawyer.active = True
    db.session.commit()
    assert api.call("GET", "/api/v1/units", headers=headers).status_code == 401  # revoked


def test_a_signed_in_browser_session_is_not_accepted(client, api, users):
    sign_in_as(client, users.lawyer)
    assert client.get("/home").status_code == 200
    assert client.get("/api/v1/units").status_code == 401
    response = client.post("/api/v1/cases", json={"urn": "01AB1234567", "name": "Cookie",
                                                 "unit": "ocd", "crime_type": "drugs"})
    assert response.status_code == 401


def test_bearer_posts_need_no_csrf_token(api):
    response = api.post("/api/v1/cases", {"urn": "01AB1111111", "name": "No CSRF", "unit": "ocd",
                                          "crime_type": "drugs"})
    assert response.status_code == 201


def test_another_units_records_are_404_and_never_listed(api, users):
    case = make_case(api, urn="01OC0000001")
    defendant = make_defendant(api, case["id"])
    other = users.other_lawyer
    assert api.get(f"/api/v1/cases/{case['id']}", user=other).status_code == 404
    assert api.get(f"/api/v1/defendants/{defendant['id']}", user=other).status_code == 404
    assert api.post(f"/api/v1/cases/{case['id']}/defendants",
                    {"surname": "X", "forenames": "Y"}, user=other).status_code == 404
    assert api.put(f"/api/v1/defendants/{defendant['id']}/outcome",
                   {"outcome": "guilty_plea", "finalised_on": "2026-01-01"},
                   user=other).status_code == 404
    assert api.put(f"/api/v1/defendants/{defendant['id']}/sentence",
                   {"sentenced_on": "2026-01-01"}, user=other).status_code == 404
    missing = api.get("/api/v1/cases/987654", user=other)
    assert missing.status_code == 404 and missing.get_json() == api.get(
        f"/api/v1/cases/{case['id']}", user=other).get_json()  # same answer: existence hidden
    for query in ("", "?unit=ocd", "?q=01OC0000001"):
        listed = api.get(f"/api/v1/cases{query}", user=other).get_json()
        assert all(item["unit"] == "london_north" for item in listed["items"])
        assert case["id"] not in [item["id"] for item in listed["items"]]
    # the owner and an administrator do see it
    assert api.get(f"/api/v1/cases/{case['id']}").status_code == 200
    assert api.get(f"/api/v1/cases/{case['id']}", user=users.admin).status_code == 200


def test_a_lawyer_cannot_open_a_case_in_another_unit(api):
    response = api.post("/api/v1/cases", {"urn": "01LN0000001", "name": "Elsewhere",
                                          "unit": "london_north", "crime_type": "drugs"})
    assert response.status_code == 422
    assert "unit" in response.get_json()["errors"]
