"""Durability (QUALITY.md): a child process records payments through the service, one committed
transaction each, and acknowledges each only after its commit returns; the parent SIGKILLs it at
a random moment (seeded), 20 rounds. Every acknowledged payment must be present with its amount,
the database must pass its integrity check (SQLite ``PRAGMA integrity_check``; PostgreSQL
amcheck on the ledger's and the audit table's indexes) and the audit hash chain must verify."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import signal
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.integration.reliability import dbs, durability_child

ROUNDS = 20
SEED = 20260601

pytestmark = pytest.mark.slow


def _seed(app: Any) -> int:
    from casework.core import clock
    from casework.extensions import db
    from tests import factories

    with app.app_context(), clock.frozen(dt.date(2026, 6, 1)):
        users = factories.standard_users()
        defendant = factories.convicted_defendant(finalised_on=dt.date(2025, 9, 1), actor=users.lawyer)
        order = factories.confiscation_order(defendant, actor=users.lawyer)
        db.session.commit()
        order_id: int = order.id
        db.session.remove()
        return order_id


def _round(app: Any, round_no: int, order_id: int, rng: random.Random) -> list[tuple[int, str, str]]:
    """One writer, SIGKILLed at a random moment once it has started acknowledging."""
    from casework.extensions import db

    with app.app_context():
        db.engine.dispose()  # no open connection (or SQLite file lock) is inherited by the fork
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=durability_child.write, args=(app, round_no, order_id, send))
    child.start()
    send.close()  # the child holds the only writing end: its death is the end of the stream
    acks: list[tuple[int, str, str]] = []
    try:
        assert receive.poll(60), "the writer never acknowledged a payment"
        acks.append(receive.recv())
        time.sleep(rng.uniform(0.0, 0.5))
    finally:
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
        child.join(30)
    while True:  # what it acknowledged before it died is still in the pipe
        try:
            acks.append(receive.recv())
        except EOFError:
            break
    receive.close()
    assert child.exitcode == -signal.SIGKILL, f"the writer ended by itself ({child.exitcode})"
    return acks


def _integrity(app: Any) -> str:
    from casework.extensions import db

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as conn:
                result = ", ".join(r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check"))
                conn.rollback()
            return result
        with db.engine.connect() as conn:  # amcheck raises on a corrupt B-tree
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS amcheck")
            indexes = conn.execute(sa.text(
                "SELECT c.oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_am a ON a.oid = c.relam "
                "WHERE t.relname IN ('confiscation_payments', 'audit_events') AND a.amname = 'btree'"
            )).scalars().all()
            for oid in indexes:
                conn.execute(sa.text("SELECT bt_index_check(:oid, true)"), {"oid": oid})
            conn.commit()
        return f"ok ({len(indexes)} indexes checked)"


def test_sigkilled_writer_loses_no_acknowledged_payment(tmp_path: Path) -> None:
    from casework.audit import service as audit
    from casework.confiscation import ledger
    from casework.confiscation.models import Payment
    from casework.extensions import db

    t0 = time.monotonic()
    url = dbs.own_database(tmp_path, "durability")
    app = dbs.migrated_app(url)
    order_id = _seed(app)
    rng = random.Random(SEED)
    acked: dict[str, tuple[int, Decimal]] = {}
    per_round = []
    checks = []
    for round_no in range(1, ROUNDS + 1):
        acks = _round(app, round_no, order_id, rng)
        for pid, key, amount in acks:
            acked[key] = (pid, Decimal(amount))
        per_round.append(len(acks))
        checks.append(_integrity(app))  # after every kill, before the next writer recovers it

    with app.app_context():
        rows = {p.idempotency_key: (p.id, p.amount) for p in db.session.execute(
            sa.select(Payment).where(Payment.order_id == order_id)).scalars()}
        count = db.session.execute(sa.select(sa.func.count()).select_from(Payment)).scalar_one()
        paid = ledger.paid_total(order_id)
        audited = db.session.execute(sa.select(sa.func.count()).where(
            sa.text("object_type = 'confiscation_payment'")).select_from(
            sa.table("audit_events"))).scalar_one()
        chain_rows, chain_problems = audit.verify_chain()
        db.session.remove()

    lost = [k for k, v in acked.items() if rows.get(k) != v]
    unacked = len(set(rows) - set(acked))  # committed, killed before it could say so: allowed
    print(f"\n[durability] {dbs.label(url)}: {ROUNDS} rounds, {len(acked):,} acknowledged, "
          f"{len(lost)} lost, {unacked} committed but not yet acknowledged when killed, "
          f"{len(rows):,} rows; integrity {checks[-1]} after every round="
          f"{all(c.startswith('ok') for c in checks)}, audit chain {chain_rows:,} rows "
          f"ok={not chain_problems}; {time.monotonic() - t0:.1f}s (acks per round {per_round})")

    assert not lost, lost[:5]
    assert all(c.startswith("ok") for c in checks), checks
    assert count == len(rows) == len(acked) + unacked
    assert unacked <= ROUNDS  # at most the one in flight per kill
    assert paid == sum((a for _, a in rows.values()), Decimal(0))
    assert audited == len(rows)  # each payment's audit row committed with it, never apart
    assert not chain_problems, chain_problems[:3]
