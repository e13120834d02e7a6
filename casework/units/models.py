from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from casework.core.db import str_enum
from casework.extensions import db


class UnitKind(enum.StrEnum):
    AREA = "area"
    DIVISION = "division"


class Unit(db.Model):  # type: ignore[name-defined,misc]
    """A CPS Area (its Complex Casework Unit) or a central casework division."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[UnitKind] = mapped_column(str_enum(UnitKind, 20))
    active: Mapped[bool] = mapped_column(default=True)


class CrimeType(db.Model):  # type: ignore[name-defined,misc]
    """Organised-crime type (the threat categories used for MI breakdowns)."""

    __tablename__ = "crime_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)
