"""Restraint orders and the confiscation timetable: record and update (lawyers of the unit)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from casework.confiscation import queries, restraint
from casework.confiscation.forms import RestraintEventForm, RestraintForm, TimetableForm
from casework.confiscation.routes import EDIT_ROLES, bp, defendant_or_404, restraint_or_404
from casework.core.auth import roles_required
from casework.core.forms import apply_service_errors, form_version
from casework.core.validation import ValidationError
from casework.extensions import db


def v(field: Any) -> Any:
    """A validated field's value (typed loosely: the service checks it)."""
    return field.data


def _back(defendant_id: int) -> str:
    return url_for("confiscation.defendant_tab", defendant_id=defendant_id)


@bp.route("/defendants/<int:defendant_id>/restraint/new", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def new_restraint(defendant_id: int) -> Response | str:
    defendant = defendant_or_404(defendant_id)
    form = RestraintForm()
    if form.validate_on_submit():
        try:
            restraint.record_restraint(
                defendant, condition=v(form.condition) or "", applied_on=v(form.applied_on),
                made_on=v(form.made_on), court=v(form.court),
                next_report_due_on=v(form.next_report_due_on), notes=v(form.notes), actor=current_user)
            db.session.commit()
            flash("Restraint order recorded", "success")
            return redirect(_back(defendant.id))
        except ValidationError as err:
            apply_service_errors(form, err)
    return render_template("confiscation/form.html", form=form, title="Record a restraint order",
                           case=defendant.case, back=_back(defendant.id))


@bp.route("/restraint-orders/<int:restraint_id>/events/new", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def restraint_event(restraint_id: int) -> Response | str:
    order = restraint_or_404(restraint_id)
    form = RestraintEventForm(version=order.version)
    if form.validate_on_submit():
        try:
            restraint.record_restraint_event(
                order, kind=v(form.kind) or "", occurred_on=v(form.occurred_on),
                details=v(form.details),
                next_report_due_on=v(form.next_report_due_on), version=form_version(form.version.data),
                actor=current_user)
            db.session.commit()
            flash("Restraint order updated", "success")
            return redirect(_back(order.defendant_id))
        except ValidationError as err:
            apply_service_errors(form, err)
    return render_template("confiscation/form.html", form=form, title="Update the restraint order",
                           case=order.defendant.case, back=_back(order.defendant_id))


@bp.route("/defendants/<int:defendant_id>/confiscation/timetable", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def timetable(defendant_id: int) -> Response | str:
    defendant = defendant_or_404(defendant_id)
    current = queries.proceeding_for(defendant.id)
    form = TimetableForm(obj=current)
    if current is None and not form.is_submitted():
        form.convicted_on.data = defendant.finalised_on if defendant.is_convicted else None
    if current is not None and not form.is_submitted():
        form.lifestyle.data = "" if current.lifestyle is None else ("yes" if current.lifestyle else "no")
        form.lifestyle_basis.data = current.lifestyle_basis.value if current.lifestyle_basis else ""
    if form.validate_on_submit():
        try:
            restraint.set_timetable(defendant, **_timetable_values(form), actor=current_user,
                                    version=form_version(form.version.data))
            db.session.commit()
            flash("Confiscation timetable saved", "success")
            return redirect(_back(defendant.id))
        except ValidationError as err:
            apply_service_errors(form, err)
    return render_template("confiscation/form.html", form=form, title="Confiscation timetable",
                           case=defendant.case, back=_back(defendant.id))


def _timetable_values(form: TimetableForm) -> dict[str, Any]:
    names = ("convicted_on", "asked_on", "appeal_determined_on", "s16_due_on", "s16_served_on",
             "s17_due_on", "s17_served_on", "hearing_on")
    values: dict[str, Any] = {n: getattr(form, n).data for n in names}
    values["exceptional_circumstances"] = bool(form.exceptional_circumstances.data)
    values["lifestyle"] = {"yes": True, "no": False}.get(form.lifestyle.data or "")
    values["lifestyle_basis"] = form.lifestyle_basis.data or None
    return values
