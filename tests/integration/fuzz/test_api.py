"""Hypothesis drives every operation in GET /api/v1/openapi.json: bodies generated from the
documented schema mixed with junk (wrong types, missing and extra fields, huge numbers, NaN and
Infinity literals, deeply nested JSON, bodies that are not JSON, wrong content types, huge
strings, NUL) and junk query parameters (cursors, filters). Never a 5xx; always JSON; a 422 is
``{"errors": {field: [message]}}`` in plain English, any other refusal has an ``error``; a
refusal writes nothing.

CASEWORK_FUZZ_EXAMPLES sets the examples per operation (default 25; CI 200; ``make fuzz`` 3000).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.auth.service import issue_token
from casework.core.auth import allowed_roles
from casework.extensions import db
from tests.integration.fuzz import checks
from tests.integration.fuzz.junk import (
    CONTENT_TYPES,
    FUZZ,
    JSON_VALUE,
    RAW_BODIES,
    TEXT,
    _plausible_dates,
    mixed,
)
from tests.integration.fuzz.records import World

pytestmark = pytest.mark.fuzz

#: (segment before the path parameter, its name) -> the World record whose id fills it.
PATH_RECORDS = {
    ("cases", "case_id"): lambda w: w.case.id,
    ("defendants", "defendant_id"): lambda w: w.convicted.id,
    ("orders", "order_id"): lambda w: w.order.id,
    ("confiscation-orders", "order_id"): lambda w: w.confiscation.id,
    ("payments", "payment_id"): lambda w: w.payment.id,
    ("restraint-orders", "restraint_id"): lambda w: w.restraint.id,
    ("alerts", "alert_id"): lambda w: w.alert.id,
}
#: Values the schema cannot express (reference-data codes, the URN format), so that some
#: generated bodies are accepted and the rules behind the schema are reached.
HINTS: dict[str, st.SearchStrategy[Any]] = {
    "urn": st.from_regex(r"\A[0-9]{2}[A-Z]{2}[0-9]{7}\Z"),
    "unit": st.sampled_from(["ocd", "london_north", "nope"]),
    "crime_type": st.sampled_from(["drugs", "fraud", "nope"]),
    "category": st.sampled_from(["drugs_offences", "homicide", "nope"]),
}
ROLE_ORDER = ("lawyer", "offender_manager", "admin", "analyst")
CHANGING = {"post", "put", "patch", "delete"}
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=300)


def _operations(doc: dict[str, Any], changing: bool) -> list[tuple[str, str]]:
    out = []
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            has_query = any(p["in"] == "query" for p in op.get("parameters", []))
            if (method in CHANGING) == changing and (changing or has_query):
                out.append((method.upper(), path))
    return sorted(out)


def _resolve(schema: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def from_schema(schema: dict[str, Any], doc: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A value the schema allows (often) or junk: enough get past the schema to reach the rules."""
    schema = _resolve(schema, doc)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return st.one_of(*(from_schema(s, doc) for s in schema[key]))
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    good: list[st.SearchStrategy[Any]] = []
    if "null" in kinds:
        good.append(st.none())
    if schema.get("format") == "date":
        good.append(_plausible_dates().map(str))
    elif "string" in kinds:
        if "pattern" in schema:
            good.append(st.from_regex(schema["pattern"], fullmatch=True).filter(lambda v: len(v) < 40))
        good.append(st.text(min_size=1, max_size=min(int(schema.get("maxLength", 80)), 80)))
    if "integer" in kinds:
        good.append(st.integers(min_value=-2, max_value=1300))
    if "number" in kinds:
        good.append(st.decimals(min_value=0, max_value=10**7, places=2).map(float))
    if "boolean" in kinds:
        good.append(st.booleans())
    if "array" in kinds:
        good.append(st.lists(from_schema(schema.get("items", {}), doc), max_size=4))
    if "object" in kinds:
        good.append(object_body(schema, doc))
    return st.one_of(*good) if good else JSON_VALUE


