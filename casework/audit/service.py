"""Writing and verifying audit rows.

Every change is audited in the same transaction as the change (the caller's flush/commit);
consultation of a defendant's record and every export are audited too (DPA 2018 s.62).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request
from flask_login import current_user

from casework.audit.models import Action, AuditEvent
from casework.auth.models import User
from casework.core import clock, signals
from casework.core.db import ensure_write_lock
from casework.extensions import db

CHAIN_LOCK_KEY = 727_001  # PostgreSQL advisory lock serialising the hash chain


def _canonical(event: AuditEvent) -> bytes:
    body = {
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": str(event.action),
        "object_type": event.object_type,
        "object_id": event.object_id,
        "case_id": event.case_id,
        "summary": event.summary,
        "changes": event.changes,
        "reason": event.reason,
        "prev_hash": event.prev_hash,
    }
    if event.ip is not None:  # only when set, so rows written without an address keep their hash
        body["ip"] = event.ip
    return json.dumps(body, sort_keys=True, default=str, separators=(",", ":")).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def _current_actor() -> User | None:
    if has_request_context():
        user = getattr(request, "api_user", None) or current_user
        if user is not None and getattr(user, "is_authenticated", False):
            return user  # type: ignore[no-any-return]
    return None


def record(
    action: Action | str,
    *,
    object_type: str,
    object_id: int | None,
    summary: str,
    changes: dict[str, Any] | None = None,
    reason: str | None = None,
    case_id: int | None = None,
    actor: User | None = None,
    actor_id: int | None = None,
) -> AuditEvent:
    """Append one audit row to the current transaction (flushes; the caller commits).

    In a GET request (a consultation or an export) the row is written in a short transaction
    of its own, after the read (``ensure_write_lock``).
    """
    session = db.session
    ensure_write_lock(session())
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(CHAIN_LOCK_KEY)))
    actor = actor or _current_actor()
    if actor is None and actor_id is not None:
        actor = session.get(User, actor_id)
    prev = session.execute(
        sa.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    event = AuditEvent(
        at=clock.now().replace(microsecond=0),
        actor_id=actor.id if actor else None,
        actor_name=actor.name if actor else "System",
        action=Action(action),
        object_type=object_type,
        object_id=object_id,
        case_id=case_id,
        summary=summary,
        changes=changes or None,
        reason=reason,
        ip=request.remote_addr if has_request_context() else None,
        prev_hash=prev,
    )
    event.hash = compute_hash(event)
    session.add(event)
    session.flush()
    return event


@signals.audit_event.connect
def _on_audit_event(sender: object, **kwargs: Any) -> None:
    record(**kwargs)


def describe_changes(labels: dict[str, str], old: dict[str, Any], new: dict[str, Any]) -> tuple[
    dict[str, list[Any]], list[str]
]:
    """Return (changes as {field: [old, new]}, plain-language sentences) for fields that differ."""
    from casework.core.templating import display_value

    changes: dict[str, list[Any]] = {}
    sentences: list[str] = []
    for field, label in labels.items():
        before, after = old.get(field), new.get(field)
        if before == after:
            continue
        changes[field] = [_jsonable(before), _jsonable(after)]
        if before in (None, ""):
            sentences.append(f"{label} set to {display_value(after)}")
        elif after in (None, ""):
            sentences.append(f"{label} removed (was {display_value(before)})")
        else:
            sentences.append(f"{label} changed from {display_value(before)} to {display_value(after)}")
    return changes, sentences


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, str | int):
        return value.value
    if value is None or isinstance(value, str | int | bool | float):
        return value
    return str(value)


def iter_chain(batch: int = 5000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = db.session.execute(
            sa.select(AuditEvent).where(AuditEvent.id > last).order_by(AuditEvent.id).limit(batch)
        ).scalars().all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id
        db.session.expunge_all()


def verify_chain(events: Iterable[AuditEvent] | None = None) -> tuple[int, list[str]]:
    """Check every row's hash and its link to the previous row. Returns (rows checked, problems)."""
    problems: list[str] = []
    prev: str | None = None
    count = 0
    for event in events if events is not None else iter_chain():
        count += 1
        if event.prev_hash != prev:
            problems.append(f"row {event.id}: link to the previous row is broken")
        if compute_hash(event) != event.hash:
            problems.append(f"row {event.id}: contents do not match its hash (edited)")
        prev = event.hash
    return count, problems


def check_anchor(head: dict[str, Any]) -> str | None:
    """``head`` is a row recorded earlier (``{"id": ..., "hash": ...}``, e.g. from a backup
    manifest). The chain alone cannot tell that rows were cut off its end, or that the whole log
    was rewritten with fresh hashes; a remembered row can. Returns the problem, or None."""
    found = db.session.execute(
        sa.select(AuditEvent.hash).where(AuditEvent.id == int(head["id"]))).scalar_one_or_none()
    if found is None:
        return f"row {head['id']}: recorded in the anchor but missing (the log was cut short)"
    if found != head["hash"]:
        return f"row {head['id']}: hash differs from the anchor (the log was rewritten)"
    return None

