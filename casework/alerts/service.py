"""Alert services: recompute a subject's alerts when its dates change, acknowledge, resolve.

These flush and never commit (the request or job commits). ``send_due_alerts`` is the sweep job
(see sweep.py) and is re-exported here as the one entry point for the scheduler, CLI and tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from casework.alerts import delivery, engine, sources
from casework.alerts.models import Alert, AlertStatus, EmailMode
from casework.alerts.sweep import SweepResult, send_due_alerts
from casework.audit import service as audit
from casework.auth.models import User
from casework.core import clock
from casework.core.validation import ValidationError
from casework.extensions import db

__all__ = ["SweepResult", "acknowledge", "recompute_for", "resolve", "send_due_alerts",
           "set_email_mode"]


def recompute_for(subject_type: str, subject_ids: Collection[int], *,
                  today: dt.date | None = None) -> engine.ReconcileCounts:
    """Recompute the alerts of some subjects now (their dates or status changed).

    New keys are inserted, pending alerts that are no longer true are cancelled (a varied end
    date, a discharge, a service recorded). Already sent alerts stay as history. Runs inside the
    caller's transaction, so the change and its alerts commit together.
    """
    total = engine.ReconcileCounts()
    if not subject_ids:
        return total
    db.session.flush()
    for source in sources.sources_for(subject_type):
        total.add(engine.reconcile(source, today=today or clock.today(),
                                   subject_ids=sorted(set(subject_ids))))
    return total


def _check_open(alert: Alert, action: str) -> None:
    if alert.status not in (AlertStatus.SENT, AlertStatus.ACKNOWLEDGED):
        raise ValidationError({"alert": [
            f"You cannot {action} this alert because it is {alert.status.value}"]})


def acknowledge(alert: Alert, *, actor: User) -> Alert:
    """Record that someone has seen the alert and is dealing with it."""
    _check_open(alert, "acknowledge")
    if alert.status == AlertStatus.ACKNOWLEDGED:
        return alert
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_at = clock.now()
    alert.acknowledged_by_id = actor.id
    db.session.flush()
    audit.record("alter", object_type="alert", object_id=alert.id, case_id=alert.case_id,
                 summary=f"Alert acknowledged: {alert.kind_label} due {_date(alert.due_on)}",
                 actor=actor)
    return alert


def resolve(alert: Alert, *, actor: User, note: str | None = None) -> Alert:
    """Close the alert: the action it asked for has been taken (or is not needed)."""
    _check_open(alert, "resolve")
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by_id = clock.now(), actor.id
    alert.status = AlertStatus.RESOLVED
    alert.resolved_at = clock.now()
    alert.resolved_by_id = actor.id
    db.session.flush()
    audit.record("alter", object_type="alert", object_id=alert.id, case_id=alert.case_id,
                 summary=f"Alert resolved: {alert.kind_label} due {_date(alert.due_on)}",
                 reason=(note or "").strip()[:500] or None, actor=actor)
    return alert


def set_email_mode(user: User, *, mode: EmailMode) -> None:
    delivery.set_email_mode(user, mode=mode)
    audit.record("alter", object_type="user", object_id=user.id,
                 summary=f"Alert emails set to {mode.value} for {user.name}", actor=user)


def _date(day: dt.date) -> str:
    from casework.alerts.rules import uk_date

    return uk_date(day)
