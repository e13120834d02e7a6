from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from casework.auth import service, sessions
from casework.auth.forms import SignInForm
from casework.core import clock
from casework.core.auth import any_signed_in, public
from casework.extensions import db

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths; never //host, /\\host, scheme: or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return url_for("core.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return url_for("core.home")
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        result = service.authenticate(email=form.email.data or "", password=form.password.data or "")
        if result.user is not None:
            record = service.start_session(result.user)
            db.session.commit()
            session.clear()  # a new session identity at sign-in (no fixation)
            session["sid"] = record.id
            session.permanent = True
            g.user_session = record
            login_user(result.user)
            return redirect(_safe_next(request.args.get("next")))
        db.session.commit()  # keep the failure count and its audit row
        error = result.error
        form.password.errors = [error or service.SIGN_IN_FAILED]
    return render_template("auth/sign_in.html", form=form, error=error)


@bp.route("/sign-out", methods=["POST"])
@any_signed_in
def sign_out() -> Response:
    record = g.get("user_session")
    if record is not None:
        service.end_session(record, "signed out")
        service._audit_auth(current_user, f"{current_user.name} signed out")
        db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/session/extend", methods=["POST"])
@any_signed_in
def extend_session() -> Response:
    """Called by the timeout warning (WCAG 2.2.1): touching the record restarts the idle timer."""
    record = g.user_session
    record.last_seen_at = clock.now()
    db.session.commit()
    return session_status()


@bp.route("/session/status")
@any_signed_in
def session_status() -> Response:
    record = g.user_session
    _ends, absolute = sessions.session_ends_at(record)
    return jsonify({"seconds_remaining": sessions.seconds_remaining(record), "absolute": absolute})
