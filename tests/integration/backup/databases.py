"""Databases of their own for tests that cannot use the rolled-back test transaction (pg_dump,
a restore that replaces everything, a trigger dropped to tamper with the audit log).

SQLite: a file under the test's tmp_path. PostgreSQL: a database named cw_backup_<name> on the
server of CASEWORK_TEST_DATABASE_URL (or 127.0.0.1:5432), emptied first. Without a server the
PostgreSQL case is skipped locally and fails under CI.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from casework.config import normalise_db_url
from tests.conftest import reset_database

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432"
BACKENDS = ["sqlite", "postgresql"]


def pg_server() -> str:
    url = os.environ.get("CASEWORK_TEST_DATABASE_URL") or ""
    if not url.startswith("postgres"):
        return DEFAULT_SERVER
    return url.rpartition("/")[0]


def pg_database(name: str) -> str | None:
    """URL of an existing-or-created PostgreSQL database ``cw_backup_<name>``; None: no server."""
    server = pg_server()
    target = f"cw_backup_{name}"
    try:
        engine = sa.create_engine(normalise_db_url(f"{server}/postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                  {"n": target}).scalar()
            if not exists:
                conn.exec_driver_sql(f'CREATE DATABASE "{target}"')
        engine.dispose()
    except sa.exc.OperationalError:
        return None
    return f"{server}/{target}"


def empty_database(backend: str, name: str, tmp_path: Path) -> str:
    """A URL of an empty database for ``backend`` (no tables)."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / (name + '.db')}"
    else:
        found = pg_database(name)
        if found is None:
            if os.environ.get("CI"):
                pytest.fail("CI needs PostgreSQL at 127.0.0.1:5432 for the backup and audit tests")
            pytest.skip("no PostgreSQL server reachable at 127.0.0.1:5432")
        url = found
    reset_database(url)
    return url
