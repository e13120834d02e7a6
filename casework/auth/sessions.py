"""Server-side session checks on every request: idle and absolute expiry, logout replay.

The signed cookie carries only the id of a ``UserSession`` row. A request whose record is
missing, ended, idle past SESSION_IDLE_MINUTES, older than SESSION_ABSOLUTE_HOURS, or whose
user is disabled, is treated as signed out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_login import logout_user
from sqlalchemy.orm import contains_eager
from werkzeug.wrappers import Response

from casework.auth.models import User, UserSession, user_units
from casework.auth.service import end_session
from casework.core import clock
from casework.core.db import ensure_write_lock
from casework.extensions import db, login_manager
from casework.units.models import Unit

TOUCH_EVERY = dt.timedelta(seconds=60)

#: The record, its user and the user's units in one statement (the units' default loader would
#: send a second one on every request). The joins are written out flat: ``joinedload`` of the
#: many-to-many renders ``LEFT JOIN (user_units JOIN units)``, which SQLite cannot look up by the
#: user's id, so it built that join for every user in the service on every request (1.2 ms
#: with 2,000 users, growing with them; 0.24 ms written flat; PostgreSQL plans both alike).
_RECORD = (
    sa.select(UserSession)
    .join(User, User.id == UserSession.user_id)
    .outerjoin(user_units, user_units.c.user_id == User.id)
    .outerjoin(Unit, Unit.id == user_units.c.unit_id)
    .options(contains_eager(UserSession.user).contains_eager(User.units))
    .where(UserSession.id == sa.bindparam("sid"))
)


def _expiry_reason(record: UserSession, now: dt.datetime) -> str | None:
    idle = dt.timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    absolute = dt.timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
    if record.ended_at is not None:
        return "ended"
    if not record.user.active:
        return "user disabled"
    if now - record.last_seen_at > idle:
        return "idle timeout"
    if now - record.created_at > absolute:
        return "absolute timeout"
    return None


def session_ends_at(record: UserSession) -> tuple[dt.datetime, bool]:
    """When the session ends if nothing more happens, and whether that is the absolute limit."""
    idle = dt.timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    absolute = record.created_at + dt.timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
    ends = min(record.last_seen_at + idle, absolute)
    return ends, ends == absolute


def seconds_remaining(record: UserSession) -> int:
    return max(0, int((session_ends_at(record)[0] - clock.now()).total_seconds()))


def load_session_record() -> Response | None:
    g.user_session = None
    if request.path.startswith(("/static/", "/assets/", "/api/")):
        return None
    sid = session.get("sid")
    if not sid:
        return None
    record = db.session.execute(_RECORD, {"sid": sid}).unique().scalar_one_or_none()
    now = clock.now()
    reason = "missing" if record is None else _expiry_reason(record, now)
    if reason is None and record is not None:
        g.user_session = record
        if now - record.last_seen_at > TOUCH_EVERY and request.endpoint != "auth.session_status":
            ensure_write_lock(db.session())
            record.last_seen_at = now
            db.session.commit()
        return None
    if record is not None and record.ended_at is None:
        ensure_write_lock(db.session())
        end_session(record, reason or "expired")
        db.session.commit()
    logout_user()
    session.clear()
    if reason in ("idle timeout", "absolute timeout"):
        flash("You were signed out because your session timed out. Sign in again to continue.",
              "info")
        if request.method == "GET" and request.endpoint != "auth.sign_in":
            return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    return None


def init_app(app: Flask) -> None:
    from casework.auth import passwords

    passwords.configure(time_cost=app.config["ARGON2_TIME_COST"],
                        memory_kib=app.config["ARGON2_MEMORY_KIB"])
    app.before_request(load_session_record)

    @app.context_processor
    def _session_time() -> dict[str, Any]:
        """The timeout warning is scheduled from what is really left, idle or absolute."""
        record = g.get("user_session")
        return {"session_seconds_remaining": seconds_remaining(record) if record else None}

    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue"
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # the server-side record does this job

    @login_manager.user_loader
    def _load_user(user_id: str) -> User | None:
        record: UserSession | None = g.get("user_session")
        if record is None or str(record.user_id) != user_id:
            return None
        return record.user
