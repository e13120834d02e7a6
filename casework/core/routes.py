from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    send_from_directory,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from casework.core.auth import any_signed_in, public

bp = Blueprint("core", __name__)

#: Each domain adds (role set, label, endpoint) entries for the dashboard's "Go to" list.
HOME_LINKS: list[tuple[tuple[str, ...], str, str]] = []


@bp.route("/")
@public
def index() -> Response:
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    return redirect(url_for("auth.sign_in"))


@bp.route("/home")
@any_signed_in
def home() -> str:
    links = [(label, url_for(endpoint)) for roles, label, endpoint in HOME_LINKS
             if str(current_user.role) in roles]
    return render_template("core/home.html", links=links)


@bp.route("/assets/<path:filename>")
@public
def assets(filename: str) -> Response:
    """GOV.UK and MOJ CSS refer to /assets/...: serve the vendored copies there."""
    vendor = Path(current_app.static_folder or "") / "vendor"
    for folder in (vendor / "govuk" / "assets", vendor / "moj" / "assets"):
        if (folder / filename).is_file():
            return send_from_directory(folder, filename, max_age=86400)
    abort(404)


@bp.route("/healthz")
@public
def health() -> tuple[str, int]:
    return "ok", 200


@bp.route("/accessibility")
@public
def accessibility() -> str:
    return render_template("core/accessibility.html")
