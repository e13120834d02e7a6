"""Recording and changing ancillary orders. Every service validates first against the
statutory rules in ``orders/rules.py`` (raising ValidationError: nothing saved), then flushes,
writes the audit row and emits ``signals.order_dates_changed`` so alerts are recomputed.

Monitoring services (service, breaches, compliance checks, assignment, TRO suspensions) live in
``orders/monitoring.py`` and are re-exported here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from casework.audit import service as audit
from casework.auth.models import Role, User
from casework.cases.models import Defendant
from casework.core import clock, signals
from casework.core.templating import display_value
from casework.core.validation import Problems, ValidationError
from casework.extensions import db
from casework.orders import rules
from casework.orders.models import AncillaryOrder, OrderCondition, OrderVariation, ServiceMethod
from casework.orders.rules import ConditionKind, CourtLevel, OrderType, StartTrigger

MAX_TEXT = 4000


@dataclass(frozen=True)
class ConditionInput:
    """A condition as entered: ``None`` dates follow the order's own start and end."""

    text: str
    kind: ConditionKind | str = ConditionKind.PROHIBITION
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    report_every_months: int | None = None


def ensure_version(record: Any, version: int | None) -> None:
    from sqlalchemy.orm.exc import StaleDataError

    if version is not None and int(version) != record.version:
        raise StaleDataError(f"{type(record).__name__} {record.id} has changed since it was read")


def _enum(problems: Problems, field: str, cls: Any, value: Any, message: str) -> Any:
    try:
        return cls(value)
    except ValueError:
        problems.add(field, message)
        return None


