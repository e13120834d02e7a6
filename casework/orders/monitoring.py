"""Managing an order once made: service, breaches, compliance checks and their schedules,
assignment to offender managers, and TRO suspensions. Same conventions as ``service.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from casework.audit import service as audit
from casework.auth.models import User
from casework.core import clock, signals
from casework.core.templating import display_value
from casework.core.validation import Problems, ValidationError
from casework.extensions import db
from casework.orders import rules
from casework.orders.models import (
    AncillaryOrder,
    CheckResult,
    ComplianceCheck,
    OrderBreach,
    OrderCondition,
    OrderSuspension,
    Prosecution,
    ServiceMethod,
)
from casework.orders.rules import OrderType


def _service():  # type: ignore[no-untyped-def]
    from casework.orders import service

    return service


def _date_between(problems: Problems, field: str, value: dt.date | None, what: str,
                  earliest: dt.date, today: dt.date) -> None:
    if value is None:
        problems.add(field, f"Enter {what}")
    elif value < earliest or value > today:
        problems.add(field, f"{what[0].upper()}{what[1:]} must be between the day the order was made "
                            "and today")


def _log(order: AncillaryOrder, action: str, summary: str, actor: User | None,
         changes: dict[str, Any] | None = None, reason: str | None = None) -> None:
    audit.record(action, object_type="ancillary_order", object_id=order.id,
                 case_id=order.defendant.case_id, actor=actor, summary=summary, changes=changes,
                 reason=reason)


def record_service(order: AncillaryOrder, *, served_on: dt.date | None,
                   method: ServiceMethod | str | None, actor: User | None,
                   version: int | None = None, today: dt.date | None = None) -> AncillaryOrder:
    """Record how and when the subject was bound (SCA 2007 s.10: present at the hearing, or
    served a notice in person or by recorded delivery)."""
    svc = _service()
    svc.ensure_version(order, version)
    today = today or clock.today()
    problems = Problems()
    _date_between(problems, "served_on", served_on, "the date of service", order.made_on, today)
    chosen = svc._enum(problems, "method", ServiceMethod, method, "Choose how the order was served")
    problems.raise_if_any()
    old = {"served_on": order.served_on, "service_method": order.service_method}
    order.served_on, order.service_method = served_on, chosen
    db.session.flush()
    changes, sentences = audit.describe_changes(
        {"served_on": "Served on", "service_method": "How served"}, old,
        {"served_on": order.served_on, "service_method": order.service_method})
    _log(order, "alter", f"Service of {order.rule.short} recorded: {'; '.join(sentences)}", actor,
         changes)
    signals.order_dates_changed.send(order, actor=actor)
    return order


def record_breach(order: AncillaryOrder, *, occurred_on: dt.date | None, description: str | None,
                  prosecution: Prosecution | str = Prosecution.NOT_DECIDED, outcome: str | None = None,
                  outcome_on: dt.date | None = None, actor: User | None,
                  today: dt.date | None = None) -> OrderBreach:
    """Record a breach (an offence: rules.OrderRule.breach_offence) and the prosecution's state."""
    svc = _service()
    today = today or clock.today()
    problems = Problems()
    _date_between(problems, "occurred_on", occurred_on, "the date of the breach", order.made_on, today)
    text = svc._text(problems, "description", description, "what happened")
    status = svc._enum(problems, "prosecution", Prosecution, prosecution, "Choose the prosecution status")
    result = svc._text(problems, "outcome", outcome, "the outcome", required=False)
    if outcome_on is not None and occurred_on is not None and outcome_on < occurred_on:
        problems.add("outcome_on", "The outcome date must be on or after the date of the breach")
    problems.raise_if_any()
    breach = OrderBreach(order_id=order.id, occurred_on=occurred_on, description=text,
                         prosecution=status, outcome=result or None, outcome_on=outcome_on,
                         created_at=clock.now())
    order.breaches.append(breach)
    db.session.flush()
    _log(order, "collect", f"Breach of {order.rule.short} on {display_value(occurred_on)} recorded "
                           f"({order.rule.breach_offence})", actor)
    return breach


def update_breach(breach: OrderBreach, *, prosecution: Prosecution | str, outcome: str | None,
                  outcome_on: dt.date | None, actor: User | None,
                  version: int | None = None) -> OrderBreach:
    svc = _service()
    svc.ensure_version(breach, version)
    problems = Problems()
    status = svc._enum(problems, "prosecution", Prosecution, prosecution, "Choose the prosecution status")
    result = svc._text(problems, "outcome", outcome, "the outcome", required=False)
    if outcome_on is not None and outcome_on < breach.occurred_on:
        problems.add("outcome_on", "The outcome date must be on or after the date of the breach")
    problems.raise_if_any()
    labels = {"prosecution": "Prosecution", "outcome": "Outcome", "outcome_on": "Outcome date"}
    old = {k: getattr(breach, k) for k in labels}
    breach.prosecution, breach.outcome, breach.outcome_on = status, result or None, outcome_on
    db.session.flush()
    changes, sentences = audit.describe_changes(labels, old, {k: getattr(breach, k) for k in labels})
    order = db.session.get(AncillaryOrder, breach.order_id)
    assert order is not None
    _log(order, "alter", f"Breach of {display_value(breach.occurred_on)} updated: "
                         f"{'; '.join(sentences) or 'no change'}", actor, changes or None)
    return breach


