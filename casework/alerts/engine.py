"""Set-based reconciliation of expected alerts with the rows, and the atomic claim for sending.

Exactly once comes from the database, not from timing: ``alerts.key`` is unique and rows are
inserted with ``ON CONFLICT DO NOTHING``; sending claims rows with a compare-and-set
``UPDATE ... WHERE status = 'pending' RETURNING id``, so two concurrent sweeps can never both
claim one alert. Each write statement opens its own short transaction (SQLite then waits for the
write lock instead of failing on a stale read snapshot).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import aliased

from casework.alerts.models import Alert, AlertStatus
from casework.alerts.sources import AlertSource, ExpectedAlert
from casework.core import clock
from casework.extensions import db

log = logging.getLogger(__name__)
CHUNK = 500
T = TypeVar("T")
NO_LONGER_APPLIES = "No longer applies: the dates it was worked out from have changed"
SUPERSEDED = "Superseded by a later reminder that was due at the same time"


@dataclass
class ReconcileCounts:
    expected: int = 0
    created: int = 0
    cancelled: int = 0
    updated: int = 0

    def add(self, other: ReconcileCounts) -> None:
        self.expected += other.expected
        self.created += other.created
        self.cancelled += other.cancelled
        self.updated += other.updated


def retry_locked(work: Callable[[], T], attempts: int = 5) -> T:
    """Run one short write transaction, again if SQLite says "database is locked".

    SQLite refuses at once (no busy wait) when a transaction that has read must write after
    another process committed; a fresh transaction then succeeds. PostgreSQL never gets here.
    """
    for attempt in range(attempts):
        try:
            return work()
        except OperationalError as exc:
            db.session.rollback()
            if "locked" not in str(exc).lower() or attempt == attempts - 1:
                raise
            log.warning("database busy, retrying (%s)", attempt + 1)
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def insert_ignoring(table: sa.Table, column: str) -> Any:
    """INSERT ... ON CONFLICT (column) DO NOTHING, for the session's database."""
    if db.session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=[column])
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=[column])


def _row(alert: ExpectedAlert, now: dt.datetime) -> dict[str, Any]:
    reason = alert.suppressed or alert.suppressed_if_new
    suppressed = reason is not None
    return {
        "key": alert.key, "kind": alert.kind, "series": alert.series,
        "subject_type": alert.subject_type, "subject_id": alert.subject_id,
        "unit_id": alert.unit_id, "case_id": alert.case_id, "assignee_id": alert.assignee_id,
        "lawyer_id": alert.lawyer_id, "due_on": alert.due_on, "message": alert.message[:500],
        "status": AlertStatus.CANCELLED if suppressed else AlertStatus.PENDING,
        "cancelled_at": now if suppressed else None,
        "cancel_reason": reason[:200] if reason else None,
        "created_at": now, "attempts": 0, "version": 1,
    }


def existing_rows(source: AlertSource, subject_ids: Collection[int] | None) -> dict[str, Any]:
    """key -> (status, message, assignee, lawyer, unit, case) for this source's alerts."""
    # The status as plain text (AlertStatus is a str enum, so comparisons still hold): no enum
    # conversion for each of a register's alerts.
    status = sa.type_coerce(Alert.status, sa.String).label("status")
    stmt = sa.select(Alert.key, status, Alert.message, Alert.assignee_id, Alert.lawyer_id,
                     Alert.unit_id, Alert.case_id).where(
        Alert.subject_type == source.subject_type, Alert.kind.in_(list(source.kinds)))
    if subject_ids is not None:
        stmt = stmt.where(Alert.subject_id.in_(list(subject_ids)))
    return {row.key: row for row in db.session.execute(stmt)}


def _cancel(keys: Sequence[str], reason: str, now: dt.datetime, commit: bool) -> int:
    done = 0
    for part in chunks(keys):
        result = db.session.execute(
            sa.update(Alert).where(Alert.key.in_(part), Alert.status == AlertStatus.PENDING)
            .values(status=AlertStatus.CANCELLED, cancelled_at=now, cancel_reason=reason[:200],
                    version=Alert.version + 1)
            .execution_options(synchronize_session=False))
        done += result.rowcount or 0  # type: ignore[attr-defined]
        _end(commit)
    return done


def _end(commit: bool) -> None:
    if commit:
        db.session.commit()
    else:
        db.session.flush()


def _changed(row: Any, alert: ExpectedAlert) -> bool:
    return (row.message, row.assignee_id, row.lawyer_id, row.unit_id, row.case_id) != (
        alert.message[:500], alert.assignee_id, alert.lawyer_id, alert.unit_id, alert.case_id)


