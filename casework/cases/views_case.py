"""Open a case, the case page (summary, defendants, timeline, history), edit details, hearings."""

from __future__ import annotations

from typing import TypeVar

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from casework.audit import queries as audit_queries
from casework.audit import service as audit
from casework.cases import queries, service, timeline
from casework.cases.forms import CaseDetailsForm, EditHearingForm, HearingForm, OpenCaseForm
from casework.cases.models import Case, Defendant
from casework.cases.routes import (
    CASE_PANELS,
    EDIT_ROLES,
    READ_ROLES,
    TIMELINE_SOURCES,
    bp,
    case_or_404,
    render_panels,
    versioned_edit,
)
from casework.core import clock
from casework.core.auth import roles_required
from casework.core.db import commit_keeping_loaded
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
    """The case with its defendants, timeline and history: a consultation of the personal data
    on it (DPA 2018 s.62), audited once per view."""
    case = queries.case_with_everything(current_user, case_id)
    if case is None:
        abort(404)
    audit.record("consult", object_type="case", object_id=case.id, case_id=case.id, actor=current_user,
                 summary=f"{current_user.name} viewed case {case.urn}")
    commit_keeping_loaded(db.session())
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
    if request.method == "GET":
        form.name.data, form.agency.data = case.name, case.agency
        form.crime_type.data, form.received_on.data = str(case.crime_type_id), case.received_on
        form.lead_lawyer.data = str(case.lead_lawyer_id or "")

    def save(version: int | None) -> None:
        service.update_case(
            case, name=form.name.data or "", crime_type=_lookup(CrimeType, form.crime_type.data),
            agency=form.agency.data, received_on=form.received_on.data,
            lead_lawyer=queries.lawyer_in_scope(current_user, form.lead_lawyer.data),
            actor=current_user, version=version)

    url = url_for("cases.show", case_id=case.id)
    return versioned_edit(case, form, save, object_type="case", case_id=case.id,
                          reload=lambda: case_or_404(case_id), title=f"Change case {case.urn}",
                          done=url, back=url, message="Case details saved")


def _defendant_choices(form: HearingForm, case: Case) -> None:
    form.defendant.choices = [SelectChoice("", "All defendants")] + [
        SelectChoice(str(d.id), d.full_name) for d in case.defendants]


def _chosen_defendant(form: HearingForm, case: Case) -> Defendant | None:
    return next((d for d in case.defendants if str(d.id) == form.defendant.data), None)


@bp.route("/cases/<int:case_id>/hearings/new", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def record_hearing(case_id: int) -> Response | str:
    case = case_or_404(case_id)
    form = HearingForm()
    _defendant_choices(form, case)
    if form.validate_on_submit():
        try:
            service.record_hearing(case, court=form.court.data or "", hearing_on=form.hearing_on.data,
                                   kind=form.kind.data or "", defendant=_chosen_defendant(form, case),
                                   notes=form.notes.data, actor=current_user)
            db.session.commit()
            flash("Hearing recorded", "success")
            return redirect(url_for("cases.show", case_id=case.id))
        except ValidationError as err:
            apply_service_errors(form, err)
    return render_template("cases/form.html", form=form, title="Record a hearing", case=case,
                           back=url_for("cases.show", case_id=case.id))


@bp.route("/hearings/<int:hearing_id>/edit", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def edit_hearing(hearing_id: int) -> tuple[str, int] | Response:
    hearing = queries.get_hearing_for(current_user, hearing_id) or abort(404)
    case = hearing.case
    form = EditHearingForm()
    _defendant_choices(form, case)
    if request.method == "GET":
        form.court.data, form.hearing_on.data = hearing.court, hearing.hearing_on
        form.kind.data, form.notes.data = hearing.kind.value, hearing.notes
        form.defendant.data = str(hearing.defendant_id or "")

    def save(version: int | None) -> None:
        service.update_hearing(hearing, court=form.court.data or "", hearing_on=form.hearing_on.data,
                               kind=form.kind.data or "", defendant=_chosen_defendant(form, case),
                               notes=form.notes.data, actor=current_user, version=version)

    url = url_for("cases.show", case_id=case.id)
    return versioned_edit(
        hearing, form, save, object_type="hearing", case_id=case.id,
        reload=lambda: queries.get_hearing_for(current_user, hearing_id) or abort(404),
        title="Change a hearing", done=url, back=url, message="Hearing saved", case=case)
