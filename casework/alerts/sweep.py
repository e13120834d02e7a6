"""The daily sweep: ``send_due_alerts(today)`` (DESIGN.md convention 8).

1. Reconcile every source: insert each expected alert whose key is missing (future ones too),
   cancel pending ones no longer true, refresh the wording of pending ones.
2. Supersede: of several due alerts in one series, only the latest is sent.
3. Claim due pending alerts in batches (compare-and-set) and queue their emails in the same
   transaction; commit each batch.
4. After the commits, send the outbox.

A run missed for any length of time is caught up by the next one; running it twice, or in two
processes at once, sends nothing twice. It is a job, so it commits as it goes.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from dataclasses import asdict, dataclass, field

from flask import current_app

from casework.alerts import delivery, engine, mail, sources
from casework.alerts.jobs import record_run
from casework.core import clock
from casework.extensions import db

log = logging.getLogger(__name__)

JOB_NAME = "alerts-sweep"
#: Alerts claimed, and their emails queued, per transaction. Each batch is all or nothing (a
#: sweep killed mid-batch leaves its alerts pending for the next), so the size only trades the
#: work a crash repeats against the commits a sweep makes.
SEND_BATCH = 500


@dataclass
class SweepResult:
    as_of: dt.date
    dry_run: bool = False
    expected: int = 0
    created: int = 0
    cancelled: int = 0
    updated: int = 0
    superseded: int = 0
    sent: int = 0
    emails_queued: int = 0
    digests_queued: int = 0
    emails: dict[str, int] = field(default_factory=dict)
    run_id: int | None = None

    def counts(self) -> dict[str, int]:
        data = asdict(self)
        flat = {k: v for k, v in data.items() if isinstance(v, int) and not isinstance(v, bool)}
        flat.pop("run_id", None)
        flat.update(self.emails)
        return flat


def send_due_alerts(today: dt.date | None = None, *, dry_run: bool = False,
                    trigger: str = "manual", send_email: bool = True) -> SweepResult:
    """Create every alert due on or before ``today`` and send each pending one exactly once."""
    today = today or clock.today()
    result = SweepResult(as_of=today, dry_run=dry_run)
    if dry_run:
        return _dry_run(result)
    with record_run(JOB_NAME, trigger=trigger, as_of=today) as run:
        result.run_id = run.id
        for source in sources.all_sources():
            counts = engine.retry_locked(functools.partial(engine.reconcile, source, today=today,
                                                          commit=True))
            result.expected += counts.expected
            result.created += counts.created
            result.cancelled += counts.cancelled
            result.updated += counts.updated
            run.counts = result.counts()
        result.superseded = engine.retry_locked(lambda: engine.supersede(today))
        _send_batches(result, today, run.id)
        run.counts = result.counts()
        if send_email:
            result.emails = mail.dispatch_outbox().as_dict()
        run.counts = result.counts()
    return result


def _send_batches(result: SweepResult, today: dt.date, run_id: int) -> None:
    batch = int(current_app.config.get("ALERTS_SEND_BATCH", SEND_BATCH))
    # Seconds to wait between batches (default none): spares a busy database during a very
    # large catch-up, and lets the restart tests stop a sweep between its transactions.
    pause = float(current_app.config.get("ALERTS_BATCH_PAUSE", 0))
    deliveries = delivery.DeliveryCounts()
    while True:
        ids = engine.retry_locked(lambda: _claim_and_queue(today, batch, deliveries))
        result.sent += len(ids)
        if ids and pause:
            time.sleep(pause)
        # A concurrent sweep may have taken some of this batch: stop only when none are left.
        if not ids and engine.count_due(today) == 0:
            break
        if not ids:
            time.sleep(0.05)
    result.emails_queued = deliveries.emails_queued
    result.digests_queued = engine.retry_locked(
        lambda: _commit_after(delivery.queue_digests(deliveries, day=today, run_id=run_id)))


def _claim_and_queue(today: dt.date, batch: int, deliveries: delivery.DeliveryCounts) -> list[int]:
    """One transaction: claim a batch, queue its emails, commit (or roll back both)."""
    try:
        ids = engine.claim_due(today, limit=batch)
        if ids:
            delivery.queue_alert_emails(ids, deliveries)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return ids


def _commit_after(value: int) -> int:
    db.session.commit()
    return value


def _dry_run(result: SweepResult) -> SweepResult:
    """Counts only: what a real run would create, cancel and send today. Writes nothing."""
    due_existing = engine.count_due(result.as_of)
    due_new = 0
    for source in sources.all_sources():
        counts = engine.reconcile(source, today=result.as_of, dry_run=True)
        result.expected += counts.expected
        result.created += counts.created
        result.cancelled += counts.cancelled
        result.updated += counts.updated
        expected = source.expected(today=result.as_of)
        existing = engine.existing_rows(source, None)
        due_new += engine.expected_due((a for a in expected if a.key not in existing),
                                       result.as_of)
    result.sent = due_existing + due_new
    db.session.rollback()
    return result