def object_body(schema: dict[str, Any], doc: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Each documented property missing, valid or junk; required ones mostly present; extras."""
    props = schema.get("properties", {})
    required = set(schema.get("required", []))
    values = {k: mixed(st.one_of(HINTS[k], from_schema(v, doc)) if k in HINTS else from_schema(v, doc),
                       JSON_VALUE) for k, v in props.items()}
    wanted = {k: v for k, v in values.items() if k in required}
    optional = {k: v for k, v in values.items() if k not in required}
    body = st.fixed_dictionaries(wanted, optional={**optional, "unexpected_field": JSON_VALUE})
    partial = st.fixed_dictionaries({}, optional={**wanted, **optional})
    return st.one_of(body, body, body, partial)


def request_body(schema: dict[str, Any] | None, doc: dict[str, Any]) -> st.SearchStrategy[Any]:
    """(bytes, content type): JSON from the schema most of the time, else any JSON, else junk."""
    as_json = (object_body(_resolve(schema, doc), doc) if schema else st.just({})).map(
        lambda b: json.dumps(b).encode())
    any_json = JSON_VALUE.map(lambda v: json.dumps(v).encode())
    return st.one_of(st.tuples(as_json, st.just("application/json")),
                     st.tuples(as_json, st.just("application/json")),
                     st.tuples(as_json, st.just("application/json")),
                     st.tuples(any_json, CONTENT_TYPES), st.tuples(RAW_BODIES, CONTENT_TYPES))


def query_params(op: dict[str, Any], doc: dict[str, Any]) -> st.SearchStrategy[dict[str, str]]:
    optional = {}
    for p in op.get("parameters", []):
        if p["in"] == "query":
            good = from_schema(p.get("schema", {}), doc).filter(lambda v: v is not None).map(str)
            optional[p["name"]] = mixed(good, st.one_of(TEXT, st.integers().map(str)))
    optional["unexpected"] = TEXT
    return st.fixed_dictionaries({}, optional=optional).map(
        lambda q: {k: v.encode("utf-8", "replace").decode() for k, v in q.items()})


def _fill(path: str, world: World) -> str:
    def one(match: re.Match[str]) -> str:
        segment, name = match.group(1), match.group(2)
        build = PATH_RECORDS.get((segment, name))
        assert build, f"add ({segment!r}, {name!r}) to PATH_RECORDS so the fuzzer reaches a real record"
        return f"{segment}/{build(world)}"

    return re.sub(r"([\w-]+)/\{(\w+)\}", one, path)


def _judge(tally: checks.Tally, response: Any, changed: set[str], context: Any) -> None:
    status = response.status_code
    tally.seen(status)
    assert status < 500, (context, response.get_data(as_text=True)[:500])
    checks.assert_no_traceback(response.get_data(as_text=True), context)
    assert response.is_json, context
    payload = response.get_json()
    if status < 400:
        tally.accepted += 1
        return
    tally.rejected += 1
    if status == 422:
        errors = payload["errors"]
        assert errors and isinstance(errors, dict), context
        for field, messages in errors.items():
            assert isinstance(field, str) and isinstance(messages, list) and messages, context
            assert all(isinstance(m, str) and m.strip() for m in messages), context
            assert not checks.unclear(messages), (messages, context)
            tally.messages.update(messages)
    else:
        assert isinstance(payload.get("error"), str) and payload["error"].strip(), (payload, context)
    half = changed - {"audit_events"} if status == 403 else changed
    if half:
        tally.half_written += 1
    assert not half, ("half-written", half, context)


class Caller:
    """Sends requests with one user's bearer token."""

    def __init__(self, client: Any, token: str) -> None:
        self.client, self.token = client, token

    def call(self, method: str, url: str, user: Any, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return self.client.open(url, method=method, headers=headers, **kwargs)


def _setup(app: Any, client: Any, users: Any, method: str, path: str) -> tuple[Any, ...]:
    doc = client.get("/api/v1/openapi.json").get_json()
    op = doc["paths"][path][method.lower()]
    world = World(users)
    url = _fill(path, world)
    db.session.commit()
    user = _operation_user(app, op, users)
    api = Caller(client, issue_token(user))
    db.session.commit()
    return doc, op, url, api, user


def _operation_user(app: Any, op: dict[str, Any], users: Any) -> Any:
    roles = allowed_roles(app.view_functions[f"api.{op['operationId']}"]) or ()
    return getattr(users, next(r for r in ROLE_ORDER if r in roles))


def _collected_document() -> dict[str, Any]:
    """The same document GET /api/v1/openapi.json serves (the tests fetch that one), built here
    so the operations can be listed when the tests are collected."""
    from casework.api.openapi import document
    from casework.api.routes import api

    return document(api.endpoints)


def pytest_generate_tests(metafunc: Any) -> None:
    if "operation" in metafunc.fixturenames:
        changing = metafunc.function.__name__ == "test_fuzz_api_body"
        ops = _operations(_collected_document(), changing)
        metafunc.parametrize("operation", ops, ids=[f"{m} {p}" for m, p in ops])


def test_fuzz_api_body(operation, app, client, users):
    method, path = operation
    doc, op, url, api, user = _setup(app, client, users, method, path)
    schema = (op.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema")
    query = checks.fingerprint_query()
    tally = checks.Tally(f"api {method} {url} ({op['operationId']})")
    headers = st.fixed_dictionaries({}, optional={"Idempotency-Key": mixed(st.uuids().map(str), HEADER_TEXT)})

    @FUZZ
    @given(body=request_body(schema, doc), extra=headers)
    def run(body: tuple[bytes, str], extra: dict[str, str]) -> None:
        raw, content_type = body
        db.session.rollback()
        before = checks.fingerprint(query)
        sent = {"Content-Type": content_type, **extra} if content_type else dict(extra)
        response = api.call(method, url, user, data=raw, headers=sent)
        db.session.rollback()
        changed = checks.changed_tables(before, checks.fingerprint(query))
        _judge(tally, response, changed, (tally.label, raw[:300], content_type, extra))
        if response.status_code < 400 and changed:  # a repeated PUT may change nothing
            assert "audit_events" in changed, ("a change without an audit row", changed, raw[:300])

    run()
    tally.report()


def test_fuzz_api_query(operation, app, client, users):
    method, path = operation
    doc, op, url, api, user = _setup(app, client, users, method, path)
    query = checks.fingerprint_query()
    tally = checks.Tally(f"api {method} {url}?... ({op['operationId']})")

    @FUZZ
    @given(params=query_params(op, doc))
    def run(params: dict[str, str]) -> None:
        db.session.rollback()
        before = checks.fingerprint(query)
        response = api.call(method, url, user, query_string=params)
        db.session.rollback()
        changed = checks.changed_tables(before, checks.fingerprint(query)) - {"audit_events"}
        _judge(tally, response, changed, (tally.label, params))
        if response.status_code == 200 and "items" in response.get_json():
            assert set(response.get_json()) == {"items", "next"}, params

    run()
    tally.report()
