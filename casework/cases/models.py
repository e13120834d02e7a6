"""Cases, defendants, charges, hearings: the prosecution record that orders, confiscation and
the conviction-rate figures hang from. Outcomes are per defendant (DOMAIN.md 3.1)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.auth.models import User
from casework.cases.rules import CaseStage, HearingKind, OffenceCategory, Outcome, agency_label
from casework.core.db import Versioned, str_enum
from casework.extensions import db
from casework.units.models import CrimeType, Unit


class Case(Versioned, db.Model):  # type: ignore[name-defined,misc]
    """One prosecution (an operation), identified by its CPS unique reference number (URN)."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    urn: Mapped[str] = mapped_column(sa.String(30), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    crime_type_id: Mapped[int] = mapped_column(sa.ForeignKey("crime_types.id"), index=True)
    agency: Mapped[str | None] = mapped_column(sa.String(40))
    received_on: Mapped[dt.date | None] = mapped_column(index=True)
    lead_lawyer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    stage: Mapped[CaseStage] = mapped_column(str_enum(CaseStage, 30), index=True,
                                             default=CaseStage.PRE_CHARGE)
    created_at: Mapped[dt.datetime]

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    crime_type: Mapped[CrimeType] = relationship(lazy="joined", innerjoin=True)
    lead_lawyer: Mapped[User | None] = relationship(lazy="joined")
    defendants: Mapped[list[Defendant]] = relationship(
        back_populates="case", order_by="Defendant.id", lazy="select")
    hearings: Mapped[list[Hearing]] = relationship(
        back_populates="case", order_by="(Hearing.hearing_on, Hearing.id)", lazy="select")

    __table_args__ = (
        # The case list's default order (newest received first, ties by id): the database walks
        # this index and stops after one page instead of sorting every case in scope.
        # PostgreSQL only (the production database; SQLite is for development and tests).
        sa.Index("ix_cases_received_order", sa.desc("received_on").nulls_last(),
                 sa.desc("id")).ddl_if(dialect="postgresql"),
    )

    @property
    def agency_label(self) -> str:
        return agency_label(self.agency)


class Defendant(Versioned, db.Model):  # type: ignore[name-defined,misc]
    """One person in one set of proceedings, with their outcome and sentence."""

    __tablename__ = "defendants"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    surname: Mapped[str] = mapped_column(sa.String(100), index=True)
    forenames: Mapped[str] = mapped_column(sa.String(150))
    date_of_birth: Mapped[dt.date | None]
    pnc_id: Mapped[str | None] = mapped_column(sa.String(20), index=True)
    outcome: Mapped[Outcome | None] = mapped_column(str_enum(Outcome, 30))
    finalised_on: Mapped[dt.date | None] = mapped_column(index=True)
    principal_offence: Mapped[OffenceCategory | None] = mapped_column(str_enum(OffenceCategory, 40))
    sentenced_on: Mapped[dt.date | None]
    custody_months: Mapped[int | None]
    release_on: Mapped[dt.date | None] = mapped_column(index=True)
    release_is_actual: Mapped[bool] = mapped_column(default=False)

    case: Mapped[Case] = relationship(back_populates="defendants")
    charges: Mapped[list[Charge]] = relationship(
        back_populates="defendant", order_by="(Charge.charged_on, Charge.id)")
    aliases: Mapped[list[DefendantAlias]] = relationship(
        back_populates="defendant", order_by="DefendantAlias.id", cascade="all, delete-orphan")

    @property
    def full_name(self) -> str:
        return full_name_of(self.forenames, self.surname)

    @property
    def is_convicted(self) -> bool:
        return self.outcome is not None and self.outcome.is_conviction


def full_name_of(forenames: str, surname: str) -> str:
    """Forenames then the surname in capitals: ``Jane SMITH``."""
    return f"{forenames} {surname.upper()}".strip()


class DefendantAlias(db.Model):  # type: ignore[name-defined,misc]
    """Another name the defendant is known by."""

    __tablename__ = "defendant_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    defendant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("defendants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))

    defendant: Mapped[Defendant] = relationship(back_populates="aliases")


class Charge(Versioned, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "charges"

    id: Mapped[int] = mapped_column(primary_key=True)
    defendant_id: Mapped[int] = mapped_column(sa.ForeignKey("defendants.id"), index=True)
    offence: Mapped[str] = mapped_column(sa.String(255))
    statute: Mapped[str] = mapped_column(sa.String(150))
    section: Mapped[str] = mapped_column(sa.String(40))
    charged_on: Mapped[dt.date]
    category: Mapped[OffenceCategory] = mapped_column(str_enum(OffenceCategory, 40))

    defendant: Mapped[Defendant] = relationship(back_populates="charges")


class Hearing(Versioned, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "hearings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    defendant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("defendants.id"), index=True)
    court: Mapped[str] = mapped_column(sa.String(150))
    hearing_on: Mapped[dt.date] = mapped_column(index=True)
    kind: Mapped[HearingKind] = mapped_column(str_enum(HearingKind, 30))
    notes: Mapped[str | None] = mapped_column(sa.Text)

    case: Mapped[Case] = relationship(back_populates="hearings")
    defendant: Mapped[Defendant | None] = relationship()
