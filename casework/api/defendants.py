"""Defendants: add to a case, read (with outcome, sentence, orders and confiscation), record
charges, outcomes and sentences.

Reading a defendant's record is a consultation of personal data and writes one audit row
(Data Protection Act 2018 s.62). A new or moved release date starts or moves every order that
runs from release: the cases service announces it (``signals.release_date_changed``) and the
orders and alerts domains react.

Other domains add their part of the defendant's record with ``add_defendant_section``::

    add_defendant_section("orders", lambda defendant, user: [order_json(o) for o in ...])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import Field

from casework.api import schemas as s
from casework.api.framework import api, check_version, not_found
from casework.audit import service as audit
from casework.auth.models import User
from casework.cases import queries, service
from casework.cases.models import Charge, Defendant
from casework.cases.rules import OffenceCategory, Outcome

READERS = ("admin", "lawyer", "offender_manager")
WRITERS = ("lawyer",)

Section = Callable[[Defendant, User], list[dict[str, Any]]]
_SECTIONS: dict[str, Section] = {}


def add_defendant_section(name: str, build: Section) -> None:
    """Plug a list into GET /defendants/{id} (``orders`` or ``confiscation``)."""
    if name not in DefendantOut.model_fields:
        raise ValueError(f"DefendantOut has no {name!r} list")
    _SECTIONS[name] = build


class DefendantIn(s.RequestModel):
    surname: s.Text = Field(title="the surname", max_length=100)
    forenames: s.Text = Field(title="the forenames", max_length=150)
    date_of_birth: s.OptionalDate = Field(default=None, title="the date of birth")
    pnc_id: s.OptionalText = Field(default=None, title="the PNC ID",
                                   description="Police National Computer id, like 98/123456X")
    aliases: list[s.Text] = Field(default_factory=list, title="the aliases", max_length=20)


class ChargeIn(s.RequestModel):
    offence: s.Text = Field(title="the offence")
    statute: s.Text = Field(title="the statute", max_length=150)
    section: s.Text = Field(title="the section", max_length=40)
    charged_on: s.ApiDate = Field(title="the date charged")
    category: s.Choice[OffenceCategory] = Field(title="the principal offence category")


class OutcomeIn(s.VersionedRequest):
    outcome: s.Choice[Outcome] = Field(title="the outcome")
    finalised_on: s.ApiDate = Field(title="the date the case was finalised")
    principal_offence: s.OptionalChoice[OffenceCategory] = Field(
        default=None, title="the principal offence category",
        description="Defaults to the most serious charge's category")


class SentenceIn(s.VersionedRequest):
    sentenced_on: s.ApiDate = Field(title="the date of sentence")
    custody_months: s.OptionalInt = Field(default=None, title="the custody length in months")
    release_on: s.OptionalDate = Field(default=None, title="the release date")
    release_is_actual: s.Bool = Field(default=False, title="whether the release date is actual",
                                      description="false: an expected release date")


class ChargeOut(s.ResponseModel):
    id: int
    version: int
    defendant_id: int
    offence: str
    statute: str
    section: str
    charged_on: dt.date
    category: str


class SentenceOut(s.ResponseModel):
    sentenced_on: dt.date
    custody_months: int | None
    release_on: dt.date | None
    release_is_actual: bool


class DefendantOut(s.ResponseModel):
    id: int
    version: int
    case_id: int
    case_urn: str
    surname: str
    forenames: str
    full_name: str
    date_of_birth: dt.date | None
    pnc_id: str | None
    aliases: list[str]
    outcome: str | None
    finalised_on: dt.date | None
    principal_offence: str | None
    sentenced_on: dt.date | None
    custody_months: int | None
    release_on: dt.date | None
    release_is_actual: bool
    sentence: SentenceOut | None = Field(description="null until a sentence is recorded")
    charges: list[ChargeOut]
    orders: list[dict[str, Any]] = Field(
        default_factory=list, description="Ancillary orders, each as GET /api/v1/orders/{id}")
    confiscation: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Confiscation orders, each as GET /api/v1/confiscation-orders/{id}")


def charge_json(charge: Charge) -> dict[str, Any]:
    return {"id": charge.id, "version": charge.version, "defendant_id": charge.defendant_id,
            "offence": charge.offence, "statute": charge.statute, "section": charge.section,
            "charged_on": charge.charged_on, "category": charge.category.value}


def defendant_json(d: Defendant, user: User) -> dict[str, Any]:
    sentence = None if d.sentenced_on is None else {
        "sentenced_on": d.sentenced_on, "custody_months": d.custody_months,
        "release_on": d.release_on, "release_is_actual": d.release_is_actual}
    return {
        "id": d.id, "version": d.version, "case_id": d.case_id, "case_urn": d.case.urn,
        "surname": d.surname, "forenames": d.forenames, "full_name": d.full_name,
        "date_of_birth": d.date_of_birth, "pnc_id": d.pnc_id,
        "aliases": [a.name for a in d.aliases],
        "outcome": d.outcome.value if d.outcome else None, "finalised_on": d.finalised_on,
        "principal_offence": d.principal_offence.value if d.principal_offence else None,
        "sentenced_on": d.sentenced_on, "custody_months": d.custody_months,
        "release_on": d.release_on, "release_is_actual": d.release_is_actual,
        "sentence": sentence, "charges": [charge_json(c) for c in d.charges],
        **{name: build(d, user) for name, build in _SECTIONS.items()},
    }


@api.endpoint("POST", "/cases/<int:case_id>/defendants", roles=WRITERS, body=DefendantIn,
              response=DefendantOut, status=201, tags=["defendants"],
              summary="Add a defendant to a case")
def create_defendant(case_id: int, body: DefendantIn, user: User) -> dict[str, Any]:
    case = queries.get_case_for(user, case_id) or not_found()
    defendant = service.add_defendant(case, surname=body.surname, forenames=body.forenames,
                                      date_of_birth=body.date_of_birth, pnc_id=body.pnc_id,
                                      aliases=body.aliases, actor=user)
    return defendant_json(defendant, user)


@api.endpoint("GET", "/defendants/<int:defendant_id>", roles=READERS, response=DefendantOut,
              tags=["defendants"], summary="A defendant with outcome, sentence, orders and "
                                           "confiscation")
def get_defendant(defendant_id: int, user: User) -> dict[str, Any]:
    """Each read is audited as a consultation (DPA 2018 s.62)."""
    defendant = queries.get_defendant_for(user, defendant_id) or not_found()
    audit.record("consult", object_type="defendant", object_id=defendant.id,
                 case_id=defendant.case_id, actor=user,
                 summary=f"Record of {defendant.full_name} viewed through the API")
    return defendant_json(defendant, user)


@api.endpoint("POST", "/defendants/<int:defendant_id>/charges", roles=WRITERS, body=ChargeIn,
              response=ChargeOut, status=201, tags=["defendants"], summary="Charge a defendant")
def create_charge(defendant_id: int, body: ChargeIn, user: User) -> dict[str, Any]:
    """An outcome can only be recorded once the defendant has at least one charge."""
    defendant = queries.get_defendant_for(user, defendant_id) or not_found()
    charge = service.add_charge(defendant, offence=body.offence, statute=body.statute,
                                section=body.section, charged_on=body.charged_on,
                                category=body.category, actor=user)
    return charge_json(charge)


@api.endpoint("PUT", "/defendants/<int:defendant_id>/outcome", roles=WRITERS, body=OutcomeIn,
              response=DefendantOut, tags=["defendants"],
              summary="Record or correct the defendant's outcome")
def put_outcome(defendant_id: int, body: OutcomeIn, user: User) -> dict[str, Any]:
    """CPS finalisation categories (DOMAIN.md 3.1); the date cannot precede the first charge or
    be in the future."""
    defendant = queries.get_defendant_for(user, defendant_id) or not_found()
    check_version(defendant, body.version)
    service.record_outcome(defendant, outcome=body.outcome, finalised_on=body.finalised_on,
                           principal_offence=body.principal_offence, actor=user)
    return defendant_json(defendant, user)


@api.endpoint("PUT", "/defendants/<int:defendant_id>/sentence", roles=WRITERS, body=SentenceIn,
              response=DefendantOut, tags=["defendants"],
              summary="Record or correct the sentence (a release date starts orders that run "
                      "from release)")
def put_sentence(defendant_id: int, body: SentenceIn, user: User) -> dict[str, Any]:
    """Only after a conviction. Setting or moving ``release_on`` starts or moves every order
    that runs from release and reschedules its alerts (through the release_date_changed
    signal)."""
    defendant = queries.get_defendant_for(user, defendant_id) or not_found()
    check_version(defendant, body.version)
    service.record_sentence(defendant, sentenced_on=body.sentenced_on,
                            custody_months=body.custody_months, release_on=body.release_on,
                            release_is_actual=body.release_is_actual, actor=user)
    return defendant_json(defendant, user)
