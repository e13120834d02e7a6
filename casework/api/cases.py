"""Cases: open, list (keyset, filtered by unit, crime type and free text) and read one.

Lawyers open cases in their own units; offender managers and administrators read them.
A case in another unit is a 404 (never revealing that it exists).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from casework.api import schemas as s
from casework.api.framework import api, invalid, not_found, page_of
from casework.audit import service as audit
from casework.auth.models import User
from casework.cases import queries, service
from casework.cases.models import Case
from casework.cases.rules import Agency, CaseStage
from casework.units import queries as units

READERS = ("admin", "lawyer", "offender_manager")
WRITERS = ("lawyer",)


_AGENCY_NAMES = {a.label.lower(): a.value for a in Agency}


def _agency_code(value: Any) -> Any:
    """Accept an agency's code or name in any case ("NCA", "National Crime Agency")."""
    if isinstance(value, str):
        text = value.strip().lower()
        return _AGENCY_NAMES.get(text, text)
    return value


class CaseIn(s.RequestModel):
    urn: s.Text = Field(title="the unique reference number (URN)",
                        description="Unique across Casework, like 01YE1234524")
    name: s.Text = Field(title="the operation name", max_length=120)
    unit: s.Text = Field(title="the unit code", description="A code from GET /api/v1/units")
    crime_type: s.Text = Field(title="the crime type code",
                               description="A code from GET /api/v1/reference crime_types")
    agency: Annotated[s.OptionalChoice[Agency], BeforeValidator(_agency_code)] = Field(
        default=None, title="the investigating agency",
        description="A code from GET /api/v1/reference agencies (its name is accepted too)")
    received_on: s.OptionalDate = Field(default=None, title="the date the case was received")


class CaseQuery(s.ListQuery):
    unit: s.OptionalText = Field(default=None, title="the unit code")
    crime_type: s.OptionalText = Field(default=None, title="the crime type code")
    q: s.OptionalText = Field(default=None, title="the search text",
                              description="A URN, part of the operation name or the start of a "
                                          "defendant's surname")
    stage: s.OptionalChoice[CaseStage] = Field(default=None, title="the case stage")


class PersonRef(s.ResponseModel):
    id: int
    name: str


class CaseOut(s.ResponseModel):
    id: int
    version: int
    urn: str
    name: str
    unit: str = Field(description="Unit code")
    unit_name: str
    crime_type: str = Field(description="Crime type code")
    agency: str | None
    received_on: dt.date | None
    stage: str
    lead_lawyer: PersonRef | None
    defendant_count: int | None = None
    created_at: dt.datetime


class DefendantSummary(s.ResponseModel):
    id: int
    version: int
    surname: str
    forenames: str
    outcome: str | None
    finalised_on: dt.date | None


class CaseDetailOut(CaseOut):
    defendants: list[DefendantSummary]


def case_json(case: Case, defendant_count: int | None = None) -> dict[str, Any]:
    return {
        "id": case.id, "version": case.version, "urn": case.urn, "name": case.name,
        "unit": case.unit.code, "unit_name": case.unit.name, "crime_type": case.crime_type.code,
        "agency": case.agency, "received_on": case.received_on, "stage": case.stage.value,
        "lead_lawyer": ({"id": case.lead_lawyer.id, "name": case.lead_lawyer.name}
                        if case.lead_lawyer else None),
        "defendant_count": defendant_count, "created_at": case.created_at,
    }


@api.endpoint("POST", "/cases", roles=WRITERS, body=CaseIn, response=CaseOut, status=201,
              tags=["cases"], summary="Open a case")
def create_case(body: CaseIn, user: User) -> dict[str, Any]:
    """The URN is unique across Casework; a lawyer opens cases only in their own units."""
    unit = units.unit_by_code(body.unit.lower())
    crime_type = units.crime_type_by_code(body.crime_type.lower())
    problems: dict[str, list[str]] = {}
    if unit is None:
        problems["unit"] = [f"There is no unit with the code {body.unit}: use a code from "
                            "GET /api/v1/units"]
    if crime_type is None:
        problems["crime_type"] = [f"There is no crime type with the code {body.crime_type}: use "
                                  "a code from GET /api/v1/reference"]
    if problems:
        invalid(problems)
    case = service.open_case(urn=body.urn, name=body.name, unit=unit,  # type: ignore[arg-type]
                             crime_type=crime_type,  # type: ignore[arg-type]
                             agency=body.agency.value if body.agency else None,
                             received_on=body.received_on, actor=user)
    return case_json(case, defendant_count=0)


@api.endpoint("GET", "/cases", roles=READERS, query=CaseQuery, response=s.Page[CaseOut],
              tags=["cases"], summary="Cases in your units, most recently received first")
def list_cases(query: CaseQuery, user: User) -> dict[str, Any]:
    """Filters combine; an unknown unit or crime type code matches nothing. One query per page."""
    filters = queries.CaseFilters(q=query.q or "", unit=query.unit or "",
                                  crime_type=query.crime_type or "",
                                  stage=query.stage.value if query.stage else "")
    return page_of(queries.case_list(user, filters), filters.sort_keys(), query,
                   lambda row: case_json(row[0], row[1]), filters.key_of, scalars=False)


@api.endpoint("GET", "/cases/<int:case_id>", roles=READERS, response=CaseDetailOut,
              tags=["cases"], summary="One case with its defendants")
def get_case(case_id: int, user: User) -> dict[str, Any]:
    case = queries.case_with_everything(user, case_id) or not_found()
    audit.record("consult", object_type="case", object_id=case.id, case_id=case.id, actor=user,
                 summary=f"{user.name} read case {case.urn} through the API")
    return {**case_json(case, len(case.defendants)),
            "defendants": [{"id": d.id, "version": d.version, "surname": d.surname,
                            "forenames": d.forenames,
                            "outcome": d.outcome.value if d.outcome else None,
                            "finalised_on": d.finalised_on} for d in case.defendants]}
