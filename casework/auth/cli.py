from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from casework.auth import service
from casework.auth.models import User
from casework.core.cli_helpers import fail, one_line_errors
from casework.extensions import db


@click.group("users", help="Create users and issue API tokens.")
def users() -> None:
    pass


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name, as shown on audit entries")
@click.option("--role", required=True,
              type=click.Choice(["admin", "lawyer", "offender_manager", "analyst"]))
@click.option("--unit", "units", multiple=True, help="Unit code (repeat for several units)")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input")
@with_appcontext
@one_line_errors(service.UserError)
def create(email: str, name: str, role: str, units: tuple[str, ...], password_stdin: bool) -> None:
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    user = service.create_user(email=email, name=name, role=role, unit_codes=list(units),
                               password=password)
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email} (id {user.id})")


@users.command("token")
@click.argument("email")
@with_appcontext
def token(email: str) -> None:
    user = db.session.execute(
        sa.select(User).where(User.email == service.normalise_email(email))
    ).scalar_one_or_none()
    if user is None:
        fail(f"There is no user with the email address {email}")
        return
    if not user.active:
        fail(f"The user {email} is disabled")
    value = service.issue_token(user)
    db.session.commit()
    click.echo(value)


@users.command("unlock")
@click.argument("email")
@with_appcontext
def unlock(email: str) -> None:
    """Clear failed sign-ins for EMAIL (e.g. when the only administrator is locked out)."""
    from casework.auth.admin.service import unlock_account

    user = db.session.execute(
        sa.select(User).where(User.email == service.normalise_email(email))
    ).scalar_one_or_none()
    if user is None:
        fail(f"There is no user with the email address {email}")
        return
    cleared = unlock_account(user, actor=None)
    db.session.commit()
    click.echo(f"Unlocked {user.email}" if cleared else f"{user.email} was not locked")


commands = [users]
