"""The ancillary orders register: orders, their conditions, and every dated event on them.

Variations, service, breaches, compliance checks and TRO suspensions are dated rows, never
overwrites (DOMAIN.md 1.8). Status is derived from the dates and today, never stored.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.auth.models import User
from casework.cases.models import Defendant
from casework.core.db import Versioned, str_enum
from casework.extensions import db
from casework.orders.rules import (
    ConditionKind,
    CourtLevel,
    OrderRule,
    OrderStatus,
    OrderType,
    StartTrigger,
    rule_for,
    status_of,
)
from casework.units.models import Unit


class ServiceMethod(enum.StrEnum):
    """How the subject was bound: present at the hearing, or served a notice (SCA 2007 s.10)."""

    IN_COURT = "in_court"
    IN_PERSON = "in_person"
    NOTICE = "notice"

    @property
    def label(self) -> str:
        return {"in_court": "Present or represented when made", "in_person": "Served in person",
                "notice": "Notice sent by recorded delivery"}[self.value]


class Prosecution(enum.StrEnum):
    NOT_DECIDED = "not_decided"
    UNDER_INVESTIGATION = "under_investigation"
    CHARGED = "charged"
    CONVICTED = "convicted"
    ACQUITTED = "acquitted"
    NO_FURTHER_ACTION = "no_further_action"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class CheckResult(enum.StrEnum):
    COMPLIANT = "compliant"
    CONCERNS = "concerns"
    BREACH_SUSPECTED = "breach_suspected"
    NO_CONTACT = "no_contact"

    @property
    def label(self) -> str:
        return {"compliant": "Compliant", "concerns": "Concerns", "breach_suspected":
                "Breach suspected", "no_contact": "Could not make contact"}[self.value]


def status_label(status: OrderStatus, *, runs_from_release: bool) -> str:
    """"Pending release" only for orders that wait on a release; others "Not yet in force"."""
    if status == OrderStatus.PENDING_RELEASE and not runs_from_release:
        return "Not yet in force"
    return status.label


class AncillaryOrder(Versioned, db.Model):  # type: ignore[name-defined,misc]
    """One ancillary order against one defendant (DOMAIN.md 1)."""

    __tablename__ = "ancillary_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    defendant_id: Mapped[int] = mapped_column(sa.ForeignKey("defendants.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    type: Mapped[OrderType] = mapped_column(str_enum(OrderType, 10), index=True)
    made_on: Mapped[dt.date]
    court: Mapped[str | None] = mapped_column(sa.String(150))
    court_level: Mapped[CourtLevel] = mapped_column(str_enum(CourtLevel, 20))
    start_trigger: Mapped[StartTrigger] = mapped_column(str_enum(StartTrigger, 20))
    runs_from_release: Mapped[bool] = mapped_column(default=False)
    starts_on: Mapped[dt.date | None] = mapped_column(index=True)
    ends_on: Mapped[dt.date | None] = mapped_column(index=True)
    term_months: Mapped[int | None]
    indefinite: Mapped[bool] = mapped_column(default=False)
    life_sentence: Mapped[bool] = mapped_column(default=False)
    extended_pending_charge: Mapped[bool] = mapped_column(default=False)
    served_on: Mapped[dt.date | None]
    service_method: Mapped[ServiceMethod | None] = mapped_column(str_enum(ServiceMethod, 20))
    discharged_on: Mapped[dt.date | None] = mapped_column(index=True)
    discharge_reason: Mapped[str | None] = mapped_column(sa.Text)
    replaced_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ancillary_orders.id"))
    offender_manager_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    check_interval_months: Mapped[int | None]
    next_check_due_on: Mapped[dt.date | None] = mapped_column(index=True)
    created_at: Mapped[dt.datetime]

    defendant: Mapped[Defendant] = relationship(lazy="joined", innerjoin=True)
    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    offender_manager: Mapped[User | None] = relationship(lazy="joined")
    replaced_by: Mapped[AncillaryOrder | None] = relationship(remote_side=[id])
    conditions: Mapped[list[OrderCondition]] = relationship(
        back_populates="order", order_by="OrderCondition.id", cascade="all, delete-orphan")
    variations: Mapped[list[OrderVariation]] = relationship(
        order_by="(OrderVariation.varied_on, OrderVariation.id)", cascade="all, delete-orphan")
    breaches: Mapped[list[OrderBreach]] = relationship(
        order_by="(OrderBreach.occurred_on, OrderBreach.id)", cascade="all, delete-orphan")
    checks: Mapped[list[ComplianceCheck]] = relationship(
        order_by="(ComplianceCheck.checked_on.desc(), ComplianceCheck.id.desc())",
        cascade="all, delete-orphan")
    suspensions: Mapped[list[OrderSuspension]] = relationship(
        order_by="OrderSuspension.starts_on", cascade="all, delete-orphan")

    __table_args__ = (sa.Index("ix_ancillary_orders_unit_ends", "unit_id", "ends_on", "id"),)

    @property
    def rule(self) -> OrderRule:
        return rule_for(self.type)

    def status(self, today: dt.date) -> OrderStatus:
        return status_of(starts_on=self.starts_on, ends_on=self.ends_on, indefinite=self.indefinite,
                         discharged_on=self.discharged_on, today=today)

    def status_label(self, today: dt.date) -> str:
        return status_label(self.status(today), runs_from_release=self.runs_from_release)

    def is_live(self, today: dt.date) -> bool:
        return self.status(today) in (OrderStatus.ACTIVE, OrderStatus.PENDING_RELEASE)

    @property
    def title(self) -> str:
        return f"{self.rule.short} – {self.defendant.full_name}"


class OrderCondition(Versioned, db.Model):  # type: ignore[name-defined,misc]
    """A prohibition, requirement or reporting term with its own dates (SCA 2007 s.16(3);
    SHPO/STPO per-prohibition periods). ``None`` dates follow the order's own."""

    __tablename__ = "order_conditions"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("ancillary_orders.id"), index=True)
    kind: Mapped[ConditionKind] = mapped_column(str_enum(ConditionKind, 30))
    text: Mapped[str] = mapped_column(sa.Text)
    starts_on: Mapped[dt.date | None]
    ends_on: Mapped[dt.date | None]
    report_every_months: Mapped[int | None]
    next_report_due_on: Mapped[dt.date | None] = mapped_column(index=True)

    order: Mapped[AncillaryOrder] = relationship(back_populates="conditions")


