"""What every demo builder shares: the seeded generator, "today", the demo users and reference data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from casework.auth.models import Role, User
from casework.demo.synth import Synth
from casework.extensions import db
from casework.units.models import CrimeType, Unit


@dataclass
class DemoContext:
    synth: Synth
    today: dt.date
    users: dict[str, User]
    units: dict[str, Unit] = field(default_factory=dict)
    crime_types: dict[str, CrimeType] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.units = {u.code: u for u in db.session.execute(sa.select(Unit).order_by(Unit.id)).scalars()}
        self.crime_types = {
            c.code: c for c in db.session.execute(sa.select(CrimeType).order_by(CrimeType.id)).scalars()
        }

    def user_in(self, role: Role, unit_code: str) -> User | None:
        """The first demo user with that role in that unit (demo users are created in a fixed order)."""
        for user in self.users.values():
            if user.role == role and any(u.code == unit_code for u in user.units):
                return user
        return None

    @property
    def admin(self) -> User:
        return next(u for u in self.users.values() if u.role == Role.ADMIN)

    def lawyer_for(self, unit_code: str) -> User:
        """Who records the unit's work: its demo lawyer, or the administrator where it has none."""
        return self.user_in(Role.LAWYER, unit_code) or self.admin
