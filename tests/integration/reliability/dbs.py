"""A database of its own for each multi-process test: processes cannot share the rolled-back
test transaction, so each test gets a fresh, migrated database.

The database follows CASEWORK_TEST_DATABASE_URL as the rest of the suite does: unset, a SQLite
file under the test's temporary directory; set (PostgreSQL), a sibling database named after
it, so ``make test-slow`` exercises each database once per run. A PostgreSQL server that cannot
be reached is a failure, never a skip: the variable says the run is meant to use it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tests.conftest import make_app, migrate, reset_database


def kind() -> str:
    url = os.environ.get("CASEWORK_TEST_DATABASE_URL", "")
    return "postgresql" if url.startswith("postgres") else "sqlite"


def own_database(tmp_path: Path, purpose: str) -> str:
    """An empty database URL for this test (SQLite file, or PostgreSQL ``<test db>_<purpose>``)."""
    url = os.environ.get("CASEWORK_TEST_DATABASE_URL", "")
    if not url.startswith("postgres"):
        target = f"sqlite:///{tmp_path / (purpose + '.db')}"
        reset_database(target)
        return target
    from casework.config import normalise_db_url

    base, _, name = url.rpartition("/")
    own = f"{name}_{purpose}"
    engine = sa.create_engine(normalise_db_url(f"{base}/postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{own}"')
    finally:
        engine.dispose()
    return f"{base}/{own}"


def migrated_app(url: str, **config: Any) -> Any:
    app = make_app(url, **config)
    migrate(app)
    return app


def label(url: str) -> str:
    return "postgresql" if url.startswith("postgres") else "sqlite"
