"""POCA Part 2 in bulk: timetables (proceedings), confiscation orders with long payment ledgers,
enforcement, and restraint orders, as casework.demo.confiscation builds them one at a time.

Orders follow conviction by 4 to 18 months (inside the s.14 postponement period), cluster on
drugs, fraud and money laundering, and carry the s.35(2A) maximum default term for their amount.
About a third are paid in full by the due date (satisfied, no interest), most of the rest pay
by instalments for years (the long ledgers), a few never pay and some old ones are written
off. The ledger is append-only; its total never exceeds the order amount.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from casework.cases.rules import HearingKind
from casework.confiscation import rules
from casework.confiscation.models import EnforcementKind, LifestyleBasis, OrderStatus, RestraintStatus
from casework.confiscation.rules import RestraintCondition
from casework.demo.bulk.cases import Accused, CaseBook, _weekday_after
from casework.demo.bulk.people import Staff
from casework.demo.bulk.plan import Plan
from casework.demo.bulk.writer import Writer
from casework.demo.confiscation import ACQUISITIVE

PENNY = Decimal("0.01")
CRIME_WEIGHTS = {"drugs": 6, "fraud": 6, "money_laundering": 5, "bribery_corruption": 3,
                 "trafficking": 2, "acquisitive": 2, "immigration": 1}
PLANS = (("full", 45), ("instalments", 40), ("none", 15))
#: Restraint is sought where there is a lot to lose (and sometimes below that).
RESTRAIN_FROM = Decimal(250_000)
WRITE_OFF = "Written off: no realisable assets and the default term has been served"


@dataclass
class Ledger:
    """One order's plan, decided before any row is written (the instalment rate is calibrated
    so the ledger lands near the planned number of payments)."""

    accused: Accused
    made_on: dt.date
    plan: str
    months: int = 0
    extra: dict[str, object] = field(default_factory=dict)


def build_confiscation(writer: Writer, staff: Staff, plan: Plan, book: CaseBook, seed: str,
                       today: dt.date) -> dict[str, int]:
    rng = random.Random(f"{seed}:confiscation")
    ready: list[tuple[float, Accused, dt.date]] = []
    pending: list[tuple[Accused, dt.date]] = []
    for a in book.accused:
        if a.crime not in ACQUISITIVE or not a.convicted or a.sentenced_on is None:
            continue
        assert a.finalised_on is not None
        made_on = _weekday_after(rng, a.finalised_on, 120, 540)
        if made_on <= today:
            # weighted sampling without replacement (Efraimidis-Spirakis keys)
            ready.append((rng.random() ** (1 / CRIME_WEIGHTS.get(a.crime, 1)), a, made_on))
        elif rng.random() < 0.8:
            pending.append((a, made_on))
    ready.sort(key=lambda r: -r[0])
    chosen = sorted(ready[:plan.confiscation_orders], key=lambda r: (r[2], r[1].id))
    ledgers = [Ledger(a, made_on, str(rng.choices([p for p, _ in PLANS], [w for _, w in PLANS])[0]))
               for _, a, made_on in chosen]
    _declare(writer)
    keep = _calibrate(ledgers, plan, today)
    for ledger in ledgers:
        _order(writer, rng, staff, ledger, keep, today)
        writer.progress.advance()
    for a, made_on in pending:
        _proceeding(writer, rng, staff, a, made_on, today)
        if rng.random() < 0.3:
            _restraint(writer, rng, staff, a, None, today)
        writer.progress.advance()
    writer.flush()
    return {"orders": len(ledgers), "in_progress": len(pending)}


def _declare(writer: Writer) -> None:
    writer.columns("confiscation_proceedings", (
        "id", "defendant_id", "case_id", "unit_id", "convicted_on", "asked_on", "appeal_determined_on",
        "exceptional_circumstances", "s16_due_on", "s16_served_on", "s17_due_on", "s17_served_on",
        "hearing_on", "lifestyle", "lifestyle_basis", "version"))
    writer.columns("confiscation_orders", (
        "id", "defendant_id", "case_id", "unit_id", "made_on", "court", "benefit", "available_amount",
        "original_amount", "amount", "compensation_amount", "due_on", "extension_applied_on",
        "extension_decided_on", "extended_due_on", "default_term_months", "status", "satisfied_on",
        "written_off_on", "written_off_reason", "created_at", "version"))
    writer.columns("confiscation_payments", (
        "id", "order_id", "received_on", "amount", "reverses_id", "idempotency_key", "reference", "note",
        "recorded_at", "recorded_by_id"))
    writer.columns("confiscation_enforcement_steps", ("id", "order_id", "kind", "taken_on", "result",
                                                      "next_due_on", "version"))
    writer.columns("restraint_orders", (
        "id", "defendant_id", "case_id", "unit_id", "condition", "status", "court", "applied_on",
        "made_on", "last_varied_on", "next_report_due_on", "discharged_on", "notes", "created_at",
        "version"))
    writer.columns("restraint_events", ("id", "restraint_order_id", "kind", "occurred_on", "details",
                                        "recorded_at"))


def _months_between(start: dt.date, end: dt.date) -> int:
    return max(0, (end.year - start.year) * 12 + end.month - start.month)


def _calibrate(ledgers: list[Ledger], plan: Plan, today: dt.date) -> float:
    """The share of months in which an instalment payer pays, so the ledger totals the plan."""
    full = 0
    monthly = 0
    for ledger in ledgers:
        if ledger.plan == "full":
            full += 2
        elif ledger.plan == "instalments":
            ledger.months = _months_between(ledger.made_on, today)
            monthly += ledger.months
    if monthly == 0:
        return 1.0
    return min(1.0, max(0.02, (plan.payments - full) / monthly))


def _money(rng: random.Random, low: float, high: float) -> Decimal:
    """A sum to the nearest £50, spread log-uniformly (many small orders, a few huge ones)."""
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    return Decimal(max(1, round(value / 50)) * 50)


def _proceeding(writer: Writer, rng: random.Random, staff: Staff, a: Accused, hearing_on: dt.date,
                today: dt.date) -> None:
    """The s.16 statement and s.17 response timetable; served unless still in the future."""
    convicted_on = a.finalised_on
    assert convicted_on is not None
    s16_due = _weekday_after(rng, convicted_on, 42, 70)
    s16_served = s16_due - dt.timedelta(days=rng.randint(0, 10))
    s16_served_on = s16_served if s16_served <= today - dt.timedelta(days=2) and rng.random() < 0.95 else None
    s17_due = (s16_served_on or s16_due) + dt.timedelta(days=28)
    s17_served = s17_due - dt.timedelta(days=rng.randint(0, 7))
    s17_served_on = (s17_served if s16_served_on and s17_served <= today - dt.timedelta(days=2)
                     and rng.random() < 0.9 else None)
    lifestyle = a.crime in ("drugs", "money_laundering", "trafficking") and rng.random() < 0.7
    basis = (LifestyleBasis.SCHEDULE_2.value if lifestyle and a.crime != "money_laundering"
             else LifestyleBasis.COURSE_OF_ACTIVITY.value if lifestyle else None)
    writer.add("confiscation_proceedings", (
        writer.next_id("confiscation_proceedings"), a.id, a.case_id, staff.unit_ids[a.unit], convicted_on,
        convicted_on, None, False, s16_due, s16_served_on, s17_due if s16_served_on else None,
        s17_served_on, hearing_on, lifestyle if rng.random() < 0.9 else None, basis, 1))


def _order(writer: Writer, rng: random.Random, staff: Staff, ledger: Ledger, keep: float,
           today: dt.date) -> None:
    a, made_on = ledger.accused, ledger.made_on
    _proceeding(writer, rng, staff, a, made_on, today)
    huge = rng.random() < 0.002
    benefit = _money(rng, 10_000_000, 40_000_000) if huge else _money(rng, 8_000, 4_000_000)
    share = 100 if huge else rng.randint(5, 100)
    available = max(Decimal(50), (benefit * share / 100).quantize(Decimal(50)))
    amount = available
    compensation = ((amount * Decimal(rng.randint(30, 100)) / 100).quantize(PENNY)
                    if a.crime == "fraud" and rng.random() < 0.25 else None)
    limits = rules.time_to_pay_limits(made_on)
    due_on = min(made_on + dt.timedelta(days=rng.choice((0, 28, 56, 84))), limits.latest_due_on)
    extension: tuple[dt.date | None, dt.date | None, dt.date | None] = (None, None, None)
    if due_on > made_on and rng.random() < 0.08 and due_on < today - dt.timedelta(days=60):
        applied = due_on - dt.timedelta(days=rng.randint(3, 14))
        extension = (applied, applied + dt.timedelta(days=rng.randint(7, 21)),
                     min(due_on + dt.timedelta(days=rng.choice((28, 56))), limits.latest_extended_on))
    final_due = extension[2] or due_on
    term = rules.max_default_term_months(amount, made_on) or 12
    order_id = writer.next_id("confiscation_orders")
    payments = _payments(rng, ledger, amount, final_due, keep, today)
    status, satisfied_on, written_off_on, reason = OrderStatus.LIVE.value, None, None, None
    if ledger.plan == "full" and payments and sum(p for _, p in payments) == amount:
        status, satisfied_on = OrderStatus.SATISFIED.value, payments[-1][0]
    elif ledger.plan == "none" and made_on < today - dt.timedelta(days=4 * 365) and rng.random() < 0.5:
        written_off_on = made_on + dt.timedelta(days=rng.randint(3 * 365, 4 * 365))
        status, reason = OrderStatus.WRITTEN_OFF.value, WRITE_OFF
    writer.add("confiscation_orders", (
        order_id, a.id, a.case_id, staff.unit_ids[a.unit], made_on, a.crown, benefit, available, amount,
        amount, compensation, due_on, *extension, term, status, satisfied_on, written_off_on, reason,
        dt.datetime.combine(made_on, dt.time(16, rng.randint(0, 59))), 1))
    _ledger(writer, rng, order_id, a, payments)
    writer.add("hearings", (writer.next_id("hearings"), a.case_id, a.id, a.crown, made_on,
                            HearingKind.CONFISCATION.value, "Confiscation order made", 1))
    if status == OrderStatus.LIVE.value and final_due + dt.timedelta(days=60) < today and rng.random() < 0.4:
        taken = final_due + dt.timedelta(days=rng.randint(35, 120))
        recent = taken > today - dt.timedelta(days=365)
        kind = rng.choice((EnforcementKind.RECEIVER_APPLIED, EnforcementKind.DEFAULT_ACTIVATION_APPLIED))
        writer.add("confiscation_enforcement_steps", (
            writer.next_id("confiscation_enforcement_steps"), order_id, kind.value, min(taken, today),
            "Application issued in the Crown Court",
            taken + dt.timedelta(days=rng.randint(60, 120)) if recent else None, 1))
    if benefit >= RESTRAIN_FROM or rng.random() < 0.15:
        _restraint(writer, rng, staff, a, satisfied_on, today)


def _payments(rng: random.Random, ledger: Ledger, amount: Decimal, due_on: dt.date, keep: float,
              today: dt.date) -> list[tuple[dt.date, Decimal]]:
    """(received on, amount) in date order; the total never exceeds the order amount."""
    made_on = ledger.made_on
    if ledger.plan == "full":
        days = sorted(made_on + dt.timedelta(days=rng.randint(0, (due_on - made_on).days))
                      for _ in range(rng.randint(1, 3)))
        days = [d for d in days if d <= today]
        return _split(days, amount)
    if ledger.plan == "instalments":
        start = made_on + dt.timedelta(days=rng.randint(7, 40))
        days = [d for m in range(ledger.months)
                if (d := rules.add_months(start, m)) <= today and rng.random() < keep] or [start]
        days = [d for d in days if d <= today]
        target = (amount * Decimal(rng.randint(10, 90)) / 100).quantize(PENNY)
        return _split(days, target)
    return []


def _split(days: list[dt.date], total: Decimal) -> list[tuple[dt.date, Decimal]]:
    if not days or total <= 0:
        return []
    each = (total / len(days)).quantize(PENNY, rounding=ROUND_DOWN)
    if each <= 0:
        return [(days[-1], total)]
    out = [(d, each) for d in days[:-1]]
    out.append((days[-1], total - each * (len(days) - 1)))
    return out


def _ledger(writer: Writer, rng: random.Random, order_id: int, a: Accused,
            payments: list[tuple[dt.date, Decimal]]) -> None:
    for n, (day, amount) in enumerate(payments, 1):
        payment_id = writer.next_id("confiscation_payments")
        recorded = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(10, n % 60))
        writer.add("confiscation_payments", (payment_id, order_id, day, amount, None, None,
                                             f"HMCTS-{order_id:06d}-{n}", None, recorded, a.lawyer_id))
        if rng.random() < 0.002:  # a cheque returned unpaid: reversed by a negative entry
            writer.add("confiscation_payments", (
                writer.next_id("confiscation_payments"), order_id, day, -amount, payment_id, None, None,
                "Cheque returned unpaid", recorded + dt.timedelta(days=7), a.lawyer_id))


def _restraint(writer: Writer, rng: random.Random, staff: Staff, a: Accused, closed_on: dt.date | None,
               today: dt.date) -> None:
    """A s.41 restraint order soon after charge (the s.40(3) condition); discharged once the
    confiscation order is satisfied, otherwise reporting to the court every six months."""
    if a.charged_on is None:
        return
    applied_on = _weekday_after(rng, a.charged_on, 1, 20)
    made_on = _weekday_after(rng, applied_on, 0, 10)
    if made_on > today:
        return
    discharged_on = None
    if closed_on is not None:
        discharged = closed_on + dt.timedelta(days=rng.randint(14, 90))
        discharged_on = discharged if discharged <= today else None
    next_report = None
    if discharged_on is None:
        next_report = made_on
        while next_report < today - dt.timedelta(days=rng.choice((20, 200, 200, 200))):
            next_report = rules.add_months(next_report, 6)
    restraint_id = writer.next_id("restraint_orders")
    status = RestraintStatus.DISCHARGED if discharged_on else RestraintStatus.MADE
    writer.add("restraint_orders", (
        restraint_id, a.id, a.case_id, staff.unit_ids[a.unit], RestraintCondition.PROCEEDINGS.value,
        status.value, a.crown, applied_on, made_on, None, next_report, discharged_on, None,
        dt.datetime.combine(applied_on, dt.time(12, rng.randint(0, 59))), 1))
    for kind, day in (("applied", applied_on), ("made", made_on), ("discharged", discharged_on)):
        if day is not None:
            writer.add("restraint_events", (writer.next_id("restraint_events"), restraint_id, kind, day,
                                            None, dt.datetime.combine(day, dt.time(17, 0))))
