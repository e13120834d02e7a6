"""Administrators' changes to users, and a user's own password change.

Every change writes one audit row in the same transaction, in plain language with old -> new
values (DESIGN.md convention 9). Sessions and tokens follow ASVS v5.0.0: disabling a user ends
their sessions (7.4.2), a password change ends the user's other sessions (7.4.3), and an
administrator can end a user's sessions (7.4.5).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import flag_modified

from casework.auth import service as auth_service
from casework.auth.models import ApiToken, LoginThrottle, Role, User, UserSession
from casework.auth.passwords import hash_password, password_problem, verify_password
from casework.core import clock, signals
from casework.core.validation import ValidationError, has_control_chars
from casework.extensions import db
from casework.units.models import Unit

STALE = ("Someone else changed this user after you opened the page. What is saved now is shown "
         "above the form: check your changes and save again")


class StaleEdit(ValidationError):
    """The record changed since the form was opened; ``current`` holds the saved values."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__({"form": [STALE]})
        self.current = current


def _audit(user: User, summary: str, *, actor: User | None,
           changes: dict[str, Any] | None = None, action: str = "alter") -> None:
    signals.audit_event.send(None, action=action, object_type="user", object_id=user.id,
                             summary=summary, changes=changes, actor=actor)


def _snapshot(user: User) -> dict[str, Any]:
    return {"name": user.name, "role": user.role.label,
            "units": ", ".join(sorted(u.name for u in user.units)) or "none"}


def _units_for(codes: list[str], *, keep: list[Unit]) -> list[Unit]:
    """Units by code; a deactivated unit may be kept but never newly chosen."""
    for code in codes:
        if has_control_chars(code) or len(code) > 40:
            raise ValidationError(units="Choose units from the list")
    found = {u.code: u for u in db.session.execute(
        sa.select(Unit).where(Unit.code.in_(codes))).scalars()} if codes else {}
    kept = {u.code for u in keep}
    units = []
    for code in dict.fromkeys(codes):
        unit = found.get(code)
        if unit is None:
            raise ValidationError(units=f"There is no unit with the code {code}")
        if not unit.active and code not in kept:
            raise ValidationError(units=f"{unit.name} is no longer in use: choose another unit")
        units.append(unit)
    return units


def create_user(*, email: str, name: str, role: Role | str, unit_codes: list[str], password: str,
                actor: User) -> User:
    """Create a user through ``auth.service.create_user`` (which audits it), with the errors
    shown beside the admin form's fields. A deactivated unit cannot be chosen."""
    if not password:
        raise ValidationError({"password": ["Enter an initial password"]})
    for field, value in (("email", email), ("name", name)):
        if has_control_chars(value):
            raise ValidationError({field: [_CONTROL_MESSAGE]})
    _units_for(unit_codes, keep=[])
    try:
        return auth_service.create_user(email=email, name=name, role=role, unit_codes=unit_codes,
                                        password=password, actor=actor)
    except auth_service.UserError as exc:
        raise ValidationError({_FIELDS.get(exc.field, exc.field): [exc.message]}) from None


_FIELDS = {"unit": "units"}
_CONTROL_MESSAGE = "Remove the control characters (such as NUL) from this field"


def update_user(user: User, *, name: str, role: Role | str, unit_codes: list[str],
                expected_version: int, actor: User) -> User:
    """Change a user's name, role and units.

    A stale edit (the record's version moved on since the form was opened) raises StaleEdit
    instead of overwriting the other change. Non-admins need at least one unit; an
    administrator cannot change their own role (so the service never loses its last admin by
    accident).
    """
    if user.version != expected_version:
        raise StaleEdit(_snapshot(user))
    name = name.strip()
    if not name:
        raise ValidationError(name="Enter the user's full name")
    if has_control_chars(name):
        raise ValidationError(name=_CONTROL_MESSAGE)
    if len(name) > 120:
        raise ValidationError(name="Full name must be 120 characters or fewer")
    try:
        role = Role(role)
    except ValueError:
        raise ValidationError(role="Choose a role") from None
    if user.id == actor.id and role != user.role:
        raise ValidationError(role="You cannot change your own role: ask another administrator")
    units = _units_for(unit_codes, keep=list(user.units))
    if role != Role.ADMIN and not units:
        raise ValidationError(units="Choose at least one unit for this user")
    before = _snapshot(user)
    user.name, user.role, user.units = name, role, units
    after = _snapshot(user)
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changes:
        # A units-only change touches just the link table; mark the row changed so its
        # version moves on too and a concurrent edit of the units is caught as stale.
        flag_modified(user, "name")
        labels = {"name": "Name", "role": "Role", "units": "Units"}
        sentences = [f"{labels[k]} changed from {old} to {new}" for k, (old, new) in changes.items()]
        _audit(user, f"User {user.email}: " + "; ".join(sentences), actor=actor, changes=changes)
        db.session.flush()
    return user


