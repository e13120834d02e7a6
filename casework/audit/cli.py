from __future__ import annotations

import click
from flask.cli import with_appcontext

from casework.audit.service import verify_chain
from casework.core.cli_helpers import fail


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
        fail(f"audit chain broken: {len(problems)} problem(s) in {count} rows")
    click.echo(f"Audit chain intact: {count} rows checked")


commands = [audit]
