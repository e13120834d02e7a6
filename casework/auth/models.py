from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.db import Versioned, str_enum
from casework.extensions import db
from casework.units.models import Unit


class Role(enum.StrEnum):
    ADMIN = "admin"
    LAWYER = "lawyer"
    OFFENDER_MANAGER = "offender_manager"
    ANALYST = "analyst"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.LAWYER: "Lawyer",
    Role.OFFENDER_MANAGER: "Offender manager",
    Role.ANALYST: "Analyst",
}

user_units = sa.Table(
    "user_units",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), primary_key=True),
)


class User(Versioned, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[Role] = mapped_column(str_enum(Role, 20))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime]
    # Loaded with the session record for the signed-in user (casework.auth.sessions) and by the
    # lists that show them; other users loaded alongside a record (a case's lead lawyer, an
    # order's manager, the lawyer choices) do not need them.
    units: Mapped[list[Unit]] = relationship(secondary=user_units, lazy="select")

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def unit_ids(self) -> list[int]:
        return [u.id for u in self.units]

    @property
    def sees_all_units(self) -> bool:
        """Admins see every unit; everyone else is scoped to their own units."""
        return self.role == Role.ADMIN


class UserSession(db.Model):  # type: ignore[name-defined,misc]
    """Server-side record of a signed-in browser session; the cookie only carries its id.

    Logging out, timing out or disabling the user ends the record, so a replayed cookie is
    refused (ASVS v5.0.0-7.4.1, 7.4.2).
    """

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime]
    last_seen_at: Mapped[dt.datetime]
    ended_at: Mapped[dt.datetime | None]
    ended_reason: Mapped[str | None] = mapped_column(sa.String(40))
    user: Mapped[User] = relationship(lazy="joined")


class ApiToken(db.Model):  # type: ignore[name-defined,misc]
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[dt.datetime]
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    user: Mapped[User] = relationship(lazy="joined")


class LoginThrottle(db.Model):  # type: ignore[name-defined,misc]
    """Failed sign-in counter per email address, shared by every worker through the database."""

    __tablename__ = "login_throttles"

    email: Mapped[str] = mapped_column(sa.String(254), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[dt.datetime]
    locked_until: Mapped[dt.datetime | None]