def reconcile(source: AlertSource, *, today: dt.date, subject_ids: Collection[int] | None = None,
              commit: bool = False, dry_run: bool = False) -> ReconcileCounts:
    """Make the rows of ``source`` match what it expects (for all subjects, or some).

    Missing keys are inserted; pending alerts the source no longer expects are cancelled; pending
    alerts whose wording or recipients changed are updated. Sent, acknowledged and resolved
    alerts are history and never touched. ``commit`` (jobs) commits per chunk; services flush.
    """
    expected: dict[str, ExpectedAlert] = {
        a.key: a for a in source.expected(today=today, subject_ids=subject_ids)}
    existing = existing_rows(source, subject_ids)
    if commit:
        db.session.commit()  # end the read snapshot before writing (SQLite)
    counts = ReconcileCounts(expected=len(expected))
    missing = [a for key, a in expected.items() if key not in existing]
    pending = {k: r for k, r in existing.items() if r.status == AlertStatus.PENDING}
    stale = [k for k in pending if k not in expected]
    now_suppressed = [k for k in pending if k in expected and expected[k].suppressed]
    changed = [expected[k] for k, r in pending.items()
               if k in expected and not expected[k].suppressed and _changed(r, expected[k])]
    if dry_run:
        counts.created, counts.cancelled = len(missing), len(stale) + len(now_suppressed)
        counts.updated = len(changed)
        return counts
    now = clock.now()
    for part in chunks(missing):
        # RETURNING counts the rows really inserted (rowcount is unreliable with ON CONFLICT).
        # executemany of one cached statement (SQLAlchemy batches it as multi-row VALUES).
        result = db.session.execute(insert_ignoring(Alert.__table__, "key").returning(Alert.id),
                                    [_row(a, now) for a in part])
        counts.created += len(result.all())
        _end(commit)
    counts.cancelled += _cancel(stale, NO_LONGER_APPLIES, now, commit)
    for key in now_suppressed:
        counts.cancelled += _cancel([key], expected[key].suppressed or "", now, commit)
    counts.updated = _refresh(changed, commit)
    return counts


def _refresh(changed: Sequence[ExpectedAlert], commit: bool) -> int:
    done = 0
    for part in chunks(changed):
        for alert in part:
            result = db.session.execute(
                sa.update(Alert).where(Alert.key == alert.key, Alert.status == AlertStatus.PENDING)
                .values(message=alert.message[:500], assignee_id=alert.assignee_id,
                        lawyer_id=alert.lawyer_id, unit_id=alert.unit_id, case_id=alert.case_id,
                        version=Alert.version + 1)
                .execution_options(synchronize_session=False))
            done += result.rowcount or 0  # type: ignore[attr-defined]
        _end(commit)
    return done


def supersede(today: dt.date, *, commit: bool = True) -> int:
    """Cancel pending due alerts that a later alert of the same series, also due, replaces.

    After an outage the 90-, 30- and 7-day reminders of one expiry may all be due: only the
    latest is sent (it says how things stand today), so people are not flooded.
    """
    later = aliased(Alert)
    newer_sibling = sa.exists().where(
        later.series == Alert.series, later.id != Alert.id, later.due_on <= today,
        later.status != AlertStatus.CANCELLED,
        sa.or_(later.due_on > Alert.due_on,
               sa.and_(later.due_on == Alert.due_on, later.id > Alert.id)))
    result = db.session.execute(
        sa.update(Alert)
        .where(Alert.status == AlertStatus.PENDING, Alert.due_on <= today, newer_sibling)
        .values(status=AlertStatus.CANCELLED, cancelled_at=clock.now(), cancel_reason=SUPERSEDED,
                version=Alert.version + 1)
        .execution_options(synchronize_session=False))
    _end(commit)
    return result.rowcount or 0  # type: ignore[attr-defined]


def claim_due(today: dt.date, *, limit: int) -> list[int]:
    """Atomically mark up to ``limit`` pending due alerts as sent and return their ids.

    The ``status = 'pending'`` condition makes it a compare-and-set: a concurrent sweep that
    picked the same ids updates none of them (PostgreSQL re-checks the condition after the row
    lock; SQLite serialises writers). The caller commits together with the outbox rows.
    """
    # The ids are read first, then updated by list. As one statement (UPDATE ... WHERE id IN
    # (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)) PostgreSQL may run the subquery again for
    # each row and claim every due alert in one transaction, whatever the limit.
    candidates = db.session.execute(
        sa.select(Alert.id)
        .where(Alert.status == AlertStatus.PENDING, Alert.due_on <= today)
        .order_by(Alert.due_on, Alert.id).limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL: leave rows others are claiming
    ).scalars().all()
    if not candidates:
        return []
    result = db.session.execute(
        sa.update(Alert)
        .where(Alert.id.in_(candidates), Alert.status == AlertStatus.PENDING)
        .values(status=AlertStatus.SENT, sent_at=clock.now(), attempts=Alert.attempts + 1,
                version=Alert.version + 1)
        .returning(Alert.id)
        .execution_options(synchronize_session=False))
    return sorted(result.scalars().all())


def count_due(today: dt.date) -> int:
    return db.session.execute(
        sa.select(sa.func.count()).select_from(Alert)
        .where(Alert.status == AlertStatus.PENDING, Alert.due_on <= today)).scalar_one()


def expected_due(expected: Iterable[ExpectedAlert], today: dt.date) -> int:
    return sum(1 for a in expected
               if a.due_on <= today and not (a.suppressed or a.suppressed_if_new))