def set_user_active(user: User, *, active: bool, actor: User) -> None:
    """Disable or enable a user. Disabling ends their sessions and API tokens at once
    (ASVS v5.0.0-7.4.2); an administrator cannot disable themselves."""
    if user.id == actor.id and not active:
        raise ValidationError(active="You cannot disable your own account")
    if user.active == active:
        return
    auth_service.set_active(user, active=active, actor=actor)
    db.session.flush()


def lock_state(user: User) -> LoginThrottle | None:
    """The user's failed sign-in counter if it has any failures recorded."""
    row = db.session.get(LoginThrottle, user.email)
    return row if row is not None and (row.failures or row.locked_until) else None


def is_locked(user: User) -> bool:
    row = db.session.get(LoginThrottle, user.email)
    return bool(row and row.locked_until and row.locked_until > clock.now())


def unlock_account(user: User, *, actor: User | None) -> bool:
    """Clear the failed sign-in counter so the user can try again at once (``actor`` None: the
    CLI, for when the only administrator is locked out)."""
    row = lock_state(user)
    if row is None:
        return False
    failures = row.failures
    db.session.delete(row)
    _audit(user, f"Account {user.email} unlocked ({failures} failed sign-in attempts cleared)",
           actor=actor, changes={"failures": [failures, 0]})
    db.session.flush()
    return True


def end_user_sessions(user: User, *, actor: User) -> int:
    """End every signed-in session of the user (ASVS v5.0.0-7.4.5)."""
    count = auth_service.end_all_sessions(user, "ended by an administrator")
    _audit(user, f"All sessions of {user.name} ended ({count} open)", actor=actor,
           changes={"open_sessions": [count, 0]})
    return count


def issue_token(user: User, *, actor: User) -> str:
    """A new API bearer token; only its SHA-256 is stored, so it can be shown only once."""
    if not user.active:
        raise ValidationError({"token": ["You cannot issue a token to a disabled user"]})
    return auth_service.issue_token(user)


def revoke_token(user: User, token_id: int, *, actor: User) -> ApiToken | None:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        return None
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        _audit(user, f"API token {token.id} of {user.name} revoked", actor=actor,
               changes={"token_revoked": [False, True]})
        db.session.flush()
    return token


def change_own_password(user: User, *, current: str, new: str, confirm: str,
                        session_id: str | None) -> int:
    """Change one's own password (argon2id). The current password is required; the user's
    other sessions end (ASVS v5.0.0-7.4.3). Returns how many other sessions ended."""
    problems: dict[str, list[str]] = {}
    if not verify_password(user.password_hash, current):
        problems["current_password"] = ["Your current password is not correct"]
    if problem := password_problem(new):
        problems["new_password"] = [problem]
    elif new == current:
        problems["new_password"] = ["Your new password must be different from your current one"]
    if new != confirm and "new_password" not in problems:
        problems["confirm_password"] = ["The passwords do not match"]
    if problems:
        raise ValidationError(problems)
    user.password_hash = hash_password(new)
    result = db.session.execute(
        sa.update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None),
               UserSession.id != (session_id or ""))
        .values(ended_at=clock.now(), ended_reason="password changed")
    )
    ended = int(result.rowcount or 0)  # type: ignore[attr-defined]
    _audit(user, f"{user.name} changed their password; {ended} other session(s) ended", actor=user)
    db.session.flush()
    return ended
