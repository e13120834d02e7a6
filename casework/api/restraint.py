"""Restraint orders (POCA ss.40-42) and the confiscation timetable per defendant (ss.6, 14, 16,
17, 75): record, read, and record what happened. 422s name the section."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from casework.api import schemas as s
from casework.api.framework import api, check_version, not_found
from casework.audit import service as audit
from casework.auth.models import User
from casework.cases.queries import get_defendant_for
from casework.confiscation import queries, restraint
from casework.confiscation.models import (
    ConfiscationProceeding,
    LifestyleBasis,
    RestraintEventKind,
    RestraintOrder,
)
from casework.confiscation.rules import RestraintCondition

READERS = ("admin", "lawyer", "offender_manager")
WRITERS = ("lawyer",)
TAGS = ["confiscation"]


class RestraintIn(s.RequestModel):
    condition: s.Choice[RestraintCondition] = Field(title="the s.40 condition relied on")
    applied_on: s.ApiDate = Field(title="the date of the application")
    made_on: s.OptionalDate = Field(default=None, title="the date the order was made")
    court: s.OptionalText = Field(default=None, title="the court")
    next_report_due_on: s.OptionalDate = Field(
        default=None, title="the date the next progress report is due",
        description="Required for an order made on the investigation condition (POCA s.41)")
    notes: s.OptionalLongText = Field(default=None, title="notes")


class RestraintEventIn(s.VersionedRequest):
    kind: s.Choice[RestraintEventKind] = Field(title="what happened",
                                               description="made, refused, varied, reported or discharged")
    occurred_on: s.ApiDate = Field(title="the date")
    details: s.OptionalLongText = Field(default=None, title="details",
                                        description="Required for a discharge")
    next_report_due_on: s.OptionalDate = Field(default=None, title="the next progress report date")


class RestraintEventOut(s.ResponseModel):
    kind: str
    occurred_on: dt.date
    details: str | None


class RestraintOut(s.ResponseModel):
    id: int
    version: int
    defendant_id: int
    case_id: int
    condition: str
    pre_charge: bool
    status: str
    court: str | None
    applied_on: dt.date
    made_on: dt.date | None
    last_varied_on: dt.date | None
    next_report_due_on: dt.date | None
    discharged_on: dt.date | None
    apply_to_discharge: bool
    events: list[RestraintEventOut]


class TimetableIn(s.VersionedRequest):
    convicted_on: s.ApiDate = Field(title="the date of conviction")
    asked_on: s.OptionalDate = Field(default=None, title="the date the prosecutor asked the court (s.6)")
    appeal_determined_on: s.OptionalDate = Field(default=None,
                                                 title="the date a conviction appeal was decided")
    exceptional_circumstances: s.Bool = Field(default=False, title="exceptional circumstances (s.14)")
    s16_due_on: s.OptionalDate = Field(default=None, title="the date the s.16 statement is due")
    s16_served_on: s.OptionalDate = Field(default=None, title="the date the s.16 statement was served")
    s17_due_on: s.OptionalDate = Field(default=None, title="the date the s.17 response is due")
    s17_served_on: s.OptionalDate = Field(default=None, title="the date the s.17 response was served")
    hearing_on: s.OptionalDate = Field(default=None, title="the confiscation hearing date")
    lifestyle: bool | None = Field(default=None, title="whether the court found a criminal lifestyle (s.75)")
    lifestyle_basis: s.OptionalChoice[LifestyleBasis] = Field(default=None, title="the s.75 limb")


class TimetableOut(s.ResponseModel):
    id: int
    version: int
    defendant_id: int
    convicted_on: dt.date
    asked_on: dt.date | None
    appeal_determined_on: dt.date | None
    exceptional_circumstances: bool
    postponement_limit: dt.date
    s16_due_on: dt.date | None
    s16_served_on: dt.date | None
    s17_due_on: dt.date | None
    s17_served_on: dt.date | None
    hearing_on: dt.date | None
    lifestyle: bool | None
    lifestyle_basis: str | None
    reconsideration_deadline: dt.date


def restraint_json(r: RestraintOrder) -> dict[str, Any]:
    return {**{k: getattr(r, k) for k in ("id", "version", "defendant_id", "case_id", "court", "applied_on",
                                           "made_on", "last_varied_on", "next_report_due_on",
                                           "discharged_on")},
            "condition": r.condition.value, "pre_charge": r.condition.pre_charge, "status": r.status.value,
            "apply_to_discharge": r.live and queries.restraint_needs_discharge(r.defendant_id),
            "events": [{"kind": e.kind.value, "occurred_on": e.occurred_on, "details": e.details}
                       for e in r.events]}


def timetable_json(p: ConfiscationProceeding) -> dict[str, Any]:
    return {**{k: getattr(p, k) for k in TimetableOut.model_fields if k != "lifestyle_basis"},
            "lifestyle_basis": p.lifestyle_basis.value if p.lifestyle_basis else None}


@api.endpoint("POST", "/defendants/<int:defendant_id>/restraint-orders", roles=WRITERS, body=RestraintIn,
              response=RestraintOut, status=201, tags=TAGS, summary="Record a restraint order")
def create_restraint_order(defendant_id: int, body: RestraintIn, user: User) -> dict[str, Any]:
    """An application (and, with ``made_on``, the order). A pre-charge order must set the next
    progress-report date (POCA s.41)."""
    defendant = get_defendant_for(user, defendant_id) or not_found()
    order = restraint.record_restraint(
        defendant, condition=body.condition, applied_on=body.applied_on, made_on=body.made_on,
        court=body.court, next_report_due_on=body.next_report_due_on, notes=body.notes, actor=user)
    return restraint_json(order)


@api.endpoint("GET", "/restraint-orders/<int:restraint_id>", roles=READERS, response=RestraintOut,
              tags=TAGS, summary="Read a restraint order")
def get_restraint_order(restraint_id: int, user: User) -> dict[str, Any]:
    order = queries.get_restraint_for(user, restraint_id) or not_found()
    audit.record("consult", object_type="restraint_order", object_id=order.id, case_id=order.case_id,
                 actor=user, summary=f"{user.name} read restraint order {order.id} through the API")
    return restraint_json(order)


@api.endpoint("POST", "/restraint-orders/<int:restraint_id>/events", roles=WRITERS, body=RestraintEventIn,
              response=RestraintOut, status=201, tags=TAGS,
              summary="Record that a restraint order was made, refused, varied, reported on or discharged")
def create_restraint_event(restraint_id: int, body: RestraintEventIn, user: User) -> dict[str, Any]:
    order = queries.get_restraint_for(user, restraint_id) or not_found()
    check_version(order, body.version)
    restraint.record_restraint_event(order, kind=body.kind, occurred_on=body.occurred_on,
                                     details=body.details, next_report_due_on=body.next_report_due_on,
                                     actor=user)
    return restraint_json(order)


@api.endpoint("GET", "/defendants/<int:defendant_id>/confiscation-timetable", roles=READERS,
              response=TimetableOut, tags=TAGS, summary="Read the confiscation timetable")
def get_confiscation_timetable(defendant_id: int, user: User) -> dict[str, Any]:
    defendant = get_defendant_for(user, defendant_id) or not_found()
    proceeding = queries.proceeding_for(defendant.id) or not_found()
    audit.record("consult", object_type="confiscation_proceeding", object_id=proceeding.id,
                 case_id=proceeding.case_id, actor=user,
                 summary=f"{user.name} read the confiscation timetable of {defendant.full_name} "
                         "through the API")
    return timetable_json(proceeding)


@api.endpoint("PUT", "/defendants/<int:defendant_id>/confiscation-timetable", roles=WRITERS,
              body=TimetableIn, response=TimetableOut, tags=TAGS, summary="Set the confiscation timetable")
def put_confiscation_timetable(defendant_id: int, body: TimetableIn, user: User) -> dict[str, Any]:
    """Conviction, s.16/s.17 dates, hearing and s.75 lifestyle. A hearing more than 2 years after
    conviction needs exceptional circumstances (POCA s.14)."""
    defendant = get_defendant_for(user, defendant_id) or not_found()
    current = queries.proceeding_for(defendant.id)
    if current is not None:
        check_version(current, body.version)
    values = body.model_dump(exclude={"version"})
    return timetable_json(restraint.set_timetable(defendant, **values, actor=user))
