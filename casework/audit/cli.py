from __future__ import annotations

import click
from flask.cli import with_appcontext

from casework.audit import privileges
from casework.audit.service import verify_chain
from casework.core.cli_helpers import fail, one_line_errors
from casework.extensions import db


@click.group("audit", help="Check the audit log.")
def audit() -> None:
    pass


@audit.command("verify")
@with_appcontext
def verify() -> None:
    """Recompute the hash chain; exit non-zero if any row was edited or removed."""
    count, problems = verify_chain()
    if problems:
        for problem in problems[:20]:
            click.echo(problem, err=True)
        fail(f"audit chain broken at {problems[0]}; {len(problems)} problem(s) in {count} rows")
    click.echo(f"Audit chain intact: {count} rows checked")


@audit.command("lock-down")
@click.option("--role", required=True, help="The PostgreSQL role the app connects as (must own nothing)")
@with_appcontext
@one_line_errors(privileges.PrivilegeError)
def lock_down(role: str) -> None:
    """PostgreSQL: grant the app's role what it needs, but never UPDATE, DELETE or TRUNCATE on
    the append-only tables. Run as the owner, again after every `flask db upgrade`."""
    held = privileges.lock_down(db.session.connection(), role)
    db.session.commit()
    for table, granted in held.items():
        click.echo(f"{role} on {table}: {', '.join(granted)}")


commands = [audit]
