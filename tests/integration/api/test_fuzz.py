"""Hypothesis throws junk at every POST and PUT endpoint (wrong types, huge strings, NUL bytes,
impossible dates, formula payloads): never a 5xx, always JSON, 422 messages in plain English,
and nothing half-written when a request is refused.

CASEWORK_FUZZ_EXAMPLES sets the examples per endpoint (default 25; CI sets 200).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.audit.models import AuditEvent
from casework.cases.models import Case, Charge, Defendant, DefendantAlias
from casework.extensions import db
from tests.integration.api.helpers import convicted_defendant, make_case, make_defendant

EXAMPLES = int(os.environ.get("CASEWORK_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# pydantic's own wording must never reach a client
FOREIGN_WORDING = ("Input should", "Field required", "validation error", "pydantic", "Value error",
                   "type=", "errors.pydantic.dev")

NASTY = st.sampled_from([
    "=cmd|' /C calc'!A0", "+SUM(1+1)", "@HYPERLINK(\"x\")", "-2+3", "\x00", "a\x00b", "\ud800",
    "2026-02-30", "2026-13-01", "0000-01-01", "9999-12-31", "99999-01-01", "2026-1-1",
    "2026-01-01T00:00:00Z", "1e400", "NaN", "-1", "0", "", " ", "<script>alert(1)</script>",
    "' OR 1=1 --", "\u202e\u0644", "x" * 300, "y" * 5000, "1" * 40, "£12,00.0.1",
])
JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=2**31, max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40), NASTY,
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def _body(valid: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Each known field: missing, a good value or junk; sometimes an unknown extra field."""
    fields = {name: st.one_of(strategy, JUNK) for name, strategy in valid.items()}
    return st.fixed_dictionaries({}, optional={**fields, "extra": JUNK})


def _dates() -> st.SearchStrategy[str]:
    return st.dates(min_value=dt.date(1890, 1, 1),
                    max_value=dt.date(2210, 1, 1)).map(str)


def _counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model))
                 for model in (Case, Defendant, Charge, DefendantAlias, AuditEvent))


def _defendant_state(defendant_id: int) -> tuple[Any, ...]:
    db.session.expire_all()
    d = db.session.get(Defendant, defendant_id)
    return (d.version, d.outcome, d.finalised_on, d.principal_offence, d.sentenced_on,
            d.custody_months, d.release_on, d.release_is_actual)


def _check(api: Any, method: str, url: str, body: dict[str, Any], defendant_id: int | None = None):
    api.token(api.users.lawyer)  # issued (and audited) before counting
    before = _counts()
    state = _defendant_state(defendant_id) if defendant_id else None
    response = api.call(method, url, api.users.lawyer, json=body)
    assert response.status_code < 500, (body, response.get_data(as_text=True))
    assert response.is_json
    payload = response.get_json()
    if response.status_code >= 400:
        assert _counts() == before, f"half-written after {response.status_code}: {body!r}"
        if defendant_id:
            assert _defendant_state(defendant_id) == state
    if response.status_code == 422:
        assert payload["errors"] and isinstance(payload["errors"], dict)
        for field, messages in payload["errors"].items():
            assert isinstance(field, str) and messages
            for message in messages:
                assert isinstance(message, str) and message.strip()
                assert not any(w in message for w in FOREIGN_WORDING), message
    elif response.status_code >= 400:
        assert payload["error"]
    return response


def test_fuzz_open_case(api):
    good = {"urn": st.from_regex(r"\A[0-9]{2}[A-Z]{2}[0-9]{7}\Z"),
            "name": st.text(min_size=1, max_size=130), "unit": st.sampled_from(["ocd", "sfd", "x"]),
            "crime_type": st.sampled_from(["drugs", "fraud", "nope"]),
            "agency": st.sampled_from(["nca", "police", None]), "received_on": _dates()}

    @FUZZ
    @given(body=_body(good))
    def run(body):
        _check(api, "POST", "/api/v1/cases", body)

    run()


