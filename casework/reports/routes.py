"""Report pages and their downloads. Filters and grouping live in the URL (GET forms)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from casework.cases.queries import unit_scope
from casework.core import clock, navigation
from casework.core.auth import roles_required
from casework.core.routes import HOME_LINKS
from casework.core.validation import ValidationError
from casework.extensions import db
from casework.reports import monthly, service
from casework.reports import subscriptions as monthly_service
from casework.reports.filters import ReportFilters, parse_filters
from casework.reports.periods import Grouping, Period, parse_month, parse_quarter, period_of, previous
from casework.reports.tables import display
from casework.units import queries as unit_queries

bp = Blueprint("reports", __name__, url_prefix="/reports")
REVIEW = "quarterly-review"
READERS = ("analyst", "admin", "lawyer", "offender_manager")
navigation.register("Reports", "reports.index", "/reports", READERS, 60)
HOME_LINKS.append((READERS, "Performance reports", "reports.index"))


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {"display": display, "error_list": error_list}


def error_list(errors: dict[str, list[str]]) -> list[dict[str, str]]:
    return [{"text": message, "href": f"#{field}"} for field, messages in errors.items()
            for message in messages]


@bp.route("")
@roles_required(*READERS)
def index() -> str:
    return render_template("reports/index.html", reports=list(service.REPORTS.values()))


def _filter_choices() -> dict[str, Any]:
    scope = unit_scope(current_user)
    units = [u for u in unit_queries.all_units() if scope is None or u.id in scope]
    return {"units": units, "crime_types": unit_queries.all_crime_types(),
            "groupings": list(Grouping)}


def _filters(slug: str, choices: dict[str, Any]) -> ReportFilters:
    args = dict(request.args)
    if slug == REVIEW:
        quarter = _review_quarter(args.get("quarter", ""), args.get("to", ""))
        args.update({"from": quarter.starts_on.isoformat(), "to": quarter.ends_on.isoformat(),
                     "group": Grouping.QUARTER.value})
    return parse_filters(args, today=clock.today(), unit_scope=unit_scope(current_user),
                         units=unit_queries.all_units(), crime_types=choices["crime_types"])


def _review_quarter(text: str, to: str) -> Period:
    """The chosen quarter (or the one containing ``to``, as download links carry), else the last
    complete one."""
    try:
        if text.strip():
            return parse_quarter(text)
        if to.strip():
            return period_of(dt.date.fromisoformat(to.strip()), Grouping.QUARTER)
    except ValueError as exc:
        raise ValidationError(quarter="Choose a financial quarter, for example 2026-27 Q3") from exc
    return previous(period_of(clock.today(), Grouping.QUARTER), Grouping.QUARTER)


def _quarters() -> list[Period]:
    """The last twelve complete quarters, newest first (the review's choices)."""
    quarter = period_of(clock.today(), Grouping.QUARTER)
    out = []
    for _ in range(12):
        quarter = previous(quarter, Grouping.QUARTER)
        out.append(quarter)
    return out


@bp.route("/monthly")
@roles_required(*READERS)
def monthly_index() -> str:
    return render_template("reports/monthly.html", reports=monthly_service.stored_reports(),
                           subscribed=monthly_service.is_subscribed(current_user))


@bp.route("/monthly/subscription", methods=["POST"])
@roles_required(*READERS)
def subscription() -> WerkzeugResponse:
    wanted = request.form.get("subscribe") == "yes"
    monthly_service.set_subscription(current_user, subscribed=wanted)
    db.session.commit()
    flash("You will be emailed the monthly report" if wanted
          else "You will no longer be emailed the monthly report", "success")
    return redirect(url_for("reports.monthly_index"))


@bp.route("/monthly/<month>")
@roles_required(*READERS)
def monthly_pdf(month: str) -> Response:
    """Administrators get the stored all-units PDF; everyone else a copy for their own units."""
    try:
        period = parse_month(month)
    except ValueError:
        abort(404)
    row = monthly.stored(period) or abort(404)
    scope = unit_scope(current_user)
    if scope is None:
        body, document = row.pdf, monthly.monthly_document(period)
    else:
        document = monthly.monthly_document(period, tuple(scope))
        body = service.render(document, "pdf")
    service.record_disclosure(document, fmt="pdf", actor=current_user)
    db.session.commit()
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{document.filename}.pdf"'})


@bp.route("/<slug>")
@roles_required(*READERS)
def show(slug: str) -> tuple[str, int] | str:
    kind = service.REPORTS.get(slug) or abort(404)
    choices = _filter_choices()
    if slug == REVIEW:
        choices["quarters"] = _quarters()
    try:
        filters = _filters(slug, choices)
    except ValidationError as exc:
        return render_template("reports/report.html", kind=kind, document=None, filters=None,
                               errors=exc.errors, args=request.args, **choices), 400
    return render_template("reports/report.html", kind=kind, document=kind.build(filters),
                           filters=filters, errors={}, args=request.args, **choices)


@bp.route("/<slug>/download.<fmt>")
@roles_required(*READERS)
def download(slug: str, fmt: str) -> Response:
    kind = service.REPORTS.get(slug) or abort(404)
    if fmt not in service.FORMATS:
        abort(404)
    try:
        filters = _filters(slug, _filter_choices())
    except ValidationError as exc:
        abort(400, exc.message)
    document = kind.build(filters)
    body = service.render(document, fmt)
    service.record_disclosure(document, fmt=fmt, actor=current_user)
    db.session.commit()
    mimetype, _label = service.FORMATS[fmt]
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{document.filename}.{fmt}"'})
