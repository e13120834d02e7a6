"""Error pages without tracebacks, JSON errors under /api, and CSRF failures that keep input."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from casework.extensions import db

log = logging.getLogger(__name__)

TITLES = {
    400: "Sorry, there is a problem with that request",
    401: "You need to sign in",
    403: "You do not have permission to do that",
    404: "Page not found",
    405: "That action is not allowed here",
    409: "Someone else changed this record",
    413: "That file is too large",
    422: "Sorry, there is a problem with what you sent",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
    503: "The service is busy",
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _render(code: int, message: str | None = None) -> tuple[Response | str, int]:
    if _wants_json():
        return jsonify({"error": TITLES.get(code, "Error"), "message": message}), code
    return render_template("errors/error.html", code=code, title=TITLES.get(code, "Error"),
                           message=message), code


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> tuple[Response | str, int]:
        code = exc.code or 500
        return _render(code, exc.description if code not in (404, 500) else None)

    @app.errorhandler(StaleDataError)
    def _stale(exc: StaleDataError) -> tuple[Response | str, int]:
        db.session.rollback()
        return _render(409, "Someone else saved a change to this record after you opened it. "
                            "Reload the page to see their change, then make yours again.")

    @app.errorhandler(OperationalError)
    def _busy(exc: OperationalError) -> tuple[Response | str, int] | Response:
        """SQLite answers "database is locked" when another process held the write lock for the
        whole busy timeout: nothing was saved, and sending again will work."""
        db.session.rollback()
        if "database is locked" not in str(exc):
            log.exception("Database error on %s %s", request.method, request.path)
            return _render(500)
        log.warning("Database busy on %s %s", request.method, request.path)
        body, code = _render(503, "Nothing was saved because the database was busy with other "
                                  "changes. Go back and send it again in a moment.")
        response = app.make_response((body, code))
        response.headers["Retry-After"] = "2"
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> tuple[Response | str, int]:
        log.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return _render(500)

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> tuple[Response | str, int]:
        """Nothing typed is lost: a signed-in user gets the same values back to send again."""
        from flask_login import current_user

        if (not _wants_json() and request.method == "POST" and request.form
                and current_user.is_authenticated):
            fields = [(k, v) for k, v in request.form.items(multi=True) if k != "csrf_token"]
            return render_template("errors/csrf.html", fields=fields, action=request.path), 400
        return _render(400, "Your form could not be sent because its security token was missing "
                            "or had expired. Go back, refresh the page and try again.")
