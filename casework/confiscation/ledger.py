"""The payment ledger in SQL: inserts that cannot double up, and balances as SUMs.

Rows are only ever inserted. ``paid`` is ``SUM(amount)`` in the database. Balances with s.12
interest for any number of orders (lists, the CSV export, the API, the report) are one statement
(``balances_sql``); ``balance`` for one order runs the reference rule ``rules.compute_balance``
over the ledger's daily totals (three small queries whatever the number of payments).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from casework.confiscation import balances_sql, rules
from casework.confiscation.models import (
    ConfiscationOrder,
    JudgmentDebtRate,
    Payment,
    ReconsiderationApplication,
    ReconsiderationOutcome,
)
from casework.extensions import db


def pence_sum(column: Any) -> sa.ColumnElement[int]:
    """SUM in whole pence. PostgreSQL's NUMERIC sum is exact already; SQLite stores NUMERIC as a
    binary float, so summing integer pence keeps the total exact there too."""
    return sa.func.coalesce(sa.func.sum(sa.cast(sa.func.round(column * 100), sa.BigInteger)), 0)


def from_pence(pence: int | Decimal) -> Decimal:
    return (Decimal(int(pence)) / 100).quantize(rules.PENNY)


def lock_order(order_id: int) -> None:
    """Serialise ledger writes per order (PostgreSQL row lock; SQLite already has one writer), so
    the payment that clears the balance always sees the others and marks the order satisfied."""
    db.session.execute(sa.select(ConfiscationOrder.id).where(ConfiscationOrder.id == order_id)
                       .with_for_update())


def insert_once(entry: Payment) -> bool:
    """Insert inside a savepoint; False if a unique constraint (idempotency key, or a second
    reversal of one payment) says it already exists. Other integrity errors propagate."""
    try:
        with db.session.begin_nested():
            db.session.add(entry)
            db.session.flush()
    except sa.exc.IntegrityError as exc:
        text = str(exc.orig).lower()
        if "unique" in text or "duplicate" in text:
            return False
        raise
    return True


def payment_by_key(order_id: int, key: str | None) -> Payment | None:
    if key is None:
        return None
    return db.session.execute(sa.select(Payment).where(  # type: ignore[no-any-return]
        Payment.order_id == order_id, Payment.idempotency_key == key)).scalar_one_or_none()


def reversal_of(payment_id: int) -> Payment | None:
    return db.session.execute(sa.select(Payment).where(  # type: ignore[no-any-return]
        Payment.reverses_id == payment_id)).scalar_one_or_none()


def last_payment_on(order_id: int) -> dt.date | None:
    return db.session.execute(sa.select(sa.func.max(Payment.received_on)).where(  # type: ignore[no-any-return]
        Payment.order_id == order_id)).scalar_one()


def paid_total(order_id: int, as_of: dt.date | None = None) -> Decimal:
    stmt = sa.select(pence_sum(Payment.amount)).where(Payment.order_id == order_id)
    if as_of is not None:
        stmt = stmt.where(Payment.received_on <= as_of)
    return from_pence(db.session.execute(stmt).scalar_one())


def daily_totals(order_ids: Iterable[int], as_of: dt.date) -> dict[int, list[tuple[dt.date, Decimal]]]:
    """Per order, the ledger summed per day up to ``as_of`` (one GROUP BY for many orders)."""
    ids = list(order_ids)
    out: dict[int, list[tuple[dt.date, Decimal]]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = db.session.execute(
        sa.select(Payment.order_id, Payment.received_on, pence_sum(Payment.amount))
        .where(Payment.order_id.in_(ids), Payment.received_on <= as_of)
        .group_by(Payment.order_id, Payment.received_on).order_by(Payment.received_on))
    for order_id, day, total in rows:
        out[order_id].append((day, from_pence(total)))
    return out


def amount_changes(order_ids: Iterable[int]) -> dict[int, list[tuple[dt.date, Decimal]]]:
    """Granted reconsiderations that set a new amount, per order, by decision date."""
    ids = list(order_ids)
    out: dict[int, list[tuple[dt.date, Decimal]]] = {i: [] for i in ids}
    if not ids:
        return out
    R = ReconsiderationApplication
    rows = db.session.execute(
        sa.select(R.order_id, R.decided_on, R.new_amount)
        .where(R.order_id.in_(ids), R.outcome == ReconsiderationOutcome.GRANTED,
               R.new_amount.is_not(None), R.decided_on.is_not(None))
        .order_by(R.decided_on, R.id))
    for order_id, day, amount in rows:
        out[order_id].append((day, amount))  # type: ignore[arg-type]  # NOT NULL by the WHERE
    return out


def rates() -> list[rules.Rate]:
    return [rules.Rate(r.effective_from, r.percent) for r in db.session.execute(
        sa.select(JudgmentDebtRate).order_by(JudgmentDebtRate.effective_from)).scalars()]


def balances(orders: Iterable[ConfiscationOrder], as_of: dt.date) -> dict[int, rules.Balance]:
    """Balances (with s.12 interest) for many orders in one query, computed in SQL
    (``balances_sql``; the same figures as ``rules.compute_balance``, to the penny)."""
    orders = list(orders)
    if not orders:
        return {}
    params = {"balance_ids": [o.id for o in orders], "balance_as_of": as_of}
    try:
        rows = {r.order_id: r for r in db.session.execute(balances_sql.listed_statement(), params)}
        out = {o.id: _from_sql(rows.get(o.id), as_of) for o in orders}
    except (balances_sql.Inexact, sa.exc.OperationalError) as exc:
        if not overflowed(exc):
            raise
        return reference_balances(orders, as_of)
    return out


def reference_balances(orders: Iterable[ConfiscationOrder], as_of: dt.date) -> dict[int, rules.Balance]:
    """The same balances through ``rules.compute_balance`` (three queries, ledgers in Python):
    one order's page, and the fallback when SQLite's integers cannot stay exact."""
    orders = list(orders)
    ids = [o.id for o in orders]
    paid, changes, schedule = daily_totals(ids, as_of), amount_changes(ids), rates()
    return {o.id: _balance(o, as_of, paid[o.id], changes[o.id], schedule) for o in orders}


def balance(order: ConfiscationOrder, as_of: dt.date) -> rules.Balance:
    return reference_balances([order], as_of)[order.id]


def overflowed(exc: Exception) -> bool:
    """SQLite's 64-bit arithmetic could not hold the exact interest (see ``balances_sql``)."""
    return isinstance(exc, balances_sql.Inexact) or "integer overflow" in str(exc).lower()


def _from_sql(row: Any, as_of: dt.date) -> rules.Balance:
    if row is None:  # nothing dated on or before as_of: not made yet
        return rules.Balance(as_of, rules.ZERO, rules.ZERO, rules.ZERO, rules.ZERO, rules.ZERO)
    if row.unrated_from is not None:
        raise balances_sql.no_rate(row.unrated_from)
    amount, paid = from_pence(row.amount_pence), from_pence(row.paid_pence)
    interest = from_pence(balances_sql.exact_pence(row.interest_pence))
    return rules.Balance(as_of, amount, paid, interest, max(amount - paid, rules.ZERO),
                         amount + interest - paid)


def _balance(order: ConfiscationOrder, as_of: dt.date, paid: list[tuple[dt.date, Decimal]],
             changes: list[tuple[dt.date, Decimal]], schedule: list[rules.Rate]) -> rules.Balance:
    windows = rules.interest_free_windows(
        made_on=order.made_on, extension_applied_on=order.extension_applied_on,
        extension_decided_on=order.extension_decided_on)
    amounts = [(order.made_on, order.original_amount), *changes]
    return rules.compute_balance(amounts=amounts, due_on=order.effective_due_on, payments=paid,
                                 rates=schedule, as_of=as_of, interest_free=windows)
