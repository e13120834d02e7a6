"""Alerts about ancillary orders (DOMAIN.md section 5: A1-A6, A10 and the stale-order check).

Three set-based queries (orders, conditions, charges during an SCPO) feed pure functions that
turn one row into its expected alerts. Which alerts exist depends only on the order's dates, so
a sweep after a long outage produces exactly the keys that daily sweeps would have; whether an
alert may still be *sent* depends on today: nothing is sent for a discharged order, nor for an
expired one except its expiry reminder within ``LAPSED_NOTICE_DAYS`` of the end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from typing import Any

import sqlalchemy as sa
from flask import current_app

from casework.alerts import rules
from casework.alerts.rules import reading_day, uk_date, when
from casework.alerts.sources import ExpectedAlert, register
from casework.cases.models import Case, Charge, Defendant
from casework.core import signals
from casework.extensions import db
from casework.orders.models import AncillaryOrder, ComplianceCheck, OrderCondition
from casework.orders.rules import ConditionKind, OrderType, rule_for

SUBJECT = "order"
#: An expiry reminder first computed after its order ended (an order entered late) is sent only
#: if the order ended this recently: a data import must not mail every order that ended years
#: ago (DOMAIN.md 4.8). Reminders already waiting when a sweep was missed are still sent. Design.
LAPSED_NOTICE_DAYS = 90

KINDS = {
    "order_expiry": "Order expiry",
    "order_starts": "Order comes into force",
    "order_not_served": "Order not yet served",
    "report_due": "Report due",
    "report_overdue": "Report overdue",
    "check_due": "Compliance check due",
    "check_overdue": "Compliance check overdue",
    "travel_ban_lapsing": "Foreign travel ban lapsing",
    "scpo_charged": "SCPO subject charged (s.22E)",
    "order_stale": "No compliance check recorded",
}


def _lead_overrides() -> dict[str, tuple[rules.LeadTime, ...]]:
    """``ALERTS_EXPIRY_LEADS = {"scpo": "12m,6m,3m,1m", "default": "90d,30d,7d"}`` in config."""
    configured = current_app.config.get("ALERTS_EXPIRY_LEADS") or {}
    return {str(k): rules.parse_leads(str(v)) for k, v in configured.items()}


def _orders(subject_ids: Collection[int] | None) -> Any:
    last_check = (sa.select(sa.func.max(ComplianceCheck.checked_on))
                  .where(ComplianceCheck.order_id == AncillaryOrder.id,
                         ComplianceCheck.condition_id.is_(None))
                  .correlate(AncillaryOrder).scalar_subquery())
    stmt = (sa.select(AncillaryOrder.id, AncillaryOrder.type, AncillaryOrder.made_on,
                      AncillaryOrder.starts_on, AncillaryOrder.ends_on, AncillaryOrder.indefinite,
                      AncillaryOrder.runs_from_release, AncillaryOrder.served_on,
                      AncillaryOrder.discharged_on, AncillaryOrder.unit_id,
                      AncillaryOrder.offender_manager_id, AncillaryOrder.check_interval_months,
                      AncillaryOrder.next_check_due_on, Defendant.case_id, Defendant.forenames,
                      Defendant.surname, Case.lead_lawyer_id, last_check.label("last_check_on"))
            .join(Defendant, Defendant.id == AncillaryOrder.defendant_id)
            .join(Case, Case.id == Defendant.case_id))
    if subject_ids is not None:
        stmt = stmt.where(AncillaryOrder.id.in_(list(subject_ids)))
    return db.session.execute(stmt)


class OrderAlerts:
    """Builds the expected alerts of one order row (plus its conditions and charges)."""

    def __init__(self, row: Any, today: dt.date, leads: dict[str, tuple[rules.LeadTime, ...]]):
        self.row, self.today, self.leads = row, today, leads
        self.short = rule_for(row.type).short
        self.who = f"{row.forenames} {row.surname.upper()}".strip()
        self.title = f"{self.short} for {self.who}"
        # Per order, not per alert: whether its alerts may be sent (expiry reminders or others).
        self.reasons = {flag: (self.suppressed(flag), self.lapsed_long_ago(flag))
                        for flag in (False, True)}

    def alert(self, kind: str, token: str, series: str, due_on: dt.date, message: str,
              *, expiry: bool = False) -> ExpectedAlert:
        r = self.row
        return ExpectedAlert(
            key=f"{SUBJECT}:{r.id}:{kind}:{token}", kind=kind,
            series=f"{SUBJECT}:{r.id}:{series}", subject_type=SUBJECT, subject_id=r.id,
            unit_id=r.unit_id, case_id=r.case_id, due_on=due_on, message=message,
            assignee_id=r.offender_manager_id, lawyer_id=r.lead_lawyer_id,
            suppressed=self.reasons[expiry][0], suppressed_if_new=self.reasons[expiry][1])

    def ended(self) -> bool:
        r = self.row
        return not r.indefinite and r.ends_on is not None and r.ends_on <= self.today

    def suppressed(self, expiry: bool) -> str | None:
        """Nothing is sent for a discharged order; for an expired one only its expiry reminders."""
        r = self.row
        if r.discharged_on is not None:
            return f"Not sent: the order was discharged on {uk_date(r.discharged_on)}"
        if self.ended() and not expiry:
            return f"Not sent: the order expired on {uk_date(r.ends_on)}"
        return None

    def lapsed_long_ago(self, expiry: bool) -> str | None:
        """An expiry reminder first computed long after the order ended (historic data)."""
        r = self.row
        if expiry and self.ended() and (self.today - r.ends_on).days > LAPSED_NOTICE_DAYS:
            return f"Not sent: the order expired on {uk_date(r.ends_on)}, before it was recorded here"
        return None

    def on(self, due_on: dt.date) -> dt.date:
        return reading_day(due_on, self.today)

    def expiry(self) -> Iterator[ExpectedAlert]:
        """A1/A9/A12: the end of a fixed-term order, at each lead time (SCPO: a year ahead)."""
        r = self.row
        if r.indefinite or r.ends_on is None:
            return
        leads = rules.expiry_leads(r.type, self.leads)
        for lead in leads:
            due = lead.before(r.ends_on)
            if due < r.made_on:
                continue  # the order was made with less time left than this reminder
            text = when(r.ends_on, self.on(due), future="expires", today_word="expires today",
                        past="expired")
            action = ("decide whether to apply for a new order (Serious Crime Act 2007, s.16(5)-(6))"
                      if r.type == OrderType.SCPO else "decide whether renewal or a new order is needed")
            yield self.alert("order_expiry", f"{lead.label}:{r.ends_on}", f"expiry:{r.ends_on}", due,
                             f"{self.title} {text}: {action}.", expiry=True)

    def starts(self) -> Iterator[ExpectedAlert]:
        """A3/A6: an order that runs from release comes into force: confirm service, start
        monitoring; a TRO also needs passports surrendered (CJPA 2001 s.33(3)-(4))."""
        r = self.row
        if not r.runs_from_release or r.starts_on is None:
            return
        due = max(rules.STARTS_NOTICE.before(r.starts_on), r.made_on)
        text = when(r.starts_on, self.on(due), future="comes into force", past="came into force",
                    today_word="comes into force today")
        extra = " and check passports are surrendered" if r.type == OrderType.TRO else ""
        yield self.alert("order_starts", str(r.starts_on), f"starts:{r.starts_on}", due,
                         f"{self.title} {text} on release: confirm service, start monitoring{extra}.")

    def not_served(self) -> Iterator[ExpectedAlert]:
        """A4: no service recorded 7 days after making (SCA 2007 s.10: not bound until served)."""
        r = self.row
        if r.served_on is not None:
            return
        due = r.made_on + dt.timedelta(days=rules.NOT_SERVED_AFTER_DAYS)
        yield self.alert("order_not_served", str(r.made_on), f"service:{r.made_on}", due,
                         f"{self.title} was made on {uk_date(r.made_on)} and no service is recorded: "
                         "the subject is not bound until served (Serious Crime Act 2007, s.10).")

    def checks(self) -> Iterator[ExpectedAlert]:
        """Compliance check due (a week ahead) and overdue (the day after)."""
        r = self.row
        if r.next_check_due_on is None:
            return
        yield from self._due_pair("check", r.next_check_due_on, "A compliance check on the "
                                  f"{self.title}", f"check:{r.next_check_due_on}")

    def stale(self) -> Iterator[ExpectedAlert]:
        """No check recorded for longer than the order's own check interval."""
        r = self.row
        if not r.check_interval_months or r.starts_on is None:
            return
        anchor = r.last_check_on or r.starts_on
        due = rules.add_months(anchor, r.check_interval_months) + dt.timedelta(days=rules.STALE_GRACE_DAYS)
        since = "its last check" if r.last_check_on else "it came into force"
        yield self.alert("order_stale", str(anchor), f"stale:{anchor}", due,
                         f"No compliance check is recorded on the {self.title} since {since} on "
                         f"{uk_date(anchor)}: its schedule is a check every "
                         f"{r.check_interval_months} months.")

    def _due_pair(self, what: str, due_on: dt.date, subject: str, series: str,
                  token: str = "") -> Iterator[ExpectedAlert]:
        soon = due_on - dt.timedelta(days=rules.DUE_SOON_DAYS)
        late = due_on + dt.timedelta(days=rules.OVERDUE_AFTER_DAYS)
        text = when(due_on, self.on(soon), future="is due", today_word="is due today", past="was due")
        key = f"{token}{due_on}"
        yield self.alert(f"{what}_due", key, series, soon, f"{subject} {text}.")
        yield self.alert(f"{what}_overdue", key, series, late,
                         f"{subject} is overdue: it was due on {uk_date(due_on)}.")

    def condition(self, cond: Any) -> Iterator[ExpectedAlert]:
        """A5 reports under a condition's schedule; A10 foreign-travel bans lapsing (5-year cap,
        renewable: Sentencing Act 2020 s.348; Modern Slavery Act 2015 s.18)."""
        label = f"condition {cond.id} ({ConditionKind(cond.kind).label.lower()})"
        if cond.next_report_due_on is not None:
            yield from self._due_pair("report", cond.next_report_due_on,
                                      f"A report under {label} of the {self.title}",
                                      f"condition:{cond.id}:report:{cond.next_report_due_on}",
                                      token=f"condition:{cond.id}:")
        if cond.kind == ConditionKind.FOREIGN_TRAVEL and cond.ends_on is not None:
            for lead in rules.TRAVEL_BAN_LEADS:
                due = max(lead.before(cond.ends_on), self.row.made_on)
                text = when(cond.ends_on, self.on(due), future="lapses", past="lapsed",
                            today_word="lapses today")
                yield self.alert("travel_ban_lapsing", f"condition:{cond.id}:{lead.label}:{cond.ends_on}",
                                 f"condition:{cond.id}:travel:{cond.ends_on}", due,
                                 f"The foreign travel ban in the {self.title} {text}: consider "
                                 "applying to renew it.")

    def charged(self, charge_id: int, charged_on: dt.date) -> Iterator[ExpectedAlert]:
        """A2: SCPO subject charged while the order is live: consider asking the Crown Court to
        extend it pending the proceedings (Serious Crime Act 2007, s.22E)."""
        r = self.row
        yield self.alert("scpo_charged", f"charge:{charge_id}", f"charge:{charge_id}", charged_on,
                         f"The subject of the {self.title} was charged on {uk_date(charged_on)} "
                         "while the order is in force: consider applying to extend it pending the "
                         f"proceedings (Serious Crime Act 2007, s.22E){self._ends_note(r)}.")

    @staticmethod
    def _ends_note(r: Any) -> str:
        return f"; the order ends on {uk_date(r.ends_on)}" if r.ends_on and not r.indefinite else ""


