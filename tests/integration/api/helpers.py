"""Builders that go through the API itself, so tests exercise the real contract."""

from __future__ import annotations

import itertools
from typing import Any

_urns = itertools.count(1)


def make_case(api: Any, user: Any = None, **fields: Any) -> dict[str, Any]:
    body = {"urn": f"01TS{next(_urns):07d}", "name": "Operation Test", "unit": "ocd",
            "crime_type": "drugs", "received_on": "2026-01-05", **fields}
    response = api.post("/api/v1/cases", body, user=user)
    assert response.status_code == 201, response.get_json()
    return response.get_json()  # type: ignore[no-any-return]


def make_defendant(api: Any, case_id: int, user: Any = None, **fields: Any) -> dict[str, Any]:
    body = {"surname": "Smith", "forenames": "John", "date_of_birth": "1980-02-03", **fields}
    response = api.post(f"/api/v1/cases/{case_id}/defendants", body, user=user)
    assert response.status_code == 201, response.get_json()
    return response.get_json()  # type: ignore[no-any-return]


def charge(api: Any, defendant_id: int, charged_on: str = "2026-01-10") -> dict[str, Any]:
    response = api.post(f"/api/v1/defendants/{defendant_id}/charges", {
        "offence": "Conspiracy to supply a controlled drug of class A",
        "statute": "Criminal Law Act 1977", "section": "s.1", "charged_on": charged_on,
        "category": "drugs_offences"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()  # type: ignore[no-any-return]


def convicted_defendant(api: Any) -> dict[str, Any]:
    case = make_case(api)
    defendant = make_defendant(api, case["id"])
    charge(api, defendant["id"])
    response = api.put(f"/api/v1/defendants/{defendant['id']}/outcome",
                       {"outcome": "guilty_plea", "finalised_on": "2026-02-01"})
    assert response.status_code == 200, response.get_json()
    return response.get_json()  # type: ignore[no-any-return]