def set_check_schedule(order: AncillaryOrder, *, interval_months: int | None,
                       next_due_on: dt.date | None = None, actor: User | None,
                       version: int | None = None) -> AncillaryOrder:
    """Set how often breach checks fall due and (optionally) when the next one is."""
    svc = _service()
    svc.ensure_version(order, version)
    problems = Problems()
    svc._months(problems, "interval_months", interval_months, "How often checks are due")
    problems.raise_if_any()
    labels = {"check_interval_months": "Check every (months)", "next_check_due_on": "Next check due"}
    old = {k: getattr(order, k) for k in labels}
    order.check_interval_months = interval_months
    if next_due_on is not None:
        order.next_check_due_on = next_due_on
    elif interval_months and order.starts_on:
        last = order.checks[0].checked_on if order.checks else order.starts_on
        order.next_check_due_on = rules.add_months(last, interval_months)
    elif not interval_months:
        order.next_check_due_on = None
    db.session.flush()
    changes, sentences = audit.describe_changes(labels, old, {k: getattr(order, k) for k in labels})
    _log(order, "alter", f"Check schedule changed: {'; '.join(sentences) or 'no change'}", actor,
         changes or None)
    signals.order_dates_changed.send(order, actor=actor)
    return order


def record_compliance_check(order: AncillaryOrder, *, checked_on: dt.date | None,
                            result: CheckResult | str, notes: str | None = None,
                            condition: OrderCondition | None = None, actor: User | None,
                            today: dt.date | None = None) -> ComplianceCheck:
    """Record a breach check (or a report received under one condition's schedule); the next
    check falls due one interval after this one."""
    svc = _service()
    today = today or clock.today()
    problems = Problems()
    _date_between(problems, "checked_on", checked_on, "the date of the check", order.made_on, today)
    chosen = svc._enum(problems, "result", CheckResult, result, "Choose the result of the check")
    text = svc._text(problems, "notes", notes, "notes", required=False)
    if condition is not None and condition.order_id != order.id:
        problems.add("condition", "Choose a condition of this order")
    problems.raise_if_any()
    assert checked_on is not None
    check = ComplianceCheck(order_id=order.id, condition=condition, checked_on=checked_on,
                            result=chosen, notes=text or None, checked_by_id=actor.id if actor else None,
                            created_at=clock.now())
    order.checks.insert(0, check)
    if condition is not None and condition.report_every_months:
        condition.next_report_due_on = rules.add_months(checked_on, condition.report_every_months)
    elif condition is None and order.check_interval_months:
        order.next_check_due_on = rules.add_months(checked_on, order.check_interval_months)
    db.session.flush()
    what = f"report under condition '{condition.text[:60]}'" if condition else "breach check"
    _log(order, "collect", f"{what[0].upper()}{what[1:]} on {display_value(checked_on)} recorded: "
                           f"{chosen.label}", actor)
    signals.order_dates_changed.send(order, actor=actor)
    return check


def assign_orders(orders: Sequence[AncillaryOrder], *, offender_manager: User | None,
                  actor: User | None) -> int:
    """Assign (or reassign in bulk) orders to an offender manager, who must work in each order's
    unit. All or nothing: one unsuitable order refuses the lot."""
    svc = _service()
    problems = Problems()
    if not orders:
        problems.add("orders", "Select at least one order")
    for order in orders:
        svc._check_manager(problems, offender_manager, order.unit_id)
    if problems:
        raise ValidationError({k: sorted(set(v)) for k, v in problems.errors.items()})
    name = offender_manager.name if offender_manager else "nobody"
    changed = 0
    for order in orders:
        if order.offender_manager_id == (offender_manager.id if offender_manager else None):
            continue
        before = order.offender_manager.name if order.offender_manager else "nobody"
        order.offender_manager = offender_manager
        changed += 1
        db.session.flush()
        _log(order, "alter", f"{order.rule.short} for {order.defendant.full_name} assigned to {name} "
                             f"(was {before})", actor)
    return changed


def record_suspension(order: AncillaryOrder, *, starts_on: dt.date | None, ends_on: dt.date | None,
                      reason: str | None, actor: User | None) -> OrderSuspension:
    """Suspend a TRO for a period (CJPA 2001 s.35); the subject must be back in the UK when it
    ends (s.36)."""
    svc = _service()
    problems = Problems()
    if order.type != OrderType.TRO:
        problems.add("starts_on", f"Only a TRO can be suspended (CJPA 2001, s.35), not a {order.rule.short}")
    text = svc._text(problems, "reason", reason, "the reason for the suspension")
    if starts_on is None:
        problems.add("starts_on", "Enter the date the suspension starts")
    if ends_on is None:
        problems.add("ends_on", "Enter the date the subject must be back in the UK")
    elif starts_on is not None and ends_on <= starts_on:
        problems.add("ends_on", "The suspension must end after it starts")
    problems.raise_if_any()
    assert starts_on is not None and ends_on is not None
    suspension = OrderSuspension(order_id=order.id, starts_on=starts_on, ends_on=ends_on, reason=text,
                                 created_at=clock.now())
    order.suspensions.append(suspension)
    db.session.flush()
    _log(order, "alter", f"TRO suspended from {display_value(starts_on)} to {display_value(ends_on)}",
         actor, reason=text)
    signals.order_dates_changed.send(order, actor=actor)
    return suspension
