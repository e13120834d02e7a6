"""Alerts about restraint and confiscation (DOMAIN.md section 5: A13-A23).

Three sources, one per subject type (restraint orders, confiscation timetables, confiscation
orders), each a handful of set-based queries feeding pure builders. Statutory limits come from
``casework.confiscation.rules``; lead times marked **design** there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from typing import Any

import sqlalchemy as sa

from casework.alerts.rules import reading_day, uk_date, when
from casework.alerts.sources import ExpectedAlert, register
from casework.cases.models import Case, Charge, Defendant
from casework.confiscation import rules
from casework.confiscation.models import (
    ConfiscationOrder,
    ConfiscationProceeding,
    EnforcementStep,
    OrderStatus,
    RestraintOrder,
    RestraintStatus,
)
from casework.core import signals
from casework.core.money import format_gbp
from casework.extensions import db

RESTRAINT, TIMETABLE, ORDER = "restraint_order", "confiscation_proceeding", "confiscation_order"


def _who(row: Any) -> str:
    return f"{row.forenames} {row.surname.upper()}".strip()


def _alert(subject: str, row: Any, kind: str, token: str, due_on: dt.date, message: str,
           series: str | None = None, suppressed: str | None = None) -> ExpectedAlert:
    return ExpectedAlert(key=f"{subject}:{row.id}:{kind}:{token}", kind=kind,
                         series=f"{subject}:{row.id}:{series or kind}", subject_type=subject,
                         subject_id=row.id, unit_id=row.unit_id, case_id=row.case_id, due_on=due_on,
                         message=message, lawyer_id=row.lead_lawyer_id, suppressed=suppressed)


def _due_pair(subject: str, row: Any, kind: str, due_on: dt.date, what: str, today: dt.date,
              lead_days: int) -> Iterator[ExpectedAlert]:
    soon = due_on - dt.timedelta(days=lead_days)
    text = when(due_on, reading_day(soon, today), future="is due", today_word="is due today",
                past="was due")
    yield _alert(subject, row, f"{kind}_due", str(due_on), soon, f"{what} {text}.", f"{kind}:{due_on}")
    yield _alert(subject, row, f"{kind}_overdue", str(due_on), due_on + dt.timedelta(days=1),
                 f"{what} is overdue: it was due on {uk_date(due_on)}.", f"{kind}:{due_on}")


#: The defendant's name and the case's lawyer, joined into every source query.
PEOPLE = (Defendant.forenames, Defendant.surname, Case.lead_lawyer_id)


# --- A13-A15: restraint ---------------------------------------------------------------------

class RestraintSource:
    name = "confiscation_restraint"
    subject_type = RESTRAINT
    kinds = {
        "restraint_report_due": "Restraint progress report due",
        "restraint_report_overdue": "Restraint progress report overdue",
        "restraint_drifting": "Pre-charge restraint with no charge",
        "restraint_discharge_due": "Restraint still in force after confiscation satisfied",
    }

    def expected(self, *, today: dt.date,
                 subject_ids: Collection[int] | None = None) -> Iterator[ExpectedAlert]:
        R = RestraintOrder
        first_charge = (sa.select(sa.func.min(Charge.charged_on)).where(Charge.defendant_id == R.defendant_id)
                        .correlate(R).scalar_subquery())
        live_orders = (sa.select(sa.func.count(ConfiscationOrder.id))
                       .where(ConfiscationOrder.defendant_id == R.defendant_id,
                              ConfiscationOrder.status == OrderStatus.LIVE).correlate(R).scalar_subquery())
        closed_on = (sa.select(sa.func.max(sa.func.coalesce(ConfiscationOrder.satisfied_on,
                                                            ConfiscationOrder.written_off_on)))
                     .where(ConfiscationOrder.defendant_id == R.defendant_id).correlate(R).scalar_subquery())
        stmt = (sa.select(R.id, R.unit_id, R.case_id, R.condition, R.made_on, R.next_report_due_on,
                          *PEOPLE, first_charge.label("first_charge"), live_orders.label("live"),
                          closed_on.label("closed_on"))
                .join(Defendant, Defendant.id == R.defendant_id).join(Case, Case.id == R.case_id)
                .where(R.status == RestraintStatus.MADE))
        if subject_ids is not None:
            stmt = stmt.where(R.id.in_(list(subject_ids)))
        for row in db.session.execute(stmt):
            yield from _restraint_alerts(row, today)


def _restraint_alerts(row: Any, today: dt.date) -> Iterator[ExpectedAlert]:
    title = f"The restraint order against {_who(row)}"
    if row.next_report_due_on is not None:
        yield from _due_pair(RESTRAINT, row, "restraint_report", row.next_report_due_on,
                             f"{title}: the progress report to the court (POCA s.41)", today,
                             rules.STATEMENT_REMINDER_DAYS)
    if row.condition == rules.RestraintCondition.INVESTIGATION and row.first_charge is None and row.made_on:
        due = rules.add_months(row.made_on, rules.RESTRAINT_DRIFT_MONTHS)
        yield _alert(RESTRAINT, row, "restraint_drifting", str(row.made_on), due,
                     f"{title} was made pre-charge on {uk_date(row.made_on)} and no charge is recorded: "
                     "review it; the court must discharge if proceedings are not started within a "
                     "reasonable time (POCA s.42(7)).")
    if row.live == 0 and row.closed_on is not None:
        yield _alert(RESTRAINT, row, "restraint_discharge_due", str(row.closed_on), row.closed_on,
                     f"{title} is still in force although every confiscation order was satisfied or "
                     f"closed by {uk_date(row.closed_on)}: apply to discharge it (POCA s.85(5)(a)).")


# --- A16, A17, A22: the timetable ------------------------------------------------------------

class TimetableSource:
    name = "confiscation_timetable"
    subject_type = TIMETABLE
    kinds = {
        "postponement_limit": "Confiscation postponement limit approaching",
        "s16_statement_due": "Prosecutor's statement (s.16) due",
        "s16_statement_overdue": "Prosecutor's statement (s.16) overdue",
        "s17_response_due": "Defendant's response (s.17) due",
        "s17_response_overdue": "Defendant's response (s.17) overdue",
        "reconsideration_deadline": "Deadline to reconsider benefit (s.21)",
    }

    def expected(self, *, today: dt.date,
                 subject_ids: Collection[int] | None = None) -> Iterator[ExpectedAlert]:
        P = ConfiscationProceeding
        orders = (sa.select(sa.func.count(ConfiscationOrder.id))
                  .where(ConfiscationOrder.defendant_id == P.defendant_id).correlate(P).scalar_subquery())
        stmt = (sa.select(P.id, P.unit_id, P.case_id, P.convicted_on, P.appeal_determined_on,
                          P.exceptional_circumstances, P.s16_due_on, P.s16_served_on, P.s17_due_on,
                          P.s17_served_on, *PEOPLE, orders.label("orders"))
                .join(Defendant, Defendant.id == P.defendant_id).join(Case, Case.id == P.case_id))
        if subject_ids is not None:
            stmt = stmt.where(P.id.in_(list(subject_ids)))
        for row in db.session.execute(stmt):
            yield from _timetable_alerts(row, today)


def _timetable_alerts(row: Any, today: dt.date) -> Iterator[ExpectedAlert]:
    who = _who(row)
    if row.orders == 0 and not row.exceptional_circumstances:
        limit = rules.postponement_limit(row.convicted_on, row.appeal_determined_on)
        due = rules.add_months(row.convicted_on, rules.POSTPONEMENT_WARNING_MONTHS)
        text = when(limit, reading_day(due, today), future="ends", today_word="ends today", past="ended")
        yield _alert(TIMETABLE, row, "postponement_limit", str(limit), min(due, limit),
                     f"Confiscation for {who}: the permitted period of postponement {text} (2 years from "
                     "conviction unless exceptional circumstances, POCA s.14).")
    for section, kind, due_on, served in (("s.16", "s16_statement", row.s16_due_on, row.s16_served_on),
                                          ("s.17", "s17_response", row.s17_due_on, row.s17_served_on)):
        if due_on is not None and served is None:
            what = "prosecutor's statement of information" if section == "s.16" else "defendant's response"
            yield from _due_pair(TIMETABLE, row, kind, due_on, f"Confiscation for {who}: the {what} "
                                 f"(POCA {section})", today, rules.STATEMENT_REMINDER_DAYS)
    deadline = rules.reconsideration_deadline(row.convicted_on)
    due = rules.add_months(deadline, -rules.RECONSIDERATION_WARNING_MONTHS)
    text = when(deadline, reading_day(due, today), future="is", today_word="is today", past="was")
    yield _alert(TIMETABLE, row, "reconsideration_deadline", str(deadline), due,
                 f"The last day to apply to reconsider the benefit of {who} (6 years from conviction, "
                 f"POCA s.21) {text}: check for new evidence of benefit.")


# --- A18-A21, A23 and enforcement actions: orders -----------------------------------------------

class OrderSource:
    name = "confiscation_orders"
    subject_type = ORDER
    kinds = {
        "payment_due": "Confiscation payment due",
        "interest_accruing": "Interest accruing on confiscation order",
        "enforcement_due": "Confiscation enforcement action due",
        "enforcement_step_due": "Next enforcement action due",
        "no_automatic_release": "Default term: no automatic release",
        "asset_recheck": "Re-check assets (s.22)",
    }

    def expected(self, *, today: dt.date,
                 subject_ids: Collection[int] | None = None) -> Iterator[ExpectedAlert]:
        O = ConfiscationOrder  # noqa: E741
        stmt = (sa.select(O.id, O.unit_id, O.case_id, O.made_on, O.amount, O.due_on, O.extended_due_on,
                          O.extension_applied_on, O.extension_decided_on, O.status, *PEOPLE)
                .join(Defendant, Defendant.id == O.defendant_id).join(Case, Case.id == O.case_id))
        if subject_ids is not None:
            stmt = stmt.where(O.id.in_(list(subject_ids)))
        rows = {row.id: row for row in db.session.execute(stmt)}
        for row in rows.values():
            yield from _order_alerts(row, today)
        steps = sa.select(EnforcementStep.order_id, EnforcementStep.next_due_on).where(
            EnforcementStep.next_due_on.is_not(None))
        if subject_ids is not None:
            # only when narrowed: every order id as a parameter overflows the driver's limit
            # (65,535 on PostgreSQL) once there are more orders than that
            steps = steps.where(EnforcementStep.order_id.in_(list(rows)))
        for order_id, next_due_on in db.session.execute(steps):
            order = rows.get(order_id)
            if order is not None and order.status == OrderStatus.LIVE and next_due_on is not None:
                yield _alert(ORDER, order, "enforcement_step_due", str(next_due_on), next_due_on,
                             f"Confiscation order against {_who(order)}: the next enforcement action "
                             f"recorded is due on {uk_date(next_due_on)}.")


def _order_alerts(row: Any, today: dt.date) -> Iterator[ExpectedAlert]:
    who, amount = _who(row), format_gbp(row.amount)
    if rules.no_automatic_release(row.amount, row.made_on):
        yield _alert(ORDER, row, "no_automatic_release", str(row.made_on), row.made_on,
                     f"The confiscation order of {amount} against {who} is £10 million or more: no "
                     "automatic early release from the default term (PSI 16/2010, revised 2015). Tell "
                     "the prison.")
    if row.status != OrderStatus.LIVE:
        return
    due_on = row.extended_due_on or row.due_on
    limits = rules.time_to_pay_limits(row.made_on)
    remind = max(due_on - dt.timedelta(days=rules.PAYMENT_REMINDER_DAYS), row.made_on)
    text = when(due_on, reading_day(remind, today), future="is due", today_word="is due today",
                past="was due")
    yield _alert(ORDER, row, "payment_due", str(due_on), remind,
                 f"Payment of the confiscation order of {amount} against {who} {text}. Any application "
                 "to extend must be made before then; time cannot run past "
                 f"{uk_date(limits.latest_extended_on)} (POCA s.11).")
    starts = due_on + dt.timedelta(days=1)
    if row.extension_applied_on is not None and row.extension_decided_on is None:
        starts = max(starts, limits.latest_extended_on + dt.timedelta(days=1))
    yield _alert(ORDER, row, "interest_accruing", str(starts), starts,
                 f"Interest at the judgment-debt rate runs from {uk_date(starts)} on what is unpaid of the "
                 f"confiscation order against {who} (POCA s.12).")
    enforce = due_on + dt.timedelta(days=rules.ENFORCEMENT_AFTER_DAYS)
    yield _alert(ORDER, row, "enforcement_due", str(due_on), enforce,
                 f"The confiscation order against {who} was due on {uk_date(due_on)} and is unpaid: "
                 "apply for an enforcement receiver (POCA s.50) or default-term activation (s.35). "
                 "Inordinate delay can breach Article 6 ECHR.")
    yield from _rechecks(row, today)


def _rechecks(row: Any, today: dt.date) -> Iterator[ExpectedAlert]:
    """A23: the latest yearly re-check on or before today (if any), and the next one."""
    k = 1
    while rules.add_months(row.made_on, k * rules.ASSET_RECHECK_MONTHS) <= today:
        k += 1
    for n in (k - 1, k):
        if n < 1:
            continue
        due = rules.add_months(row.made_on, n * rules.ASSET_RECHECK_MONTHS)
        yield _alert(ORDER, row, "asset_recheck", str(due), due,
                     f"Re-check the assets of {_who(row)}: an application to increase the available "
                     "amount can be made at any time while the order is unpaid (POCA s.22).",
                     series=f"asset_recheck:{due}")


# --- recompute when records change --------------------------------------------------------------

SUBJECT_OF = {RestraintOrder: RESTRAINT, ConfiscationProceeding: TIMETABLE, ConfiscationOrder: ORDER}


def _ids(model: Any, defendant_id: int) -> list[int]:
    return list(db.session.execute(sa.select(model.id).where(model.defendant_id == defendant_id)).scalars())


@signals.confiscation_changed.connect
def _on_confiscation_changed(record: Any, **_: Any) -> None:
    """An order's change can start or stop A15 on the restraint and A16 on the timetable too."""
    from casework.alerts.service import recompute_for

    recompute_for(SUBJECT_OF[type(record)], [record.id])
    if isinstance(record, ConfiscationOrder):
        recompute_for(RESTRAINT, _ids(RestraintOrder, record.defendant_id))
        recompute_for(TIMETABLE, _ids(ConfiscationProceeding, record.defendant_id))


@signals.defendant_charged.connect
def _on_defendant_charged(defendant: Any, **_: Any) -> None:
    from casework.alerts.service import recompute_for

    recompute_for(RESTRAINT, _ids(RestraintOrder, defendant.id))


register(RestraintSource())
register(TimetableSource())
register(OrderSource())
