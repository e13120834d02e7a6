"""Builders for test records. They go through the service layer where a service exists, so
test data obeys the same rules as real data."""

from __future__ import annotations

import functools
import itertools
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from casework.auth.models import Role, User
from casework.auth.passwords import hash_password
from casework.core import clock
from casework.extensions import db
from casework.units.models import Unit

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


@functools.cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def unit(code: str) -> Unit:
    found = db.session.execute(sa.select(Unit).where(Unit.code == code)).scalar_one()
    return found


def user(role: str = "lawyer", units: tuple[str, ...] = ("ocd",), name: str | None = None,
         email: str | None = None, active: bool = True) -> User:
    n = next(_seq)
    record = User(
        email=email or f"user{n}@cps.example.gov.uk",
        name=name or f"Test {role.replace('_', ' ').title()} {n}",
        role=Role(role),
        password_hash=_password_hash(),
        active=active,
        created_at=clock.now(),
        units=[unit(code) for code in units],
    )
    db.session.add(record)
    db.session.flush()
    return record


def standard_users() -> Any:
    """One user per role in the OCD, plus a lawyer in another unit."""
    return SimpleNamespace(
        admin=user("admin", (), name="Ada Admin"),
        lawyer=user("lawyer", ("ocd",), name="Lee Lawyer"),
        other_lawyer=user("lawyer", ("london_north",), name="Olu Otherunit"),
        offender_manager=user("offender_manager", ("ocd",), name="Omar Manager"),
        analyst=user("analyst", ("ocd",), name="Ann Analyst"),
    )
