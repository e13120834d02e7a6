"""No lost updates (QUALITY.md): 8 processes x 200 read-modify-write edits of one order through
the service layer, each sending the version it read; stale edits are refused and retried.

Each edit varies the order to end one day after the end date its editor read, so a lost update
would leave the final end date short and two variations starting from the same old end date.
Every acknowledged edit must be in the order's variations (and audit), nothing else may be, and
the audit hash chain must still verify.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import queue
import time
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.integration.reliability import dbs, edit_worker

PROCS = 8
EDITS = 200

pytestmark = pytest.mark.slow


def _seed(app) -> tuple[int, int, dt.date, int]:
    from casework.core import clock
    from casework.extensions import db
    from tests import factories

    with app.app_context(), clock.frozen(edit_worker.TODAY):
        users = factories.standard_users()
        defendant = factories.convicted_defendant(finalised_on=dt.date(2025, 9, 1), actor=users.lawyer)
        order = factories.order(defendant, type="shpo", made_on=dt.date(2025, 10, 1),
                                court_level="crown_court", actor=users.lawyer)
        db.session.commit()
        seeded = (order.id, users.lawyer.id, order.ends_on, order.version)
        db.session.remove()
        return seeded


def test_eight_processes_editing_one_order_lose_nothing(tmp_path: Path) -> None:
    from casework.audit import service as audit
    from casework.audit.models import AuditEvent
    from casework.extensions import db
    from casework.orders.models import AncillaryOrder, OrderVariation

    t0 = time.monotonic()
    url = dbs.own_database(tmp_path, "lost_updates")
    app = dbs.migrated_app(url)
    order_id, actor_id, first_end, first_version = _seed(app)

    with app.app_context():
        db.engine.dispose()  # no open connection (or SQLite file lock) is inherited by the forks
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(PROCS), ctx.Queue()
    procs = [ctx.Process(target=edit_worker.edit,
                         args=(app, order_id, actor_id, i, EDITS, barrier, results))
             for i in range(PROCS)]
    reports: list[dict] = []
    try:
        for p in procs:
            p.start()
        while len(reports) < PROCS:  # fail at once if an editor dies instead of reporting
            try:
                reports.append(results.get(timeout=5))
            except queue.Empty:
                dead = [p.exitcode for p in procs if p.exitcode not in (None, 0)]
                assert not dead, f"an editor process died: exit codes {dead}"
                assert time.monotonic() - t0 < 600, "the editors did not finish in 10 minutes"
        for p in procs:
            p.join(30)
    finally:
        for p in procs:
            if p.is_alive():
                p.kill()
    elapsed = time.monotonic() - t0

    errors = [e for r in reports for e in r["errors"]]
    assert not errors, errors[0]
    assert all(p.exitcode == 0 for p in procs)
    acknowledged = [t for r in reports for t in r["acknowledged"]]
    conflicts = sum(r["conflicts"] for r in reports)
    at_flush = sum(r["kinds"].get("flush", 0) for r in reports)
    locked = sum(r["kinds"].get("locked", 0) for r in reports)

    with app.app_context():
        order = db.session.get(AncillaryOrder, order_id)
        assert order is not None
        variations = db.session.execute(
            sa.select(OrderVariation).where(OrderVariation.order_id == order_id)
            .order_by(OrderVariation.id)).scalars().all()
        audited = db.session.execute(
            sa.select(AuditEvent.reason).where(AuditEvent.object_type == "ancillary_order",
                                               AuditEvent.object_id == order_id,
                                               AuditEvent.action == "alter")).scalars().all()
        chain_rows, chain_problems = audit.verify_chain()
        final_end, final_version = order.ends_on, order.version
        steps = [(v.old_ends_on, v.new_ends_on) for v in variations]
        reasons = [v.reason for v in variations]
        db.session.remove()

    saved = Counter(reasons)
    lost = len(set(acknowledged) - set(saved))
    doubled = sum(c - 1 for c in saved.values() if c > 1)
    unacknowledged = len(set(saved) - set(acknowledged))
    same_start = sum(c - 1 for c in Counter(old for old, _ in steps).values() if c > 1)
    print(f"\n[lost-updates] {dbs.label(url)}: {PROCS} procs x {EDITS} edits, "
          f"{len(acknowledged):,} acknowledged, {conflicts:,} conflicts retried "
          f"({at_flush:,} caught by the version column at flush), {locked} lock timeouts retried, "
          f"{lost} lost, "
          f"{doubled} doubled, {same_start} overwritten; end date moved "
          f"{(final_end - first_end).days:,} days, version {first_version} -> {final_version}, "
          f"audit chain {chain_rows:,} rows ok={not chain_problems}; {elapsed:.1f}s "
          f"(per process {[r['seconds'] for r in reports]})")

    assert len(acknowledged) == PROCS * EDITS
    assert lost == 0 and doubled == 0 and unacknowledged == 0
    assert len(variations) == len(acknowledged) == len(audited)
    assert sorted(audited) == sorted(acknowledged)
    # Each edit started from the previous one's result: none overwrote another's.
    assert same_start == 0
    assert all(new == old + dt.timedelta(days=1) for old, new in steps)
    assert all(a[1] == b[0] for a, b in zip(steps, steps[1:], strict=False))
    assert final_end == first_end + dt.timedelta(days=len(acknowledged))
    assert final_version - first_version >= len(acknowledged)
    assert not chain_problems, chain_problems[:3]
