from __future__ import annotations

import sqlalchemy as sa

from casework.extensions import db
from casework.units.models import CrimeType, Unit


def all_units() -> list[Unit]:
    return list(db.session.execute(sa.select(Unit).order_by(Unit.kind, Unit.name)).scalars())


def all_crime_types() -> list[CrimeType]:
    return list(db.session.execute(
        sa.select(CrimeType).order_by(CrimeType.position, CrimeType.name)).scalars())


def unit_by_code(code: str) -> Unit | None:
    return db.session.execute(sa.select(Unit).where(Unit.code == code)).scalar_one_or_none()


def crime_type_by_code(code: str) -> CrimeType | None:
    return db.session.execute(
        sa.select(CrimeType).where(CrimeType.code == code)).scalar_one_or_none()


def active_units() -> list[Unit]:
    """Units that may be chosen for new cases and users (deactivated ones keep their records)."""
    return list(db.session.execute(
        sa.select(Unit).where(Unit.active.is_(True)).order_by(Unit.kind, Unit.name)).scalars())
