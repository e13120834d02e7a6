"""Two real processes post payments against one order at the same moment: nothing is lost, and
the same Idempotency-Key from two processes still makes one row. Runs in a database of its own
(committed rows cannot be rolled back, and the ledger refuses DELETE)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from tests.conftest import make_app, migrate, reset_database

D = dt.date
SECOND_OCTOBER = D(2025, 10, 2)


def _own_database(tmp_dir: Path) -> str:
    url = os.environ.get("CASEWORK_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir / 'payments-race.db'}"
    base, _, name = url.rpartition("/")
    own = f"{name}_payrace"
    from casework.config import normalise_db_url

    engine = sa.create_engine(normalise_db_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{own}"')
    engine.dispose()
    return f"{base}/{own}"


def _setup(url: str) -> int:
    from casework.core import clock
    from casework.extensions import db
    from tests import factories

    app = make_app(url)
    migrate(app)
    with app.app_context(), clock.frozen(D(2026, 6, 1)):
        users = factories.standard_users()
        defendant = factories.convicted_defendant(finalised_on=D(2025, 9, 1), actor=users.lawyer)
        order = factories.confiscation_order(defendant, actor=users.lawyer)
        db.session.commit()
        return order.id  # type: ignore[no-any-return]


def _pay(url: str, order_id: int, amount: str, key: str, barrier: object, results: object,
         received_on: dt.date = SECOND_OCTOBER) -> None:
    from casework.confiscation import service
    from casework.confiscation.models import ConfiscationOrder
    from casework.confiscation.transactions import commit_with_retry
    from casework.core import clock
    from casework.extensions import db

    app = make_app(url)
    with app.app_context(), clock.frozen(D(2026, 6, 1)):
        order = db.session.get(ConfiscationOrder, order_id)  # read before the race starts
        # End the read transaction before waiting: on SQLite every transaction holds the write
        # lock from BEGIN (IMMEDIATE), so waiting inside one would only test the barrier.
        db.session.commit()
        barrier.wait()  # type: ignore[attr-defined]

        def work() -> tuple[int, bool]:
            payment, created = service.record_payment(
                order, received_on=received_on, amount=Decimal(amount), idempotency_key=key, actor=None)
            return payment.id, created

        results.put(commit_with_retry(work))  # type: ignore[attr-defined]


def _race(url: str, order_id: int, jobs: list[tuple[str, str]],
          received_on: dt.date = SECOND_OCTOBER) -> list[tuple[int, bool]]:
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(len(jobs)), ctx.Queue()
    procs = [ctx.Process(target=_pay, args=(url, order_id, amount, key, barrier, results, received_on))
             for amount, key in jobs]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
        assert p.exitcode == 0
    return [results.get(timeout=5) for _ in jobs]


def test_concurrent_payments_lose_nothing_and_never_double(tmp_dir):
    url = _own_database(tmp_dir)
    if url.startswith("sqlite"):
        reset_database(url)
    order_id = _setup(url)

    different = _race(url, order_id, [("1000.00", "key-a"), ("200.00", "key-b"),
                                      ("30.00", "key-f"), ("4.56", "key-g")])
    assert all(created for _, created in different)
    same = _race(url, order_id, [("50.00", "key-c")] * 4)  # one payment replayed four times at once
    assert len({pid for pid, _ in same}) == 1  # every process got the same payment back
    assert sum(created for _, created in same) == 1

    from casework.confiscation import ledger
    from casework.confiscation.models import ConfiscationOrder, Payment
    from casework.extensions import db

    app = make_app(url)
    with app.app_context():
        rows = db.session.execute(sa.select(Payment.amount).where(Payment.order_id == order_id)).scalars()
        amounts = sorted(rows)
        assert amounts == [Decimal("4.56"), Decimal("30.00"), Decimal("50.00"), Decimal("200.00"),
                           Decimal("1000.00")]
        assert ledger.paid_total(order_id) == Decimal("1284.56")
        kind = db.engine.dialect.name
    print(f"\n[payments] {kind}: 4 processes posting distinct payments, 4 kept; 4 processes "
          f"replaying one Idempotency-Key, {len(amounts) - 4} row; 0 lost, 0 doubled")

    # Two payments that only together clear the order (paid on the due date: no interest): the
    # order lock makes the second one see the first, so the order ends up satisfied.
    _race(url, order_id, [("35000.00", "key-d"), ("215.44", "key-e")], received_on=D(2025, 10, 1))
    with app.app_context():
        order = db.session.get(ConfiscationOrder, order_id)
        assert ledger.paid_total(order_id) == Decimal("36500.00")
        assert order is not None and order.status.value == "satisfied"
