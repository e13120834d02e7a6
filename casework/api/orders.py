"""Ancillary orders (API.md "Ancillary orders"): record against a defendant, list, read, vary,
record breaches and discharge. Durations outside the statutory limits are a 422 naming the
limit and section (orders/rules.py). Status is computed from the dates and today."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field
from sqlalchemy.orm import selectinload

from casework.api import schemas as s
from casework.api.defendants import add_defendant_section
from casework.api.framework import api, check_version, not_found, page_of
from casework.audit import service as audit
from casework.auth.models import User
from casework.cases.queries import get_defendant_for
from casework.core import clock
from casework.orders import queries, service
from casework.orders.models import AncillaryOrder
from casework.orders.rules import ConditionKind, CourtLevel, OrderStatus, OrderType, StartTrigger, rule_for

READERS = ("admin", "lawyer", "offender_manager")
WRITERS = ("lawyer", "offender_manager")


class ConditionIn(s.RequestModel):
    text: s.LongText = Field(title="the wording of the condition")
    kind: s.OptionalChoice[ConditionKind] = Field(default=None, title="the kind of condition",
                                                  description="Defaults to prohibition")
    starts_on: s.OptionalDate = Field(default=None, title="the condition's start date")
    ends_on: s.OptionalDate = Field(default=None, title="the condition's end date")
    report_every_months: s.OptionalInt = Field(default=None, title="how often reports are due")


class OrderIn(s.RequestModel):
    type: s.Choice[OrderType] = Field(title="the order type")
    made_on: s.ApiDate = Field(title="the date the order was made")
    court: s.OptionalText = Field(default=None, title="the name of the court")
    court_level: s.OptionalChoice[CourtLevel] = Field(
        default=None, title="the level of the court",
        description="magistrates, crown_court or high_court; defaults to crown_court (high_court "
                    "where the Crown Court cannot make the order)")
    runs_from_release: s.Bool = Field(default=False, title="whether the order runs from release",
                                      description="A TRO always does")
    starts_on: s.OptionalDate = Field(default=None, title="the date the order comes into force",
                                      description="Defaults to the day it is made")
    ends_on: s.OptionalDate = Field(default=None, title="the end date")
    term_months: s.OptionalInt = Field(default=None, title="the length in months",
                                       description="For orders that run from release")
    indefinite: s.Bool = Field(default=False, title="whether the order runs until further order")
    life_sentence: s.Bool = Field(default=False, title="whether the person was sentenced to life")
    served_on: s.OptionalDate = Field(default=None, title="the date of service")
    check_interval_months: s.OptionalInt = Field(default=None, title="months between breach checks")
    conditions: list[ConditionIn] = Field(default_factory=list, title="the conditions", max_length=100)


class VariationIn(s.VersionedRequest):
    varied_on: s.ApiDate = Field(title="the date the order was varied")
    reason: s.LongText = Field(title="the reason for the variation")
    ends_on: s.OptionalDate = Field(default=None, title="the new end date")
    term_months: s.OptionalInt = Field(default=None, title="the new length in months")
    indefinite: s.Bool = Field(default=False, title="whether it now runs until further order")
    extended_pending_charge: s.Bool = Field(default=False, title="SCPO kept in force pending a charge",
                                            description="Serious Crime Act 2007, s.22E")
    conditions: list[ConditionIn] = Field(default_factory=list, title="conditions added", max_length=100)


class BreachIn(s.RequestModel):
    occurred_on: s.ApiDate = Field(title="the date of the breach")
    description: s.LongText = Field(title="what happened")


class DischargeIn(s.VersionedRequest):
    discharged_on: s.ApiDate = Field(title="the date the order was discharged")
    reason: s.LongText = Field(title="the reason for the discharge")
    consents: s.Bool = Field(default=False, title="whether the offender and chief officer consented",
                             description="Needed to discharge an SHPO or STPO within 5 years")


class OrderQuery(s.ListQuery):
    status: s.OptionalChoice[OrderStatus] = Field(default=None, title="the status")
    type: s.OptionalChoice[OrderType] = Field(default=None, title="the order type")
    unit: s.OptionalText = Field(default=None, title="the unit code")
    ending_before: s.OptionalDate = Field(default=None, title="ending before this date")


class ConditionOut(s.ResponseModel):
    id: int
    kind: str
    text: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    report_every_months: int | None
    next_report_due_on: dt.date | None


class BreachOut(s.ResponseModel):
    id: int
    version: int
    order_id: int
    occurred_on: dt.date
    description: str
    prosecution: str
    outcome: str | None


class OrderOut(s.ResponseModel):
    id: int
    version: int
    type: str
    type_name: str
    statute: str
    status: str
    defendant_id: int
    unit: str
    made_on: dt.date
    court: str | None
    court_level: str
    runs_from_release: bool
    starts_on: dt.date | None
    ends_on: dt.date | None
    term_months: int | None
    indefinite: bool
    served_on: dt.date | None
    discharged_on: dt.date | None
    replaced_by_id: int | None
    offender_manager_id: int | None
    next_check_due_on: dt.date | None
    breach_offence: str
    conditions: list[ConditionOut]
    breaches: list[BreachOut]


def _condition(c: Any) -> dict[str, Any]:
    return {"id": c.id, "kind": c.kind.value, "text": c.text, "starts_on": c.starts_on,
            "ends_on": c.ends_on, "report_every_months": c.report_every_months,
            "next_report_due_on": c.next_report_due_on}


def _breach(b: Any) -> dict[str, Any]:
    return {"id": b.id, "version": b.version, "order_id": b.order_id, "occurred_on": b.occurred_on,
            "description": b.description, "prosecution": b.prosecution.value, "outcome": b.outcome}


#: ``order_json`` reads each order's conditions and breaches: lists load them for the whole page
#: in one query each, not one per order.
WITH_CHILDREN = (selectinload(AncillaryOrder.conditions), selectinload(AncillaryOrder.breaches))


def order_json(o: AncillaryOrder) -> dict[str, Any]:
    rule = o.rule
    return {
        "id": o.id, "version": o.version, "type": o.type.value, "type_name": rule.name,
        "statute": rule.statute, "status": o.status(clock.today()).value,
        "defendant_id": o.defendant_id, "unit": o.unit.code, "made_on": o.made_on, "court": o.court,
        "court_level": o.court_level.value, "runs_from_release": o.runs_from_release,
        "starts_on": o.starts_on, "ends_on": o.ends_on, "term_months": o.term_months,
        "indefinite": o.indefinite, "served_on": o.served_on, "discharged_on": o.discharged_on,
        "replaced_by_id": o.replaced_by_id, "offender_manager_id": o.offender_manager_id,
        "next_check_due_on": o.next_check_due_on, "breach_offence": rule.breach_offence,
        "conditions": [_condition(c) for c in o.conditions],
        "breaches": [_breach(b) for b in o.breaches]}


def _conditions(items: list[ConditionIn]) -> list[service.ConditionInput]:
    return [service.ConditionInput(text=c.text, kind=c.kind or ConditionKind.PROHIBITION,
                                   starts_on=c.starts_on, ends_on=c.ends_on,
                                   report_every_months=c.report_every_months) for c in items]


def _trigger(body: OrderIn) -> StartTrigger:
    rule = rule_for(body.type)
    if body.runs_from_release or rule.triggers == (StartTrigger.ON_RELEASE,):
        return StartTrigger.ON_RELEASE
    if body.starts_on is not None and body.starts_on != body.made_on:
        return StartTrigger.ON_DATE_SPECIFIED
    return StartTrigger.ON_MAKING


def _court_level(body: OrderIn) -> CourtLevel:
    if body.court_level is not None:
        return body.court_level
    courts = rule_for(body.type).courts
    return CourtLevel.CROWN_COURT if CourtLevel.CROWN_COURT in courts else CourtLevel.HIGH_COURT


def _order_or_404(user: User, order_id: int) -> AncillaryOrder:
    return queries.order_with_everything(user, order_id) or not_found()


@api.endpoint("POST", "/defendants/<int:defendant_id>/orders", roles=WRITERS, body=OrderIn,
              response=OrderOut, status=201, tags=["orders"], summary="Record an ancillary order")
def create_ancillary_order(defendant_id: int, body: OrderIn, user: User) -> dict[str, Any]:
    """``starts_on`` defaults to the day the order is made; an order that runs from release (a
    TRO always) takes the defendant's release date, or stays ``pending_release`` until one is
    known. A duration the statute does not allow is a 422 naming the limit and section."""
    defendant = get_defendant_for(user, defendant_id) or not_found()
    order = service.record_order(
        defendant, type=body.type, made_on=body.made_on, court_level=_court_level(body),
        court=body.court, start_trigger=_trigger(body), starts_on=body.starts_on, ends_on=body.ends_on,
        term_months=body.term_months, indefinite=body.indefinite, life_sentence=body.life_sentence,
        conditions=_conditions(body.conditions), served_on=body.served_on,
        check_interval_months=body.check_interval_months, actor=user)
    return order_json(order)


@api.endpoint("GET", "/orders", roles=READERS, query=OrderQuery, response=s.Page[OrderOut],
              tags=["orders"], summary="Orders in the user's units, soonest end first")
def list_ancillary_orders(query: OrderQuery, user: User) -> dict[str, Any]:
    from casework.units.queries import unit_by_code

    unit = unit_by_code(query.unit) if query.unit else None
    f = queries.RegisterFilter(type=query.type, status=query.status.value if query.status else "all",
                               ending_before=query.ending_before,
                               unit_id=(unit.id if unit else -1) if query.unit else None)
    stmt = queries.register(user, f, clock.today()).options(*WITH_CHILDREN)
    return page_of(stmt, queries.sort_keys(f), query, order_json, key_of=lambda o: [o.ends_on, o.id])


@api.endpoint("GET", "/orders/<int:order_id>", roles=READERS, response=OrderOut, tags=["orders"],
              summary="One ancillary order with its conditions and breaches")
def get_ancillary_order(order_id: int, user: User) -> dict[str, Any]:
    """Each read is audited as a consultation (DPA 2018 s.62)."""
    order = _order_or_404(user, order_id)
    audit.record("consult", object_type="ancillary_order", object_id=order.id,
                 case_id=order.defendant.case_id, actor=user,
                 summary=f"{order.rule.short} for {order.defendant.full_name} viewed through the API")
    return order_json(order)


@api.endpoint("POST", "/orders/<int:order_id>/variations", roles=WRITERS, body=VariationIn,
              response=OrderOut, status=201, tags=["orders"], summary="Vary or renew an order")
def vary_ancillary_order(order_id: int, body: VariationIn, user: User) -> dict[str, Any]:
    """The new duration is held to the same statutory limits, measured from the start."""
    order = _order_or_404(user, order_id)
    check_version(order, body.version)
    service.vary_order(order, varied_on=body.varied_on, reason=body.reason, ends_on=body.ends_on,
                       term_months=body.term_months, indefinite=True if body.indefinite else None,
                       extended_pending_charge=body.extended_pending_charge,
                       conditions=_conditions(body.conditions), actor=user)
    return order_json(order)


@api.endpoint("POST", "/orders/<int:order_id>/breaches", roles=WRITERS, body=BreachIn,
              response=BreachOut, status=201, tags=["orders"], summary="Record a breach")
def record_ancillary_order_breach(order_id: int, body: BreachIn, user: User) -> dict[str, Any]:
    order = _order_or_404(user, order_id)
    return _breach(service.record_breach(order, occurred_on=body.occurred_on,
                                         description=body.description, actor=user))


@api.endpoint("POST", "/orders/<int:order_id>/discharge", roles=WRITERS, body=DischargeIn,
              response=OrderOut, tags=["orders"], summary="Discharge an order")
def discharge_ancillary_order(order_id: int, body: DischargeIn, user: User) -> dict[str, Any]:
    """SHPO and STPO: not within 5 years without consents (SA 2020 s.350; MSA 2015 s.20)."""
    order = _order_or_404(user, order_id)
    check_version(order, body.version)
    service.discharge_order(order, discharged_on=body.discharged_on, reason=body.reason,
                            consents=body.consents, actor=user)
    return order_json(order)


add_defendant_section("orders", lambda defendant, user: [
    order_json(o) for o in queries.orders_for_defendant(user, defendant.id, options=WITH_CHILDREN)])
