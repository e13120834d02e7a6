"""Alerts exactly once across processes (QUALITY.md): several sweeps at once on one database,
one killed mid-run, then a final sweep: every expected alert present once, none sent twice.

Real processes (multiprocessing "spawn", each with its own app and connections) on a real file
SQLite database and on a PostgreSQL database of its own; not the rolled-back test session.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from casework.alerts import sources
from casework.alerts.models import Alert, AlertStatus, EmailMessage, JobRun
from casework.core import clock
from casework.extensions import db
from tests import factories
from tests.conftest import make_app, migrate, reset_database
from tests.integration.alerts import workers
from tests.integration.backup.databases import BACKENDS, empty_database

START = dt.date(2025, 10, 2)
SWEEP_DAY = dt.date(2027, 6, 30)
ORDERS = 300


@pytest.fixture(params=BACKENDS)
def shared_db(request, tmp_path: Path) -> str:
    """A file SQLite database, or a PostgreSQL database of this run's own (see
    ``tests.integration.backup.databases``: a missing server fails under CI)."""
    return empty_database(request.param, "alerts_conc", tmp_path)


def _seed(app: Any) -> set[str]:
    """ORDERS orders of every type, dates spread over five years, written straight to the tables
    (no services: fast, and no alerts computed by signals); returns the expected keys."""
    from casework.cases.models import Case, CaseStage, Defendant
    from casework.orders.models import AncillaryOrder
    from casework.orders.rules import CourtLevel, OrderType, StartTrigger
    from casework.orders.rules import add_months as months_after

    with app.app_context(), clock.frozen(START):
        users = factories.standard_users()
        unit = factories.unit("ocd")
        crime = factories.crime_type("drugs")
        types = [OrderType.SCPO, OrderType.CDDA, OrderType.SHPO, OrderType.STPO, OrderType.TRO]
        now = clock.now()
        for n in range(ORDERS):
            case = Case(urn=f"01CC{n:06d}", name=f"Operation Load{n}", unit_id=unit.id,
                        crime_type_id=crime.id, stage=CaseStage.PRE_CHARGE, created_at=now,
                        lead_lawyer_id=users.lawyer.id if n % 5 else None)
            defendant = Defendant(case=case, surname=f"Load{n}", forenames="Sam")
            made = START - dt.timedelta(days=(n * 7) % 1500)
            starts = made if n % 9 else None
            order = AncillaryOrder(
                defendant=defendant, unit_id=unit.id, type=types[n % len(types)], made_on=made,
                court_level=CourtLevel.CROWN_COURT, start_trigger=StartTrigger.ON_MAKING,
                runs_from_release=starts is None, starts_on=starts,
                ends_on=months_after(starts, 60) if starts else None, term_months=60,
                served_on=made if n % 3 else None, created_at=now,
                offender_manager_id=users.offender_manager.id if n % 4 else None,
                check_interval_months=3 if n % 2 and starts else None,
                next_check_due_on=months_after(starts, 3) if n % 2 and starts else None)
            db.session.add_all([case, defendant, order])
        db.session.commit()
        keys = set()
        for source in sources.all_sources():
            keys |= {a.key for a in source.expected(today=SWEEP_DAY)}
        db.session.remove()
        return keys


def _figures(app: Any, expected: set[str]) -> dict[str, int]:
    with app.app_context():
        keys = db.session.execute(sa.select(Alert.key)).scalars().all()
        sent = db.session.execute(sa.select(Alert).where(Alert.status == AlertStatus.SENT)).scalars().all()
        emails = db.session.execute(
            sa.select(EmailMessage.alert_id, EmailMessage.user_id, sa.func.count())
            .group_by(EmailMessage.alert_id, EmailMessage.user_id)).all()
        pending_due = db.session.execute(
            sa.select(sa.func.count()).select_from(Alert)
            .where(Alert.status == AlertStatus.PENDING, Alert.due_on <= SWEEP_DAY)).scalar_one()
        figures = {
            "expected": len(expected), "present": len(keys),
            "duplicates": len(keys) - len(set(keys)), "missing": len(expected - set(keys)),
            "extra": len(set(keys) - expected), "sent": len(sent),
            "sent_more_than_once": sum(1 for a in sent if a.attempts != 1),
            "emails": sum(c for _, _, c in emails),
            "duplicate_emails": sum(c - 1 for _, _, c in emails if c > 1),
            "pending_but_due": pending_due,
            "runs_left_running": db.session.execute(  # the killed sweep's record, if mid-run
                sa.select(sa.func.count()).select_from(JobRun)
                .where(JobRun.status == "running")).scalar_one(),
        }
        db.session.remove()
        return figures


def _run_workers(url: str, results: Any) -> tuple[list[Any], Any]:
    """Three sweeps released together; the third holds each claimed batch open for 0.2 s and is
    killed (SIGKILL) a second after it starts, almost surely inside a transaction."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(3)
    procs = [ctx.Process(target=workers.sweep, args=(url, SWEEP_DAY.isoformat(), batch, barrier,
                                                     results, f"worker-{i}", pause))
             for i, (batch, pause) in enumerate(((10, 0.0), (15, 0.0), (5, 0.2)))]
    for p in procs:
        p.start()
    messages = []
    while True:  # wait for the victim to get going, then kill it
        name, payload = results.get(timeout=90)
        messages.append((name, payload))
        if (name, payload) == ("started", "worker-2"):
            time.sleep(1.0)
            procs[2].kill()
            break
    for p in procs:
        p.join(120)
    while not results.empty():
        messages.append(results.get(timeout=5))
    return [m for m in messages if m[0] != "started"], procs[2]


def test_concurrent_sweeps_with_one_killed_send_each_alert_once(shared_db):
    t0 = time.monotonic()
    reset_database(shared_db)
    app = make_app(shared_db)
    migrate(app)
    expected = _seed(app)
    t1 = time.monotonic()
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    finished, victim = _run_workers(shared_db, results)
    workers.sweep(shared_db, SWEEP_DAY.isoformat(), 50, None, results, "final")
    final = results.get(timeout=5)
    figures = _figures(app, expected)
    print(f"\n{shared_db.split(':')[0]}: setup {t1 - t0:.1f}s, sweeps {time.monotonic() - t1:.1f}s; "
          f"workers (name, created, sent, seconds) "
          f"{[(n, c['created'], c['sent'], c['seconds']) for n, c in finished]}, "
          f"killed exit {victim.exitcode}, final created/sent {final[1]['created']}/{final[1]['sent']}"
          f"\n  {figures}")
    assert figures["expected"] > 1000
    assert figures["missing"] == 0 and figures["extra"] == 0 and figures["duplicates"] == 0
    assert figures["sent_more_than_once"] == 0 and figures["duplicate_emails"] == 0
    assert figures["pending_but_due"] == 0
    assert figures["sent"] > 0
    assert sum(c["sent"] for _, c in finished) + final[1]["sent"] <= figures["sent"]
