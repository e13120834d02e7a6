"""The peer for the order register: a Flask-Admin 2.x ``ModelView`` list over the same table.

A separate minimal Flask app on the same database and models. Like for like with the register
page as the benchmark calls it (``/orders?type=scpo`` for an offender manager): the same rows
(the manager's units, SCPOs, not discharged or ended), 50 per page, soonest end date first,
with the same columns (order, defendant, URN, unit, starts, ends, offender manager).

The case behind each defendant (for the URN) is loaded in the list's own statement, as a
Flask-Admin user would configure it: left to its default, the ``defendant.case.urn`` column
lazy-loaded one case per row (about 50 statements a page), which measured Flask-Admin's N+1
rather than Flask-Admin. Only the case's id and URN are joined, as the register's own order
loader does: the case's default joined loaders (unit, crime type, lead lawyer) nest a join
that SQLite materialises for every case (194 ms at national size).
"""

from __future__ import annotations

from typing import Any

from flask import Flask


def peer_app(url: str, secret: str, unit_ids: list[int]) -> Flask:
    from flask_admin import Admin
    from flask_admin.contrib.sqla import ModelView
    from sqlalchemy.orm import joinedload

    from casework.cases.models import Case, Defendant
    from casework.config import normalise_db_url
    from casework.core import clock
    from casework.core.templating import format_uk_date
    from casework.extensions import db
    from casework.orders.models import AncillaryOrder
    from casework.orders.queries import LIVE, status_clause
    from casework.orders.rules import OrderType

    app = Flask("casework_admin_peer")
    app.config.update(SQLALCHEMY_DATABASE_URI=normalise_db_url(url), SECRET_KEY=secret,
                      SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True})
    db.init_app(app)

    def live(query: Any) -> Any:
        return query.filter(AncillaryOrder.unit_id.in_(unit_ids),
                            AncillaryOrder.type == OrderType.SCPO,
                            status_clause(LIVE, clock.today()))

    class OrderList(ModelView):  # type: ignore[misc]
        can_create = can_edit = can_delete = False
        page_size = 50
        can_set_page_size = False
        column_list = ("id", "type", "defendant", "defendant.case.urn", "unit", "starts_on",
                       "ends_on", "offender_manager")
        column_default_sort = [("ends_on", False), ("id", False)]
        # Shown as the register shows them (names, GOV.UK dates), not as reprs and ISO dates.
        column_formatters = {
            "defendant": lambda v, c, m, p: m.defendant.full_name,
            "unit": lambda v, c, m, p: m.unit.name,
            "starts_on": lambda v, c, m, p: format_uk_date(m.starts_on) if m.starts_on else "On release",
            "ends_on": lambda v, c, m, p: format_uk_date(m.ends_on) if m.ends_on else "Not set",
            "offender_manager": lambda v, c, m, p: (m.offender_manager.name if m.offender_manager
                                                    else "Not assigned"),
        }

        def get_query(self) -> Any:
            case = joinedload(AncillaryOrder.defendant).joinedload(Defendant.case)
            return live(super().get_query()).options(
                case.load_only(Case.id, Case.urn), case.lazyload("*"))

        def get_count_query(self) -> Any:
            return live(super().get_count_query())

    admin = Admin(app, name="Orders")
    admin.add_view(OrderList(AncillaryOrder, db.session, endpoint="orders", url="/admin/orders"))
    return app