class OrdersSource:
    name = "orders"
    subject_type = SUBJECT
    kinds = KINDS

    def expected(self, *, today: dt.date,
                 subject_ids: Collection[int] | None = None) -> Iterator[ExpectedAlert]:
        leads = _lead_overrides()
        builders = {row.id: OrderAlerts(row, today, leads) for row in _orders(subject_ids)}
        if not builders:
            return
        ids = None if subject_ids is None else list(builders)
        for b in builders.values():
            yield from b.expiry()
            yield from b.starts()
            yield from b.not_served()
            yield from b.checks()
            yield from b.stale()
        for cond in _conditions(ids):
            yield from builders[cond.order_id].condition(cond)
        for charge_id, order_id, charged_on in _scpo_charges(ids):
            yield from builders[order_id].charged(charge_id, charged_on)


def _conditions(order_ids: list[int] | None) -> Any:
    stmt = sa.select(OrderCondition.id, OrderCondition.order_id, OrderCondition.kind,
                     OrderCondition.ends_on, OrderCondition.next_report_due_on).where(
        sa.or_(OrderCondition.next_report_due_on.is_not(None),
               sa.and_(OrderCondition.kind == ConditionKind.FOREIGN_TRAVEL,
                       OrderCondition.ends_on.is_not(None))))
    if order_ids is not None:
        stmt = stmt.where(OrderCondition.order_id.in_(order_ids))
    return db.session.execute(stmt)


