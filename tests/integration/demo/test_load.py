"""`flask demo load`: an empty database gets realistic, deterministic demo data built through
the services; a database with data is refused (or left alone with --if-empty)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from casework import ROOT
from casework.auth import service as auth_service
from casework.auth.models import User
from casework.cases.models import Case, Charge, Defendant
from casework.cases.rules import CONVICTION_OUTCOMES
from casework.confiscation.models import Payment, RestraintOrder
from casework.core import clock
from casework.demo import loader, profiles
from casework.demo.users import DEMO_PASSWORD, DEMO_USERS
from casework.extensions import db
from casework.orders.models import AncillaryOrder, OrderCondition
from casework.orders.rules import OrderType
from tests import factories
from tests.conftest import make_app, migrate

FROZEN = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


def count(model: Any, *where: Any) -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar_one()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any, dict[str, str]]]:
    """One small-profile load (seed 7) into a fresh SQLite database, shared read-only."""
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'loaded.db'}")
    migrate(app)
    with app.app_context(), clock.frozen(FROZEN):
        summary = loader.load(profiles.SMALL, seed=7)
        db.session.commit()
        digests = table_digests(db.engine)
        yield app, summary, digests
        db.engine.dispose()


def test_small_profile_is_realistic(loaded: Any) -> None:
    _, summary, _ = loaded
    today = FROZEN.date()
    assert summary.users == len(DEMO_USERS)
    assert 30 <= count(Case) <= 40
    per_case = db.session.execute(
        sa.select(sa.func.count(Defendant.id)).group_by(Defendant.case_id)).scalars().all()
    assert min(per_case) >= 1 and max(per_case) <= 6
    finalised = count(Defendant, Defendant.outcome.is_not(None))
    convicted = count(Defendant, Defendant.outcome.in_(list(CONVICTION_OUTCOMES)))
    assert finalised >= 40
    assert 0.70 <= convicted / finalised <= 0.92, f"{convicted}/{finalised} convicted"
    assert count(Defendant, Defendant.release_on < today) > 0, "no past release dates"
    assert count(Defendant, Defendant.release_on > today) > 0, "no future release dates"
    statutes = set(db.session.execute(sa.select(Charge.statute).distinct()).scalars())
    assert {"Misuse of Drugs Act 1971", "Criminal Law Act 1977"} <= statutes
    units = set(db.session.execute(sa.select(Case.unit_id).distinct()).scalars())
    assert len(units) >= 4
    assert summary.orders >= 10 and summary.confiscation_orders >= 5
    types = set(db.session.execute(sa.select(AncillaryOrder.type).distinct()).scalars())
    assert {OrderType.SCPO, OrderType.TRO} <= types
    assert count(OrderCondition) > 0
    assert count(AncillaryOrder, AncillaryOrder.starts_on <= today) > 0, "no orders in force"
    assert count(Payment) > 0
    assert count(RestraintOrder) > 0


def test_every_demo_user_signs_in_with_the_demo_password(loaded: Any) -> None:
    demo = {u.email: u for u in db.session.execute(sa.select(User)).scalars()}
    assert sorted(demo) == sorted(spec.email for spec in DEMO_USERS)
    for spec in DEMO_USERS:
        user = demo[spec.email]
        assert (user.role, user.active) == (spec.role, True)
        assert sorted(u.code for u in user.units) == sorted(spec.units)
        assert user.password_hash == demo[DEMO_USERS[0].email].password_hash  # one shared password
    for spec in (DEMO_USERS[1], DEMO_USERS[-1]):  # argon2 is slow on purpose: two real sign-ins
        assert auth_service.authenticate(email=spec.email, password=DEMO_PASSWORD).user is not None
    assert auth_service.authenticate(email=DEMO_USERS[1].email, password="wrong password!").user is None


def test_readme_sign_ins_table_matches_the_demo_users(app: Any) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Demo sign-ins", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| ([^|]+?) \| `([^`]+)` \|$", table, flags=re.M)
    assert rows, "README has no demo sign-ins table"
    assert [email for _, email in rows] == [u.email for u in DEMO_USERS]
    assert [label for label, _ in rows] == [u.label for u in DEMO_USERS]
    output = app.test_cli_runner().invoke(args=["demo", "users"]).output.splitlines()
    assert output == [f"{u.label}  {u.email}" for u in DEMO_USERS]


def test_demo_password_command(app: Any) -> None:
    result = app.test_cli_runner().invoke(args=["demo", "password"])
    assert result.exit_code == 0
    assert result.output == DEMO_PASSWORD + "\n"


def test_database_with_cases_is_refused(app: Any, session: Any, users: Any) -> None:
    runner = app.test_cli_runner()
    before = count(User)
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "already has data" in result.output
    assert count(User) == before
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0
    assert result.output == "Database already has data; demo not loaded\n"
    assert count(User) == before


def test_scale_is_only_for_the_bulk_profiles(app: Any, session: Any) -> None:
    result = app.test_cli_runner().invoke(args=["demo", "load", "--scale", "0.5"])
    assert result.exit_code == 1
    assert "--scale applies to the bulk profiles only" in result.output
    assert count(User) == 0


def test_cli_loads_an_empty_database(app: Any, session: Any) -> None:
    with clock.frozen(FROZEN):
        result = app.test_cli_runner().invoke(args=["demo", "load", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert re.match(r"Loaded demo data: 8 users, \d+ cases, \d+ defendants", result.output)
    assert count(Case) > 0


# --- determinism: two loads into two fresh databases give identical per-table digests ---------

#: Argon2 hashes are salted at random, so they differ by design; everything else must match.
NON_DETERMINISTIC = {("users", "password_hash")}


def table_digests(engine: sa.Engine) -> dict[str, str]:
    metadata = sa.MetaData()
    metadata.reflect(engine)
    digests = {}
    with engine.connect() as conn:
        for name, table in sorted(metadata.tables.items()):
            if name == "alembic_version":
                continue
            columns = [c for c in table.columns if (name, c.name) not in NON_DETERMINISTIC]
            order = list(table.primary_key.columns) or columns
            digest = hashlib.sha256()
            for row in conn.execute(sa.select(*columns).order_by(*order)):
                digest.update(repr(tuple(row)).encode())
            digests[name] = digest.hexdigest()
    return digests


def load_fresh(path: Path, seed: int) -> dict[str, str]:
    app = make_app(f"sqlite:///{path}")
    migrate(app)
    with app.app_context(), clock.frozen(FROZEN):
        loader.load(profiles.SMALL, seed=seed)
        db.session.commit()
        digests = table_digests(db.engine)
        db.engine.dispose()
    return digests


def test_same_seed_gives_identical_data(loaded: Any, tmp_path: Path) -> None:
    first = loaded[2]
    second = load_fresh(tmp_path / "b.db", seed=7)
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert not different, f"tables differ between two loads with the same seed: {different}"
    assert {"cases", "defendants", "ancillary_orders", "confiscation_payments", "audit_events"} <= set(first)


def test_the_seed_drives_every_random_choice() -> None:
    from casework.demo.synth import Synth

    a, b, c = Synth(7), Synth(7), Synth(8)
    draws = [(s.person(), s.pnc_id(1999), s.between(1, 10**9)) for s in (a, b, c)]
    assert draws[0] == draws[1]
    assert draws[0] != draws[2]


def test_factories_and_demo_do_not_collide(session: Any) -> None:
    factories.user("lawyer", ("ocd",))
    with pytest.raises(loader.DemoError):
        loader.load(profiles.SMALL, seed=1)
