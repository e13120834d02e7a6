"""Role rules for every route. A route declares who may use it; a test walks ``app.url_map``
and fails on any endpoint without a declaration (the access-control policy table).

A record outside the user's units is a 404 (never reveal it exists); a role that may not use a
function is a 403.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., Any])

ALL_ROLES = ("admin", "lawyer", "offender_manager", "analyst")


def roles_required(*roles: str) -> Callable[[F], F]:
    """Require a signed-in user with one of ``roles`` (403 otherwise)."""
    unknown = set(roles) - set(ALL_ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {unknown}")

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                from flask import current_app

                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if str(current_user.role) not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = tuple(roles)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def public(view: F) -> F:
    """Mark a route deliberately open to signed-out users (sign-in page, health check)."""
    view.allowed_roles = ("public",)  # type: ignore[attr-defined]
    return view


def any_signed_in(view: F) -> F:
    return roles_required(*ALL_ROLES)(view)


def allowed_roles(view: Callable[..., Any]) -> tuple[str, ...] | None:
    return getattr(view, "allowed_roles", None)