class OrderVariation(db.Model):  # type: ignore[name-defined,misc]
    """A variation, renewal or s.22E extension: a dated row with the reason and what changed."""

    __tablename__ = "order_variations"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("ancillary_orders.id"), index=True)
    varied_on: Mapped[dt.date]
    reason: Mapped[str] = mapped_column(sa.Text)
    summary: Mapped[str] = mapped_column(sa.Text)
    old_ends_on: Mapped[dt.date | None]
    new_ends_on: Mapped[dt.date | None]
    served_on: Mapped[dt.date | None]
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime]


class OrderBreach(Versioned, db.Model):  # type: ignore[name-defined,misc]
    """A suspected or proven breach and what became of the prosecution."""

    __tablename__ = "order_breaches"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("ancillary_orders.id"), index=True)
    occurred_on: Mapped[dt.date]
    description: Mapped[str] = mapped_column(sa.Text)
    prosecution: Mapped[Prosecution] = mapped_column(str_enum(Prosecution, 30),
                                                     default=Prosecution.NOT_DECIDED)
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    outcome_on: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime]


class ComplianceCheck(db.Model):  # type: ignore[name-defined,misc]
    """A breach check or a report received (for one condition's schedule when condition_id)."""

    __tablename__ = "compliance_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("ancillary_orders.id"), index=True)
    condition_id: Mapped[int | None] = mapped_column(sa.ForeignKey("order_conditions.id"))
    checked_on: Mapped[dt.date]
    result: Mapped[CheckResult] = mapped_column(str_enum(CheckResult, 30))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    checked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime]

    checked_by: Mapped[User | None] = relationship(lazy="joined")
    condition: Mapped[OrderCondition | None] = relationship(lazy="joined")


class OrderSuspension(db.Model):  # type: ignore[name-defined,misc]
    """A TRO suspension (CJPA 2001 s.35): the subject must be back in the UK by ``ends_on``."""

    __tablename__ = "order_suspensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("ancillary_orders.id"), index=True)
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    reason: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime]
