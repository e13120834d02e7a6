"""The models and the migrations describe the same schema, and the audit table is append-only."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from casework.extensions import db


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_reference_data_exists(session):
    units = session.execute(sa.text("SELECT count(*) FROM units")).scalar_one()
    crime_types = session.execute(sa.text("SELECT code FROM crime_types")).scalars().all()
    assert units >= 19
    assert {"drugs", "firearms", "money_laundering", "fraud", "other"} <= set(crime_types)


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET summary = 'edited'",
    "DELETE FROM audit_events",
])
def test_audit_table_refuses_update_and_delete(session, users, statement):
    from casework.audit import service

    service.record("alter", object_type="test", object_id=1, summary="something happened")
    session.flush()
    nested = session.begin_nested()
    with pytest.raises(sa.exc.DatabaseError):
        session.execute(sa.text(statement))
    nested.rollback()
