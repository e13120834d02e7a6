"""Confiscation pages: the defendant's confiscation tab (stage map, restraint, timetable, orders),
the unit-wide list of live orders with CSV export, and the defendant-page panel.

Access: lawyers of the unit record and edit; offender managers and administrators read;
analysts 403; a record outside the user's units 404. Order and restraint forms live in
``views_orders.py`` and ``views_restraint.py`` on the same blueprint.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_login import current_user

from casework.audit import service as audit
from casework.cases.models import Defendant
from casework.cases.queries import get_defendant_for
from casework.cases.routes import DEFENDANT_PANELS, TIMELINE_SOURCES
from casework.cases.timeline import Entry
from casework.confiscation import ledger, queries
from casework.confiscation.models import ConfiscationOrder, RestraintOrder
from casework.confiscation.stages import stage_map
from casework.core import clock, navigation
from casework.core.auth import roles_required
from casework.core.money import format_gbp
from casework.core.pagination import CursorError, paginate
from casework.core.templating import format_uk_date
from casework.extensions import db

bp = Blueprint("confiscation", __name__)

READ_ROLES = ("lawyer", "offender_manager", "admin")
EDIT_ROLES = ("lawyer",)

navigation.register("Confiscation", "confiscation.index", "/confiscation", READ_ROLES, 30)


def defendant_or_404(defendant_id: int) -> Defendant:
    record = get_defendant_for(current_user, defendant_id)
    if record is None:
        abort(404)
    return record


def order_or_404(order_id: int) -> ConfiscationOrder:
    order = queries.get_order_for(current_user, order_id)
    if order is None:
        abort(404)
    return order


def restraint_or_404(restraint_id: int) -> RestraintOrder:
    record = queries.get_restraint_for(current_user, restraint_id)
    if record is None:
        abort(404)
    return record


def can_edit() -> bool:
    return str(current_user.role) in EDIT_ROLES


def defendant_context(defendant: Defendant) -> dict[str, Any]:
    today = clock.today()
    restraints = queries.restraints_for(defendant.id)
    orders = queries.orders_for(defendant.id)
    balances = ledger.balances(orders, today)
    proceeding = queries.proceeding_for(defendant.id)
    steps = queries.enforcement_steps_by_order([o.id for o in orders])
    rows = [(o, steps[o.id], balances[o.id].outstanding > 0) for o in orders]
    return {"title": "Confiscation", "defendant": defendant, "restraints": restraints, "orders": orders,
            "balances": balances, "proceeding": proceeding, "today": today,
            "discharge_restraint": queries.needs_discharge(orders, restraints),
            "stages": stage_map(restraints=restraints, proceeding=proceeding, orders=rows, today=today)}


def _panel(defendant: Defendant, user: Any) -> dict[str, Any] | None:
    """The summary on the defendant page (cases' DEFENDANT_PANELS extension point)."""
    context = defendant_context(defendant)
    context["can_edit"] = str(user.role) in EDIT_ROLES
    return context


DEFENDANT_PANELS.append(("confiscation/_defendant_panel.html", _panel))


def _timeline(case: Any) -> list[Entry]:
    """Restraint and confiscation milestones on the case timeline (two queries per case)."""
    names = {d.id: d.full_name for d in case.defendants}
    entries = []
    for r in queries.restraints_for_case(case.id):
        href = url_for("confiscation.defendant_tab", defendant_id=r.defendant_id)
        who = names.get(r.defendant_id, "")
        if r.made_on:
            entries.append(Entry(r.made_on, f"Restraint order made against {who}", kind="restraint",
                                 href=href))
        if r.discharged_on:
            entries.append(Entry(r.discharged_on, f"Restraint order against {who} discharged",
                                 kind="restraint", href=href))
    for o in queries.orders_for_case(case.id):
        href = url_for("confiscation.order", order_id=o.id)
        who = names.get(o.defendant_id, "")
        amount = format_gbp(o.original_amount)
        entries.append(Entry(o.made_on, f"Confiscation order of {amount} against {who}",
                             detail=f"Payment due {format_uk_date(o.effective_due_on)}",
                             kind="confiscation", href=href))
        if o.satisfied_on:
            entries.append(Entry(o.satisfied_on, f"Confiscation order against {who} satisfied",
                                 kind="confiscation", href=href))
    return entries


TIMELINE_SOURCES.append(_timeline)


@bp.route("/defendants/<int:defendant_id>/confiscation")
@roles_required(*READ_ROLES)
def defendant_tab(defendant_id: int) -> str:
    """The confiscation tab: stage map, restraint, timetable, orders and balances."""
    defendant = defendant_or_404(defendant_id)
    audit.record("consult", object_type="defendant", object_id=defendant.id, case_id=defendant.case_id,
                 actor=current_user, summary=f"{current_user.name} viewed the confiscation record of "
                                              f"{defendant.full_name}")
    db.session.commit()
    return render_template("confiscation/defendant.html", case=defendant.case, can_edit=can_edit(),
                           **defendant_context(defendant))


def _list_args() -> tuple[str, bool]:
    sort = request.args.get("sort", "outstanding")
    if sort not in queries.SORTS:
        sort = "outstanding"
    order = request.args.get("order")
    descending = queries.SORTS[sort] if order not in ("asc", "desc") else order == "desc"
    return sort, descending


@bp.route("/confiscation")
@roles_required(*READ_ROLES)
def index() -> str:
    """Live confiscation orders with outstanding balances across the user's units."""
    sort, descending = _list_args()
    stmt, columns = queries.live_orders(current_user)
    keys = queries.sort_keys(columns, sort, descending)
    column_index = {"outstanding": 4, "amount": 0, "made_on": 0, "due_on": 0, "defendant": 1}
    try:
        page = paginate(stmt, keys, after=request.args.get("after"), limit=current_app.config["PAGE_SIZE"],
                        scalars=False, key_of=lambda r: [_sort_value(r, sort, column_index), r[0].id])
    except CursorError as exc:
        abort(400, str(exc))
    balances = ledger.balances([r[0] for r in page.items], clock.today())
    return render_template("confiscation/index.html", page=page, balances=balances, sort=sort,
                           descending=descending)


def _sort_value(row: Any, sort: str, index: dict[str, int]) -> Any:
    if sort == "outstanding":
        return row[4]
    if sort == "defendant":
        return row[1].surname
    return getattr(row[0], sort)


@bp.route("/confiscation/export.csv")
@roles_required(*READ_ROLES)
def export() -> Response:
    """Every live order in scope as CSV (a disclosure: audited; cells escaped against formulae)."""
    stmt, columns = queries.live_orders(current_user)
    rows = db.session.execute(stmt.order_by(*[k.column.desc() for k in queries.sort_keys(
        columns, "outstanding")])).all()
    balances = ledger.balances([r[0] for r in rows], clock.today())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Order", "URN", "Defendant", "Made on", "Due on", "Amount", "Paid", "Interest",
                     "Outstanding", "Default term (months)"])
    for order, defendant, case, _paid, _out in rows:
        b = balances[order.id]
        values = (order.id, case.urn, defendant.full_name, order.made_on.isoformat(),
                  order.effective_due_on.isoformat(), f"{b.amount:.2f}", f"{b.paid:.2f}",
                  f"{b.interest:.2f}", f"{b.outstanding:.2f}", order.default_term_months)
        writer.writerow([_cell(v) for v in values])
    audit.record("disclose", object_type="confiscation_export", object_id=None, actor=current_user,
                 summary=f"{current_user.name} exported {len(rows)} live confiscation orders as CSV")
    db.session.commit()
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=confiscation-orders-{clock.today().isoformat()}.csv"})


def _cell(value: Any) -> Any:
    """Spreadsheet formula injection: prefix text starting with = + - @ (or tab/CR) with a quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") \
            and not value.lstrip("-").replace(".", "", 1).isdigit():
        return "'" + value
    return value


def money(value: Any) -> str:
    return format_gbp(value)


from casework.confiscation import views_orders, views_restraint  # noqa: E402,F401  (routes on bp)
