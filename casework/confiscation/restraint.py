"""Restraint orders (POCA ss.40-42) and the confiscation timetable per defendant (ss.6, 14, 16,
17, 75). Services: validate, flush, audit, signal; never commit."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from casework.audit import service as audit
from casework.auth.models import User
from casework.cases.models import Defendant
from casework.confiscation import rules
from casework.confiscation.models import (
    ConfiscationProceeding,
    LifestyleBasis,
    RestraintEvent,
    RestraintEventKind,
    RestraintOrder,
    RestraintStatus,
)
from casework.confiscation.rules import RestraintCondition
from casework.confiscation.service import changed, ensure_version
from casework.core import clock
from casework.core.templating import display_value
from casework.core.validation import Problems, ValidationError
from casework.extensions import db

#: Which events may follow which status (anything else is refused with a plain message).
ALLOWED = {
    RestraintStatus.APPLIED: {RestraintEventKind.MADE, RestraintEventKind.REFUSED},
    RestraintStatus.MADE: {RestraintEventKind.VARIED, RestraintEventKind.REPORTED,
                           RestraintEventKind.DISCHARGED},
    RestraintStatus.REFUSED: set(),
    RestraintStatus.DISCHARGED: set(),
}
NEW_STATUS = {RestraintEventKind.MADE: RestraintStatus.MADE,
              RestraintEventKind.REFUSED: RestraintStatus.REFUSED,
              RestraintEventKind.DISCHARGED: RestraintStatus.DISCHARGED}
LABELS = {"status": "Status", "made_on": "Date made", "last_varied_on": "Date last varied",
          "next_report_due_on": "Next progress report due", "discharged_on": "Date discharged",
          "court": "Court"}


def _past(problems: Problems, field: str, value: dt.date | None, what: str) -> None:
    if value is not None and value > clock.today():
        problems.add(field, f"{what} must be today or in the past")


def record_restraint(defendant: Defendant, *, condition: RestraintCondition | str, applied_on: dt.date,
                     made_on: dt.date | None = None, court: str | None = None,
                     next_report_due_on: dt.date | None = None, notes: str | None = None,
                     actor: User | None) -> RestraintOrder:
    """An application for restraint (s.42(1)); with ``made_on``, the order the court made."""
    problems = Problems()
    try:
        condition = RestraintCondition(condition)
    except ValueError:
        problems.add("condition", "Select the condition the application relies on (POCA s.40)")
        problems.raise_if_any()
    _past(problems, "applied_on", applied_on, "The application date")
    _past(problems, "made_on", made_on, "The date the order was made")
    if made_on is not None and made_on < applied_on:
        problems.add("made_on", "The order cannot be made before the application")
    if made_on is not None:
        _check_report(problems, RestraintCondition(condition), next_report_due_on, made_on)
    problems.raise_if_any()
    order = RestraintOrder(
        defendant_id=defendant.id, case_id=defendant.case_id, unit_id=defendant.case.unit_id,
        condition=condition, status=RestraintStatus.MADE if made_on else RestraintStatus.APPLIED,
        court=(court or "").strip()[:150] or None, applied_on=applied_on, made_on=made_on,
        next_report_due_on=next_report_due_on, notes=(notes or "").strip() or None,
        created_at=clock.now())
    db.session.add(order)
    db.session.flush()
    _event(order, RestraintEventKind.APPLIED, applied_on, None)
    if made_on:
        _event(order, RestraintEventKind.MADE, made_on, None)
    audit.record("collect", object_type="restraint_order", object_id=order.id, case_id=order.case_id,
                 actor=actor, summary=(f"Restraint order for {defendant.full_name} applied for on "
                                       f"{display_value(applied_on)}"
                                       + (f", made on {display_value(made_on)}" if made_on else "")))
    changed(order, actor=actor)
    return order


def _check_report(problems: Problems, condition: RestraintCondition, next_report_due_on: dt.date | None,
                  on: dt.date) -> None:
    """An order made on the investigation condition must set progress-report dates (POCA s.41
    as amended by SCA 2015 s.11; Halsbury's para 202)."""
    if condition.pre_charge and next_report_due_on is None:
        problems.add("next_report_due_on", "Enter when the next progress report to the court is due: "
                                           "a pre-charge restraint order must set reporting dates "
                                           "(Proceeds of Crime Act 2002, s.41)")
    if next_report_due_on is not None and next_report_due_on <= on:
        problems.add("next_report_due_on", "The next progress report must be due after that date")


def _event(order: RestraintOrder, kind: RestraintEventKind, on: dt.date, details: str | None) -> None:
    db.session.add(RestraintEvent(restraint_order_id=order.id, kind=kind, occurred_on=on,
                                  details=details, recorded_at=clock.now()))


def record_restraint_event(order: RestraintOrder, *, kind: RestraintEventKind | str, occurred_on: dt.date,
                           details: str | None = None, next_report_due_on: dt.date | None = None,
                           version: int | None = None, actor: User | None) -> RestraintOrder:
    """Made, refused, varied, a progress report, or discharged (s.42(3), (6)-(7))."""
    ensure_version(order, version)
    problems = Problems()
    try:
        kind = RestraintEventKind(kind)
    except ValueError:
        raise ValidationError(kind="Select what happened") from None
    if kind not in ALLOWED[order.status]:
        problems.add("kind", f"A restraint order that is {order.status.label.lower()} cannot be "
                             f"recorded as {kind.label.lower()}")
    _past(problems, "occurred_on", occurred_on, "The date")
    if occurred_on < (order.made_on or order.applied_on):
        problems.add("occurred_on", "The date cannot be before the order was applied for or made")
    if kind is RestraintEventKind.DISCHARGED and not (details or "").strip():
        problems.add("details", "Enter why the order was discharged")
    if kind in (RestraintEventKind.MADE, RestraintEventKind.REPORTED) or (
            kind is RestraintEventKind.VARIED and next_report_due_on is not None):
        _check_report(problems, order.condition, next_report_due_on, occurred_on)
    problems.raise_if_any()
    old = {k: getattr(order, k) for k in LABELS}
    order.status = NEW_STATUS.get(kind, order.status)
    if kind is RestraintEventKind.MADE:
        order.made_on = occurred_on
    if kind is RestraintEventKind.VARIED:
        order.last_varied_on = occurred_on
    if kind is RestraintEventKind.DISCHARGED:
        order.discharged_on, order.next_report_due_on = occurred_on, None
    elif next_report_due_on is not None:
        order.next_report_due_on = next_report_due_on
    _event(order, kind, occurred_on, (details or "").strip() or None)
    db.session.flush()
    changes, sentences = audit.describe_changes(LABELS, old, {k: getattr(order, k) for k in LABELS})
    audit.record("alter", object_type="restraint_order", object_id=order.id, case_id=order.case_id,
                 actor=actor, changes=changes, reason=(details or "").strip() or None,
                 summary=f"Restraint order {kind.label.lower()} on {display_value(occurred_on)}"
                         + (": " + "; ".join(sentences) if sentences else ""))
    changed(order, actor=actor)
    return order


# --- the timetable --------------------------------------------------------------------------

TIMETABLE_LABELS = {
    "convicted_on": "Conviction date", "asked_on": "Date the prosecutor asked the court to proceed",
    "appeal_determined_on": "Date the conviction appeal was decided",
    "exceptional_circumstances": "Exceptional circumstances for postponement",
    "s16_due_on": "Prosecutor's statement due (s.16)", "s16_served_on": "Prosecutor's statement served",
    "s17_due_on": "Defendant's response due (s.17)", "s17_served_on": "Defendant's response served",
    "hearing_on": "Confiscation hearing", "lifestyle": "Criminal lifestyle (s.75)",
    "lifestyle_basis": "Lifestyle basis",
}


def proceeding_for(defendant: Defendant) -> ConfiscationProceeding | None:
    return db.session.execute(sa.select(ConfiscationProceeding).where(  # type: ignore[no-any-return]
        ConfiscationProceeding.defendant_id == defendant.id)).scalar_one_or_none()


def set_timetable(defendant: Defendant, *, convicted_on: dt.date, asked_on: dt.date | None = None,
                  appeal_determined_on: dt.date | None = None, exceptional_circumstances: bool = False,
                  s16_due_on: dt.date | None = None, s16_served_on: dt.date | None = None,
                  s17_due_on: dt.date | None = None, s17_served_on: dt.date | None = None,
                  hearing_on: dt.date | None = None, lifestyle: bool | None = None,
                  lifestyle_basis: LifestyleBasis | str | None = None, version: int | None = None,
                  actor: User | None) -> ConfiscationProceeding:
    """Create or update the defendant's confiscation timetable, checking the s.14 permitted
    period and the s.75 lifestyle basis."""
    proceeding = proceeding_for(defendant)
    if proceeding is not None:
        ensure_version(proceeding, version)
    if lifestyle_basis and lifestyle_basis not in {b.value for b in LifestyleBasis}:
        raise ValidationError(lifestyle_basis="Lifestyle basis: choose one of the s.75(2) limbs shown")
    values: dict[str, object] = {
        "convicted_on": convicted_on, "asked_on": asked_on, "appeal_determined_on": appeal_determined_on,
        "exceptional_circumstances": bool(exceptional_circumstances), "s16_due_on": s16_due_on,
        "s16_served_on": s16_served_on, "s17_due_on": s17_due_on, "s17_served_on": s17_served_on,
        "hearing_on": hearing_on, "lifestyle": lifestyle,
        "lifestyle_basis": LifestyleBasis(lifestyle_basis) if lifestyle_basis else None}
    _check_timetable(values)
    if proceeding is None:
        proceeding = ConfiscationProceeding(defendant_id=defendant.id, case_id=defendant.case_id,
                                            unit_id=defendant.case.unit_id)
        db.session.add(proceeding)
        old: dict[str, object] = {}
    else:
        old = {k: getattr(proceeding, k) for k in TIMETABLE_LABELS}
    for key, value in values.items():
        setattr(proceeding, key, value)
    db.session.flush()
    changes, sentences = audit.describe_changes(TIMETABLE_LABELS, old, values)
    audit.record("alter" if old else "collect", object_type="confiscation_proceeding",
                 object_id=proceeding.id, case_id=proceeding.case_id, actor=actor, changes=changes,
                 summary=f"Confiscation timetable for {defendant.full_name}: " + "; ".join(sentences))
    changed(proceeding, actor=actor)
    return proceeding


def _check_timetable(v: dict[str, object]) -> None:
    problems = Problems()
    convicted_on = v["convicted_on"]
    if not isinstance(convicted_on, dt.date):
        raise ValidationError(convicted_on="Enter the date of conviction")
    _past(problems, "convicted_on", convicted_on, "The conviction date")
    for field in ("asked_on", "s16_served_on", "s17_served_on", "appeal_determined_on"):
        value = v[field]
        if isinstance(value, dt.date):
            _past(problems, field, value, TIMETABLE_LABELS[field])
    for field in ("asked_on", "s16_due_on", "s17_due_on", "hearing_on", "appeal_determined_on"):
        value = v[field]
        if isinstance(value, dt.date) and value < convicted_on:
            problems.add(field, f"{TIMETABLE_LABELS[field]} cannot be before the conviction")
    if isinstance(v["s17_due_on"], dt.date) and isinstance(v["s16_due_on"], dt.date) \
            and v["s17_due_on"] < v["s16_due_on"]:
        problems.add("s17_due_on", "The defendant's response cannot be due before the prosecutor's "
                                   "statement (Proceeds of Crime Act 2002, s.17)")
    hearing_on = v["hearing_on"]
    if isinstance(hearing_on, dt.date):
        appeal = v["appeal_determined_on"]
        error = rules.check_postponement(
            convicted_on, hearing_on, appeal_determined_on=appeal if isinstance(appeal, dt.date) else None,
            exceptional=bool(v["exceptional_circumstances"]))
        if error:
            problems.add("hearing_on", error)
    if v["lifestyle_basis"] and v["lifestyle"] is not True:
        problems.add("lifestyle_basis", "Only give a lifestyle basis when the court found a criminal "
                                        "lifestyle (Proceeds of Crime Act 2002, s.75)")
    problems.raise_if_any()
