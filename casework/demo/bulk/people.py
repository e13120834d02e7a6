"""Units, staff and the people who are prosecuted, for the bulk profiles.

Staff: the demo sign-ins are created through the auth service (audited, with the one argon2 hash
of the demo password); the other users are written in bulk and share that hash, so every one of
them can sign in with the demo password too. People: a pool of synthetic adults (name, date of
birth, PNC id) from Faker's en_GB name lists read once, not one Faker call per row.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

import sqlalchemy as sa
from faker.providers.person.en_GB import Provider as Names

from casework.auth.models import Role
from casework.demo import users as demo_users
from casework.demo.bulk import plan as sizes
from casework.demo.bulk.plan import Plan
from casework.demo.bulk.writer import Writer
from casework.units import reference
from casework.units.models import CrimeType, Unit, UnitKind

PNC_CHECK = "ABCDEFGHJKLMNPQRTUVWXYZ"


@dataclass
class Staff:
    """Who works where: unit code -> user ids per role (the demo sign-ins first)."""

    unit_ids: dict[str, int] = field(default_factory=dict)
    unit_kind: dict[str, str] = field(default_factory=dict)
    crime_type_ids: dict[str, int] = field(default_factory=dict)
    by_role: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    admin_id: int = 0
    users: int = 0
    weights: list[tuple[str, int]] = field(default_factory=list)

    def pick(self, rng: random.Random, role: str, unit: str) -> int | None:
        ids = self.by_role.get((role, unit))
        if not ids:
            return None
        # The demo sign-in of a unit carries a bigger share of its work (the benchmarks sign in
        # as them), the rest is spread over colleagues.
        return ids[0] if rng.random() < 0.25 else ids[rng.randrange(len(ids))]


def build_units(writer: Writer) -> Staff:
    """The reference units plus synthetic ones up to ``plan.UNITS``."""
    session = writer.session
    staff = Staff()
    existing = {u.code: u for u in session.execute(sa.select(Unit).order_by(Unit.id)).scalars()}
    extra: list[tuple[str, str, str]] = [(code, name, UnitKind.DIVISION.value)
                                         for code, name in sizes.REGIONAL_TEAMS]
    for suffix, label in sizes.SYNTHETIC_SUFFIXES:
        extra += [(f"{code}_{suffix}", f"{name} {label}", UnitKind.AREA.value)
                  for code, name in reference.AREAS]
    writer.columns("units", ("id", "code", "name", "kind", "active"))
    for code, name, kind in extra:
        if len(existing) + len(staff.unit_ids) >= sizes.UNITS:
            break
        if code not in existing:
            unit_id = writer.next_id("units")
            writer.add("units", (unit_id, code, name, kind, True))
            staff.unit_ids[code], staff.unit_kind[code] = unit_id, kind
    writer.flush("units")
    for code, unit in existing.items():
        staff.unit_ids[code], staff.unit_kind[code] = unit.id, unit.kind.value
    staff.crime_type_ids = {c.code: c.id for c in session.execute(sa.select(CrimeType)).scalars()}
    return staff


def unit_weights(staff: Staff) -> list[tuple[str, int]]:
    """How the cases are shared between units (divisions first, synthetic units least)."""
    if not staff.weights:
        for code in sorted(staff.unit_ids, key=staff.unit_ids.__getitem__):
            if code in sizes.UNIT_WEIGHTS:
                staff.weights.append((code, sizes.UNIT_WEIGHTS[code]))
            elif code.endswith(("_ccu", "_pocu")):
                staff.weights.append((code, sizes.SYNTHETIC_WEIGHT))
            else:
                staff.weights.append((code, sizes.AREA_WEIGHT))
    return staff.weights


def build_users(writer: Writer, staff: Staff, plan: Plan, rng: random.Random, now: dt.datetime) -> None:
    """The demo sign-ins (through the service), then colleagues in every unit in bulk."""
    created = demo_users.create_demo_users()
    writer.session.flush()
    shared_hash = next(iter(created.values())).password_hash
    for user in created.values():
        _enlist(staff, user.role.value, [u.code for u in user.units], user.id)
        if user.role == Role.ADMIN and not staff.admin_id:
            staff.admin_id = user.id
    writer.columns("users", ("id", "email", "name", "role", "password_hash", "active", "created_at",
                             "version"))
    writer.columns("user_units", ("user_id", "unit_id"))
    units = sorted(staff.unit_ids, key=staff.unit_ids.__getitem__)
    roles = [r for r, _ in sizes.ROLE_MIX]
    weights = [w for _, w in sizes.ROLE_MIX]
    wanted = max(plan.users - len(created), len(units) * 2 + sizes.ADMINS)
    for n in range(wanted):
        user_id = writer.next_id("users")
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        if n < sizes.ADMINS:
            role, codes = Role.ADMIN.value, []
        else:
            # every unit has at least a lawyer and an offender manager, then a random mix
            role = (("lawyer", "offender_manager")[n % 2] if n < sizes.ADMINS + len(units) * 2
                    else rng.choices(roles, weights)[0])
            home = units[(n - sizes.ADMINS) // 2 % len(units)] if n < sizes.ADMINS + len(units) * 2 \
                else rng.choice(units)
            codes = [home] + ([rng.choice(units)] if rng.random() < 0.05 else [])
            codes = list(dict.fromkeys(codes))
        email = f"{first.lower()}.{last.lower().replace(' ', '')}.{user_id}@casework.example"
        joined = now - dt.timedelta(days=rng.randint(30, 3650), minutes=rng.randint(0, 600))
        writer.add("users", (user_id, email, f"{first} {last}", role, shared_hash, True, joined, 1))
        for code in codes:
            writer.add("user_units", (user_id, staff.unit_ids[code]))
        _enlist(staff, role, codes, user_id)
    writer.flush("users")
    writer.flush("user_units")
    staff.users = len(created) + wanted


def _enlist(staff: Staff, role: str, codes: list[str], user_id: int) -> None:
    for code in codes:
        staff.by_role.setdefault((role, code), []).append(user_id)


# --- people ---------------------------------------------------------------------------------

_LAST = tuple(Names.last_names)
_FIRST_MALE = tuple(Names.first_names_male)
_FIRST_FEMALE = tuple(Names.first_names_female)
_FIRST = _FIRST_MALE + _FIRST_FEMALE


@dataclass(frozen=True)
class Person:
    surname: str
    forenames: str
    born: dt.date
    pnc_id: str | None


def make_person(rng: random.Random, today: dt.date) -> Person:
    """An adult offender: mostly men, born so that they are 19 to 64 over the ten years."""
    first = rng.choice(_FIRST_MALE) if rng.random() < 0.82 else rng.choice(_FIRST_FEMALE)
    if rng.random() < 0.35:
        first += " " + rng.choice(_FIRST)
    born = today - dt.timedelta(days=rng.randint(29 * 365, 64 * 365))
    pnc = None
    if rng.random() < 0.85:
        year = born.year + 18 + rng.randint(0, 10)
        pnc = f"{year % 100:02d}/{rng.randint(0, 9_999_999):07d}{rng.choice(PNC_CHECK)}"
    return Person(rng.choice(_LAST), first, born, pnc)


def alias_for(rng: random.Random, person: Person) -> str:
    return f"{rng.choice(_FIRST_MALE)} {person.surname}"
