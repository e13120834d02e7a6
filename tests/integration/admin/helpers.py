from __future__ import annotations

import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.extensions import db


def audit_count(**where: object) -> int:
    stmt = sa.select(sa.func.count()).select_from(AuditEvent)
    for column, value in where.items():
        stmt = stmt.where(getattr(AuditEvent, column) == value)
    return int(db.session.execute(stmt).scalar_one())


def last_audit() -> AuditEvent:
    return db.session.execute(
        sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).scalar_one()