def _scpo_charges(order_ids: list[int] | None) -> Any:
    """Charges laid on or after an SCPO was made and before it ended."""
    o = AncillaryOrder
    stmt = (sa.select(Charge.id, o.id, Charge.charged_on)
            .join(o, o.defendant_id == Charge.defendant_id)
            .where(o.type == OrderType.SCPO, Charge.charged_on >= o.made_on,
                   sa.or_(o.indefinite.is_(True), o.ends_on.is_(None), Charge.charged_on < o.ends_on)))
    if order_ids is not None:
        stmt = stmt.where(o.id.in_(order_ids))
    return db.session.execute(stmt).all()


def _order_ids_of_defendant(defendant_id: int) -> list[int]:
    return list(db.session.execute(
        sa.select(AncillaryOrder.id).where(AncillaryOrder.defendant_id == defendant_id)).scalars())


@signals.order_dates_changed.connect
def _on_order_changed(order: Any, **_: Any) -> None:
    from casework.alerts.service import recompute_for

    recompute_for(SUBJECT, [order.id])


@signals.release_date_changed.connect
@signals.defendant_charged.connect
def _on_defendant_changed(defendant: Any, **_: Any) -> None:
    from casework.alerts.service import recompute_for

    recompute_for(SUBJECT, _order_ids_of_defendant(defendant.id))


register(OrdersSource())
