"""Reads for restraint and confiscation, always through the user's unit scope (a record outside
it is not found: the route answers 404). Lists aggregate in SQL."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from casework.auth.models import User
from casework.cases.models import Case, Defendant
from casework.cases.queries import unit_scope
from casework.confiscation.ledger import pence_sum
from casework.confiscation.models import (
    ConfiscationOrder,
    ConfiscationProceeding,
    EnforcementStep,
    OrderStatus,
    Payment,
    ReconsiderationApplication,
    RestraintOrder,
    RestraintStatus,
)
from casework.core.pagination import SortKey
from casework.extensions import db


def _scoped(stmt: sa.Select[Any], column: Any, user: User) -> sa.Select[Any]:
    scope = unit_scope(user)
    return stmt if scope is None else stmt.where(column.in_(scope))


def visible_orders(user: User) -> sa.Select[Any]:
    return _scoped(sa.select(ConfiscationOrder), ConfiscationOrder.unit_id, user)


def get_order_for(user: User, order_id: int) -> ConfiscationOrder | None:
    return db.session.execute(  # type: ignore[no-any-return]
        visible_orders(user).where(ConfiscationOrder.id == order_id)).scalar_one_or_none()


def get_restraint_for(user: User, restraint_id: int) -> RestraintOrder | None:
    stmt = _scoped(sa.select(RestraintOrder), RestraintOrder.unit_id, user)
    return db.session.execute(  # type: ignore[no-any-return]
        stmt.where(RestraintOrder.id == restraint_id)).scalar_one_or_none()


def get_payment_for(user: User, order: ConfiscationOrder, payment_id: int) -> Payment | None:
    return db.session.execute(sa.select(Payment).where(  # type: ignore[no-any-return]
        Payment.id == payment_id, Payment.order_id == order.id)).scalar_one_or_none()


def visible_restraints(user: User) -> sa.Select[Any]:
    return _scoped(sa.select(RestraintOrder), RestraintOrder.unit_id, user)


# The defendant's records, by statements built once (building and keying them on every request
# cost more than running them).
_BY_DEFENDANT: sa.BindParameter[int] = sa.bindparam("defendant_id")
_RESTRAINTS_FOR = (sa.select(RestraintOrder).where(RestraintOrder.defendant_id == _BY_DEFENDANT)
                   .options(selectinload(RestraintOrder.events))
                   .order_by(RestraintOrder.applied_on, RestraintOrder.id))
_ORDERS_FOR = (sa.select(ConfiscationOrder).where(ConfiscationOrder.defendant_id == _BY_DEFENDANT)
               .order_by(ConfiscationOrder.made_on, ConfiscationOrder.id))
_PROCEEDING_FOR = sa.select(ConfiscationProceeding).where(
    ConfiscationProceeding.defendant_id == _BY_DEFENDANT)
_STEPS_BY_ORDER = (sa.select(EnforcementStep)
                   .where(EnforcementStep.order_id.in_(sa.bindparam("order_ids", expanding=True)))
                   .order_by(EnforcementStep.taken_on, EnforcementStep.id))


def restraints_for(defendant_id: int) -> list[RestraintOrder]:
    """The defendant's restraint orders with their events (the stage map reads them all)."""
    return list(db.session.execute(_RESTRAINTS_FOR, {"defendant_id": defendant_id}).scalars())


def orders_for(defendant_id: int) -> list[ConfiscationOrder]:
    return list(db.session.execute(_ORDERS_FOR, {"defendant_id": defendant_id}).scalars())


def restraints_for_case(case_id: int) -> list[RestraintOrder]:
    return list(db.session.execute(sa.select(RestraintOrder).where(RestraintOrder.case_id == case_id)
                                   .order_by(RestraintOrder.id)).scalars())


def orders_for_case(case_id: int) -> list[ConfiscationOrder]:
    return list(db.session.execute(sa.select(ConfiscationOrder).where(ConfiscationOrder.case_id == case_id)
                                   .order_by(ConfiscationOrder.id)).scalars())


def proceeding_for(defendant_id: int) -> ConfiscationProceeding | None:
    return db.session.execute(  # type: ignore[no-any-return]
        _PROCEEDING_FOR, {"defendant_id": defendant_id}).scalar_one_or_none()


def ledger_entries(order_id: int) -> list[Payment]:
    return list(db.session.execute(sa.select(Payment).where(Payment.order_id == order_id)
                                   .order_by(Payment.received_on, Payment.id)).scalars())


