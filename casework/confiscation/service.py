"""Changes to confiscation orders and their ledger (POCA ss.6-13, 35). Every service validates
(raising ValidationError before anything is saved), flushes, audits with the case id and emits
``signals.confiscation_changed`` so alerts are recomputed. Restraint and the timetable live in
``restraint.py``; reconsideration, enforcement and write-off in ``enforcement.py``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa

from casework.audit import service as audit
from casework.auth.models import User
from casework.cases.models import Defendant
from casework.confiscation import ledger, rules
from casework.confiscation.models import (
    ConfiscationOrder,
    ConfiscationProceeding,
    OrderStatus,
    Payment,
)
from casework.core import clock, signals
from casework.core.money import format_gbp
from casework.core.templating import display_value
from casework.core.validation import Problems, ValidationError
from casework.extensions import db


def ensure_version(record: object, version: int | None) -> None:
    from casework.cases.service import ensure_version as _ensure

    _ensure(record, version)


def changed(record: object, *, actor: User | None) -> None:
    signals.confiscation_changed.send(record, actor=actor)


def conviction_date(defendant: Defendant) -> dt.date | None:
    proceeding = db.session.execute(sa.select(ConfiscationProceeding).where(
        ConfiscationProceeding.defendant_id == defendant.id)).scalar_one_or_none()
    if proceeding is not None:
        return proceeding.convicted_on
    return defendant.finalised_on if defendant.is_convicted else None


def _money(problems: Problems, field: str, value: Decimal | None, what: str,
           required: bool = True) -> None:
    if value is None:
        if required:
            problems.add(field, f"Enter {what}")
    elif value < 0:
        problems.add(field, f"{what[0].upper()}{what[1:]} cannot be negative")


def _check_order(problems: Problems, *, convicted_on: dt.date | None, made_on: dt.date,
                 benefit: Decimal | None, available_amount: Decimal | None, amount: Decimal | None,
                 compensation_amount: Decimal | None) -> None:
    if convicted_on is None:
        problems.add("made_on", "Record the conviction first: a confiscation order follows a "
                                "conviction (Proceeds of Crime Act 2002, s.6)")
    elif made_on < convicted_on:
        problems.add("made_on", "The order date cannot be before the conviction")
    if made_on > clock.today():
        problems.add("made_on", "The order date must be today or in the past")
    _money(problems, "benefit", benefit, "the benefit figure")
    _money(problems, "available_amount", available_amount, "the available amount")
    _money(problems, "amount", amount, "the order amount")
    _money(problems, "compensation_amount", compensation_amount, "the compensation amount", False)
    if amount is not None and benefit is not None and amount > benefit:
        problems.add("amount", "The order amount cannot be more than the benefit "
                               "(the recoverable amount, Proceeds of Crime Act 2002, s.7)")
    if compensation_amount and amount is not None and compensation_amount > amount:
        problems.add("compensation_amount",
                     "Compensation paid out of the order cannot be more than the order amount "
                     "(Proceeds of Crime Act 2002, s.13)")


def make_order(defendant: Defendant, *, made_on: dt.date, benefit: Decimal, available_amount: Decimal,
               amount: Decimal, due_on: dt.date | None = None, court: str | None = None,
               compensation_amount: Decimal | None = None, default_term_months: int | None = None,
               actor: User | None) -> ConfiscationOrder:
    """Record a confiscation order. Payment is due the day it is made unless the court allowed
    time (s.11); the default term is the s.35(2A) maximum for the amount unless the court fixed
    another (orders before 1 June 2015 must give the court's term)."""
    problems = Problems()
    _check_order(problems, convicted_on=conviction_date(defendant), made_on=made_on, benefit=benefit,
                 available_amount=available_amount, amount=amount,
                 compensation_amount=compensation_amount)
    due_on = due_on or made_on
    if amount is not None and not problems:
        if (error := rules.check_due_on(made_on, due_on)) is not None:
            problems.add("due_on", error)
        if (error := rules.check_default_term(default_term_months, amount, made_on)) is not None:
            problems.add("default_term_months", error)
    if court and len(court) > 150:
        problems.add("court", "The court name must be 150 characters or fewer")
    problems.raise_if_any()
    term = default_term_months or rules.max_default_term_months(amount, made_on)
    assert term is not None  # check_default_term requires it for pre-2015 orders
    order = ConfiscationOrder(
        defendant_id=defendant.id, case_id=defendant.case_id, unit_id=defendant.case.unit_id,
        made_on=made_on, court=(court or "").strip() or None, benefit=benefit,
        available_amount=available_amount, original_amount=amount, amount=amount,
        compensation_amount=compensation_amount or None, due_on=due_on,
        default_term_months=term, status=OrderStatus.LIVE, created_at=clock.now())
    db.session.add(order)
    db.session.flush()
    audit.record("collect", object_type="confiscation_order", object_id=order.id,
                 case_id=order.case_id, actor=actor,
                 summary=(f"Confiscation order of {format_gbp(amount)} made on {display_value(made_on)} "
                          f"against {defendant.full_name}; payment due {display_value(due_on)}; "
                          f"default term {rules.describe_months(term)}"),
                 changes={"amount": str(amount), "benefit": str(benefit),
                          "available_amount": str(available_amount), "due_on": due_on.isoformat(),
                          "default_term_months": term})
    changed(order, actor=actor)
    return order


def record_extension(order: ConfiscationOrder, *, applied_on: dt.date, decided_on: dt.date | None,
                     extended_due_on: dt.date | None, version: int | None = None,
                     actor: User | None) -> ConfiscationOrder:
    """A s.11(4) application to extend time to pay: pending (no decision), granted (with the
    new date, at most 6 months from the order) or refused (decision, no new date)."""
    ensure_version(order, version)
    errors = {}
    if extended_due_on is not None:
        errors = rules.check_extension(order.made_on, order.due_on, applied_on, extended_due_on)
        if decided_on is None:
            errors.setdefault("decided_on", "Enter the date the court extended time to pay")
    elif applied_on > order.due_on:
        errors["extension_applied_on"] = rules.check_extension(
            order.made_on, order.due_on, applied_on, order.due_on + dt.timedelta(days=1)
        )["extension_applied_on"]
    if decided_on is not None and decided_on < applied_on:
        errors["decided_on"] = "The decision cannot be before the application"
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    old: dict[str, object] = {"extension_applied_on": order.extension_applied_on,
           "extension_decided_on": order.extension_decided_on, "extended_due_on": order.extended_due_on}
    order.extension_applied_on, order.extension_decided_on = applied_on, decided_on
    order.extended_due_on = extended_due_on
    _audit_alter(order, old, {"extension_applied_on": "Application to extend time to pay",
                              "extension_decided_on": "Decision on extension",
                              "extended_due_on": "Extended date payment is due"}, actor)
    return order


def _audit_alter(order: ConfiscationOrder, old: dict[str, object], labels: dict[str, str],
                 actor: User | None, object_type: str = "confiscation_order") -> None:
    new = {k: getattr(order, k) for k in labels}
    changes, sentences = audit.describe_changes(labels, old, new)
    db.session.flush()
    if sentences:
        audit.record("alter", object_type=object_type, object_id=order.id, case_id=order.case_id,
                     actor=actor, summary="; ".join(sentences), changes=changes)
    changed(order, actor=actor)


# --- payments -----------------------------------------------------------------------------

def record_payment(order: ConfiscationOrder, *, received_on: dt.date, amount: Decimal,
                   idempotency_key: str | None = None, reference: str | None = None,
                   note: str | None = None, actor: User | None) -> tuple[Payment, bool]:
    """Append a payment to the ledger. The same ``idempotency_key`` on the same order returns
    the first payment (``created`` False) and never adds a second row, even when two requests
    race (the unique constraint decides; the loser reads the winner's row)."""
    key = (idempotency_key or "").strip() or None
    ledger.lock_order(order.id)
    if key is not None:
        existing = ledger.payment_by_key(order.id, key)
        if existing is not None:
            return _same_payment(existing, received_on, amount), False
    problems = Problems()
    if amount is None or amount <= 0:
        problems.add("amount", "Enter a payment of more than £0.00 (to undo one, reverse it)")
    if received_on < order.made_on:
        problems.add("received_on", "The payment date cannot be before the order was made")
    if received_on > clock.today():
        problems.add("received_on", "The payment date must be today or in the past")
    if key is not None and len(key) > 100:
        problems.add("idempotency_key", "The Idempotency-Key must be 100 characters or fewer")
    problems.raise_if_any()
    payment = Payment(order_id=order.id, received_on=received_on, amount=amount,
                      idempotency_key=key, reference=(reference or "").strip()[:100] or None,
                      note=(note or "").strip() or None, recorded_at=clock.now(),
                      recorded_by_id=actor.id if actor else None)
    created = ledger.insert_once(payment)
    if not created:
        existing = ledger.payment_by_key(order.id, key)
        assert existing is not None
        return _same_payment(existing, received_on, amount), False
    audit.record("collect", object_type="confiscation_payment", object_id=payment.id,
                 case_id=order.case_id, actor=actor,
                 summary=f"Payment of {format_gbp(amount)} received on {display_value(received_on)} "
                         f"recorded against confiscation order {order.id}",
                 changes={"amount": str(amount), "received_on": received_on.isoformat()})
    refresh_status(order, actor=actor)
    return payment, True


def _same_payment(existing: Payment, received_on: dt.date, amount: Decimal) -> Payment:
    if existing.amount != amount or existing.received_on != received_on:
        raise ValidationError(idempotency_key=(
            "This Idempotency-Key was already used for a different payment "
            f"({format_gbp(existing.amount)} received on {display_value(existing.received_on)})"))
    return existing


def reverse_payment(payment: Payment, *, reversed_on: dt.date, reason: str,
                    actor: User | None) -> Payment:
    """Undo a payment (bounced cheque, wrong order) with a negative entry; the original stays."""
    order = db.session.get(ConfiscationOrder, payment.order_id)
    assert order is not None
    ledger.lock_order(order.id)
    problems = Problems()
    if payment.reverses_id is not None:
        problems.add("payment", "A reversal cannot itself be reversed: record a new payment")
    elif ledger.reversal_of(payment.id) is not None:
        problems.add("payment", "This payment has already been reversed")
    if not (reason or "").strip():
        problems.add("reason", "Enter why the payment is being reversed")
    if reversed_on < payment.received_on:
        problems.add("reversed_on", "The reversal cannot be dated before the payment")
    if reversed_on > clock.today():
        problems.add("reversed_on", "The reversal date must be today or in the past")
    problems.raise_if_any()
    entry = Payment(order_id=order.id, received_on=payment.received_on, amount=-payment.amount,
                    reverses_id=payment.id, note=reason.strip(), recorded_at=clock.now(),
                    recorded_by_id=actor.id if actor else None)
    if not ledger.insert_once(entry):
        raise ValidationError(payment="This payment has already been reversed")
    audit.record("alter", object_type="confiscation_payment", object_id=entry.id,
                 case_id=order.case_id, actor=actor, reason=reason.strip(),
                 summary=f"Payment of {format_gbp(payment.amount)} received on "
                         f"{display_value(payment.received_on)} reversed on {display_value(reversed_on)}")
    refresh_status(order, actor=actor)
    return entry


def refresh_status(order: ConfiscationOrder, *, actor: User | None) -> None:
    """Satisfied once nothing is outstanding (interest included); live again if a reversal
    re-opens it. The order row is touched only when its status really changes."""
    if order.status is OrderStatus.WRITTEN_OFF:
        changed(order, actor=actor)
        return
    last_paid = ledger.last_payment_on(order.id)
    as_of = max(clock.today(), last_paid or order.made_on)
    outstanding = ledger.balance(order, as_of).outstanding
    if outstanding <= 0 and order.status is OrderStatus.LIVE:
        order.status, order.satisfied_on = OrderStatus.SATISFIED, last_paid or as_of
        db.session.flush()
        audit.record("alter", object_type="confiscation_order", object_id=order.id,
                     case_id=order.case_id, actor=actor,
                     summary=f"Confiscation order {order.id} satisfied on "
                             f"{display_value(order.satisfied_on)}")
    elif outstanding > 0 and order.status is OrderStatus.SATISFIED:
        order.status, order.satisfied_on = OrderStatus.LIVE, None
        db.session.flush()
        audit.record("alter", object_type="confiscation_order", object_id=order.id,
                     case_id=order.case_id, actor=actor,
                     summary=f"Confiscation order {order.id} is outstanding again after a reversal")
    changed(order, actor=actor)
