"""Ancillary orders made at sentence, with conditions and compliance history, in bulk.

Which orders a convicted defendant gets follows the ``small`` profile (casework.demo.orders):
TROs for drug trafficking with long sentences, SCPOs for serious organised crime, STPOs for
trafficking, SHPOs for child sexual exploitation, director disqualifications for fraud; so orders
cluster on drugs and fraud. Start and end dates come from the orders service's own
``order_dates``; the durations picked are the ones the statutes allow (orders/rules.py).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from casework.demo.bulk.cases import Accused, CaseBook
from casework.demo.bulk.people import Staff
from casework.demo.bulk.plan import Plan
from casework.demo.bulk.writer import Writer
from casework.demo.orders import SCPO_CONDITIONS, SCPO_CRIMES, SHPO_CONDITIONS, STPO_CONDITIONS
from casework.orders import rules
from casework.orders.models import CheckResult, ServiceMethod
from casework.orders.rules import ConditionKind, CourtLevel, OrderType, StartTrigger
from casework.orders.service import ConditionInput, order_dates

MAX_CHECKS = 12
CHECK_RESULTS = ((CheckResult.COMPLIANT.value, 8), (CheckResult.CONCERNS.value, 1),
                 (CheckResult.NO_CONTACT.value, 1))
DISCHARGE_REASON = "Discharged on the application of the subject: no longer necessary"


def _candidates(rng: random.Random, accused: Accused) -> list[OrderType]:
    crime, months = accused.crime, accused.custody_months or 0
    found = []
    if crime == "drugs" and months >= 48 and rng.random() < 0.7:
        found.append(OrderType.TRO)
    if crime in SCPO_CRIMES and rng.random() < 0.35:
        found.append(OrderType.SCPO)
    if crime == "trafficking" and rng.random() < 0.7:
        found.append(OrderType.STPO)
    if crime == "cse" and rng.random() < 0.8:
        found.append(OrderType.SHPO)
    if crime == "fraud" and rng.random() < 0.5:
        found.append(OrderType.CDDA)
    return found


def build_orders(writer: Writer, staff: Staff, plan: Plan, book: CaseBook, seed: str,
                 today: dt.date) -> int:
    rng = random.Random(f"{seed}:orders")
    picks = [(a, t) for a in book.accused if a.sentenced_on is not None and a.convicted
             for t in _candidates(rng, a)]
    if len(picks) > plan.ancillary_orders:
        keep = set(rng.sample(range(len(picks)), plan.ancillary_orders))
        picks = [p for n, p in enumerate(picks) if n in keep]
    writer.columns("ancillary_orders", (
        "id", "defendant_id", "unit_id", "type", "made_on", "court", "court_level", "start_trigger",
        "runs_from_release", "starts_on", "ends_on", "term_months", "indefinite", "life_sentence",
        "extended_pending_charge", "served_on", "service_method", "discharged_on", "discharge_reason",
        "offender_manager_id", "check_interval_months", "next_check_due_on", "created_at", "version"))
    writer.columns("order_conditions", ("id", "order_id", "kind", "text", "starts_on", "ends_on",
                                        "report_every_months", "next_report_due_on", "version"))
    writer.columns("compliance_checks", ("id", "order_id", "condition_id", "checked_on", "result", "notes",
                                         "checked_by_id", "created_at"))
    for accused, order_type in picks:
        _order(writer, rng, staff, accused, order_type, today)
        writer.progress.advance()
    writer.flush()
    return len(picks)


def _shape(rng: random.Random, order_type: OrderType, made_on: dt.date
           ) -> tuple[StartTrigger, int | None, bool, Sequence[ConditionInput]]:
    """(start trigger, term in months, indefinite, conditions) as casework.demo.orders picks them."""
    if order_type == OrderType.TRO:  # CJPA 2001 s.33: at least 2 years from release
        return StartTrigger.ON_RELEASE, rng.choice((24, 36, 48, 60, 120)), False, ()
    if order_type == OrderType.SCPO:  # SCA 2007 s.16(2): at most 5 years
        trigger = StartTrigger.ON_RELEASE if rng.random() < 0.6 else StartTrigger.ON_MAKING
        return trigger, rng.choice((36, 48, 60, 60)), False, rng.sample(SCPO_CONDITIONS, rng.randint(2, 4))
    if order_type == OrderType.STPO:  # MSA 2015 s.17; travel bans at most 5 years (s.18)
        indefinite = rng.random() < 0.3
        ban_ends = rules.add_years(made_on, 5) - dt.timedelta(days=1)
        conditions = [ConditionInput(c.text, c.kind, starts_on=made_on, ends_on=ban_ends)
                      if c.kind == ConditionKind.FOREIGN_TRAVEL else c for c in STPO_CONDITIONS]
        return StartTrigger.ON_MAKING, None if indefinite else rng.choice((60, 84, 120)), indefinite, \
            conditions
    if order_type == OrderType.SHPO:  # SA 2020 s.347: at least 5 years or until further order
        indefinite = rng.random() < 0.5
        return StartTrigger.ON_MAKING, None if indefinite else 120, indefinite, SHPO_CONDITIONS
    return StartTrigger.ON_MAKING, rng.choice((60, 84, 120)), False, ()  # CDDA 1986 s.2


def _order(writer: Writer, rng: random.Random, staff: Staff, accused: Accused, order_type: OrderType,
           today: dt.date) -> None:
    made_on = accused.sentenced_on
    assert made_on is not None
    trigger, term, indefinite, conditions = _shape(rng, order_type, made_on)
    starts_on, ends_on = order_dates(rules.rule_for(order_type), trigger=trigger, made_on=made_on,
                                     starts_on=None, release_on=accused.release_on, ends_on=None,
                                     term_months=term)
    served = rng.random() < 0.9 or made_on < today - dt.timedelta(days=60)
    manager = staff.pick(rng, "offender_manager", accused.unit)
    interval = _check_interval(rng, order_type)
    discharged_on = None
    if starts_on and starts_on < today - dt.timedelta(days=400) and rng.random() < 0.03:
        discharged_on = starts_on + dt.timedelta(days=rng.randint(180, (today - starts_on).days - 30))
        if ends_on and not indefinite and discharged_on >= ends_on:
            discharged_on = None
    order_id = writer.next_id("ancillary_orders")
    checked_by = manager or staff.admin_id
    checks = _check_days(rng, starts_on, ends_on, discharged_on, interval, today) if interval else []
    next_check = (rules.add_months(checks[-1] if checks else starts_on, interval)
                  if starts_on and interval else None)
    writer.add("ancillary_orders", (
        order_id, accused.id, staff.unit_ids[accused.unit], order_type.value, made_on, accused.crown,
        CourtLevel.CROWN_COURT.value, trigger.value, trigger == StartTrigger.ON_RELEASE, starts_on,
        None if indefinite else ends_on, term, indefinite, False, False, made_on if served else None,
        ServiceMethod.IN_COURT.value if served else None, discharged_on,
        DISCHARGE_REASON if discharged_on else None, manager, interval, next_check,
        dt.datetime.combine(made_on, dt.time(15, rng.randint(0, 59))), 1))
    _write_checks(writer, rng, order_id, None, checks, checked_by)
    for c in conditions:
        cond_id = writer.next_id("order_conditions")
        start = c.starts_on or starts_on
        reports: list[dt.date] = []
        next_report = None
        if c.report_every_months and start:
            reports = _check_days(rng, start, ends_on, discharged_on, c.report_every_months, today)
            next_report = rules.add_months(reports[-1] if reports else start, c.report_every_months)
        writer.add("order_conditions", (cond_id, order_id, ConditionKind(c.kind).value, c.text, c.starts_on,
                                        c.ends_on, c.report_every_months, next_report, 1))
        _write_checks(writer, rng, order_id, cond_id, reports, checked_by)


def _check_interval(rng: random.Random, order_type: OrderType) -> int | None:
    """Months between breach checks by the offender manager. Orders with conditions to police
    are checked every 3 to 12 months; a TRO (passports held by the Home Office) once a year; a
    director disqualification is policed by the Insolvency Service, not by checks here."""
    if order_type == OrderType.CDDA:
        return None
    if order_type == OrderType.TRO:
        return 12
    return rng.choice((3, 6, 6, 12))


def _check_days(rng: random.Random, starts_on: dt.date | None, ends_on: dt.date | None,
                discharged_on: dt.date | None, interval: int, today: dt.date) -> list[dt.date]:
    """When past breach checks (or reports under a condition) were recorded, one per interval;
    only the latest ``MAX_CHECKS`` of a long-running order are kept."""
    if starts_on is None or starts_on > today:
        return []
    stop = min(d for d in (today - dt.timedelta(days=20), ends_on, discharged_on) if d is not None)
    days = []
    day = rules.add_months(starts_on, interval)
    while day <= stop:
        days.append(day)
        day = rules.add_months(day, interval)
    return [d + dt.timedelta(days=rng.randint(-10, 0)) for d in days[-MAX_CHECKS:]]


def _write_checks(writer: Writer, rng: random.Random, order_id: int, condition_id: int | None,
                  days: list[dt.date], checked_by: int | None) -> None:
    """Mostly compliant; the odd concern or missed contact."""
    for checked_on in days:
        result = rng.choices([r for r, _ in CHECK_RESULTS], [w for _, w in CHECK_RESULTS])[0]
        writer.add("compliance_checks", (
            writer.next_id("compliance_checks"), order_id, condition_id, checked_on, result,
            None if result == CheckResult.COMPLIANT else "Follow-up visit arranged", checked_by,
            dt.datetime.combine(checked_on, dt.time(11, rng.randint(0, 59)))))
