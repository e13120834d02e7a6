"""Users, sign-in with a database-backed lockout, and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from casework.auth.models import ApiToken, LoginThrottle, Role, User, UserSession
from casework.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from casework.core import clock, signals
from casework.extensions import db
from casework.units.models import Unit

SIGN_IN_FAILED = "Enter a correct email address and password"
LOCKED = (
    "Too many failed sign-in attempts for this account. Wait {minutes} minutes and try again, "
    "or ask an administrator to unlock it"
)


class UserError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    *, email: str, name: str, role: Role | str, unit_codes: list[str], password: str | None,
    actor: User | None = None,
) -> User:
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise UserError("email", "Enter an email address in the correct format, like name@example.com")
    if not name.strip():
        raise UserError("name", "Enter the user's full name")
    try:
        role = Role(role)
    except ValueError:
        raise UserError("role", "Role must be one of: " + ", ".join(r.value for r in Role)) from None
    if db.session.execute(sa.select(User.id).where(User.email == email)).first():
        raise UserError("email", f"A user with the email address {email} already exists")
    units = []
    for code in dict.fromkeys(unit_codes):  # a unit named twice is one membership
        unit = db.session.execute(sa.select(Unit).where(Unit.code == code)).scalar_one_or_none()
        if unit is None:
            raise UserError("unit", f"There is no unit with the code {code}")
        if not unit.active:  # a deactivated unit keeps its records but takes no new users
            raise UserError("unit", f"{unit.name} is no longer in use: choose another unit")
        units.append(unit)
    if role != Role.ADMIN and not units:
        raise UserError("unit", "Choose at least one unit for this user")
    if password is not None and (problem := password_problem(password)):
        raise UserError("password", problem)
    user = User(
        email=email, name=name.strip(), role=role, units=units, active=True,
        password_hash=hash_password(password) if password else None, created_at=clock.now(),
    )
    db.session.add(user)
    db.session.flush()
    signals.audit_event.send(
        None, action="collect", object_type="user", object_id=user.id,
        summary=f"User {user.name} ({user.email}) created as {role.label}"
        + (f" in {', '.join(u.name for u in units)}" if units else ""),
        actor=actor,
    )
    return user


@dataclass
class SignInResult:
    user: User | None
    error: str | None


def _throttle_for(email: str) -> LoginThrottle:
    """The email's counter row, created if missing and locked until the transaction ends.

    The insert comes first and ignores a conflict, so two workers' first failures cannot clash
    (PostgreSQL) and SQLite takes its write lock up front, waiting its busy timeout instead of
    failing with "database is locked" on a stale read snapshot. The row lock (FOR UPDATE on
    PostgreSQL; SQLite's single writer) serialises attempts, so the limit holds exactly.
    """
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    db.session.execute(insert(LoginThrottle).values(
        email=email, failures=0, window_started_at=clock.now()).on_conflict_do_nothing())
    return db.session.execute(
        sa.select(LoginThrottle).where(LoginThrottle.email == email)
        .with_for_update().execution_options(populate_existing=True)
    ).scalar_one()


def authenticate(*, email: str, password: str) -> SignInResult:
    """Check credentials against a lockout counted in the database (shared by all workers).

    The same message is given for an unknown email and a wrong password. Every failure is
    audited. Lockout: LOGIN_FAILURE_LIMIT failures within LOGIN_FAILURE_WINDOW_MINUTES.
    """
    email = normalise_email(email)[:254]
    limit = current_app.config["LOGIN_FAILURE_LIMIT"]
    window = dt.timedelta(minutes=current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"])
    now = clock.now()
    throttle = _throttle_for(email)
    if throttle.locked_until and throttle.locked_until > now:
        minutes = max(1, int((throttle.locked_until - now).total_seconds() // 60) + 1)
        _audit_auth(None, f"Sign-in refused for {email}: account locked")
        return SignInResult(None, LOCKED.format(minutes=minutes))
    user = db.session.execute(sa.select(User).where(User.email == email)).scalar_one_or_none()
    ok = verify_password(user.password_hash if user else None, password)
    if ok and user is not None and user.active:
        db.session.execute(
            sa.update(LoginThrottle).where(LoginThrottle.email == email)
            .values(failures=0, locked_until=None, window_started_at=now)
        )
        if user.password_hash and needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        _audit_auth(user, f"{user.name} signed in")
        return SignInResult(user, None)
    # Count the failure atomically so concurrent workers cannot lose increments.
    if throttle.window_started_at + window < now:
        db.session.execute(
            sa.update(LoginThrottle).where(LoginThrottle.email == email)
            .values(failures=1, window_started_at=now, locked_until=None)
        )
    else:
        db.session.execute(
            sa.update(LoginThrottle).where(LoginThrottle.email == email)
            .values(failures=LoginThrottle.failures + 1)
        )
    db.session.refresh(throttle)
    if throttle.failures >= limit:
        throttle.locked_until = now + window
    _audit_auth(user, f"Failed sign-in for {email}" + (" (user disabled)" if user and ok else ""))
    return SignInResult(None, SIGN_IN_FAILED)


def _audit_auth(user: User | None, summary: str) -> None:
    signals.audit_event.send(
        None, action="auth", object_type="user", object_id=user.id if user else None,
        summary=summary, actor=user,
    )


def start_session(user: User) -> UserSession:
    now = clock.now()
    record = UserSession(id=secrets.token_urlsafe(32), user_id=user.id, created_at=now,
                         last_seen_at=now)
    db.session.add(record)
    db.session.flush()
    return record


def end_session(record: UserSession, reason: str) -> None:
    if record.ended_at is None:
        record.ended_at = clock.now()
        record.ended_reason = reason


def end_all_sessions(user: User, reason: str) -> int:
    result = db.session.execute(
        sa.update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=clock.now(), ended_reason=reason)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def set_active(user: User, *, active: bool, actor: User | None) -> None:
    """Disabling a user ends all their sessions and API access at once (ASVS 7.4.2)."""
    user.active = active
    if not active:
        end_all_sessions(user, "user disabled")
        db.session.execute(
            sa.update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=clock.now())
        )
    signals.audit_event.send(
        None, action="alter", object_type="user", object_id=user.id,
        summary=f"User {user.name} {'enabled' if active else 'disabled'}", actor=actor,
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User) -> str:
    token = "cw_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token), created_at=clock.now()))
    db.session.flush()
    signals.audit_event.send(
        None, action="alter", object_type="user", object_id=user.id,
        summary=f"API token issued to {user.name}", actor=None,
    )
    return token


def user_for_token(token: str) -> User | None:
    row = db.session.execute(
        sa.select(ApiToken).where(ApiToken.token_hash == _token_hash(token),
                                  ApiToken.revoked_at.is_(None))
    ).scalar_one_or_none()
    if row is None or not row.user.active:
        return None
    return row.user
