"""Defendant pages: add a defendant, view one (audited consultation), charges, outcome, sentence."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from casework.audit import service as audit
from casework.cases import queries, service, timeline
from casework.cases.forms import (
    ChargeForm,
    DefendantForm,
    EditDefendantForm,
    OutcomeForm,
    SentenceForm,
)
from casework.cases.models import Defendant
from casework.cases.routes import (
    DEFENDANT_PANELS,
    EDIT_ROLES,
    READ_ROLES,
    bp,
    case_or_404,
    defendant_or_404,
    render_panels,
    versioned_edit,
)
from casework.cases.rules import Outcome
from casework.core import clock
from casework.core.auth import roles_required
from casework.core.db import commit_keeping_loaded
from casework.core.forms import apply_service_errors
from casework.core.validation import ValidationError
from casework.extensions import db


@bp.route("/cases/<int:case_id>/defendants/new", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def add_defendant(case_id: int) -> Response | str:
    case = case_or_404(case_id)
    form = DefendantForm()
    if form.validate_on_submit():
        try:
            defendant = service.add_defendant(
                case, surname=form.surname.data or "", forenames=form.forenames.data or "",
                date_of_birth=form.date_of_birth.data, pnc_id=form.pnc_id.data,
                aliases=(form.aliases.data or "").splitlines(), actor=current_user)
            db.session.commit()
            flash(f"{defendant.full_name} added to the case", "success")
            return redirect(url_for("cases.show", case_id=case.id))
        except ValidationError as err:
            apply_service_errors(form, err)
    return render_template("cases/form.html", form=form, title="Add a defendant", case=case,
                           back=url_for("cases.show", case_id=case.id))


@bp.route("/defendants/<int:defendant_id>")
@roles_required(*READ_ROLES)
def defendant(defendant_id: int) -> str:
    """Viewing a defendant's record is a consultation of personal data (DPA 2018 s.62)."""
    record = defendant_or_404(defendant_id)
    audit.record("consult", object_type="defendant", object_id=record.id, case_id=record.case_id,
                 actor=current_user, summary=f"{current_user.name} viewed the record of "
                                              f"{record.full_name}")
    commit_keeping_loaded(db.session())
    hearings = [h for h in record.case.hearings if h.defendant_id in (None, record.id)]
    entries = list(timeline.defendant_entries(record, clock.today()))
    entries += [e for h in hearings for e in timeline.hearing_entries(h, clock.today())]
    return render_template("cases/defendant.html", defendant=record, case=record.case,
                           hearings=hearings, panels=render_panels(DEFENDANT_PANELS, record),
                           timeline=sorted(entries, key=lambda e: e.on, reverse=True),
                           history=queries.defendant_history(record),
                           can_edit=str(current_user.role) in EDIT_ROLES)


@bp.route("/defendants/<int:defendant_id>/edit", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def edit_defendant(defendant_id: int) -> tuple[str, int] | Response:
    record = defendant_or_404(defendant_id)
    form = EditDefendantForm()
    if request.method == "GET":
        form.surname.data, form.forenames.data = record.surname, record.forenames
        form.date_of_birth.data, form.pnc_id.data = record.date_of_birth, record.pnc_id
        form.aliases.data = "\n".join(a.name for a in record.aliases)

    def save(version: int | None) -> None:
        service.update_defendant(record, surname=form.surname.data or "",
                                 forenames=form.forenames.data or "",
                                 date_of_birth=form.date_of_birth.data, pnc_id=form.pnc_id.data,
                                 aliases=(form.aliases.data or "").splitlines(), actor=current_user,
                                 version=version)

    return _edit(record, form, save, "Details")


@bp.route("/defendants/<int:defendant_id>/charges/new", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def add_charge(defendant_id: int) -> Response | str:
    record = defendant_or_404(defendant_id)
    form = ChargeForm()
    if form.validate_on_submit():
        try:
            service.add_charge(record, offence=form.offence.data or "", statute=form.statute.data or "",
                               section=form.section.data or "", charged_on=form.charged_on.data,
                               category=form.category.data or "", actor=current_user)
            db.session.commit()
            flash(f"Charge added for {record.full_name}", "success")
            return redirect(url_for("cases.defendant", defendant_id=record.id))
        except ValidationError as err:
            apply_service_errors(form, err)
    return render_template("cases/form.html", form=form, title=f"Add a charge: {record.full_name}",
                           case=record.case, back=url_for("cases.defendant", defendant_id=record.id))


def _edit(record: Defendant, form: Any, save: Any, what: str, **extra: Any
          ) -> tuple[str, int] | Response:
    url = url_for("cases.defendant", defendant_id=record.id)
    return versioned_edit(record, form, save, object_type="defendant", case_id=record.case_id,
                          reload=lambda: defendant_or_404(record.id),
                          title=f"{what}: {record.full_name}", done=url, back=url,
                          message=f"{what} saved for {record.full_name}", case=record.case, **extra)


@bp.route("/defendants/<int:defendant_id>/outcome", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def record_outcome(defendant_id: int) -> tuple[str, int] | Response:
    record = defendant_or_404(defendant_id)
    form = OutcomeForm()
    if request.method == "GET" and record.outcome:
        form.outcome.data, form.finalised_on.data = record.outcome.value, record.finalised_on
        form.principal_offence.data = record.principal_offence.value if record.principal_offence else ""

    def save(version: int | None) -> None:
        service.record_outcome(record, outcome=form.outcome.data or "",
                               finalised_on=form.finalised_on.data,
                               principal_offence=form.principal_offence.data or None,
                               actor=current_user, version=version)

    hints = {"outcome": {"items": [{"hint": {"text": o.hint}} for o in Outcome]}}
    return _edit(record, form, save, "Outcome", field_params=hints)


@bp.route("/defendants/<int:defendant_id>/sentence", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def record_sentence(defendant_id: int) -> tuple[str, int] | Response:
    record = defendant_or_404(defendant_id)
    form = SentenceForm()
    if request.method == "GET" and record.sentenced_on:
        form.sentenced_on.data, form.custody_months.data = record.sentenced_on, record.custody_months
        form.release_on.data = record.release_on
        form.release_is_actual.data = "actual" if record.release_is_actual else "expected"

    def save(version: int | None) -> None:
        service.record_sentence(record, sentenced_on=form.sentenced_on.data,
                                custody_months=form.custody_months.data,
                                release_on=form.release_on.data,
                                release_is_actual=form.release_is_actual.data == "actual",
                                actor=current_user, version=version)

    return _edit(record, form, save, "Sentence")

