"""Web pages for the orders register: the register (filters, keyset pages, CSV export, bulk
reassignment), the "this week" dashboard and the order types' statutory information. The order
page and its forms are in ``routes_order.py`` (same blueprint).

Access: lawyers and offender managers of the order's unit record and edit orders (lawyers seek
them; offender managers manage them); administrators read every unit; analysts have no order
pages (403). An order outside the user's units is a 404.

Extension point: ``ORDER_PANELS`` (template, context function (order, user) -> dict | None)
pairs shown on the order page; the alerts domain adds its panel there (orders never imports it).
The panel template receives the returned dict as ``panel``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from casework.audit import service as audit
from casework.cases.routes import DEFENDANT_PANELS, TIMELINE_SOURCES
from casework.cases.timeline import Entry
from casework.core import clock, navigation
from casework.core.auth import any_signed_in, roles_required
from casework.core.pagination import CursorError, order_by
from casework.core.routes import HOME_LINKS
from casework.core.validation import ValidationError
from casework.extensions import db
from casework.orders import queries, rules, service
from casework.orders.export import csv_lines
from casework.orders.rules import RULES, OrderStatus, OrderType
from casework.units.queries import all_units

bp = Blueprint("orders", __name__)

READ_ROLES = ("lawyer", "offender_manager", "admin")
EDIT_ROLES = ("lawyer", "offender_manager")
EXPORT_LIMIT = 100_000

Panel = tuple[str, Callable[[Any, Any], dict[str, Any] | None]]
ORDER_PANELS: list[Panel] = []

navigation.register("Orders", "orders.register", "/orders", READ_ROLES, 20)
HOME_LINKS.append((("offender_manager",), "Orders needing action this week", "orders.this_week"))
HOME_LINKS.append((READ_ROLES, "Register of ancillary orders", "orders.register"))


def _defendant_panel(defendant: Any, user: Any) -> dict[str, Any] | None:
    return {"title": "Ancillary orders", "orders": queries.panel_orders(user, defendant.id),
            "today": clock.today(),
            "defendant": defendant, "can_edit": str(user.role) in EDIT_ROLES}


DEFENDANT_PANELS.append(("orders/_defendant_panel.html", _defendant_panel))


def _timeline(case: Any) -> list[Entry]:
    """Orders made, starting, ending and discharged, on the case timeline (one query)."""
    entries = []
    for order in queries.orders_for_case(case.id):
        name, href = f"{order.rule.short} ({order.defendant.full_name})", url_for(
            "orders.show", order_id=order.id)
        entries.append(Entry(order.made_on, f"{name} made", detail=order.court or "", kind="order",
                             href=href))
        if order.starts_on and order.starts_on != order.made_on:
            entries.append(Entry(order.starts_on, f"{name} comes into force", kind="order", href=href))
        if order.ends_on and not order.indefinite:
            entries.append(Entry(order.ends_on, f"{name} ends", kind="order", href=href))
        if order.discharged_on:
            entries.append(Entry(order.discharged_on, f"{name} discharged", kind="order", href=href))
    return entries


TIMELINE_SOURCES.append(_timeline)


def _filters() -> tuple[queries.RegisterFilter, Any]:
    f = queries.parse_filter(request.args)
    return f, queries.register(current_user, f, clock.today())


@bp.route("/orders")
@roles_required(*READ_ROLES)
def register() -> str:
    f = queries.parse_filter(request.args)
    try:
        page = queries.register_entries(current_user, f, clock.today(),
                                        after=request.args.get("after"),
                                        limit=current_app.config["PAGE_SIZE"])
    except CursorError as exc:
        abort(400, str(exc))
    page.items = [queries.entry_of(row) for row in page.items]
    return render_template(
        "orders/register.html", page=page, f=f, args=f.args(), types=list(OrderType),
        statuses=list(OrderStatus), units=all_units() if current_user.sees_all_units
        else current_user.units, managers=queries.manager_choices(current_user),
        today=clock.today(), can_edit=str(current_user.role) in EDIT_ROLES)


@bp.route("/orders/export.csv")
@roles_required(*READ_ROLES)
def export() -> Response:
    f, stmt = _filters()
    rows = db.session.execute(stmt.order_by(*order_by(queries.sort_keys(f))).limit(EXPORT_LIMIT))
    orders = list(rows.scalars())
    body = "".join(csv_lines(orders, clock.today()))
    audit.record("disclose", object_type="ancillary_order_register", object_id=None, actor=current_user,
                 summary=f"Register of ancillary orders exported to CSV ({len(orders)} orders)",
                 changes={"filters": f.args()})
    db.session.commit()
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=ancillary-orders-{clock.today():%Y-%m-%d}.csv"})


@bp.route("/orders/assign", methods=["POST"])
@roles_required(*EDIT_ROLES)
def assign() -> WerkzeugResponse:
    ids = [int(v) for v in request.form.getlist("order") if v.isdecimal() and len(v) < 10]
    orders = queries.orders_by_ids(current_user, ids)
    manager_id = request.form.get("offender_manager", "")
    managers = {str(m.id): m for m in queries.managers_for(current_user)}
    back = url_for("orders.register", **queries.parse_filter(request.form).args())  # type: ignore[arg-type]
    if manager_id and manager_id not in managers:
        flash("Choose an offender manager in your units", "error")
        return redirect(back)
    try:
        changed = service.assign_orders(orders, offender_manager=managers.get(manager_id),
                                        actor=current_user)
    except ValidationError as err:
        flash(err.message, "error")
        return redirect(back)
    db.session.commit()
    flash(f"{changed} order{'s' if changed != 1 else ''} reassigned", "success")
    return redirect(back)


@bp.route("/orders/this-week")
@roles_required(*READ_ROLES)
def this_week() -> str:
    mine = request.args.get("mine", "1" if str(current_user.role) == "offender_manager" else "") == "1"
    today = clock.today()
    return render_template("orders/this_week.html", board=queries.dashboard(current_user, today, mine=mine),
                           mine=mine, today=today, chase_days=rules.SERVICE_CHASE_DAYS)


@bp.route("/orders/types")
@any_signed_in
def types() -> str:
    return render_template("orders/types.html", rules=list(RULES.values()))


from casework.orders import routes_order  # noqa: E402,F401  (registers the order pages on bp)
