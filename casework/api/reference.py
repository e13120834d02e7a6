"""Reference data: units, crime types, outcomes and order types, each as ``{"code", "name"}``."""

from __future__ import annotations

from typing import Any

from casework.api import schemas as s
from casework.api.framework import api
from casework.cases.rules import Agency, Outcome
from casework.core.auth import ALL_ROLES
from casework.orders.rules import OrderType
from casework.units import queries as units


class CodeName(s.ResponseModel):
    code: str
    name: str


class UnitOut(CodeName):
    kind: str


class UnitList(s.ResponseModel):
    items: list[UnitOut]
    next: str | None = None


class ReferenceOut(s.ResponseModel):
    crime_types: list[CodeName]
    outcomes: list[CodeName]
    order_types: list[CodeName]
    agencies: list[CodeName]


@api.endpoint("GET", "/units", roles=ALL_ROLES, response=UnitList, tags=["reference"],
              summary="CPS Areas and central casework divisions")
def list_units() -> dict[str, Any]:
    """Every unit (a short list, so one page: ``next`` is always null)."""
    return {"items": [{"code": u.code, "name": u.name, "kind": str(u.kind)}
                      for u in units.all_units()], "next": None}


@api.endpoint("GET", "/reference", roles=ALL_ROLES, response=ReferenceOut, tags=["reference"],
              summary="Crime types, outcomes, order types and investigating agencies")
def reference() -> dict[str, Any]:
    """Codes accepted by the other endpoints. Outcomes follow the CPS finalisation categories
    (DOMAIN.md 3.1); order types come from the statutory table in casework/orders/rules.py."""
    return {
        "crime_types": [{"code": c.code, "name": c.name} for c in units.all_crime_types()],
        "outcomes": [{"code": o.value, "name": o.label} for o in Outcome],
        "order_types": [{"code": t.value, "name": t.label} for t in OrderType],
        "agencies": [{"code": a.value, "name": a.label} for a in Agency],
    }
