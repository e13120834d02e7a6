"""The audit log cannot be changed quietly (QUALITY.md "audit"):

- the database refuses UPDATE, DELETE (and on PostgreSQL TRUNCATE) on audit_events: triggers;
- on PostgreSQL the app can run as a role locked down by `flask audit lock-down`, which is
  refused with "permission denied" even after the owner has disabled the trigger;
- with the trigger out of the way (as only the owner could), `flask audit verify` detects an
  edited row, an edited row with a recomputed hash, a deleted row and a forged row, and names
  the first bad row.

Each test has a database of its own: triggers are dropped and rows forged for real.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from casework.audit import service
from casework.audit.models import AuditEvent
from casework.config import normalise_db_url
from casework.core import clock
from casework.extensions import db
from tests.conftest import make_app, migrate
from tests.integration.backup.databases import BACKENDS, empty_database

ROWS = 40
START = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(params=BACKENDS)
def chain(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """A migrated database of its own with ROWS audit rows in one intact chain."""
    backend = request.param
    app = make_app(empty_database(backend, "audit", tmp_path))
    migrate(app)
    with app.app_context():
        for n in range(ROWS):
            with clock.frozen(START + dt.timedelta(minutes=n)):
                service.record("alter", object_type="case", object_id=n % 7 + 1, case_id=n % 7 + 1,
                               summary=f"Change number {n}", changes={"n": [n, n + 1]})
        db.session.commit()
    yield backend, app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def verify(app: Flask) -> Any:
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def without_trigger(app: Flask, backend: str, *statements: str, params: dict[str, Any] | None = None) -> None:
    """Run ``statements`` as the owner with the append-only trigger out of the way."""
    with app.app_context(), db.engine.begin() as conn:
        if backend == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER audit_events_no_update")
            conn.exec_driver_sql("DROP TRIGGER audit_events_no_delete")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
        for statement in statements:
            conn.execute(sa.text(statement), params or {})


def ids(app: Flask) -> list[int]:
    with app.app_context():
        return list(db.session.execute(sa.select(AuditEvent.id).order_by(AuditEvent.id)).scalars())


def test_intact_chain_verifies_and_the_table_refuses_changes(chain: tuple[str, Flask]) -> None:
    backend, app = chain
    result = verify(app)
    assert result.exit_code == 0 and f"{ROWS} rows checked" in result.output
    statements = ["UPDATE audit_events SET summary = 'edited' WHERE id = 3",
                  "DELETE FROM audit_events WHERE id = 3", "DELETE FROM audit_events"]
    if backend == "postgresql":
        statements.append("TRUNCATE audit_events")
    refused = 0
    with app.app_context(), db.engine.connect() as conn:
        for statement in statements:
            with pytest.raises(sa.exc.DatabaseError, match="append-only"), conn.begin():
                conn.exec_driver_sql(statement)
            refused += 1
        assert conn.execute(sa.select(sa.func.count()).select_from(AuditEvent)).scalar_one() == ROWS
    assert verify(app).exit_code == 0
    print(f"\n[audit] {backend}: {refused} of {len(statements)} UPDATE/DELETE/TRUNCATE refused by the "
          f"database, {ROWS} rows intact")


TAMPERING = {
    "edited row": ("UPDATE audit_events SET summary = 'Nothing happened' WHERE id = :k", "edited"),
    "edited actor": ("UPDATE audit_events SET actor_name = 'Someone else' WHERE id = :k", "edited"),
    "edited address": ("UPDATE audit_events SET ip = '203.0.113.9' WHERE id = :k", "edited"),
    "deleted row": ("DELETE FROM audit_events WHERE id = :k", "link"),
}


@pytest.mark.parametrize("kind", sorted(TAMPERING))
def test_verify_names_the_first_tampered_row(chain: tuple[str, Flask], kind: str) -> None:
    backend, app = chain
    k = ids(app)[ROWS // 2]
    statement, problem = TAMPERING[kind]
    without_trigger(app, backend, statement, params={"k": k})
    result = verify(app)
    bad_row = k if problem == "edited" else k + 1  # a deletion shows at the next row's link
    assert result.exit_code != 0
    first_line = result.output.strip().splitlines()[-1]
    assert f"broken at row {bad_row}:" in first_line, result.output
    assert ("edited" if problem == "edited" else "link to the previous row is broken") in first_line
    print(f"\n[audit] {backend}: {kind} (row {k}) detected: {first_line}")


def test_rewritten_row_with_a_recomputed_hash_breaks_the_next_link(chain: tuple[str, Flask]) -> None:
    """A forger who edits a row and recomputes its own hash still breaks the next row's link."""
    backend, app = chain
    k = ids(app)[ROWS // 2]
    with app.app_context():
        event = db.session.get(AuditEvent, k)
        assert event is not None
        event.summary = "Nothing happened"
        forged = service.compute_hash(event)
        db.session.expunge(event)
    without_trigger(app, backend, "UPDATE audit_events SET summary = 'Nothing happened', hash = :h "
                                  "WHERE id = :k", params={"h": forged, "k": k})
    result = verify(app)
    assert result.exit_code != 0
    assert f"broken at row {k + 1}: link to the previous row is broken" in result.output
    print(f"\n[audit] {backend}: rewritten row {k} with recomputed hash detected at row {k + 1}")


def test_forged_rows_are_detected(chain: tuple[str, Flask]) -> None:
    """A row inserted in the middle (in the gap of a deleted one) and one appended at the end
    with a made-up hash are both found; the middle one is reported first."""
    backend, app = chain
    all_ids = ids(app)
    k, last = all_ids[10], all_ids[-1]
    columns = ("id, at, actor_name, action, object_type, object_id, case_id, summary, prev_hash, hash")
    values = ("(:id, :at, 'Forger', 'alter', 'case', 1, 1, 'Forged entry', :prev, :hash)")
    with app.app_context():
        prev_of_k = db.session.get(AuditEvent, k - 1)
        assert prev_of_k is not None
        prev = prev_of_k.hash
        db.session.remove()
    forged = uuid.uuid4().hex * 2
    without_trigger(app, backend, "DELETE FROM audit_events WHERE id = :k",
                    f"INSERT INTO audit_events ({columns}) VALUES {values}",
                    params={"k": k, "id": k, "at": START.replace(tzinfo=None), "prev": prev,
                            "hash": forged})
    with app.app_context(), db.engine.begin() as conn:
        # Appended at the end: the hash is made up, the link to the last real row is right.
        tail = conn.execute(sa.select(AuditEvent.hash).where(AuditEvent.id == last)).scalar_one()
        conn.execute(sa.text(f"INSERT INTO audit_events ({columns}) VALUES {values}"),
                     {"id": last + 1, "at": START.replace(tzinfo=None), "prev": tail, "hash": "0" * 64})
    result = verify(app)
    assert result.exit_code != 0
    assert f"broken at row {k}: contents do not match its hash (edited)" in result.output
    assert f"row {last + 1}: contents do not match its hash (edited)" in result.output
    print(f"\n[audit] {backend}: forged rows {k} (middle) and {last + 1} (end) detected")


@pytest.mark.parametrize("kind", ["cut short", "last row rewritten"])
def test_an_anchor_catches_what_the_chain_alone_cannot(chain: tuple[str, Flask], tmp_path: Path,
                                                       kind: str) -> None:
    """Deleting the newest rows, or rewriting the newest row with a fresh hash, leaves a chain
    that is valid by itself; the audit head recorded in a backup manifest exposes both."""
    backend, app = chain
    backup = tmp_path / ("anchor" + (".sqlite3" if backend == "sqlite" else ".dump"))
    assert app.test_cli_runner().invoke(args=["backup", "create", "--out", str(backup)]).exit_code == 0
    manifest = backup.with_name(backup.name + ".manifest.json")
    last = ids(app)[-1]
    if kind == "cut short":
        without_trigger(app, backend, "DELETE FROM audit_events WHERE id > :k", params={"k": last - 5})
    else:
        with app.app_context():
            event = db.session.get(AuditEvent, last)
            assert event is not None
            event.summary = "Nothing happened"
            forged = service.compute_hash(event)
            db.session.expunge(event)
        without_trigger(app, backend, "UPDATE audit_events SET summary = 'Nothing happened', hash = :h "
                                      "WHERE id = :k", params={"h": forged, "k": last})
    alone = verify(app)
    anchored = app.test_cli_runner().invoke(args=["audit", "verify", "--anchor", str(manifest)])
    assert alone.exit_code == 0  # the limit of a chain without an anchor
    assert anchored.exit_code != 0
    reason = "cut short" if kind == "cut short" else "rewritten"
    assert f"broken at row {last}:" in anchored.output and reason in anchored.output
    print(f"\n[audit] {backend}: {kind}: chain alone passes, with the backup's anchor: "
          f"{anchored.output.strip().splitlines()[-1]}")


def test_locked_down_role_cannot_change_the_audit_log(tmp_path: Path) -> None:
    """PostgreSQL privileges: the app's role holds SELECT and INSERT on the append-only tables
    only, so UPDATE/DELETE/TRUNCATE fail with "permission denied" even with the trigger disabled;
    the app itself still works as that role (it writes and verifies audit rows)."""
    url = empty_database("postgresql", "audit_roles", tmp_path)
    owner = make_app(url)
    migrate(owner)
    role = f"cw_backup_app_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(normalise_db_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
    try:
        refused = _check_locked_down(owner, url, role)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP OWNED BY {role}")
            conn.exec_driver_sql(f"DROP ROLE {role}")
        admin.dispose()
        with owner.app_context():
            db.engine.dispose()
    print(f"\n[audit] postgresql: locked-down app role: {refused} of 7 statements refused (UPDATE/DELETE/"
          f"TRUNCATE on the append-only tables with their triggers disabled, alembic_version, DROP "
          f"TRIGGER); its own audit rows written and verified")


def _check_locked_down(owner: Flask, url: str, role: str) -> int:
    result = owner.test_cli_runner().invoke(args=["audit", "lock-down", "--role", role])
    assert result.exit_code == 0, result.output
    assert f"{role} on audit_events: SELECT, INSERT" in result.output
    assert f"{role} on confiscation_payments: SELECT, INSERT" in result.output
    with owner.app_context(), db.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
        conn.exec_driver_sql(
            "ALTER TABLE confiscation_payments DISABLE TRIGGER confiscation_payments_append_only")

    app = make_app(url.rsplit("://", 1)[0] + f"://{role}@" + url.split("@", 1)[1])
    with app.app_context():
        service.record("alter", object_type="case", object_id=1, summary="written by the app role")
        db.session.commit()
        assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0
        refused = 0
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT current_user")).scalar() == role
            conn.rollback()
            for statement in ("UPDATE audit_events SET summary = 'edited'", "DELETE FROM audit_events",
                              "TRUNCATE audit_events", "UPDATE confiscation_payments SET amount = 0",
                              "DELETE FROM confiscation_payments",
                              "UPDATE alembic_version SET version_num = 'x'",
                              "DROP TRIGGER audit_events_append_only ON audit_events"):
                with pytest.raises(sa.exc.ProgrammingError,
                                   match="permission denied|must be owner"), conn.begin():
                    conn.exec_driver_sql(statement)
                refused += 1
            with conn.begin():  # ordinary tables stay writable for the app
                conn.exec_driver_sql("UPDATE units SET name = name")
        db.engine.dispose()
    wrong = owner.test_cli_runner().invoke(args=["audit", "lock-down", "--role", "Robert'); DROP"])
    assert wrong.exit_code != 0 and "Role names are" in wrong.output
    return refused
