"""Reading alerts: the inbox addressed to a user, and everything in the user's units.

An alert outside the user's units is a 404 (never reveal it exists). Admins see every unit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from casework.alerts.models import OPEN_STATUSES, Alert, AlertStatus
from casework.auth.models import Role, User
from casework.core.pagination import SortKey
from casework.extensions import db

#: Inbox views: open (sent or acknowledged), upcoming (computed, not yet due), resolved,
#: cancelled (not sent, with the reason).
VIEWS = ("open", "upcoming", "resolved", "cancelled")
NEWEST_DUE_FIRST = [SortKey(Alert.due_on, descending=True, kind="date"),
                    SortKey(Alert.id, descending=True, kind="int")]
SOONEST_FIRST = [SortKey(Alert.due_on, kind="date"), SortKey(Alert.id, kind="int")]


def in_scope(user: User) -> Any:
    """SQL condition: the alert belongs to one of the user's units (admins: all)."""
    if user.sees_all_units:
        return sa.true()
    return Alert.unit_id.in_(user.unit_ids or [-1])


def addressed_to(user: User) -> Any:
    """Alerts meant for this user: as assigned offender manager, as the case's lawyer, or (for
    an offender manager) an unassigned alert of their unit."""
    mine = sa.or_(Alert.assignee_id == user.id, Alert.lawyer_id == user.id)
    if user.role == Role.OFFENDER_MANAGER:
        unassigned = sa.and_(Alert.assignee_id.is_(None), Alert.lawyer_id.is_(None),
                             Alert.unit_id.in_(user.unit_ids or [-1]))
        mine = sa.or_(mine, unassigned)
    return mine


def _status_filter(view: str, today: dt.date) -> Any:
    if view == "upcoming":
        return sa.and_(Alert.status == AlertStatus.PENDING, Alert.due_on > today)
    if view == "resolved":
        return Alert.status == AlertStatus.RESOLVED
    if view == "cancelled":
        return Alert.status == AlertStatus.CANCELLED
    return Alert.status.in_(list(OPEN_STATUSES))


def alerts_for(user: User, *, view: str = "open", mine_only: bool = True, kind: str | None = None,
               today: dt.date) -> sa.Select[Any]:
    stmt = sa.select(Alert).where(in_scope(user), _status_filter(view, today))
    if mine_only:
        stmt = stmt.where(addressed_to(user))
    if kind:
        stmt = stmt.where(Alert.kind == kind)
    return stmt


def visible_alerts(user: User, *, status: str | None = None, kind: str | None = None,
                   due_before: dt.date | None = None) -> sa.Select[Any]:
    """Every alert of the user's units (the API list), optionally filtered."""
    stmt = sa.select(Alert).where(in_scope(user))
    if status:
        stmt = stmt.where(Alert.status == status)
    if kind:
        stmt = stmt.where(Alert.kind == kind)
    if due_before:
        stmt = stmt.where(Alert.due_on < due_before)
    return stmt


def get_alert_for(user: User, alert_id: int) -> Alert | None:
    return db.session.execute(
        sa.select(Alert).where(Alert.id == alert_id, in_scope(user))).scalar_one_or_none()


def open_count(user: User) -> int:
    return db.session.execute(
        sa.select(sa.func.count()).select_from(Alert)
        .where(in_scope(user), addressed_to(user), Alert.status == AlertStatus.SENT)).scalar_one()


def status_totals() -> dict[str, int]:
    """Alerts by status, counted in SQL (admin page)."""
    rows = db.session.execute(sa.select(Alert.status, sa.func.count()).group_by(Alert.status))
    return {str(status): count for status, count in rows}
