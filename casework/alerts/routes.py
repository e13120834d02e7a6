"""Inbox per user (acknowledge, resolve, email settings) and the administrators' alerts page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from casework.alerts import delivery, forms, jobs, mail, queries, service, sources
from casework.alerts.models import Alert, EmailMode
from casework.core import clock, navigation
from casework.core.auth import roles_required
from casework.core.pagination import CursorError, paginate
from casework.core.validation import ValidationError
from casework.extensions import db

bp = Blueprint("alerts", __name__)
navigation.register("Alerts", "alerts.inbox", "/alerts", ("lawyer", "offender_manager"), 15)
navigation.register("Alerts and email", "alerts.admin", "/admin/alerts", ("admin",), 88)
sources.load()  # connects the sources' signal receivers (recompute when dates change)
INBOX_ROLES = ("admin", "lawyer", "offender_manager")


def _load(alert_id: int) -> Alert:
    alert = queries.get_alert_for(current_user, alert_id)
    if alert is None:
        abort(404)
    return alert


@bp.route("/alerts")
@roles_required(*INBOX_ROLES)
def inbox() -> str:
    view = request.args.get("view", "open")
    view = view if view in queries.VIEWS else "open"
    mine = request.args.get("scope") != "unit" and not current_user.sees_all_units
    kind = request.args.get("kind") if request.args.get("kind") in sources.all_kinds() else None
    keys = queries.SOONEST_FIRST if view == "upcoming" else queries.NEWEST_DUE_FIRST
    stmt = queries.alerts_for(current_user, view=view, mine_only=mine, kind=kind, today=clock.today())
    try:
        page = paginate(stmt, keys, after=request.args.get("after"),
                        limit=current_app.config["PAGE_SIZE"], key_of=lambda a: [a.due_on, a.id])
    except CursorError as exc:
        abort(400, str(exc))
    return render_template("alerts/inbox.html", page=page, view=view, mine=mine, kind=kind,
                           kinds=sources.all_kinds(), views=queries.VIEWS)


def _act(alert_id: int, action: str) -> Response:
    alert = _load(alert_id)
    form = forms.ActionForm()
    if not form.validate_on_submit():
        flash(form.errors.get("note", ["The form has expired: try again"])[0], "error")
        return redirect(request.referrer or url_for("alerts.inbox"))
    try:
        if action == "acknowledge":
            service.acknowledge(alert, actor=current_user)
        else:
            service.resolve(alert, actor=current_user, note=form.note.data)
    except ValidationError as exc:
        flash(exc.errors["alert"][0], "error")
    else:
        db.session.commit()
        flash(f"Alert {'acknowledged' if action == 'acknowledge' else 'resolved'}", "success")
    return redirect(url_for("alerts.inbox", view=request.args.get("view", "open")))


@bp.route("/alerts/<int:alert_id>/acknowledge", methods=["POST"])
@roles_required(*INBOX_ROLES)
def acknowledge(alert_id: int) -> Response:
    return _act(alert_id, "acknowledge")


@bp.route("/alerts/<int:alert_id>/resolve", methods=["POST"])
@roles_required(*INBOX_ROLES)
def resolve(alert_id: int) -> Response:
    return _act(alert_id, "resolve")


@bp.route("/alerts/email-settings", methods=["GET", "POST"])
@roles_required(*INBOX_ROLES)
def email_settings() -> Response | str:
    form = forms.EmailSettingsForm(data={"email_mode": delivery.email_mode(current_user).value})
    if form.validate_on_submit():
        service.set_email_mode(current_user, mode=EmailMode(form.email_mode.data))
        db.session.commit()
        flash("Your alert email setting has been saved", "success")
        return redirect(url_for("alerts.inbox"))
    return render_template("alerts/email_settings.html", form=form)


@bp.route("/admin/alerts")
@roles_required("admin")
def admin() -> str:
    return render_template("alerts/admin.html", runs=jobs.recent_runs(30),
                           failed=mail.failed_emails(50), mail_configured=mail.mail_configured(),
                           totals=queries.status_totals())
