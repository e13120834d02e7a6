"""Who receives an alert, and the outbox rows that carry it by email.

Recipients: the assigned offender manager and the case lawyer; when an alert has neither, the
unit's offender managers (the unit managers of the register) so nothing goes to nobody. Every
recipient sees it in their inbox; email follows their preference (one per alert, a daily
digest, or none). Emails carry no case detail, only "sign in to view" (CJSM is the route for
sensitive content).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import current_app

from casework.alerts import rules
from casework.alerts.models import (
    Alert,
    AlertPreference,
    EmailMessage,
    EmailMode,
    EmailStatus,
)
from casework.auth.models import Role, User, user_units
from casework.core import clock
from casework.extensions import db


@dataclass
class DeliveryCounts:
    emails_queued: int = 0
    digest_users: dict[int, int] = field(default_factory=dict)  # user id -> alerts this run


def _insert_outbox() -> Any:
    from casework.alerts.engine import insert_ignoring

    return insert_ignoring(EmailMessage.__table__, "dedupe_key")


def unit_managers(unit_ids: Sequence[int]) -> dict[int, list[int]]:
    """unit id -> ids of the active offender managers of that unit."""
    rows = db.session.execute(
        sa.select(user_units.c.unit_id, User.id).join(User, User.id == user_units.c.user_id)
        .where(user_units.c.unit_id.in_(list(unit_ids)), User.active.is_(True),
               User.role == Role.OFFENDER_MANAGER))
    found: dict[int, list[int]] = defaultdict(list)
    for unit_id, user_id in rows:
        found[unit_id].append(user_id)
    return found


def recipients(alerts: Sequence[Any]) -> dict[int, list[int]]:
    """alert id -> recipient user ids (assignee, lawyer, else the unit's offender managers)."""
    orphans = {a.unit_id for a in alerts if a.assignee_id is None and a.lawyer_id is None}
    managers = unit_managers(sorted(orphans)) if orphans else {}
    result: dict[int, list[int]] = {}
    for a in alerts:
        people = [uid for uid in (a.assignee_id, a.lawyer_id) if uid is not None]
        result[a.id] = sorted(set(people)) if people else managers.get(a.unit_id, [])
    return result


def _base_url() -> str:
    return str(current_app.config.get("BASE_URL") or "http://localhost:5000").rstrip("/")


def alert_email(user: Any, alert: Any) -> tuple[str, str]:
    """Subject and plain-text body: the kind of alert and its date, never names or case detail."""
    from casework.alerts.sources import kind_label

    body = _template("emails/alert.txt").render(
        name=user.name, kind=kind_label(alert.kind), due=rules.uk_date(alert.due_on),
        url=f"{_base_url()}/alerts")
    return "Casework: you have a new alert", body


def _template(name: str) -> Any:
    """The app's Jinja template, rendered with only the variables given: an email uses none of
    the request context processors, which ``render_template`` would run for every one of the
    thousands of emails a sweep queues."""
    return current_app.jinja_env.get_template(name)


def digest_email(user: Any, count: int, day: dt.date) -> tuple[str, str]:
    body = _template("emails/digest.txt").render(name=user.name, count=count,
                                                 day=rules.uk_date(day), url=f"{_base_url()}/alerts")
    return f"Casework: your alerts for {rules.uk_date(day)}", body


def queue_alert_emails(alert_ids: Sequence[int], counts: DeliveryCounts) -> None:
    """Outbox rows for newly sent alerts, in the caller's transaction (sent after its commit)."""
    alerts = db.session.execute(
        sa.select(Alert.id, Alert.kind, Alert.due_on, Alert.unit_id, Alert.assignee_id,
                  Alert.lawyer_id).where(Alert.id.in_(list(alert_ids)))).all()
    who = recipients(alerts)
    user_ids = sorted({uid for ids in who.values() for uid in ids})
    if not user_ids:
        return
    users = {u.id: u for u in db.session.execute(
        sa.select(User.id, User.name, User.email)
        .where(User.id.in_(user_ids), User.active.is_(True)))}
    modes = dict(db.session.execute(
        sa.select(AlertPreference.user_id, AlertPreference.email_mode)
        .where(AlertPreference.user_id.in_(user_ids))).all())
    now, rows = clock.now(), []
    for alert in alerts:
        for uid in who[alert.id]:
            user, mode = users.get(uid), modes.get(uid, EmailMode.IMMEDIATE)
            if user is None or mode == EmailMode.OFF:
                continue
            if mode == EmailMode.DIGEST:
                counts.digest_users[uid] = counts.digest_users.get(uid, 0) + 1
                continue
            subject, body = alert_email(user, alert)
            rows.append(_outbox_row(f"alert:{alert.id}:user:{uid}", alert.id, user, subject,
                                    body, now))
    if rows:
        db.session.execute(_insert_outbox(), rows)
        counts.emails_queued += len(rows)


def queue_digests(counts: DeliveryCounts, *, day: dt.date, run_id: int) -> int:
    """One digest email per digest-mode user who received alerts in this run."""
    if not counts.digest_users:
        return 0
    users = db.session.execute(sa.select(User.id, User.name, User.email)
                               .where(User.id.in_(list(counts.digest_users)))).all()
    now = clock.now()
    rows = []
    for user in users:
        subject, body = digest_email(user, counts.digest_users[user.id], day)
        rows.append(_outbox_row(f"digest:{day}:run:{run_id}:user:{user.id}", None, user,
                                subject, body, now))
    db.session.execute(_insert_outbox(), rows)
    return len(rows)


def _outbox_row(key: str, alert_id: int | None, user: Any, subject: str, body: str,
                now: dt.datetime) -> dict[str, Any]:
    return {"dedupe_key": key, "alert_id": alert_id, "user_id": user.id,
            "to_address": user.email, "subject": subject, "body": body,
            "status": EmailStatus.PENDING, "attempts": 0, "next_attempt_at": now,
            "created_at": now}


def set_email_mode(user: Any, *, mode: EmailMode) -> AlertPreference:
    """Record how ``user`` wants alert emails (flushes; the caller commits)."""
    pref = db.session.get(AlertPreference, user.id)
    if pref is None:
        pref = AlertPreference(user_id=user.id, email_mode=mode)
        db.session.add(pref)
    pref.email_mode = mode
    db.session.flush()
    return pref


def email_mode(user: Any) -> EmailMode:
    pref = db.session.get(AlertPreference, user.id)
    return pref.email_mode if pref else EmailMode.IMMEDIATE