def test_fuzz_add_defendant(api):
    case = make_case(api)
    good = {"surname": st.text(min_size=1, max_size=110), "forenames": st.text(max_size=160),
            "date_of_birth": _dates(), "pnc_id": st.sampled_from(["98/123456X", "1/2", None]),
            "aliases": st.lists(st.text(max_size=210), max_size=25)}

    @FUZZ
    @given(body=_body(good))
    def run(body):
        _check(api, "POST", f"/api/v1/cases/{case['id']}/defendants", body)

    run()


def test_fuzz_charge(api):
    d = make_defendant(api, make_case(api)["id"])
    good = {"offence": st.text(min_size=1, max_size=260), "statute": st.text(max_size=160),
            "section": st.text(max_size=45), "charged_on": _dates(),
            "category": st.sampled_from(["drugs_offences", "homicide", "murder"])}

    @FUZZ
    @given(body=_body(good))
    def run(body):
        _check(api, "POST", f"/api/v1/defendants/{d['id']}/charges", body)

    run()


def test_fuzz_outcome(api):
    d = convicted_defendant(api)
    good = {"outcome": st.sampled_from(["guilty_plea", "discontinued", "administratively_finalised",
                                        "GUILTY"]),
            "finalised_on": _dates(), "principal_offence": st.sampled_from(["homicide", None, "x"]),
            "version": st.integers(min_value=0, max_value=5)}

    @FUZZ
    @given(body=_body(good))
    def run(body):
        _check(api, "PUT", f"/api/v1/defendants/{d['id']}/outcome", body, defendant_id=d["id"])

    run()


def test_fuzz_sentence(api):
    d = convicted_defendant(api)
    good = {"sentenced_on": _dates(), "custody_months": st.integers(min_value=-5, max_value=1300),
            "release_on": _dates(), "release_is_actual": st.booleans(),
            "version": st.integers(min_value=0, max_value=5)}

    @FUZZ
    @given(body=_body(good))
    def run(body):
        _check(api, "PUT", f"/api/v1/defendants/{d['id']}/sentence", body, defendant_id=d["id"])

    run()


def test_fuzz_case_list_query(api):
    make_case(api)
    nasty = NASTY.filter(lambda v: "\ud800" not in v)  # a URL cannot carry a lone surrogate
    params = st.fixed_dictionaries({}, optional={
        "q": st.one_of(st.text(max_size=50), nasty), "unit": st.one_of(st.text(max_size=10), nasty),
        "crime_type": nasty, "stage": st.one_of(nasty, st.just("charged")),
        "after": st.one_of(nasty, st.text(max_size=30)),
        "limit": st.one_of(nasty, st.integers().map(str))})

    @FUZZ
    @given(query=params)
    def run(query):
        response = api.client.get("/api/v1/cases", query_string=query,
                                  headers={"Authorization": f"Bearer {api.token(api.users.lawyer)}"})
        assert response.status_code in (200, 422), (query, response.get_data(as_text=True))
        if response.status_code == 200:
            assert set(response.get_json()) == {"items", "next"}

    run()


# --- every endpoint with a body, including ones added later by other domains --------------

def _made(response: Any) -> int:
    assert response.status_code == 201, response.get_json()
    return int(response.get_json()["id"])


def _order(api: Any, ctx: dict[str, int]) -> int:
    return _made(api.post(f"/api/v1/defendants/{convicted_defendant(api)['id']}/orders",
                          {"type": "scpo", "made_on": "2026-03-02", "ends_on": "2031-03-02"}))


def _confiscation_order(api: Any, ctx: dict[str, int]) -> int:
    ctx["confiscation"] = _made(api.post(
        f"/api/v1/defendants/{convicted_defendant(api)['id']}/confiscation-orders",
        {"made_on": "2026-02-02", "benefit": "100000", "available_amount": "36500",
         "amount": "36500.00"}))
    return ctx["confiscation"]


def _payment(api: Any, ctx: dict[str, int]) -> int:
    return _made(api.post(f"/api/v1/confiscation-orders/{ctx['confiscation']}/payments",
                          {"received_on": "2026-02-07", "amount": "100.00"},
                          headers={"Idempotency-Key": f"fuzz-{ctx['confiscation']}"}))


