"""Reads for cases and defendants, always through the user's unit scope.

A record outside the user's units is simply not found (the route answers 404, never revealing
that it exists). Admins see every unit.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from casework.auth.models import User
from casework.cases.models import Case, Charge, Defendant, Hearing
from casework.extensions import db


def unit_scope(user: User) -> list[int] | None:
    """Unit ids the user may see, or None for every unit (administrators)."""
    if user.sees_all_units:
        return None
    return list(user.unit_ids)


def _scoped(stmt: sa.Select[Any], user: User) -> sa.Select[Any]:
    scope = unit_scope(user)
    if scope is None:
        return stmt
    return stmt.where(Case.unit_id.in_(scope))


def visible_cases(user: User) -> sa.Select[Any]:
    """``select(Case)`` limited to the user's units (compose further filters onto it)."""
    return _scoped(sa.select(Case), user)


def visible_defendants(user: User) -> sa.Select[Any]:
    """``select(Defendant)`` joined to its case and limited to the user's units."""
    return _scoped(sa.select(Defendant).join(Defendant.case), user)


def get_case_for(user: User, case_id: int) -> Case | None:
    return db.session.execute(  # type: ignore[no-any-return]
        visible_cases(user).where(Case.id == case_id)).scalar_one_or_none()


def get_defendant_for(user: User, defendant_id: int) -> Defendant | None:
    return db.session.execute(  # type: ignore[no-any-return]
        visible_defendants(user).where(Defendant.id == defendant_id)).scalar_one_or_none()


def get_hearing_for(user: User, hearing_id: int) -> Hearing | None:
    return db.session.execute(  # type: ignore[no-any-return]
        _scoped(sa.select(Hearing).join(Hearing.case), user).where(Hearing.id == hearing_id)
    ).scalar_one_or_none()


def case_with_everything(user: User, case_id: int) -> Case | None:
    """The case page: defendants with charges and aliases, and hearings, in a few queries."""
    stmt = visible_cases(user).where(Case.id == case_id).options(
        selectinload(Case.defendants).selectinload(Defendant.charges),
        selectinload(Case.defendants).selectinload(Defendant.aliases),
        selectinload(Case.hearings).joinedload(Hearing.defendant),
    )
    return db.session.execute(stmt).scalar_one_or_none()  # type: ignore[no-any-return]


def case_by_urn(user: User, urn: str) -> Case | None:
    from casework.cases.rules import normalise_urn

    return db.session.execute(  # type: ignore[no-any-return]
        visible_cases(user).where(Case.urn == normalise_urn(urn))).scalar_one_or_none()


def charges_for(defendant: Defendant) -> list[Charge]:
    return list(db.session.execute(
        sa.select(Charge).where(Charge.defendant_id == defendant.id)
        .order_by(Charge.charged_on, Charge.id)).scalars())