def _text(problems: Problems, field: str, value: str | None, label: str, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        problems.add(field, f"Enter {label}")
    elif len(text) > MAX_TEXT:
        problems.add(field, f"{label[0].upper()}{label[1:]} must be {MAX_TEXT} characters or fewer")
    return text


def _add(problems: Problems, found: Iterable[tuple[str, str]]) -> None:
    for field, message in found:
        problems.add(field, message)


def _check_manager(problems: Problems, manager: User | None, unit_id: int) -> None:
    if manager is None:
        return
    if manager.role != Role.OFFENDER_MANAGER or not manager.active:
        problems.add("offender_manager", "Choose an active offender manager")
    elif unit_id not in manager.unit_ids:
        problems.add("offender_manager", "Choose an offender manager in the order's unit")


def _months(problems: Problems, field: str, value: int | None, what: str) -> None:
    if value is not None and not 1 <= value <= 120:
        problems.add(field, f"{what} must be between 1 and 120 months")


def order_dates(
    rule: rules.OrderRule, *, trigger: StartTrigger, made_on: dt.date, starts_on: dt.date | None,
    release_on: dt.date | None, ends_on: dt.date | None, term_months: int | None,
) -> tuple[dt.date | None, dt.date | None]:
    """(start, end) from the start trigger: the day made; a date the court set; or release
    (unknown until a release date exists). A length is turned into an end date once the start is
    known."""
    if trigger == StartTrigger.ON_MAKING:
        start: dt.date | None = made_on
    elif trigger == StartTrigger.ON_RELEASE:
        start = release_on
    else:
        start = starts_on
    if term_months and start is not None:
        ends_on = rules.add_months(start, term_months)
    return start, ends_on


def whole_months(start: dt.date | None, end: dt.date) -> int | None:
    """The length in whole months when ``end`` is exactly that many months after ``start``."""
    if start is None or end <= start:
        return None
    months = (end.year - start.year) * 12 + end.month - start.month
    return months if rules.add_months(start, months) == end else None


def _check_conditions(problems: Problems, rule: rules.OrderRule, conditions: Sequence[ConditionInput],
                      *, starts_on: dt.date | None, ends_on: dt.date | None, indefinite: bool) -> None:
    for i, c in enumerate(conditions):
        field = "conditions"
        kind = _enum(problems, field, ConditionKind, c.kind, f"Condition {i + 1}: choose its kind")
        _text(problems, field, c.text, f"the text of condition {i + 1}")
        _months(problems, field, c.report_every_months, "How often reports are due")
        if kind is None:
            continue
        _add(problems, ((f, f"Condition {i + 1}: {m}") for f, m in rules.check_condition(
            rule, kind=kind, starts_on=c.starts_on or starts_on, ends_on=c.ends_on,
            order_ends_on=ends_on, order_indefinite=indefinite)))


def _add_conditions(order: AncillaryOrder, conditions: Sequence[ConditionInput]) -> None:
    for c in conditions:
        cond = OrderCondition(kind=ConditionKind(c.kind), text=c.text.strip(), starts_on=c.starts_on,
                              ends_on=c.ends_on, report_every_months=c.report_every_months)
        order.conditions.append(cond)
        _schedule_condition(order, cond)


def _schedule_condition(order: AncillaryOrder, cond: OrderCondition) -> None:
    start = cond.starts_on or order.starts_on
    cond.next_report_due_on = (rules.add_months(start, cond.report_every_months)
                               if cond.report_every_months and start else None)


def _schedule_checks(order: AncillaryOrder) -> None:
    """First breach check falls one interval after the order starts (none while pending)."""
    if order.check_interval_months and order.starts_on and not order.checks:
        order.next_check_due_on = rules.add_months(order.starts_on, order.check_interval_months)


def _check_making(problems: Problems, rule: rules.OrderRule, *, level: CourtLevel | None,
                  made_on: dt.date, today: dt.date, start_trigger: StartTrigger | str | None,
                  starts_on: dt.date | None, term_months: int | None) -> StartTrigger | None:
    """Who may make it, when, and how it starts; returns the start trigger (the type's own when
    it has only one: a TRO always starts on release, FRO and CDDA orders on making)."""
    trigger = _enum(problems, "start_trigger", StartTrigger, start_trigger or rule.triggers[0],
                    "Choose when the order starts")
    _add(problems, rules.check_court(rule, level))
    _add(problems, rules.check_made_on(rule, made_on, today))
    if trigger is not None:
        _add(problems, rules.check_trigger(rule, trigger))
    if term_months is not None and not 1 <= term_months <= 1200:
        problems.add("term_months", "The length of the order must be between 1 and 1,200 months")
    if trigger == StartTrigger.ON_DATE_SPECIFIED and (starts_on is None or starts_on < made_on):
        problems.add("starts_on", "Enter the date the order comes into force: on or after the day "
                                  "it was made")
    return trigger  # type: ignore[no-any-return]


def _check_service(problems: Problems, *, made_on: dt.date, served_on: dt.date | None,
                   method: ServiceMethod | str | None, today: dt.date) -> ServiceMethod | None:
    """Service binds the subject (SCA 2007 s.10); present at the hearing unless said otherwise."""
    chosen = _enum(problems, "service_method", ServiceMethod, method,
                   "Choose how the order was served") if method else None
    if served_on is not None and not made_on <= served_on <= today:
        problems.add("served_on", "The date of service must be between the day the order was made "
                                  "and today")
    return chosen  # type: ignore[no-any-return]


def record_order(
    defendant: Defendant, *, type: OrderType | str, made_on: dt.date | None,
    court_level: CourtLevel | str | None, court: str | None = None,
    start_trigger: StartTrigger | str | None = None, starts_on: dt.date | None = None,
    ends_on: dt.date | None = None, term_months: int | None = None, indefinite: bool = False,
    life_sentence: bool = False, conditions: Sequence[ConditionInput] = (),
    served_on: dt.date | None = None, service_method: ServiceMethod | str | None = None,
    offender_manager: User | None = None, check_interval_months: int | None = None,
    actor: User | None, today: dt.date | None = None,
) -> AncillaryOrder:
    """Record an order made by a court. Durations the statute does not allow are refused with
    the limit and section (DOMAIN.md 1.1); an order that runs from release stays pending until
    the defendant has a release date."""
    today = today or clock.today()
    problems = Problems()
    order_type = _enum(problems, "type", OrderType, type, "Choose the type of order")
    level = _enum(problems, "court_level", CourtLevel, court_level, "Select the level of the court") \
        if court_level else None
    if made_on is None:
        problems.add("made_on", "Enter the date the order was made")
    if order_type is None or made_on is None:
        problems.raise_if_any()
    assert order_type is not None and made_on is not None
    rule = rules.rule_for(order_type)
    trigger = _check_making(problems, rule, level=level, made_on=made_on, today=today,
                            start_trigger=start_trigger, starts_on=starts_on, term_months=term_months)
    _months(problems, "check_interval_months", check_interval_months, "How often checks are due")
    court_name = _text(problems, "court", court, "the name of the court", required=False)
    if trigger == StartTrigger.ON_RELEASE and ends_on is not None and not term_months:
        term_months = whole_months(defendant.release_on, ends_on)
        if term_months is None:
            problems.add("term_months", "Enter the length of the order in months: an order that runs "
                                        "from release ends a fixed period after release")
        ends_on = None
    if indefinite:
        ends_on, term_months = None, None
    start, end = order_dates(rule, trigger=trigger or StartTrigger.ON_MAKING, made_on=made_on,
                             starts_on=starts_on, release_on=defendant.release_on, ends_on=ends_on,
                             term_months=term_months)
    _add(problems, rules.check_duration(rule, court_level=level, starts_on=start, ends_on=end,
                                        indefinite=indefinite, term_months=term_months,
                                        life_sentence=life_sentence))
    _check_conditions(problems, rule, conditions, starts_on=start, ends_on=end, indefinite=indefinite)
    method = _check_service(problems, made_on=made_on, served_on=served_on, method=service_method,
                            today=today)
    _check_manager(problems, offender_manager, defendant.case.unit_id)
    problems.raise_if_any()
    order = AncillaryOrder(
        defendant=defendant, unit_id=defendant.case.unit_id, type=order_type, made_on=made_on,
        court=court_name or None, court_level=level, start_trigger=trigger,
        runs_from_release=trigger == StartTrigger.ON_RELEASE, starts_on=start, ends_on=end,
        term_months=term_months, indefinite=bool(indefinite), life_sentence=bool(life_sentence),
        served_on=served_on, service_method=method or (ServiceMethod.IN_COURT if served_on else None),
        offender_manager=offender_manager, check_interval_months=check_interval_months,
        created_at=clock.now())
    db.session.add(order)
    _add_conditions(order, conditions)
    _schedule_checks(order)
    db.session.flush()
    audit.record("collect", object_type="ancillary_order", object_id=order.id,
                 case_id=defendant.case_id, actor=actor, summary=_made_summary(order))
    signals.order_dates_changed.send(order, actor=actor)
    return order


def _made_summary(order: AncillaryOrder) -> str:
    rule = order.rule
    start = (display_value(order.starts_on) if order.starts_on
             else "on release (no release date yet)")
    end = ("until further order" if order.indefinite else display_value(order.ends_on)
           if order.ends_on else f"{order.term_months} months after it starts")
    return (f"{rule.short} recorded against {order.defendant.full_name}: made on "
            f"{display_value(order.made_on)}, in force from {start}, ends {end}")


ORDER_LABELS = {"starts_on": "Start date", "ends_on": "End date", "indefinite": "Until further order",
                "term_months": "Length in months", "discharged_on": "Discharged on",
                "extended_pending_charge": "Extended pending a charge (s.22E)"}


def _snapshot(order: AncillaryOrder) -> dict[str, Any]:
    return {f: getattr(order, f) for f in ORDER_LABELS}


def _audit_alter(order: AncillaryOrder, old: dict[str, Any], actor: User | None, summary: str,
                 reason: str | None = None) -> None:
    changes, sentences = audit.describe_changes(ORDER_LABELS, old, _snapshot(order))
    if sentences:
        summary = f"{summary}: {'; '.join(sentences)}"
    audit.record("alter", object_type="ancillary_order", object_id=order.id,
                 case_id=order.defendant.case_id, actor=actor, summary=summary,
                 changes=changes or None, reason=reason)


def vary_order(
    order: AncillaryOrder, *, varied_on: dt.date | None, reason: str | None,
    ends_on: dt.date | None = None, term_months: int | None = None, indefinite: bool | None = None,
    extended_pending_charge: bool = False, conditions: Sequence[ConditionInput] = (),
    served_on: dt.date | None = None, actor: User | None, version: int | None = None,
    today: dt.date | None = None,
) -> AncillaryOrder:
    """Vary, renew or (SCPO, SCA 2007 s.22E) extend pending a charge. The new duration is held to
    the same statutory limits, measured from the order's start; the variation is a dated row."""
    ensure_version(order, version)
    today = today or clock.today()
    problems = Problems()
    text = _text(problems, "reason", reason, "the reason for the variation")
    if varied_on is None:
        problems.add("varied_on", "Enter the date the order was varied")
    elif varied_on < order.made_on or varied_on > today:
        problems.add("varied_on", "The date of variation must be between the day the order was made "
                                  "and today")
    if extended_pending_charge and not order.rule.extension:
        problems.add("extended_pending_charge",
                     f"Only an SCPO can be extended pending a charge; a {order.rule.short} cannot")
    if indefinite is None:  # a new end date or length turns "until further order" into a fixed term
        indefinite = order.indefinite and ends_on is None and term_months is None
    new_indefinite = bool(indefinite)
    new_term = term_months if term_months is not None else (None if ends_on else order.term_months)
    new_end = ends_on if ends_on is not None else (None if term_months else order.ends_on)
    if new_indefinite:
        new_end, new_term = None, None
    elif new_term and order.starts_on:
        new_end = rules.add_months(order.starts_on, new_term)
    if order.runs_from_release and order.starts_on is None and ends_on is not None:
        problems.add("ends_on", "This order has not started: change its length instead of its end date")
    _add(problems, rules.check_duration(
        order.rule, court_level=order.court_level, starts_on=order.starts_on, ends_on=new_end,
        indefinite=new_indefinite, term_months=new_term if order.starts_on is None else None,
        life_sentence=order.life_sentence,
        extended_pending_charge=extended_pending_charge or order.extended_pending_charge))
    _check_conditions(problems, order.rule, conditions, starts_on=order.starts_on, ends_on=new_end,
                      indefinite=new_indefinite)
    problems.raise_if_any()
    old = _snapshot(order)
    order.ends_on, order.term_months, order.indefinite = new_end, new_term, new_indefinite
    order.extended_pending_charge = order.extended_pending_charge or extended_pending_charge
    _add_conditions(order, conditions)
    changes, sentences = audit.describe_changes(ORDER_LABELS, old, _snapshot(order))
    if conditions:
        sentences.append(f"{len(conditions)} condition(s) added")
    summary = "; ".join(sentences) or "No change to dates"
    order.variations.append(OrderVariation(
        varied_on=varied_on, reason=text, summary=summary, old_ends_on=old["ends_on"],
        new_ends_on=order.ends_on, served_on=served_on, actor_id=actor.id if actor else None,
        created_at=clock.now()))
    db.session.flush()
    _audit_alter(order, old, actor, f"{order.rule.short} for {order.defendant.full_name} varied",
                 reason=text)
    signals.order_dates_changed.send(order, actor=actor)
    return order


def discharge_order(order: AncillaryOrder, *, discharged_on: dt.date | None, reason: str | None,
                    consents: bool = False, actor: User | None, version: int | None = None,
                    today: dt.date | None = None) -> AncillaryOrder:
    """Discharge (or revoke) the order. SHPO/STPO: not within 5 years without consents
    (SA 2020 s.350; MSA 2015 s.20)."""
    ensure_version(order, version)
    today = today or clock.today()
    problems = Problems()
    text = _text(problems, "reason", reason, "the reason for the discharge")
    if order.discharged_on is not None:
        problems.add("discharged_on", "This order has already been discharged")
    if discharged_on is None:
        problems.add("discharged_on", "Enter the date the order was discharged")
    elif discharged_on > today:
        problems.add("discharged_on", "The date of discharge must be today or in the past")
    else:
        _add(problems, rules.check_discharge(order.rule, started_on=order.starts_on,
                                             made_on=order.made_on, discharged_on=discharged_on,
                                             consents=consents))
    problems.raise_if_any()
    old = _snapshot(order)
    order.discharged_on, order.discharge_reason = discharged_on, text
    db.session.flush()
    _audit_alter(order, old, actor, f"{order.rule.short} for {order.defendant.full_name} discharged",
                 reason=text)
    signals.order_dates_changed.send(order, actor=actor)
    return order


def replace_order(old_order: AncillaryOrder, *, actor: User | None, reason: str | None = None,
                  today: dt.date | None = None, **new_order: Any) -> AncillaryOrder:
    """Record a new order replacing ``old_order`` (SCA 2007 s.16(5)-(6), s.19(2A); a new SHPO or
    STPO ends the earlier one, MSA 2015 s.17(6)). The old order is discharged on the day the new
    one is made, unless the new one only starts after the old one ends (made in anticipation)."""
    if old_order.discharged_on is not None or old_order.replaced_by_id is not None:
        raise ValidationError(type="This order has already been discharged or replaced")
    new = record_order(old_order.defendant, actor=actor, today=today, **new_order)
    old = _snapshot(old_order)
    old_order.replaced_by = new
    follows_on = (not old_order.indefinite and old_order.ends_on is not None
                  and new.starts_on is not None and new.starts_on >= old_order.ends_on)
    if not follows_on:
        old_order.discharged_on = new.made_on
        old_order.discharge_reason = (reason or "").strip() or f"Replaced by a new {new.rule.short}"
    db.session.flush()
    _audit_alter(old_order, old, actor, f"{old_order.rule.short} for {old_order.defendant.full_name} "
                                        f"replaced by a new order", reason=reason)
    signals.order_dates_changed.send(old_order, actor=actor)
    return new


def add_condition(order: AncillaryOrder, *, condition: ConditionInput, actor: User | None,
                  version: int | None = None) -> OrderCondition:
    """Add a condition the court imposed, checked against its own statutory period."""
    ensure_version(order, version)
    problems = Problems()
    _check_conditions(problems, order.rule, [condition], starts_on=order.starts_on,
                      ends_on=order.ends_on, indefinite=order.indefinite)
    problems.raise_if_any()
    _add_conditions(order, [condition])
    db.session.flush()
    added = order.conditions[-1]
    audit.record("collect", object_type="ancillary_order", object_id=order.id,
                 case_id=order.defendant.case_id, actor=actor,
                 summary=f"{added.kind.label} added to {order.rule.short}: {added.text[:120]}")
    signals.order_dates_changed.send(order, actor=actor)
    return added


from casework.orders.monitoring import (  # noqa: E402  (re-exported: one service surface)
    assign_orders,
    record_breach,
    record_compliance_check,
    record_service,
    record_suspension,
    set_check_schedule,
    update_breach,
)
from casework.orders.release import apply_release_date  # noqa: E402

__all__ = ["ConditionInput", "ValidationError", "add_condition", "apply_release_date", "assign_orders",
           "discharge_order", "record_breach", "record_compliance_check", "record_order",
           "record_service", "record_suspension", "replace_order", "set_check_schedule",
           "update_breach", "vary_order"]
