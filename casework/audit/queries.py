from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.core.pagination import SortKey

NEWEST_FIRST = [SortKey(AuditEvent.id, descending=True, kind="int")]


def audit_log(*, action: str | None = None, object_type: str | None = None,
              actor_id: int | None = None) -> sa.Select[Any]:
    stmt = sa.select(AuditEvent)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if object_type:
        stmt = stmt.where(AuditEvent.object_type == object_type)
    if actor_id:
        stmt = stmt.where(AuditEvent.actor_id == actor_id)
    return stmt


def case_history(case_id: int, limit: int = 200) -> sa.Select[Any]:
    """Changes to the case and its records, newest first (consultations excluded: they are in
    the audit log, and the case page itself is one)."""
    return (sa.select(AuditEvent).where(AuditEvent.case_id == case_id, AuditEvent.action != "consult")
            .order_by(AuditEvent.id.desc()).limit(limit))
