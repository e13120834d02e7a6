"""Alerts for the bulk profiles, from the alert engine's own sources.

Every registered source (casework.alerts.sources) is asked which alerts should exist today,
exactly as the daily sweep asks; the rows are written in bulk with the same keys, series and
wording, so a sweep after the load finds nothing missing and creates no duplicate. The history
is what ten years of nightly sweeps would have left: alerts already due were sent on their due
day and most were acknowledged or resolved since; the sources' suppressed alerts (orders
discharged or long expired) are cancelled, as the engine inserts them; later ones wait (pending).
"""

from __future__ import annotations

import datetime as dt
import zlib

from casework.alerts import sources
from casework.alerts.models import AlertStatus
from casework.alerts.sources import ExpectedAlert
from casework.demo.bulk.writer import Writer

SWEEP_TIME = dt.time(6, 0)
COLUMNS = ("id", "key", "kind", "series", "subject_type", "subject_id", "unit_id", "case_id", "assignee_id",
           "lawyer_id", "due_on", "status", "message", "created_at", "sent_at", "attempts", "last_error",
           "acknowledged_at", "acknowledged_by_id", "resolved_at", "resolved_by_id", "cancelled_at",
           "cancel_reason", "version")


def build_alerts(writer: Writer, seed: str, today: dt.date, now: dt.datetime) -> dict[str, int]:
    """Write the alerts every source expects today; returns the count per status."""
    writer.flush()  # the sources read the rows written so far
    writer.columns("alerts", COLUMNS)
    counts: dict[str, int] = {}
    for source in sources.all_sources():
        for alert in source.expected(today=today):
            status = _write(writer, _Draws(f"{seed}:{alert.key}"), alert, today, now)
            counts[status] = counts.get(status, 0) + 1
            writer.progress.advance()
    writer.flush("alerts")
    return counts


class _Draws:
    """Cheap random numbers from one alert's key, so an alert's history does not depend on the
    order the database returns the sources' rows in (it differs between SQLite and PostgreSQL)."""

    def __init__(self, text: str) -> None:
        self.state = zlib.crc32(text.encode())

    def random(self) -> float:
        self.state = (self.state * 1103515245 + 12345) % 2**31
        return self.state / 2**31

    def randint(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))


def _write(writer: Writer, rng: _Draws, alert: ExpectedAlert, today: dt.date,
           now: dt.datetime) -> str:
    reason = alert.suppressed or alert.suppressed_if_new
    sent_at = acknowledged_at = resolved_at = cancelled_at = None
    acknowledged_by = resolved_by = None
    attempts = 0
    created_at = now
    if reason is not None:
        status = AlertStatus.CANCELLED
        cancelled_at = now
    elif alert.due_on > today:
        status = AlertStatus.PENDING
    else:
        # sent by the overnight sweep on its due day; then read and dealt with, mostly
        sent_at = dt.datetime.combine(alert.due_on, SWEEP_TIME)
        created_at = sent_at - dt.timedelta(days=rng.randint(14, 120))
        attempts = 1
        status = AlertStatus.SENT
        who = alert.assignee_id or alert.lawyer_id
        age = (today - alert.due_on).days
        roll = rng.random()
        if who is not None and roll < (0.9 if age > 30 else 0.4):
            acknowledged_at = sent_at + dt.timedelta(hours=rng.randint(2, 72))
            acknowledged_by, status = who, AlertStatus.ACKNOWLEDGED
            if roll < (0.7 if age > 30 else 0.1):
                resolved_at = acknowledged_at + dt.timedelta(days=rng.randint(0, min(age, 20)))
                resolved_by, status = who, AlertStatus.RESOLVED
            if (resolved_at or acknowledged_at) > now:  # type: ignore[operator]
                acknowledged_at, acknowledged_by, resolved_at, resolved_by = None, None, None, None
                status = AlertStatus.SENT
    writer.add("alerts", (
        writer.next_id("alerts"), alert.key, alert.kind, alert.series, alert.subject_type, alert.subject_id,
        alert.unit_id, alert.case_id, alert.assignee_id, alert.lawyer_id, alert.due_on, status.value,
        alert.message[:500], created_at.replace(tzinfo=None), sent_at, attempts, None, acknowledged_at,
        acknowledged_by, resolved_at, resolved_by, cancelled_at and cancelled_at.replace(tzinfo=None),
        reason[:200] if reason else None, 1))
    return status.value
