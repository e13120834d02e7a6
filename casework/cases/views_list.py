"""The case list: search, filters kept in the URL, server-side sort and keyset pages."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, render_template, request
from flask_login import current_user

from casework.cases import queries
from casework.cases.routes import READ_ROLES, bp
from casework.cases.rules import CaseStage
from casework.core.auth import roles_required
from casework.core.pagination import CursorError
from casework.core.validation import has_control_chars


def _filters(mine: bool) -> queries.CaseFilters:
    # A value with NUL or another control character matches nothing (PostgreSQL refuses NUL).
    args = {k: v for k, v in request.args.items() if not has_control_chars(v)}
    sort = args.get("sort", queries.DEFAULT_SORT[0])
    if sort not in queries.SORTS:
        sort = queries.DEFAULT_SORT[0]
    direction = args.get("dir", "")
    if direction not in ("asc", "desc"):
        direction = "desc" if sort in ("received", "opened") else "asc"
    stage = args.get("stage", "")
    lawyer = args.get("lawyer", "")
    lawyer_id = int(lawyer) if lawyer.isascii() and lawyer.isdigit() and len(lawyer) < 10 else None
    return queries.CaseFilters(
        q=args.get("q", "").strip()[:100],
        unit=args.get("unit", "")[:40],
        crime_type=args.get("crime_type", "")[:40],
        stage=stage if stage in {s.value for s in CaseStage} else "",
        lawyer=current_user.id if mine else lawyer_id,
        sort=sort, dir=direction)


def _list(mine: bool) -> str:
    filters = _filters(mine)
    try:
        page = queries.case_list_page(current_user, filters, after=request.args.get("after"),
                                      limit=current_app.config["PAGE_SIZE"])
    except CursorError as exc:
        abort(400, str(exc))
    params: dict[str, Any] = {k: v for k, v in {
        "q": filters.q, "unit": filters.unit, "crime_type": filters.crime_type,
        "stage": filters.stage, "lawyer": None if mine else filters.lawyer,
    }.items() if v}
    return render_template(
        "cases/index.html", page=page, filters=filters, params=params, mine=mine,
        endpoint="cases.mine" if mine else "cases.index", first_page=not request.args.get("after"),
        units=queries.unit_choices(current_user), crime_types=queries.crime_type_choices(),
        lawyers=[] if mine else queries.lawyer_choices(current_user), stages=list(CaseStage))


@bp.route("/cases")
@roles_required(*READ_ROLES)
def index() -> str:
    return _list(mine=False)


@bp.route("/cases/mine")
@roles_required("lawyer")
def mine() -> str:
    """Cases where the signed-in lawyer is the lead lawyer."""
    return _list(mine=True)
