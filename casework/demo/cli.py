"""``flask demo ...``: load synthetic demo data and print the demo sign-ins (used by make run)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from casework.alerts.sweep import send_due_alerts
from casework.core.cli_helpers import fail
from casework.demo import loader
from casework.demo.bulk import load as bulk_load
from casework.demo.bulk.plan import Plan
from casework.demo.bulk.writer import Progress
from casework.demo.profiles import PROFILES
from casework.demo.users import DEMO_PASSWORD, DEMO_USERS
from casework.extensions import db


@click.group("demo", help="Synthetic demo data for trying Casework out.")
def demo() -> None:
    pass


@demo.command("load")
@click.option("--profile", "profile_name", type=click.Choice(sorted(PROFILES)), default="small",
              show_default=True, help="How much data to build")
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed gives the same data")
@click.option("--scale", type=float, default=1.0, show_default=True,
              help="Multiply the volumes of a bulk profile (national-10y, stress-10x), e.g. 0.01")
@click.option("--if-empty", is_flag=True,
              help="Do nothing (exit 0) when the database already has data, instead of failing")
@with_appcontext
def load(profile_name: str, seed: int, scale: float, if_empty: bool) -> None:
    profile = PROFILES[profile_name]
    if not profile.available:
        fail(f"The {profile.name} profile is not available yet")
    if not 0 < scale <= 100:
        fail("--scale must be more than 0 and at most 100")
    if profile.bulk_scale is None and scale != 1.0:
        fail(f"--scale applies to the bulk profiles only, not to {profile.name}")
    dialect = db.session.get_bind().dialect.name
    if profile.postgresql_only and dialect != "postgresql":
        fail(f"The {profile.name} profile needs PostgreSQL; this database is {dialect}")
    if any(loader.existing_data()):
        if if_empty:
            click.echo("Database already has data; demo not loaded")
            return
        fail("The database already has data; demo data is only loaded into an empty database")
    if profile.bulk_scale is not None:
        _load_bulk(profile.name, Plan.national(profile.bulk_scale * scale), seed)
        return
    try:
        summary = loader.load(profile, seed=seed)
    except loader.DemoError as exc:
        db.session.rollback()
        fail(str(exc))
        return
    db.session.commit()
    click.echo(f"{summary} (profile {profile.name}, seed {seed})")
    # Run today's alerts sweep now, as the scheduler would overnight, so the inboxes and the
    # offender managers' work lists show what is due. Without a mail server emails are recorded.
    swept = send_due_alerts(trigger="demo")
    click.echo(f"Alerts sweep: {swept.sent} alerts due today or earlier")


def _load_bulk(name: str, plan: Plan, seed: int) -> None:
    """No sweep afterwards: the bulk alerts already are what the nightly sweeps would have left."""
    try:
        summary = bulk_load.load(name, plan, seed=seed, progress=Progress())
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    for line in summary.lines():
        click.echo(line)


@demo.command("users")
def users() -> None:
    """The demo sign-ins, one per line: role, two spaces, email."""
    for spec in DEMO_USERS:
        click.echo(f"{spec.label}  {spec.email}")


@demo.command("password")
def password() -> None:
    """The password every demo user shares."""
    click.echo(DEMO_PASSWORD)


commands = [demo]
