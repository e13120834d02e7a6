from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from casework.core import navigation
from casework.core.auth import roles_required
from casework.core.forms import apply_service_errors
from casework.core.validation import ValidationError
from casework.extensions import db
from casework.units import forms, queries, service
from casework.units.models import Unit

bp = Blueprint("units", __name__, url_prefix="/admin/units")
navigation.register("Units", "units.index", "/admin/units", ("admin",), 85)


def _load(unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        abort(404)
    return unit


@bp.route("")
@roles_required("admin")
def index() -> str:
    return render_template("units/index.html", units=queries.all_units(),
                           crime_types=queries.all_crime_types())


@bp.route("/new", methods=["GET", "POST"])
@roles_required("admin")
def new() -> Response | str:
    form = forms.UnitForm()
    if form.validate_on_submit():
        try:
            unit = service.create_unit(code=form.code.data or "", name=form.name.data or "",
                                       kind=form.kind.data or "", actor=current_user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Unit {unit.name} added", "success")
            return redirect(url_for("units.index"))
    return render_template("units/new.html", form=form)


@bp.route("/<int:unit_id>/rename", methods=["GET", "POST"])
@roles_required("admin")
def rename(unit_id: int) -> Response | str:
    unit = _load(unit_id)
    form = forms.RenameUnitForm(data={"name": unit.name})
    if form.validate_on_submit():
        try:
            service.rename_unit(unit, name=form.name.data or "", actor=current_user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Unit {unit.code} is now called {unit.name}", "success")
            return redirect(url_for("units.index"))
    return render_template("units/rename.html", form=form, unit=unit)


@bp.route("/<int:unit_id>/deactivate", methods=["POST"])
@roles_required("admin")
def deactivate(unit_id: int) -> Response:
    return _set_active(_load(unit_id), active=False)


@bp.route("/<int:unit_id>/reactivate", methods=["POST"])
@roles_required("admin")
def reactivate(unit_id: int) -> Response:
    return _set_active(_load(unit_id), active=True)


def _set_active(unit: Unit, *, active: bool) -> Response:
    try:
        service.set_unit_active(unit, active=active, actor=current_user)
    except ValidationError as exc:
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(f"{unit.name} {'reactivated' if active else 'deactivated'}", "success")
    return redirect(url_for("units.index"))