def _restraint(api: Any, ctx: dict[str, int]) -> int:
    return _made(api.post(f"/api/v1/defendants/{convicted_defendant(api)['id']}/restraint-orders",
                          {"condition": "investigation", "applied_on": "2025-06-01",
                           "made_on": "2025-06-02", "next_report_due_on": "2025-09-01"}))


#: (the path segment before the parameter, its name) -> a builder of a real record, so junk
#: reaches the services rather than stopping at a 404. Add yours when you add a resource.
PATH_RECORDS: dict[tuple[str, str], Any] = {
    ("cases", "case_id"): lambda api, ctx: make_case(api)["id"],
    ("defendants", "defendant_id"): lambda api, ctx: convicted_defendant(api)["id"],
    ("orders", "order_id"): _order,
    ("confiscation-orders", "order_id"): _confiscation_order,
    ("payments", "payment_id"): _payment,
    ("restraint-orders", "restraint_id"): _restraint,
}


def _real_path(api: Any, rule: str) -> str:
    ctx: dict[str, int] = {}

    def fill(match: Any) -> str:
        segment, name = match.group(1), match.group(2)
        build = PATH_RECORDS.get((segment, name))
        return f"{segment}/{build(api, ctx) if build else 1}"

    return re.sub(r"([\w-]+)/<(?:\w+:)?(\w+)>", fill, rule)


def _from_schema(schema: dict[str, Any], defs: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A plausible value for a JSON schema, so generated bodies get past the first check."""
    if "$ref" in schema:
        return _from_schema(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return st.one_of(*(_from_schema(s, defs) for s in schema[key]))
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if schema.get("format") == "date":
        return _dates()
    if "integer" in kinds:
        return st.integers(min_value=-3, max_value=5000)
    if "number" in kinds:
        return st.decimals(min_value=-10, max_value=10**7, places=2).map(float)
    if "boolean" in kinds:
        return st.booleans()
    if "array" in kinds:
        return st.lists(_from_schema(schema.get("items", {}), defs), max_size=3)
    if "object" in kinds:
        props = schema.get("properties", {})
        return st.fixed_dictionaries({}, optional={
            k: st.one_of(_from_schema(v, defs), JUNK) for k, v in props.items()})
    if "string" in kinds:
        return st.text(min_size=1, max_size=min(schema.get("maxLength", 60), 60))
    return JUNK


def _all_rows_query() -> Any:
    existing = set(sa.inspect(db.session.connection()).get_table_names())
    tables = [t for t in db.metadata.sorted_tables if t.name in existing]
    union = sa.union_all(*(sa.select(sa.func.count().label("n")).select_from(t) for t in tables))
    return sa.select(sa.func.sum(union.subquery().c.n))


def _all_rows(query: Any) -> int:
    return int(db.session.scalar(query))


def _body_endpoints():
    from casework.api.routes import api as registry

    return [e for e in registry.endpoints if e.body is not None]


def test_fuzz_every_endpoint_with_a_body(api, users):
    by_role = {"lawyer": users.lawyer, "offender_manager": users.offender_manager,
               "admin": users.admin, "analyst": users.analyst}
    endpoints = _body_endpoints()
    assert len(endpoints) >= 5
    for spec in endpoints:
        user = next(by_role[r] for r in by_role if r in spec.roles)
        api.token(user)
        path = _real_path(api, spec.rule)
        schema = spec.body.model_json_schema()
        strategy = _from_schema(schema, schema.get("$defs", {}))

        _fuzz_endpoint(api, spec, path, user, strategy)


def _fuzz_endpoint(api: Any, spec: Any, path: str, user: Any, strategy: Any) -> None:
    every_row = _all_rows_query()

    @settings(FUZZ, max_examples=max(5, EXAMPLES // 3))
    @given(body=strategy)
    def run(body):
        before = _all_rows(every_row)
        response = api.call(spec.method, "/api/v1" + path, user, json=body)
        assert response.status_code < 500, (spec.rule, body, response.get_data(as_text=True))
        assert response.is_json
        if response.status_code >= 400:
            assert _all_rows(every_row) == before, (spec.rule, body)
        if response.status_code == 422:
            for messages in response.get_json()["errors"].values():
                assert not any(w in m for m in messages for w in FOREIGN_WORDING), messages

    run()
