"""Backups round-trip (QUALITY.md): `flask backup create`, change and delete data, `flask backup
restore`: every table's digest and the migration head equal the original; the audit hash chain
still verifies and the append-only triggers still refuse UPDATE/DELETE after the restore.

Each backend gets a database of its own (pg_dump cannot see the rolled-back test transaction):
a SQLite file, or PostgreSQL databases cw_backup_src / cw_backup_dst.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Flask

from casework import ROOT
from casework.audit import service as audit_service
from casework.backup import digests
from casework.core import clock
from casework.extensions import db
from tests.conftest import make_app, migrate
from tests.integration.backup.databases import BACKENDS, empty_database

FROZEN = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def migration_head() -> str:
    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    return str(ScriptDirectory.from_config(cfg).get_current_head())


def cli(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=list(args), catch_exceptions=False)


def live_digests(app: Flask) -> tuple[str | None, dict[str, digests.TableDigest]]:
    with app.app_context(), db.engine.connect() as conn:
        return digests.migration_head(conn), digests.all_digests(conn)


@pytest.fixture(scope="module", params=BACKENDS)
def loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[str, Flask]]:
    """A migrated database holding the small demo profile (seed 1, clock frozen). Each test
    leaves it as it found it (the round trip restores it)."""
    backend = request.param
    tmp_path = tmp_path_factory.mktemp(f"backup-{backend}")
    app = make_app(empty_database(backend, "src", tmp_path))
    app.instance_path = str(tmp_path / "instance")
    migrate(app)
    with clock.frozen(FROZEN):
        result = cli(app, "demo", "load", "--profile", "small", "--seed", "1")
    assert result.exit_code == 0, result.output
    yield backend, app
    with app.app_context():
        db.engine.dispose()


def _damage(app: Flask) -> str:
    """Delete, change and add rows the way a bad day would; returns a description."""
    with app.app_context():
        conn = db.session.connection()
        hearings = conn.exec_driver_sql("DELETE FROM hearings").rowcount
        conn.exec_driver_sql("UPDATE cases SET name = 'Overwritten by mistake'")
        conn.exec_driver_sql("DELETE FROM compliance_checks")
        audit_service.record("alter", object_type="case", object_id=1, summary="written after the backup")
        db.session.commit()
        db.engine.dispose()
    return (f"{hearings} hearings deleted, every case name changed, compliance checks deleted, "
            "1 audit row added")


def test_backup_and_restore_round_trip(loaded: tuple[str, Flask], tmp_path: Path) -> None:
    backend, app = loaded
    head_before, before = live_digests(app)
    assert head_before == migration_head()

    backup = tmp_path / "backups" / ("casework" + (".sqlite3" if backend == "sqlite" else ".dump"))
    created = cli(app, "backup", "create", "--out", str(backup))
    assert created.exit_code == 0, created.output
    assert "Backup written" in created.output
    manifest = json.loads((backup.parent / (backup.name + ".manifest.json")).read_text())
    assert manifest["migration_head"] == head_before
    assert manifest["tables"] == {name: d.as_dict() for name, d in before.items()}
    assert cli(app, "backup", "verify", str(backup)).exit_code == 0

    damage = _damage(app)
    assert live_digests(app)[1] != before

    refused = app.test_cli_runner().invoke(args=["backup", "restore", str(backup)], input="n\n")
    assert refused.exit_code != 0 and "Aborted" in refused.output
    restored = cli(app, "backup", "restore", str(backup), "--yes")
    assert restored.exit_code == 0, restored.output
    assert f"digests equal, migration head {head_before}" in restored.output

    head_after, after = live_digests(app)
    assert head_after == head_before
    unequal = [name for name in before if before[name] != after.get(name)]
    assert unequal == [] and set(after) == set(before)

    chain = cli(app, "audit", "verify")
    assert chain.exit_code == 0, chain.output
    with app.app_context(), db.engine.connect() as conn:
        for statement in ("UPDATE audit_events SET summary = 'edited'", "DELETE FROM audit_events"):
            with pytest.raises(sa.exc.DatabaseError, match="append-only"), conn.begin():
                conn.exec_driver_sql(statement)
        if backend == "postgresql":
            with pytest.raises(sa.exc.DatabaseError, match="append-only"), conn.begin():
                conn.exec_driver_sql("UPDATE confiscation_payments SET amount = 0")

    rows = sum(d.rows for d in after.values())
    print(f"\n[backup] {backend}: {len(after)} tables, {rows:,} rows, digests equal, head {head_after}"
          f" (after: {damage}); audit chain {chain.output.strip()}")


def test_restore_into_an_empty_database(loaded: tuple[str, Flask], tmp_path: Path) -> None:
    """Disaster recovery: the backup alone rebuilds the database somewhere new, triggers included."""
    backend, app = loaded
    backup = tmp_path / ("full" + (".sqlite3" if backend == "sqlite" else ".dump"))
    assert cli(app, "backup", "create", "--out", str(backup)).exit_code == 0
    _, source = live_digests(app)

    fresh = make_app(empty_database(backend, "dst", tmp_path))
    result = cli(fresh, "backup", "restore", str(backup), "--yes")
    assert result.exit_code == 0, result.output
    head, copied = live_digests(fresh)
    assert head == migration_head() and copied == source
    assert cli(fresh, "audit", "verify").exit_code == 0
    with (fresh.app_context(), db.engine.connect() as conn,
          pytest.raises(sa.exc.DatabaseError, match="append-only"), conn.begin()):
        conn.exec_driver_sql("DELETE FROM audit_events")
    with fresh.app_context():
        db.engine.dispose()
    print(f"\n[backup] {backend}: restored into an empty database: {len(copied)} tables, "
          f"{sum(d.rows for d in copied.values()):,} rows, digests equal, head {head}")


def test_sqlite_and_postgresql_digests_agree(tmp_path: Path) -> None:
    """The same demo data (same seed, same frozen clock) gives the same digests on both backends,
    except where the data itself differs: argon2 password salts are random, and the alerts
    sweep creates emails for alerts due on the same day in an order the backends choose, so
    their ids differ. Each backend is built here, whichever worker runs the round trips."""
    tables = {}
    for backend in BACKENDS:
        app = make_app(empty_database(backend, "cross", tmp_path))
        migrate(app)
        with clock.frozen(FROZEN):
            result = cli(app, "demo", "load", "--profile", "small", "--seed", "1")
        assert result.exit_code == 0, result.output
        _, found = live_digests(app)
        tables[backend] = {name: (d.rows, d.sha256) for name, d in found.items()}
        with app.app_context():
            db.engine.dispose()
    lite, pg = tables["sqlite"], tables["postgresql"]
    assert set(lite) == set(pg)
    differ = sorted(name for name in lite if lite[name] != pg[name])
    print(f"\n[backup] sqlite vs postgresql: {len(lite) - len(differ)} of {len(lite)} tables equal; "
          f"differ: {', '.join(differ) or 'none'}")
    assert all(lite[name][0] == pg[name][0] for name in lite)
    assert set(differ) <= {"users", "email_messages"}


def test_default_name_and_refusals_leave_the_database_alone(loaded: tuple[str, Flask],
                                                            tmp_path: Path) -> None:
    """No --out: a timestamped file under instance/backups. A damaged backup, a backup of the
    other backend and a missing manifest are refused with one line, before anything is replaced."""
    backend, app = loaded
    _, before = live_digests(app)
    with clock.frozen(FROZEN):
        created = cli(app, "backup", "create")
        again = app.test_cli_runner().invoke(args=["backup", "create"])
    assert created.exit_code == 0, created.output
    path = Path(created.output.split("Backup written: ", 1)[1].splitlines()[0])
    assert path.parent == Path(app.instance_path) / "backups"
    assert path.name == "casework-20260302T090000Z" + (".sqlite3" if backend == "sqlite" else ".dump")
    assert again.exit_code == 1 and "already exists" in again.output

    damaged = tmp_path / ("damaged" + path.suffix)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    (tmp_path / (damaged.name + ".manifest.json")).write_text(
        (path.parent / (path.name + ".manifest.json")).read_text())
    other = tmp_path / ("other" + (".dump" if backend == "sqlite" else ".sqlite3"))
    other.write_bytes(b"not this backend")
    (tmp_path / (other.name + ".manifest.json")).write_text(json.dumps({
        **json.loads((path.parent / (path.name + ".manifest.json")).read_text()),
        "backend": "postgresql" if backend == "sqlite" else "sqlite",
        "file_sha256": hashlib.sha256(b"not this backend").hexdigest()}))
    bare = tmp_path / ("bare" + path.suffix)
    bare.write_bytes(path.read_bytes())
    reasons = {}
    for name, file in (("damaged", damaged), ("other backend", other), ("no manifest", bare),
                       ("missing", tmp_path / "nothing.dump")):
        result = app.test_cli_runner().invoke(args=["backup", "restore", str(file), "--yes"])
        assert result.exit_code == 1, (name, result.output)
        reasons[name] = result.output.strip()
        assert len(reasons[name].splitlines()) == 1 and reasons[name].startswith("Error: "), (name, result)
    assert "does not match its manifest" in reasons["damaged"]
    assert "backup; the database is" in reasons["other backend"]
    assert "no manifest" in reasons["no manifest"]
    assert live_digests(app)[1] == before
    print(f"\n[backup] {backend}: {len(reasons)} bad restores refused, database unchanged: "
          + "; ".join(f"{k}: {v.removeprefix('Error: ')}" for k, v in reasons.items()))
