"""The API's access policy table and its OpenAPI document agree with the routes."""

from __future__ import annotations

import re

from casework.api.openapi import openapi_path
from casework.core.auth import ALL_ROLES, allowed_roles

PUBLIC_API = {"api.openapi"}


def _api_rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")]


def test_every_api_route_declares_its_roles(app):
    """Walks app.url_map: an api.* route without a role rule (or a stray public one) fails."""
    assert _api_rules(app), "no API routes registered"
    problems = []
    for rule in _api_rules(app):
        roles = allowed_roles(app.view_functions[rule.endpoint])
        if rule.endpoint in PUBLIC_API:
            if roles != ("public",):
                problems.append(f"{rule.endpoint} should be public")
        elif not roles or not set(roles) <= set(ALL_ROLES):
            problems.append(f"{rule.endpoint} has no role rule: {roles}")
    assert problems == []


def _documented(doc):
    return {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}


def _routed(app):
    out = set()
    for rule in _api_rules(app):
        path = openapi_path(rule.rule.removeprefix("/api/v1"))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            out.add((path, method))
    return out


def test_every_route_is_documented_and_every_documented_path_exists(app, api):
    response = api.client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"].startswith("3.1")
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer",
        "description": doc["components"]["securitySchemes"]["bearerAuth"]["description"]}
    assert _documented(doc) == _routed(app)


def test_documented_roles_match_the_enforced_roles(app, api):
    doc = api.client.get("/api/v1/openapi.json").get_json()
    by_id = {op["operationId"]: op for ops in doc["paths"].values() for op in ops.values()}
    for rule in _api_rules(app):
        op = by_id[rule.endpoint.removeprefix("api.")]
        roles = allowed_roles(app.view_functions[rule.endpoint])
        if roles == ("public",):
            assert op["security"] == []
        else:
            assert tuple(op["x-roles"]) == roles


def test_every_schema_reference_resolves(api):
    doc = api.client.get("/api/v1/openapi.json").get_json()
    text = str(doc)
    refs = set(re.findall(r"#/components/schemas/([A-Za-z0-9_.-]+)", text))
    assert refs and refs <= set(doc["components"]["schemas"])


def test_the_document_is_valid_openapi_3_1(api):
    from openapi_spec_validator import validate

    validate(api.client.get("/api/v1/openapi.json").get_json())


def test_responses_match_their_documented_schemas(api, users):
    """Validate real responses against the published schemas (JSON Schema 2020-12)."""
    import jsonschema

    from tests.integration.api.helpers import charge, make_case, make_defendant

    doc = api.client.get("/api/v1/openapi.json").get_json()

    def check(path_template, method, response):
        op = doc["paths"][path_template][method]
        schema = op["responses"][str(response.status_code)]["content"]["application/json"]["schema"]
        resolver_doc = {**schema, "components": doc["components"]}
        jsonschema.Draft202012Validator(resolver_doc).validate(response.get_json())

    case = make_case(api)
    check("/api/v1/cases", "post", api.post("/api/v1/cases", {"urn": "01DOC000001", "name": "Doc",
                                                               "unit": "ocd", "crime_type": "drugs"}))
    check("/api/v1/cases", "get", api.get("/api/v1/cases"))
    check("/api/v1/cases/{case_id}", "get", api.get(f"/api/v1/cases/{case['id']}"))
    check("/api/v1/cases", "post", api.post("/api/v1/cases", {}))  # 422 shape
    check("/api/v1/cases/{case_id}", "get", api.get("/api/v1/cases/999999"))  # 404 shape
    d = make_defendant(api, case["id"])
    charge(api, d["id"])
    check("/api/v1/defendants/{defendant_id}", "get", api.get(f"/api/v1/defendants/{d['id']}"))
    check("/api/v1/defendants/{defendant_id}/outcome", "put",
          api.put(f"/api/v1/defendants/{d['id']}/outcome",
                  {"outcome": "guilty_plea", "finalised_on": "2026-02-01"}))
    check("/api/v1/defendants/{defendant_id}/outcome", "put",
          api.put(f"/api/v1/defendants/{d['id']}/outcome",
                  {"outcome": "guilty_plea", "finalised_on": "2026-02-01", "version": 1}))  # 409
    check("/api/v1/units", "get", api.get("/api/v1/units"))
    check("/api/v1/reference", "get", api.get("/api/v1/reference"))
    check("/api/v1/cases", "get", api.get("/api/v1/cases", user=users.analyst))  # 403