def reversed_ids(order_id: int) -> set[int]:
    rows = db.session.execute(sa.select(Payment.reverses_id).where(
        Payment.order_id == order_id, Payment.reverses_id.is_not(None))).scalars()
    return {r for r in rows if r is not None}


def enforcement_steps(order_id: int) -> list[EnforcementStep]:
    return list(db.session.execute(sa.select(EnforcementStep).where(EnforcementStep.order_id == order_id)
                                   .order_by(EnforcementStep.taken_on, EnforcementStep.id)).scalars())


def enforcement_steps_by_order(order_ids: list[int]) -> dict[int, list[EnforcementStep]]:
    """Each order's enforcement steps, for many orders in one query."""
    out: dict[int, list[EnforcementStep]] = {i: [] for i in order_ids}
    if order_ids:
        for step in db.session.execute(_STEPS_BY_ORDER, {"order_ids": order_ids}).scalars():
            out[step.order_id].append(step)
    return out


def reconsiderations(order_id: int) -> list[ReconsiderationApplication]:
    R = ReconsiderationApplication
    return list(db.session.execute(sa.select(R).where(R.order_id == order_id)
                                   .order_by(R.applied_on, R.id)).scalars())


def restraint_needs_discharge(defendant_id: int) -> bool:
    """A restraint order still in force although every confiscation order against the defendant
    is satisfied: apply to discharge it (POCA s.85(5)(a); alert A15)."""
    statuses = set(db.session.execute(sa.select(ConfiscationOrder.status).where(
        ConfiscationOrder.defendant_id == defendant_id)).scalars())
    if not statuses or OrderStatus.LIVE in statuses:
        return False
    return db.session.execute(sa.select(RestraintOrder.id).where(
        RestraintOrder.defendant_id == defendant_id,
        RestraintOrder.status == RestraintStatus.MADE).limit(1)).first() is not None


def needs_discharge(orders: list[ConfiscationOrder], restraints: list[RestraintOrder]) -> bool:
    """``restraint_needs_discharge`` from every confiscation and restraint order of the defendant,
    already loaded (the defendant page has them)."""
    statuses = {o.status for o in orders}
    if not statuses or OrderStatus.LIVE in statuses:
        return False
    return any(r.status == RestraintStatus.MADE for r in restraints)


# --- the unit-wide list of live orders ---------------------------------------------------------

def paid_pence(order: Any = ConfiscationOrder) -> Any:
    """SUM of one order's ledger, correlated to the order row: an index-only range of
    ix_confiscation_payments_order_received per order in scope, where a grouped subquery would
    sum the whole national ledger on every page."""
    return (sa.select(pence_sum(Payment.amount)).where(Payment.order_id == order.id)
            .correlate(order).scalar_subquery())


def live_orders(user: User, *, unit_id: int | None = None) -> tuple[sa.Select[Any], dict[str, Any]]:
    """Live orders with the principal still unpaid (amount - SUM(ledger), in SQL), one row per
    order with its defendant and case. Returns the statement and the sortable columns."""
    paid = paid_pence()
    outstanding_pence = sa.cast(sa.func.round(ConfiscationOrder.amount * 100), sa.BigInteger) - paid
    stmt = (sa.select(ConfiscationOrder, Defendant, Case, paid.label("paid_pence"),
                      outstanding_pence.label("outstanding_pence"))
            .join(Defendant, Defendant.id == ConfiscationOrder.defendant_id)
            .join(Case, Case.id == ConfiscationOrder.case_id)
            .where(ConfiscationOrder.status == OrderStatus.LIVE))
    stmt = _scoped(stmt, ConfiscationOrder.unit_id, user)
    if unit_id is not None:
        stmt = stmt.where(ConfiscationOrder.unit_id == unit_id)
    columns = {"outstanding": (outstanding_pence, "int"), "amount": (ConfiscationOrder.amount, "decimal"),
               "made_on": (ConfiscationOrder.made_on, "date"), "due_on": (ConfiscationOrder.due_on, "date"),
               "defendant": (Defendant.surname, "str")}
    return stmt, columns


SORTS = {"outstanding": True, "amount": True, "made_on": True, "due_on": False, "defendant": False}


def sort_keys(columns: dict[str, Any], sort: str, descending: bool | None = None) -> list[SortKey]:
    column, kind = columns[sort]
    desc = SORTS[sort] if descending is None else descending
    return [SortKey(column, descending=desc, kind=kind),
            SortKey(ConfiscationOrder.id, descending=desc, kind="int")]
