"""The scheduler restarting mid-sweep (QUALITY.md "alerts exactly once"): on a register with
over a thousand alerts due, the scheduler's start-up sweep is SIGKILLed once it has sent some,
a restarted scheduler is stopped with SIGTERM mid-sweep, and ``flask alerts send-due`` then
finishes the job. Every expected alert must be present once, none sent twice, no email queued
twice, nothing due left unsent. Batches of one, 10 ms apart, make each sweep commit often, so the kills land
between and inside its transactions; a stopped sweep leaves its run record "running"."""

from __future__ import annotations

import functools
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.integration.reliability import dbs, servers

pytestmark = pytest.mark.slow


def _sent(app: Any) -> int:
    from casework.alerts.models import Alert, AlertStatus
    from casework.extensions import db

    with app.app_context():
        count: int = db.session.execute(sa.select(sa.func.count()).select_from(Alert)
                                        .where(Alert.status == AlertStatus.SENT)).scalar_one()
        db.session.remove()
        return count


def _stop_mid_sweep(app: Any, start: Callable[[], Any], sig: int, more: int,
                    ) -> tuple[int, int, float, int]:
    """Start a sweep and signal it once it has sent ``more`` alerts; (before, at stop, seconds,
    exit). The count is taken before the start: a fast sweep must not finish unseen."""
    before, started = _sent(app), time.monotonic()
    process = start()
    try:
        while (now := _sent(app)) < before + more:
            assert process.poll() is None, "the sweep finished before it could be stopped"
            assert time.monotonic() < started + 60, f"the sweep sent {now - before} after {before}"
            time.sleep(0.02)
    except BaseException:
        servers.stop(process, signal.SIGKILL)
        raise
    return before, now, round(time.monotonic() - started, 1), servers.stop(process, sig)


def test_scheduler_killed_and_restarted_mid_sweep_sends_each_alert_once(tmp_path: Path) -> None:
    from casework.alerts import sources
    from casework.alerts.models import Alert, AlertStatus, EmailMessage, JobRun
    from casework.core import clock
    from casework.extensions import db
    from tests.integration.alerts import test_concurrency as seeding

    t0 = time.monotonic()
    url = dbs.own_database(tmp_path, "restart_sweep")
    app = dbs.migrated_app(url)
    seeding._seed(app)  # 300 orders of every type (alert rows are left to the sweeps)
    today = clock.today()  # the scheduler sweeps for the real today
    with app.app_context():
        expected: set[str] = set()
        for source in sources.all_sources():
            expected |= {a.key for a in source.expected(today=today)}
        db.session.remove()
        db.engine.dispose()
    env = servers.env_for(url, CASEWORK_ALERTS_SEND_BATCH="1", CASEWORK_ALERTS_BATCH_PAUSE="0.01",
                          CASEWORK_SCHEDULER_LOCK_FILE=str(tmp_path / "scheduler.lock"))
    log = tmp_path / "sweeps.log"
    flask = ["flask", "--app", "casework", "alerts"]
    stops = []
    scheduler = functools.partial(servers.start, [*flask, "scheduler"], env, log)
    stops.append(("scheduler", "SIGKILL", *_stop_mid_sweep(app, scheduler, signal.SIGKILL, 10)))
    stops.append(("scheduler", "SIGTERM", *_stop_mid_sweep(app, scheduler, signal.SIGTERM, 5)))
    final = servers.start([*flask, "send-due"], env, log)
    try:
        assert final.wait(300) == 0, log.read_text()[-3000:]
    finally:
        servers.stop(final, signal.SIGKILL)

    with app.app_context():
        keys = db.session.execute(sa.select(Alert.key)).scalars().all()
        sent = db.session.execute(sa.select(Alert).where(Alert.status == AlertStatus.SENT)).scalars().all()
        emails = db.session.execute(
            sa.select(EmailMessage.alert_id, EmailMessage.user_id, sa.func.count())
            .group_by(EmailMessage.alert_id, EmailMessage.user_id)).all()
        pending_due = db.session.execute(
            sa.select(sa.func.count()).select_from(Alert)
            .where(Alert.status == AlertStatus.PENDING, Alert.due_on <= today)).scalar_one()
        runs = [(str(status), n) for status, n in db.session.execute(
            sa.select(JobRun.status, sa.func.count()).group_by(JobRun.status)).all()]
        db.session.remove()
        db.engine.dispose()
    figures = {
        "expected": len(expected), "present": len(keys), "missing": len(expected - set(keys)),
        "extra": len(set(keys) - expected), "duplicates": len(keys) - len(set(keys)),
        "sent": len(sent), "sent_more_than_once": sum(1 for a in sent if a.attempts != 1),
        "emails": sum(c for _, _, c in emails),
        "duplicate_emails": sum(c - 1 for _, _, c in emails if c > 1),
        "pending_but_due": pending_due,
    }
    print(f"\n[restart-sweep] {dbs.label(url)}: stops (process, signal, sent before, sent at stop, "
          f"seconds, exit) {stops}; job runs {dict(runs)}; {figures}; {time.monotonic() - t0:.1f}s")
    assert figures["expected"] > 1000 and figures["sent"] > 100
    assert all(stop[3] > stop[2] for stop in stops)
    # The SIGKILLed sweep was stopped mid-run (its record says "running"); a fast machine may
    # finish the second sweep before its SIGTERM lands.
    assert dict(runs).get("running", 0) >= 1
    assert figures["missing"] == 0 and figures["extra"] == 0 and figures["duplicates"] == 0
    assert figures["sent_more_than_once"] == 0 and figures["duplicate_emails"] == 0
    assert figures["pending_but_due"] == 0
