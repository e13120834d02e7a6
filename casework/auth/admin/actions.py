"""Actions on one user, each a POST button on the user's page (POST/redirect/GET; CSRF is
checked globally by CSRFProtect), except issuing an API token, whose value is shown once in the
response and never stored."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from casework.auth.admin import service
from casework.auth.admin.routes import bp, load_user
from casework.core.auth import roles_required
from casework.core.validation import ValidationError
from casework.extensions import db


def _back(user_id: int) -> Response:
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/admin/users/<int:user_id>/disable", methods=["POST"])
@roles_required("admin")
def disable_user(user_id: int) -> Response:
    user = load_user(user_id)
    try:
        service.set_user_active(user, active=False, actor=current_user)
    except ValidationError as exc:
        flash(exc.message, "error")
        return _back(user_id)
    db.session.commit()
    flash(f"{user.name} has been disabled and signed out everywhere; their API tokens are revoked",
          "success")
    return _back(user_id)


@bp.route("/admin/users/<int:user_id>/enable", methods=["POST"])
@roles_required("admin")
def enable_user(user_id: int) -> Response:
    user = load_user(user_id)
    service.set_user_active(user, active=True, actor=current_user)
    db.session.commit()
    flash(f"{user.name} has been enabled", "success")
    return _back(user_id)


@bp.route("/admin/users/<int:user_id>/unlock", methods=["POST"])
@roles_required("admin")
def unlock_user(user_id: int) -> Response:
    user = load_user(user_id)
    if service.unlock_account(user, actor=current_user):
        db.session.commit()
        flash(f"{user.name} can sign in again: failed attempts cleared", "success")
    else:
        flash(f"{user.name} has no failed sign-in attempts to clear", "info")
    return _back(user_id)


@bp.route("/admin/users/<int:user_id>/sessions/end", methods=["POST"])
@roles_required("admin")
def end_sessions(user_id: int) -> Response:
    user = load_user(user_id)
    count = service.end_user_sessions(user, actor=current_user)
    db.session.commit()
    flash(f"{count} session(s) of {user.name} ended", "success")
    return _back(user_id)


@bp.route("/admin/users/<int:user_id>/tokens", methods=["POST"])
@roles_required("admin")
def issue_token(user_id: int) -> Response | str:
    user = load_user(user_id)
    try:
        token = service.issue_token(user, actor=current_user)
    except ValidationError as exc:
        flash(exc.message, "error")
        return _back(user_id)
    db.session.commit()
    # Rendered directly (no redirect) so the value never sits in a cookie or the database.
    return render_template("admin/token_issued.html", user=user, token=token)


@bp.route("/admin/users/<int:user_id>/tokens/<int:token_id>/revoke", methods=["POST"])
@roles_required("admin")
def revoke_token(user_id: int, token_id: int) -> Response:
    user = load_user(user_id)
    token = service.revoke_token(user, token_id, actor=current_user)
    if token is None:
        abort(404)
    db.session.commit()
    flash(f"API token {token.id} revoked", "success")
    return _back(user_id)
