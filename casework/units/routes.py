from __future__ import annotations

from flask import Blueprint, render_template

from casework.core.auth import roles_required
from casework.units import queries

bp = Blueprint("units", __name__, url_prefix="/admin/units")


@bp.route("")
@roles_required("admin")
def index() -> str:
    return render_template("units/index.html", units=queries.all_units(),
                           crime_types=queries.all_crime_types())
