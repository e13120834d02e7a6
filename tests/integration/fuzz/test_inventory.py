"""Walks app.url_map: every route that accepts POST, PUT, PATCH or DELETE must be fuzzed (a web
target in web_targets.py or an operation in the OpenAPI document that test_api.py fuzzes) or
exempted with a reason. A new state-changing route without either fails here."""

from __future__ import annotations

import pytest

from tests.integration.fuzz.web_targets import EXEMPT, WEB_TARGETS

pytestmark = pytest.mark.fuzz

CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def _api_operations(client) -> set[str]:
    doc = client.get("/api/v1/openapi.json").get_json()
    return {f"api.{op['operationId']}" for ops in doc["paths"].values() for op in ops.values()}


def test_every_state_changing_route_is_fuzzed_or_exempt(app, client):
    documented = _api_operations(client)
    changing = sorted({rule.endpoint for rule in app.url_map.iter_rules()
                       if (rule.methods or set()) & CHANGING})
    web = [e for e in changing if not e.startswith("api.")]
    api = [e for e in changing if e.startswith("api.")]
    missing = [e for e in web if e not in WEB_TARGETS and e not in EXEMPT]
    undocumented = [e for e in api if e not in documented]
    print(f"[fuzz] inventory: {len(changing)} state-changing routes: {len(web)} web "
          f"({len(web) - len(EXEMPT)} fuzzed, {len(EXEMPT)} exempt), {len(api)} API (all fuzzed "
          f"from the OpenAPI document)")
    assert missing == [], f"add these to WEB_TARGETS (or EXEMPT, with a reason): {missing}"
    assert undocumented == [], f"API routes missing from the OpenAPI document: {undocumented}"
    stale = [e for e in [*WEB_TARGETS, *EXEMPT] if e not in changing]
    assert stale == [], f"routes that no longer exist or no longer change state: {stale}"
    assert all(reason.strip() for reason in EXEMPT.values())
