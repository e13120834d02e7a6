"""POCA 2002 Part 2 records: restraint orders, the confiscation timetable per defendant, the
order, its append-only payment ledger, enforcement steps, reconsiderations and the dated
judgment-debt rate table (DOMAIN.md 2.6).

``unit_id`` and ``case_id`` are copied from the defendant's case so every read can apply the
user's unit scope without joining three tables, and alerts can name the case.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.auth.models import User
from casework.cases.models import Defendant
from casework.confiscation import rules
from casework.confiscation.rules import Reconsideration, RestraintCondition
from casework.core.db import Versioned, str_enum
from casework.extensions import db


class RestraintStatus(enum.StrEnum):
    APPLIED = "applied"
    MADE = "made"
    REFUSED = "refused"
    DISCHARGED = "discharged"

    @property
    def label(self) -> str:
        return {"applied": "Applied for", "made": "In force", "refused": "Refused",
                "discharged": "Discharged"}[self.value]


class RestraintOrder(Versioned, db.Model):  # type: ignore[name-defined,misc]
    """A restraint order under POCA ss.40-42, from application to discharge."""

    __tablename__ = "restraint_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    defendant_id: Mapped[int] = mapped_column(sa.ForeignKey("defendants.id"), index=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    condition: Mapped[RestraintCondition] = mapped_column(str_enum(RestraintCondition, 20))
    status: Mapped[RestraintStatus] = mapped_column(str_enum(RestraintStatus, 20), index=True)
    court: Mapped[str | None] = mapped_column(sa.String(150))
    applied_on: Mapped[dt.date]
    made_on: Mapped[dt.date | None]
    last_varied_on: Mapped[dt.date | None]
    next_report_due_on: Mapped[dt.date | None] = mapped_column(index=True)
    discharged_on: Mapped[dt.date | None]
    notes: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime]

    defendant: Mapped[Defendant] = relationship()
    events: Mapped[list[RestraintEvent]] = relationship(
        back_populates="order", order_by="(RestraintEvent.occurred_on, RestraintEvent.id)")

    @property
    def live(self) -> bool:
        return self.status is RestraintStatus.MADE


class RestraintEventKind(enum.StrEnum):
    APPLIED = "applied"
    MADE = "made"
    REFUSED = "refused"
    VARIED = "varied"
    REPORTED = "reported"
    DISCHARGED = "discharged"

    @property
    def label(self) -> str:
        return {"applied": "Applied for", "made": "Made", "refused": "Refused", "varied": "Varied",
                "reported": "Progress report made to the court",
                "discharged": "Discharged"}[self.value]


class RestraintEvent(db.Model):  # type: ignore[name-defined,misc]
    """What happened to a restraint order and when (history; never edited)."""

    __tablename__ = "restraint_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    restraint_order_id: Mapped[int] = mapped_column(sa.ForeignKey("restraint_orders.id"), index=True)
    kind: Mapped[RestraintEventKind] = mapped_column(str_enum(RestraintEventKind, 20))
    occurred_on: Mapped[dt.date]
    details: Mapped[str | None] = mapped_column(sa.Text)
    recorded_at: Mapped[dt.datetime]

    order: Mapped[RestraintOrder] = relationship(back_populates="events")


class LifestyleBasis(enum.StrEnum):
    """Which s.75 limb made the lifestyle criminal (DOMAIN.md 2.3)."""

    SCHEDULE_2 = "schedule_2"
    COURSE_OF_ACTIVITY = "course_of_activity"
    SIX_MONTHS = "six_months"

    @property
    def label(self) -> str:
        return {"schedule_2": "s.75(2)(a): an offence listed in Schedule 2",
                "course_of_activity": "s.75(2)(b): a course of criminal activity",
                "six_months": "s.75(2)(c): an offence committed over at least 6 months"}[self.value]


class ConfiscationProceeding(Versioned, db.Model):  # type: ignore[name-defined,misc]
    """The confiscation timetable for one defendant (POCA ss.6, 14, 16, 17, 75)."""

    __tablename__ = "confiscation_proceedings"

    id: Mapped[int] = mapped_column(primary_key=True)
    defendant_id: Mapped[int] = mapped_column(sa.ForeignKey("defendants.id"), unique=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    convicted_on: Mapped[dt.date]
    asked_on: Mapped[dt.date | None]
    appeal_determined_on: Mapped[dt.date | None]
    exceptional_circumstances: Mapped[bool] = mapped_column(default=False)
    s16_due_on: Mapped[dt.date | None]
    s16_served_on: Mapped[dt.date | None]
    s17_due_on: Mapped[dt.date | None]
    s17_served_on: Mapped[dt.date | None]
    hearing_on: Mapped[dt.date | None]
    lifestyle: Mapped[bool | None]
    lifestyle_basis: Mapped[LifestyleBasis | None] = mapped_column(str_enum(LifestyleBasis, 30))

    defendant: Mapped[Defendant] = relationship()

    @property
    def postponement_limit(self) -> dt.date:
        return rules.postponement_limit(self.convicted_on, self.appeal_determined_on)

    @property
    def reconsideration_deadline(self) -> dt.date:
        return rules.reconsideration_deadline(self.convicted_on)


class OrderStatus(enum.StrEnum):
    LIVE = "live"
    SATISFIED = "satisfied"
    WRITTEN_OFF = "written_off"

    @property
    def label(self) -> str:
        return {"live": "Live", "satisfied": "Satisfied", "written_off": "Written off"}[self.value]


class ConfiscationOrder(Versioned, db.Model):  # type: ignore[name-defined,misc]
    """A confiscation order (POCA s.6) with time to pay (s.11), compensation (s.13) and its
    default term (s.35). ``amount`` is the amount now in force; ``original_amount`` the amount
    when made (reconsiderations under ss.21-25 change ``amount`` from their decision date)."""

    __tablename__ = "confiscation_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    defendant_id: Mapped[int] = mapped_column(sa.ForeignKey("defendants.id"), index=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    made_on: Mapped[dt.date] = mapped_column(index=True)
    court: Mapped[str | None] = mapped_column(sa.String(150))
    benefit: Mapped[Decimal]
    available_amount: Mapped[Decimal]
    original_amount: Mapped[Decimal]
    amount: Mapped[Decimal]
    compensation_amount: Mapped[Decimal | None]
    due_on: Mapped[dt.date] = mapped_column(index=True)
    extension_applied_on: Mapped[dt.date | None]
    extension_decided_on: Mapped[dt.date | None]
    extended_due_on: Mapped[dt.date | None]
    default_term_months: Mapped[int]
    status: Mapped[OrderStatus] = mapped_column(str_enum(OrderStatus, 20), index=True)
    satisfied_on: Mapped[dt.date | None]
    written_off_on: Mapped[dt.date | None]
    written_off_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime]

    defendant: Mapped[Defendant] = relationship()

    __table_args__ = (
        sa.CheckConstraint("amount >= 0 AND original_amount >= 0", name="amount_not_negative"),
    )

    @property
    def effective_due_on(self) -> dt.date:
        """The day payment is due, after any s.11(4) extension the court granted."""
        return self.extended_due_on or self.due_on

    @property
    def regime(self) -> rules.Regime:
        return rules.regime_for(self.made_on)

    @property
    def max_default_term_months(self) -> int | None:
        return rules.max_default_term_months(self.amount, self.made_on)

    @property
    def no_automatic_release(self) -> bool:
        return rules.no_automatic_release(self.amount, self.made_on)

    @property
    def extension_pending(self) -> bool:
        return self.extension_applied_on is not None and self.extension_decided_on is None


class Payment(db.Model):  # type: ignore[name-defined,misc]
    """One ledger entry: a payment (positive) or the reversal of one (negative, ``reverses_id``).
    Rows are never updated or deleted (database triggers refuse it); the balance is their SUM."""

    __tablename__ = "confiscation_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("confiscation_orders.id"))
    received_on: Mapped[dt.date]
    amount: Mapped[Decimal]
    reverses_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("confiscation_payments.id"), unique=True)
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(100))
    reference: Mapped[str | None] = mapped_column(sa.String(100))
    note: Mapped[str | None] = mapped_column(sa.Text)
    recorded_at: Mapped[dt.datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    recorded_by: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("order_id", "idempotency_key"),
        # Index-only sums: an order's ledger to a date (balances, the live list, ageing), and
        # the national ledger by date (collected per period in the reports).
        sa.Index("ix_confiscation_payments_order_received", "order_id", "received_on", "amount"),
        sa.Index("ix_confiscation_payments_received", "received_on", "order_id", "amount"),
        sa.CheckConstraint("amount <> 0", name="amount_not_zero"),
        sa.CheckConstraint("(reverses_id IS NULL AND amount > 0) OR (reverses_id IS NOT NULL AND amount < 0)",
                           name="reversal_is_negative"),
    )


class EnforcementKind(enum.StrEnum):
    RECEIVER_APPLIED = "receiver_applied"
    RECEIVER_APPOINTED = "receiver_appointed"
    DEFAULT_ACTIVATION_APPLIED = "default_activation_applied"
    DEFAULT_TERM_ACTIVATED = "default_term_activated"
    COMPLIANCE_ORDER = "compliance_order"
    OTHER = "other"

    @property
    def label(self) -> str:
        return ENFORCEMENT_LABELS[self]


ENFORCEMENT_LABELS = {
    EnforcementKind.RECEIVER_APPLIED: "Applied for an enforcement receiver (s.50)",
    EnforcementKind.RECEIVER_APPOINTED: "Enforcement receiver appointed (s.50)",
    EnforcementKind.DEFAULT_ACTIVATION_APPLIED: "Applied to activate the default term (s.35)",
    EnforcementKind.DEFAULT_TERM_ACTIVATED: "Default term activated (s.35)",
    EnforcementKind.COMPLIANCE_ORDER: "Compliance order (s.13A)",
    EnforcementKind.OTHER: "Other enforcement step",
}


class EnforcementStep(Versioned, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "confiscation_enforcement_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("confiscation_orders.id"), index=True)
    kind: Mapped[EnforcementKind] = mapped_column(str_enum(EnforcementKind, 30))
    taken_on: Mapped[dt.date]
    result: Mapped[str | None] = mapped_column(sa.Text)
    next_due_on: Mapped[dt.date | None] = mapped_column(index=True)


class ReconsiderationOutcome(enum.StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class ReconsiderationApplication(Versioned, db.Model):  # type: ignore[name-defined,misc]
    """An application under POCA ss.19-25; a granted one may set a new amount (and s.39 a new
    default term) from ``decided_on``."""

    __tablename__ = "confiscation_reconsiderations"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("confiscation_orders.id"), index=True)
    section: Mapped[Reconsideration] = mapped_column(str_enum(Reconsideration, 10))
    applied_on: Mapped[dt.date]
    outcome: Mapped[ReconsiderationOutcome] = mapped_column(str_enum(ReconsiderationOutcome, 20))
    decided_on: Mapped[dt.date | None]
    new_benefit: Mapped[Decimal | None]
    new_available_amount: Mapped[Decimal | None]
    new_amount: Mapped[Decimal | None]
    new_default_term_months: Mapped[int | None]


class JudgmentDebtRate(db.Model):  # type: ignore[name-defined,misc]
    """The Judgments Act 1838 s.17 rate applied by POCA s.12, dated so a change never rewrites
    past interest. Seeded by migration 0005; add a row when the rate changes."""

    __tablename__ = "judgment_debt_rates"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[dt.date] = mapped_column(unique=True)
    percent: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))
    source: Mapped[str] = mapped_column(sa.String(255))
