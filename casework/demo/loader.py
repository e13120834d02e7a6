"""Builds a demo profile into an empty database, one domain at a time, through the services."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from casework.auth.models import User
from casework.core import clock
from casework.demo import users as demo_users
from casework.demo.context import DemoContext
from casework.demo.profiles import Profile
from casework.demo.synth import Synth
from casework.extensions import db


class DemoError(RuntimeError):
    pass


@dataclass
class LoadSummary:
    users: int
    cases: int
    defendants: int
    orders: int = 0
    confiscation_orders: int = 0

    def __str__(self) -> str:
        return (f"Loaded demo data: {self.users} users, {self.cases} cases, "
                f"{self.defendants} defendants, {self.orders} ancillary orders, "
                f"{self.confiscation_orders} confiscation orders")


def existing_data() -> tuple[int, int]:
    """(cases, users) already in the database."""
    from casework.cases.models import Case

    cases = db.session.execute(sa.select(sa.func.count()).select_from(Case)).scalar_one()
    users = db.session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one()
    return cases, users


def load(profile: Profile, *, seed: int) -> LoadSummary:
    """Fill an empty database; the same seed on the same day always gives the same data.

    Dates are placed relative to ``clock.today()`` (the services check against it too), so the
    demo always has recent hearings, past and future release dates and orders due for review.
    Flushes only: the caller commits.
    """
    from casework.demo import cases, confiscation, orders

    if not profile.available:
        raise DemoError(f"The {profile.name} profile is not available yet")
    if any(existing_data()):
        raise DemoError("The database already has data; demo data is only loaded into an empty database")
    ctx = DemoContext(synth=Synth(seed), today=clock.today(),
                      users=demo_users.create_demo_users())
    defendants = cases.build_cases(ctx, profile)
    made = orders.build_orders(ctx, defendants)
    confiscated = confiscation.build_confiscation(ctx, defendants)
    return LoadSummary(users=len(ctx.users), cases=existing_data()[0], defendants=len(defendants),
                       orders=len(made), confiscation_orders=len(confiscated))
