"""The demo sign-ins: one user per role in the Organised Crime Division (the README's table),
plus colleagues in other units so unit scoping is visible. All share one demo password."""

from __future__ import annotations

from dataclasses import dataclass

from casework.auth import service as auth_service
from casework.auth.models import Role, User
from casework.units import reference

#: Printed by ``flask demo password`` and by ``make run``. Demo data only, never production.
DEMO_PASSWORD = "casework-demo-only"  # noqa: S105  (a published demo password, not a secret)


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: Role
    units: tuple[str, ...]

    @property
    def label(self) -> str:
        """"lawyer (Organised Crime Division)", as in the README's table of demo sign-ins."""
        names = dict(reference.AREAS + reference.DIVISIONS)
        units = ", ".join(names[code] for code in self.units)
        return self.role.label.lower() + (f" ({units})" if units else "")


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin@casework.example", "Alex Administrator", Role.ADMIN, ()),
    DemoUser("lawyer@casework.example", "Priya Lawyer", Role.LAWYER, ("ocd",)),
    DemoUser("offender.manager@casework.example", "Sam Offender-Manager", Role.OFFENDER_MANAGER,
             ("ocd",)),
    DemoUser("analyst@casework.example", "Chris Analyst", Role.ANALYST, ("ocd",)),
    DemoUser("lawyer.london@casework.example", "Grace London-North", Role.LAWYER,
             ("london_north", "london_south")),
    DemoUser("lawyer.fraud@casework.example", "Tom Fraud-Division", Role.LAWYER, ("sfd",)),
    DemoUser("lawyer.northwest@casework.example", "Aisha North-West", Role.LAWYER,
             ("north_west", "mersey_cheshire")),
    DemoUser("offender.manager.northwest@casework.example", "Dan North-West", Role.OFFENDER_MANAGER,
             ("north_west", "mersey_cheshire")),
)


def create_demo_users() -> dict[str, User]:
    """Create every demo user through the auth service (audited like any other user).

    The password is checked by the service for the first user; its argon2 hash (about 0.4 s of
    deliberate work) is then shared by the rest, since they all have the same password.
    """
    created: dict[str, User] = {}
    shared_hash: str | None = None
    for spec in DEMO_USERS:
        user = auth_service.create_user(
            email=spec.email, name=spec.name, role=spec.role, unit_codes=list(spec.units),
            password=DEMO_PASSWORD if shared_hash is None else None,
        )
        if shared_hash is None:
            shared_hash = user.password_hash
        user.password_hash = shared_hash
        created[spec.email] = user
    return created
