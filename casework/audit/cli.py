from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from casework.audit import privileges
from casework.audit.service import check_anchor, verify_chain
from casework.core.cli_helpers import fail, one_line_errors
from casework.extensions import db


@click.group("audit", help="Check the audit log.")
def audit() -> None:
    pass


@audit.command("verify")
@click.option("--anchor", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A backup manifest (or any JSON with an audit_head): its last audit row must "
                   "still be there, unchanged")
@with_appcontext
def verify(anchor: Path | None) -> None:
    """Recompute the hash chain; exit non-zero if any row was edited or removed."""
    count, problems = verify_chain()
    head = None
    if anchor is not None:
        try:
            head = json.loads(anchor.read_text(encoding="utf-8"))["audit_head"]
            if head is not None and not (isinstance(head, dict) and isinstance(head.get("id"), int)
                                         and isinstance(head.get("hash"), str)):
                raise TypeError("audit_head must hold an id and a hash")
        except (ValueError, KeyError, TypeError):
            fail(f"{anchor.name} has no audit_head to check against")
            return
        if head is not None and (problem := check_anchor(head)) is not None:
            problems.insert(0, problem)
    if problems:
        for problem in problems[:20]:
            click.echo(problem, err=True)
        fail(f"audit chain broken at {problems[0]}; {len(problems)} problem(s) in {count} rows")
    held = f"; row {head['id']} from {anchor.name} unchanged" if anchor and head else ""
    click.echo(f"Audit chain intact: {count} rows checked{held}")


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
