"""Confiscation (API.md "Confiscation"): orders with their s.35(2A) default term and balances as
of any day (interest under POCA s.12), idempotent payments, reversals, time-to-pay extension,
enforcement steps, reconsideration and write-off. Restraint orders and the timetable are in
``casework/api/restraint.py``. Statutory refusals are 422s naming the section."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, jsonify, make_response, request
from pydantic import Field

from casework.api import schemas as s
from casework.api.defendants import add_defendant_section
from casework.api.framework import api, check_version, invalid, not_found, page_of
from casework.audit import service as audit
from casework.auth.models import User
from casework.cases.queries import get_defendant_for
from casework.confiscation import enforcement, ledger, queries, service
from casework.confiscation.models import (
    ConfiscationOrder,
    EnforcementKind,
    OrderStatus,
    Payment,
    ReconsiderationOutcome,
)
from casework.confiscation.rules import Reconsideration
from casework.confiscation.transactions import commit_with_retry
from casework.core import clock
from casework.core.pagination import SortKey
from casework.core.validation import ValidationError

READERS = ("admin", "lawyer", "offender_manager")
WRITERS = ("lawyer",)
TAGS = ["confiscation"]


class ConfiscationOrderIn(s.RequestModel):
    made_on: s.ApiDate = Field(title="the date the order was made")
    benefit: s.MoneyIn = Field(title="the benefit figure")
    available_amount: s.MoneyIn = Field(title="the available amount")
    amount: s.MoneyIn = Field(title="the order amount")
    due_on: s.OptionalDate = Field(default=None, title="the date payment is due",
                                   description="Defaults to the day the order is made (POCA s.11)")
    court: s.OptionalText = Field(default=None, title="the court")
    compensation_amount: s.OptionalMoneyIn = Field(default=None, title="compensation paid out of the order",
                                                   description="POCA s.13")
    default_term_months: s.OptionalInt = Field(
        default=None, title="the default term fixed by the court, in months",
        description="Defaults to the POCA s.35(2A) maximum for the amount; required for orders made "
                    "before 1 June 2015")


class OrderQuery(s.RequestModel):
    as_of: s.OptionalDate = Field(default=None, title="the day of the balance",
                                  description="Defaults to today")


class OrderListQuery(s.ListQuery):
    status: s.OptionalChoice[OrderStatus] = Field(default=None, title="the status")


class ConfiscationOrderOut(s.ResponseModel):
    id: int
    version: int
    defendant_id: int
    case_id: int
    status: str
    made_on: dt.date
    court: str | None
    regime: str
    benefit: s.Money
    available_amount: s.Money
    original_amount: s.Money
    amount: s.Money
    compensation_amount: s.OptionalMoney
    compensation_paid: s.Money
    due_on: dt.date
    extension_applied_on: dt.date | None
    extension_decided_on: dt.date | None
    extended_due_on: dt.date | None
    effective_due_on: dt.date
    latest_extended_due_on: dt.date
    default_term_months: int
    max_default_term_months: int | None
    no_automatic_release: bool
    satisfied_on: dt.date | None
    written_off_on: dt.date | None
    as_of: dt.date
    paid: s.Money
    interest: s.Money
    principal_outstanding: s.Money
    outstanding: s.Money


class PaymentIn(s.RequestModel):
    received_on: s.ApiDate = Field(title="the date the payment was received")
    amount: s.MoneyIn = Field(title="the amount")
    reference: s.OptionalText = Field(default=None, title="the reference")
    note: s.OptionalLongText = Field(default=None, title="a note")


class PaymentOut(s.ResponseModel):
    id: int
    order_id: int
    received_on: dt.date
    amount: s.Money
    reverses_id: int | None
    reference: str | None
    note: str | None
    idempotency_key: str | None
    recorded_at: dt.datetime


class ReversalIn(s.RequestModel):
    reversed_on: s.ApiDate = Field(title="the date of the reversal")
    reason: s.LongText = Field(title="why the payment is reversed")


class ExtensionIn(s.VersionedRequest):
    applied_on: s.ApiDate = Field(title="the date the defendant applied to extend (s.11(4))")
    decided_on: s.OptionalDate = Field(default=None, title="the date the court decided")
    extended_due_on: s.OptionalDate = Field(default=None, title="the new date payment is due")


class EnforcementIn(s.RequestModel):
    kind: s.Choice[EnforcementKind] = Field(title="the enforcement step")
    taken_on: s.ApiDate = Field(title="the date of the step")
    result: s.OptionalLongText = Field(default=None, title="the result")
    next_due_on: s.OptionalDate = Field(default=None, title="the date the next action is due")


class EnforcementOut(s.ResponseModel):
    id: int
    order_id: int
    kind: str
    taken_on: dt.date
    result: str | None
    next_due_on: dt.date | None


class ReconsiderationIn(s.RequestModel):
    section: s.Choice[Reconsideration] = Field(title="the section applied under")
    applied_on: s.ApiDate = Field(title="the date of the application")
    outcome: s.OptionalChoice[ReconsiderationOutcome] = Field(default=None, title="the decision",
                                                              description="Defaults to pending")
    decided_on: s.OptionalDate = Field(default=None, title="the date of the decision")
    new_benefit: s.OptionalMoneyIn = Field(default=None, title="the new benefit figure")
    new_available_amount: s.OptionalMoneyIn = Field(default=None, title="the new available amount")
    new_amount: s.OptionalMoneyIn = Field(default=None, title="the new order amount")
    new_default_term_months: s.OptionalInt = Field(default=None, title="the new default term (s.39)")


class ReconsiderationOut(s.ResponseModel):
    id: int
    order_id: int
    section: str
    applied_on: dt.date
    outcome: str
    decided_on: dt.date | None
    new_amount: s.OptionalMoney


class WriteOffIn(s.RequestModel):
    written_off_on: s.ApiDate = Field(title="the date written off")
    reason: s.LongText = Field(title="why the order is written off")


def _balances(orders: list[ConfiscationOrder], as_of: dt.date) -> dict[int, Any]:
    try:
        return ledger.balances(orders, as_of)
    except ValueError as exc:  # no judgment-debt rate that far back
        invalid({"as_of": [str(exc)]})


def order_json(order: ConfiscationOrder, as_of: dt.date | None = None, balance: Any = None) -> dict[str, Any]:
    """The order with its balance as of ``as_of`` (pass ``balance`` when a list has already
    computed every order's in one go)."""
    as_of = as_of or clock.today()
    b = balance or _balances([order], as_of)[order.id]
    from casework.confiscation import rules

    return {
        **{k: getattr(order, k) for k in (
            "id", "version", "defendant_id", "case_id", "made_on", "court", "benefit", "available_amount",
            "original_amount", "amount", "compensation_amount", "due_on", "extension_applied_on",
            "extension_decided_on", "extended_due_on", "effective_due_on", "default_term_months",
            "max_default_term_months", "no_automatic_release", "satisfied_on", "written_off_on")},
        "status": order.status.value, "regime": order.regime.value,
        "latest_extended_due_on": rules.time_to_pay_limits(order.made_on).latest_extended_on,
        "compensation_paid": rules.compensation_paid(b.paid, order.compensation_amount),
        "as_of": as_of, "paid": b.paid, "interest": b.interest,
        "principal_outstanding": b.principal_outstanding, "outstanding": b.outstanding}


def _order_or_404(user: User, order_id: int) -> ConfiscationOrder:
    return queries.get_order_for(user, order_id) or not_found()


@api.endpoint("POST", "/defendants/<int:defendant_id>/confiscation-orders", roles=WRITERS,
              body=ConfiscationOrderIn, response=ConfiscationOrderOut, status=201, tags=TAGS,
              summary="Record a confiscation order")
def create_confiscation_order(defendant_id: int, body: ConfiscationOrderIn, user: User) -> dict[str, Any]:
    """``default_term_months`` follows the POCA s.35(2A) bands for ``amount`` unless the court
    fixed a shorter term; ``due_on`` may be at most 3 months after the order (s.11)."""
    defendant = get_defendant_for(user, defendant_id) or not_found()
    order = service.make_order(
        defendant, made_on=body.made_on, benefit=body.benefit, available_amount=body.available_amount,
        amount=body.amount, due_on=body.due_on, court=body.court,
        compensation_amount=body.compensation_amount, default_term_months=body.default_term_months,
        actor=user)
    return order_json(order)


@api.endpoint("GET", "/confiscation-orders", roles=READERS, query=OrderListQuery,
              response=s.Page[ConfiscationOrderOut], tags=TAGS, summary="List confiscation orders")
def list_confiscation_orders(query: OrderListQuery, user: User) -> dict[str, Any]:
    stmt = queries.visible_orders(user)
    if query.status is not None:
        stmt = stmt.where(ConfiscationOrder.status == query.status)
    keys = [SortKey(ConfiscationOrder.id, kind="int")]
    page = page_of(stmt, keys, query, lambda o: o, key_of=lambda o: [o.id])
    return {**page, "items": _orders_json(page["items"])}


@api.endpoint("GET", "/confiscation-orders/<int:order_id>", roles=READERS, query=OrderQuery,
              response=ConfiscationOrderOut, tags=TAGS, summary="Read a confiscation order and its balance")
def get_confiscation_order(order_id: int, query: OrderQuery, user: User) -> dict[str, Any]:
    """``paid``, ``interest`` and ``outstanding`` as of ``as_of`` (end of that day): interest at
    the judgment-debt rate on what is unpaid of the order after the due date (POCA s.12)."""
    order = _order_or_404(user, order_id)
    audit.record("consult", object_type="confiscation_order", object_id=order.id, case_id=order.case_id,
                 actor=user, summary=f"{user.name} read confiscation order {order.id} through the API")
    return order_json(order, query.as_of)


def _payment_json(p: Payment) -> dict[str, Any]:
    return PaymentOut.model_validate(p).model_dump(mode="json")


@api.endpoint("POST", "/confiscation-orders/<int:order_id>/payments", roles=WRITERS, body=PaymentIn,
              response=PaymentOut, status=201, tags=TAGS, summary="Record a payment (idempotent)")
def create_confiscation_payment(order_id: int, body: PaymentIn, user: User) -> Response:
    """Send an ``Idempotency-Key`` header (up to 100 characters): the same key again returns the
    first payment (200, header ``Idempotent-Replayed: true``) and never records a second one; the
    same key with a different amount or date is a 422. Payments are never edited: reverse one."""
    order = _order_or_404(user, order_id)
    key = request.headers.get("Idempotency-Key")

    def work() -> tuple[dict[str, Any], bool]:
        payment, created = service.record_payment(order, received_on=body.received_on, amount=body.amount,
                                                  idempotency_key=key, reference=body.reference,
                                                  note=body.note, actor=user)
        return _payment_json(payment), created

    try:
        payload, created = commit_with_retry(work)
    except ValidationError as exc:
        invalid(exc.errors)
    response = make_response(jsonify(payload), 201 if created else 200)
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@api.endpoint("GET", "/confiscation-orders/<int:order_id>/payments", roles=READERS,
              response=s.Page[PaymentOut], query=s.ListQuery, tags=TAGS, summary="The payment ledger")
def list_confiscation_payments(order_id: int, query: s.ListQuery, user: User) -> dict[str, Any]:
    order = _order_or_404(user, order_id)
    import sqlalchemy as sa

    stmt = sa.select(Payment).where(Payment.order_id == order.id)
    return page_of(stmt, [SortKey(Payment.id, kind="int")], query, lambda p: p, key_of=lambda p: [p.id])


@api.endpoint("POST", "/confiscation-orders/<int:order_id>/payments/<int:payment_id>/reversal",
              roles=WRITERS, body=ReversalIn, response=PaymentOut, status=201, tags=TAGS,
              summary="Reverse a payment")
def reverse_confiscation_payment(order_id: int, payment_id: int, body: ReversalIn, user: User) -> Any:
    """Adds a negative entry that references the payment; the original stays in the ledger."""
    order = _order_or_404(user, order_id)
    payment = queries.get_payment_for(user, order, payment_id) or not_found()
    return service.reverse_payment(payment, reversed_on=body.reversed_on, reason=body.reason, actor=user)


@api.endpoint("PUT", "/confiscation-orders/<int:order_id>/extension", roles=WRITERS, body=ExtensionIn,
              response=ConfiscationOrderOut, tags=TAGS, summary="Record an application to extend time to pay")
def put_confiscation_extension(order_id: int, body: ExtensionIn, user: User) -> dict[str, Any]:
    """Pending (no decision), granted (``extended_due_on``, at most 6 months from the order;
    12 before 1 June 2015) or refused (a decision with no new date). POCA s.11(4)-(5)."""
    order = _order_or_404(user, order_id)
    check_version(order, body.version)
    service.record_extension(order, applied_on=body.applied_on, decided_on=body.decided_on,
                             extended_due_on=body.extended_due_on, actor=user)
    return order_json(order)


@api.endpoint("POST", "/confiscation-orders/<int:order_id>/enforcement-steps", roles=WRITERS,
              body=EnforcementIn, response=EnforcementOut, status=201, tags=TAGS,
              summary="Record an enforcement step")
def create_enforcement_step(order_id: int, body: EnforcementIn, user: User) -> Any:
    """Receiver (POCA s.50), default-term activation (s.35), compliance order (s.13A) or other."""
    order = _order_or_404(user, order_id)
    step = enforcement.record_enforcement(order, kind=body.kind, taken_on=body.taken_on, result=body.result,
                                          next_due_on=body.next_due_on, actor=user)
    return {"id": step.id, "order_id": step.order_id, "kind": step.kind.value, "taken_on": step.taken_on,
            "result": step.result, "next_due_on": step.next_due_on}


@api.endpoint("POST", "/confiscation-orders/<int:order_id>/reconsiderations", roles=WRITERS,
              body=ReconsiderationIn, response=ReconsiderationOut, status=201, tags=TAGS,
              summary="Record a reconsideration application")
def create_reconsideration(order_id: int, body: ReconsiderationIn, user: User) -> Any:
    """ss.19-21 within 6 years of conviction; s.22 any time (available amount capped at the
    benefit). A granted application with ``new_amount`` varies the order from ``decided_on``."""
    order = _order_or_404(user, order_id)
    r = enforcement.record_reconsideration(
        order, section=body.section, applied_on=body.applied_on,
        outcome=body.outcome or ReconsiderationOutcome.PENDING, decided_on=body.decided_on,
        new_benefit=body.new_benefit, new_available_amount=body.new_available_amount,
        new_amount=body.new_amount, new_default_term_months=body.new_default_term_months, actor=user)
    return {"id": r.id, "order_id": r.order_id, "section": r.section.value, "applied_on": r.applied_on,
            "outcome": r.outcome.value, "decided_on": r.decided_on, "new_amount": r.new_amount}


@api.endpoint("POST", "/confiscation-orders/<int:order_id>/write-off", roles=WRITERS, body=WriteOffIn,
              response=ConfiscationOrderOut, tags=TAGS, summary="Write off a confiscation order")
def write_off_confiscation_order(order_id: int, body: WriteOffIn, user: User) -> dict[str, Any]:
    order = _order_or_404(user, order_id)
    enforcement.write_off_order(order, written_off_on=body.written_off_on, reason=body.reason, actor=user)
    return order_json(order)


def _orders_json(orders: list[ConfiscationOrder]) -> list[dict[str, Any]]:
    """Several orders with their balances, computed together (three queries, not three each)."""
    today = clock.today()
    balances = _balances(orders, today)
    return [order_json(o, today, balances[o.id]) for o in orders]


add_defendant_section("confiscation", lambda defendant, user: _orders_json(queries.orders_for(defendant.id)))
