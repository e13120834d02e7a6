"""Reads for the user administration pages: composable Select builders, keyset-paginated."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from casework.auth.models import ApiToken, LoginThrottle, Role, User, user_units
from casework.core import clock
from casework.core.pagination import SortKey
from casework.extensions import db
from casework.units.models import Unit

BY_NAME = [SortKey(sa.func.lower(User.name), kind="str"), SortKey(User.id, kind="int")]


def sort_key(user: User) -> list[Any]:
    return [user.name.lower(), user.id]


def users(*, role: str | None = None, unit_id: int | None = None, active: bool | None = None,
          search: str | None = None) -> sa.Select[Any]:
    """Users filtered by role, unit, active flag, and a name or email fragment (with their
    units, which the list shows)."""
    stmt = sa.select(User).options(selectinload(User.units))
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.role == Role(role))
    if unit_id is not None:
        stmt = stmt.where(sa.exists().where(user_units.c.user_id == User.id,
                                            user_units.c.unit_id == unit_id))
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    if search:
        pattern = "%" + search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(sa.or_(sa.func.lower(User.name).like(pattern, escape="\\"),
                                 User.email.like(pattern, escape="\\")))
    return stmt


def locked_emails(emails: list[str]) -> set[str]:
    """Which of these accounts are locked out now (one query for a whole page)."""
    if not emails:
        return set()
    return set(db.session.execute(
        sa.select(LoginThrottle.email).where(LoginThrottle.email.in_(emails),
                                             LoginThrottle.locked_until > clock.now())
    ).scalars())


def tokens_for(user: User) -> list[ApiToken]:
    return list(db.session.execute(
        sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    ).scalars())


def open_session_count(user_id: int) -> int:
    from casework.auth.models import UserSession

    return int(db.session.execute(
        sa.select(sa.func.count()).select_from(UserSession)
        .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
    ).scalar_one())


def unit_choices(*, include: list[Unit] | None = None) -> list[Unit]:
    """Active units, plus any deactivated ones the user already has (kept, never offered anew)."""
    keep = [u.id for u in include or []]
    return list(db.session.execute(
        sa.select(Unit).where(sa.or_(Unit.active.is_(True), Unit.id.in_(keep)))
        .order_by(Unit.kind.desc(), Unit.name)
    ).scalars())
