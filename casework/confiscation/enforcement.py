"""After the order: enforcement steps (POCA ss.35, 50-51, 13A), reconsideration (ss.19-25,
with s.39 re-fixing the default term) and write-off. Services flush, audit and signal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from casework.audit import service as audit
from casework.auth.models import User
from casework.confiscation import ledger, rules
from casework.confiscation.models import (
    ConfiscationOrder,
    EnforcementKind,
    EnforcementStep,
    OrderStatus,
    ReconsiderationApplication,
    ReconsiderationOutcome,
)
from casework.confiscation.rules import Reconsideration
from casework.confiscation.service import changed, conviction_date, refresh_status
from casework.core import clock
from casework.core.money import format_gbp
from casework.core.templating import display_value
from casework.core.validation import Problems, ValidationError
from casework.extensions import db


def _past(problems: Problems, field: str, value: dt.date | None, what: str) -> None:
    if value is not None and value > clock.today():
        problems.add(field, f"{what} must be today or in the past")


def record_enforcement(order: ConfiscationOrder, *, kind: EnforcementKind | str, taken_on: dt.date,
                       result: str | None = None, next_due_on: dt.date | None = None,
                       actor: User | None) -> EnforcementStep:
    """A step taken to enforce an unpaid order, with its result and the next action date.
    Activating the default term does not wipe the debt (DOMAIN.md 2.4)."""
    problems = Problems()
    try:
        kind = EnforcementKind(kind)
    except ValueError:
        raise ValidationError(kind="Select the enforcement step") from None
    _past(problems, "taken_on", taken_on, "The date of the step")
    if taken_on < order.made_on:
        problems.add("taken_on", "The step cannot be before the order was made")
    if next_due_on is not None and next_due_on < taken_on:
        problems.add("next_due_on", "The next action cannot be due before this step")
    if order.status is not OrderStatus.LIVE:
        problems.add("kind", f"The order is {order.status.label.lower()}: nothing is left to enforce")
    elif kind is EnforcementKind.DEFAULT_TERM_ACTIVATED and taken_on >= order.made_on:
        balance = ledger.balance(order, taken_on)
        if balance.outstanding <= balance.interest:
            problems.add("kind", "The default term cannot be activated when what is left to pay is no more "
                                 "than the interest that has accrued (R (Gibson) v Secretary of State "
                                 "for Justice [2018] UKSC 2)")
    problems.raise_if_any()
    step = EnforcementStep(order_id=order.id, kind=kind, taken_on=taken_on,
                           result=(result or "").strip() or None, next_due_on=next_due_on)
    db.session.add(step)
    db.session.flush()
    audit.record("collect", object_type="confiscation_enforcement", object_id=step.id,
                 case_id=order.case_id, actor=actor,
                 summary=f"{kind.label} on {display_value(taken_on)} for confiscation order {order.id}"
                         + (f": {step.result}" if step.result else ""))
    changed(order, actor=actor)
    return step


def record_reconsideration(order: ConfiscationOrder, *, section: Reconsideration | str, applied_on: dt.date,
                           outcome: ReconsiderationOutcome | str = ReconsiderationOutcome.PENDING,
                           decided_on: dt.date | None = None, new_benefit: Decimal | None = None,
                           new_available_amount: Decimal | None = None, new_amount: Decimal | None = None,
                           new_default_term_months: int | None = None,
                           actor: User | None) -> ReconsiderationApplication:
    """An application under ss.19-25. s.21 within 6 years of conviction; s.22 any time, the
    available amount capped at the benefit. A granted application with a new amount varies the
    order from the decision date and re-fixes the default term (s.39)."""
    try:
        section, outcome = Reconsideration(section), ReconsiderationOutcome(outcome)
    except ValueError:
        raise ValidationError(section="Select the section the application is under") from None
    convicted_on = conviction_date(order.defendant)
    errors = rules.check_reconsideration(section, convicted_on=convicted_on, applied_on=applied_on,
                                         benefit=new_benefit or order.benefit,
                                         new_available_amount=new_available_amount)
    problems = Problems()
    for field, message in errors.items():
        problems.add(field, message)
    _past(problems, "applied_on", applied_on, "The application date")
    _check_decision(problems, order, outcome, applied_on, decided_on, new_amount, new_default_term_months)
    problems.raise_if_any()
    application = ReconsiderationApplication(
        order_id=order.id, section=section, applied_on=applied_on, outcome=outcome, decided_on=decided_on,
        new_benefit=new_benefit, new_available_amount=new_available_amount, new_amount=new_amount,
        new_default_term_months=new_default_term_months)
    db.session.add(application)
    if outcome is ReconsiderationOutcome.GRANTED and new_amount is not None:
        _vary(order, new_amount, new_benefit, new_available_amount, new_default_term_months, decided_on)
    db.session.flush()
    audit.record("collect", object_type="confiscation_reconsideration", object_id=application.id,
                 case_id=order.case_id, actor=actor,
                 summary=f"Application under {section.label} made on {display_value(applied_on)}: "
                         f"{outcome.value}"
                         + (f"; order amount now {format_gbp(new_amount)}" if new_amount is not None
                            and outcome is ReconsiderationOutcome.GRANTED else ""))
    refresh_status(order, actor=actor)
    return application


def _check_decision(problems: Problems, order: ConfiscationOrder, outcome: ReconsiderationOutcome,
                    applied_on: dt.date, decided_on: dt.date | None, new_amount: Decimal | None,
                    term: int | None) -> None:
    if outcome is ReconsiderationOutcome.PENDING:
        if decided_on is not None or new_amount is not None:
            problems.add("outcome", "Select the decision before giving a decision date or new amount")
        return
    if decided_on is None:
        problems.add("decided_on", "Enter the date of the decision")
        return
    _past(problems, "decided_on", decided_on, "The decision date")
    if decided_on < applied_on:
        problems.add("decided_on", "The decision cannot be before the application")
    if new_amount is not None:
        if outcome is not ReconsiderationOutcome.GRANTED:
            problems.add("new_amount", "Only a granted application changes the order amount")
        elif new_amount < 0:
            problems.add("new_amount", "The new amount cannot be negative")
        elif (error := rules.check_default_term(term, new_amount, order.made_on)) is not None \
                and term is not None:
            problems.add("new_default_term_months", error)


def _vary(order: ConfiscationOrder, amount: Decimal, benefit: Decimal | None, available: Decimal | None,
          term: int | None, decided_on: dt.date | None) -> None:
    order.amount = amount
    order.benefit = benefit if benefit is not None else order.benefit
    order.available_amount = available if available is not None else order.available_amount
    order.default_term_months = term or rules.max_default_term_months(amount, order.made_on) \
        or order.default_term_months


def write_off_order(order: ConfiscationOrder, *, written_off_on: dt.date, reason: str,
                    actor: User | None) -> ConfiscationOrder:
    """Close an order that will not be paid (e.g. s.24/s.25 discharge, death: SCA 2015 s.8)."""
    problems = Problems()
    if order.status is not OrderStatus.LIVE:
        problems.add("written_off_on", f"The order is already {order.status.label.lower()}")
    if not (reason or "").strip():
        problems.add("reason", "Enter why the order is being written off")
    _past(problems, "written_off_on", written_off_on, "The write-off date")
    if written_off_on < order.made_on:
        problems.add("written_off_on", "The write-off cannot be before the order was made")
    problems.raise_if_any()
    outstanding = ledger.balance(order, written_off_on).outstanding
    order.status, order.written_off_on = OrderStatus.WRITTEN_OFF, written_off_on
    order.written_off_reason = reason.strip()
    db.session.flush()
    audit.record("alter", object_type="confiscation_order", object_id=order.id, case_id=order.case_id,
                 actor=actor, reason=reason.strip(),
                 summary=f"Confiscation order {order.id} written off on {display_value(written_off_on)} "
                         f"with {format_gbp(outstanding)} outstanding")
    changed(order, actor=actor)
    return order
