"""Open a case, the case page (summary, defendants, timeline, history), edit details, hearings."""

from __future__ import annotations

from typing import TypeVar

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from casework.audit import queries as audit_queries
from casework.cases import queries, service, timeline
from casework.cases.forms import CaseDetailsForm, HearingForm, OpenCaseForm
from casework.cases.routes import (
    CASE_PANELS,
    EDIT_ROLES,
    READ_ROLES,
    TIMELINE_SOURCES,
    bp,
    case_or_404,
    changes_since,
    form_version,
    latest_event_id,
    render_panels,
)
from casework.core import clock
from casework.core.auth import roles_required
from casework.core.forms import apply_service_errors
from casework.core.validation import ValidationError
from casework.extensions import db
from casework.units.models import CrimeType, Unit

M = TypeVar("M")


def _case_choices(form: CaseDetailsForm) -> None:
    form.crime_type.choices = [SelectChoice("", "Select a crime type")] + [
        SelectChoice(str(c.id), c.name) for c in queries.crime_types()]
    form.lead_lawyer.choices = [SelectChoice("", "No lead lawyer yet")] + [
        SelectChoice(str(u.id), u.name) for u in queries.lawyers_for(current_user)]
    if isinstance(form, OpenCaseForm):
        units = queries.units_for(current_user)
        form.unit.choices = [SelectChoice(str(u.id), u.name) for u in units]
        if len(units) > 1:
            form.unit.choices.insert(0, SelectChoice("", "Select a unit"))


def _lookup(model: type[M], value: str | None) -> M | None:
    return db.session.get(model, int(value)) if value and value.isdigit() else None


@bp.route("/cases/new", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def open_case() -> Response | str:
    form = OpenCaseForm()
    _case_choices(form)
    if request.method == "GET":
        form.lead_lawyer.data = str(current_user.id)
    if form.validate_on_submit():
        try:
            case = service.open_case(
                urn=form.urn.data or "", name=form.name.data or "",
                unit=_lookup(Unit, form.unit.data), crime_type=_lookup(CrimeType, form.crime_type.data),
                agency=form.agency.data, received_on=form.received_on.data,
                lead_lawyer=queries.lawyer_in_scope(current_user, form.lead_lawyer.data),
                actor=current_user)
            db.session.commit()
            flash(f"Case {case.urn} opened", "success")
            return redirect(url_for("cases.show", case_id=case.id))
        except ValidationError as err:
            apply_service_errors(form, err)
    return render_template("cases/form.html", form=form, title="Open a case",
                           back=url_for("cases.index"))


@bp.route("/cases/<int:case_id>")
@roles_required(*READ_ROLES)
def show(case_id: int) -> str:
    case = queries.case_with_everything(current_user, case_id)
    if case is None:
        abort(404)
    history = db.session.execute(audit_queries.case_history(case.id)).scalars().all()
    return render_template(
        "cases/show.html", case=case, history=history,
        timeline=timeline.build(case, clock.today(), TIMELINE_SOURCES),
        panels=render_panels(CASE_PANELS, case), can_edit=str(current_user.role) in EDIT_ROLES)


@bp.route("/cases/<int:case_id>/edit", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def edit(case_id: int) -> tuple[str, int] | Response:
    case = case_or_404(case_id)
    form = CaseDetailsForm()
    _case_choices(form)
    conflict = None
    if request.method == "GET":
        form.name.data, form.agency.data = case.name, case.agency
        form.crime_type.data, form.received_on.data = str(case.crime_type_id), case.received_on
        form.lead_lawyer.data = str(case.lead_lawyer_id or "")
        form.version.data, form.seen_event.data = str(case.version), str(latest_event_id(case.id))
    elif form.validate_on_submit():
        try:
            service.update_case(
                case, name=form.name.data or "", crime_type=_lookup(CrimeType, form.crime_type.data),
                agency=form.agency.data, received_on=form.received_on.data,
                lead_lawyer=queries.lawyer_in_scope(current_user, form.lead_lawyer.data),
                actor=current_user, version=form_version(form.version.data))
            db.session.commit()
            flash("Case details saved", "success")
            return redirect(url_for("cases.show", case_id=case.id))
        except ValidationError as err:
            apply_service_errors(form, err)
        except StaleDataError:
            conflict = _conflict(form, case.id, "case", case.id)
            case = case_or_404(case_id)
            form.version.data = str(case.version)
    return render_template("cases/form.html", form=form, title=f"Change case {case.urn}",
                           back=url_for("cases.show", case_id=case.id),
                           conflict=conflict), 409 if conflict is not None else 200


def _conflict(form: object, case_id: int, object_type: str, object_id: int) -> list[object]:
    """Someone saved first: show what they changed and let the user confirm theirs again."""
    db.session.rollback()
    events = changes_since(case_id, object_type, object_id, form.seen_event.data)  # type: ignore[attr-defined]
    form.seen_event.data = str(latest_event_id(case_id))  # type: ignore[attr-defined]
    return events  # type: ignore[return-value]


@bp.route("/cases/<int:case_id>/hearings/new", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def record_hearing(case_id: int) -> Response | str:
    case = case_or_404(case_id)
    form = HearingForm()
    form.defendant.choices = [SelectChoice("", "All defendants")] + [
        SelectChoice(str(d.id), d.full_name) for d in case.defendants]
    if form.validate_on_submit():
        defendant = next((d for d in case.defendants if str(d.id) == form.defendant.data), None)
        try:
            service.record_hearing(case, court=form.court.data or "", hearing_on=form.hearing_on.data,
                                   kind=form.kind.data or "", defendant=defendant,
                                   notes=form.notes.data, actor=current_user)
            db.session.commit()
            flash("Hearing recorded", "success")
            return redirect(url_for("cases.show", case_id=case.id))
        except ValidationError as err:
            apply_service_errors(form, err)
    return render_template("cases/form.html", form=form, title="Record a hearing", case=case,
                           back=url_for("cases.show", case_id=case.id))
