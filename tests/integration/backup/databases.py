"""Databases of their own for tests that cannot use the rolled-back test transaction (pg_dump,
a restore that replaces everything, a trigger dropped to tamper with the audit log).

SQLite: a file under the test's tmp_path. PostgreSQL: a database cw_backup_<name>_<pid> on the
server of CASEWORK_TEST_DATABASE_URL (or 127.0.0.1:5432), so two runs at once never share one;
each is dropped at the end of the run. Without a server the PostgreSQL case is skipped on a
developer's machine and fails under CI or when CASEWORK_TEST_DATABASE_URL names PostgreSQL.
"""

from __future__ import annotations

import atexit
import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from casework.config import normalise_db_url
from tests.conftest import reset_database

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432"
BACKENDS = ["sqlite", "postgresql"]


_created: list[str] = []


def pg_server() -> str:
    url = os.environ.get("CASEWORK_TEST_DATABASE_URL") or ""
    if not url.startswith("postgres"):
        return DEFAULT_SERVER
    return url.rpartition("/")[0]


def pg_database(name: str) -> str | None:
    """URL of an existing-or-created PostgreSQL database for this run; None: no server."""
    server = pg_server()
    target = f"cw_backup_{name}_{os.getpid()}"
    try:
        engine = sa.create_engine(normalise_db_url(f"{server}/postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                  {"n": target}).scalar()
            if not exists:
                conn.exec_driver_sql(f'CREATE DATABASE "{target}"')
                if not _created:
                    atexit.register(_drop_created)
                _created.append(target)
        engine.dispose()
    except sa.exc.OperationalError:
        return None
    return f"{server}/{target}"


def _drop_created() -> None:
    engine = sa.create_engine(normalise_db_url(f"{pg_server()}/postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for name in _created:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except sa.exc.OperationalError:
        pass
    finally:
        engine.dispose()


def empty_database(backend: str, name: str, tmp_path: Path) -> str:
    """A URL of an empty database for ``backend`` (no tables)."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / (name + '.db')}"
    else:
        found = pg_database(name)
        if found is None:
            asked = os.environ.get("CASEWORK_TEST_DATABASE_URL", "").startswith("postgres")
            if os.environ.get("CI") or asked:
                pytest.fail(f"PostgreSQL at {pg_server()} is needed for the backup and audit tests")
            pytest.skip("no PostgreSQL server reachable at 127.0.0.1:5432")
        url = found
    reset_database(url)
    return url
