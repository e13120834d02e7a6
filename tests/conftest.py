"""Test set-up shared by every test.

The schema is built once per run with the real migrations (never ``create_all``). Each
integration test runs inside a transaction that is rolled back at the end: the app's session is
bound to one connection with ``join_transaction_mode="create_savepoint"``, so the app's own
commits only release savepoints. Set CASEWORK_TEST_DATABASE_URL to run on PostgreSQL.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_sqlalchemy.session import _app_ctx_id

from casework import create_app
from casework.extensions import db

TEST_SECRET = "test-secret-key-that-is-long-enough-for-the-checks-0123456789"

#: A figure a reliability, abuse or access test prints: "[name] what was tried, what was found".
FIGURE_LINE = re.compile(r"^\[[\w .-]+\] ")
_figures: list[str] = []


def _own_worker_database() -> None:
    """Under pytest-xdist each worker gets its own PostgreSQL database (``<name>_gw0``...), so
    the workers never rebuild each other's schema; tests that derive further databases from
    CASEWORK_TEST_DATABASE_URL follow it. SQLite needs nothing: each worker has its own files."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("CASEWORK_TEST_DATABASE_URL", "")
    if not worker or not url.startswith("postgres"):
        return
    from sqlalchemy.engine import make_url

    from casework.config import normalise_db_url

    parsed = make_url(normalise_db_url(url))
    own = f"{parsed.database}_{worker}"
    engine = sa.create_engine(parsed, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": own}).scalar():
            conn.exec_driver_sql(f'CREATE DATABASE "{own}"')
    engine.dispose()
    os.environ["CASEWORK_TEST_DATABASE_URL"] = make_url(url).set(database=own).render_as_string(
        hide_password=False)


def pytest_configure(config: Any) -> None:
    _own_worker_database()


def pytest_runtest_logreport(report: Any) -> None:
    """Collect the figures tests print (captured output travels with the report, also from
    xdist workers) to repeat them together at the end of the run. The teardown report carries
    the output of all three phases."""
    if report.when != "teardown":
        return
    for name, content in report.sections:
        if "stdout" in name:
            _figures.extend(line for line in content.splitlines() if FIGURE_LINE.match(line))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _figures:
        terminalreporter.section("figures")
        for line in _figures:
            terminalreporter.write_line(line)


def _database_url(tmp_dir: Path, name: str = "test") -> str:
    url = os.environ.get("CASEWORK_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_dir / (name + '.db')}"


def reset_database(url: str) -> None:
    """Start from an empty database (PostgreSQL: drop and recreate the public schema)."""
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
        return
    from casework.config import normalise_db_url

    engine = sa.create_engine(normalise_db_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def migrate(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


def make_app(url: str, **overrides: Any) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": url,
        "SERVER_NAME": None,
        # Cheap argon2id costs: the tests check the sign-in rules, not the hash's cost.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_KIB": 1024,
        **overrides,
    }
    return create_app(config)


@pytest.fixture(scope="session")
def tmp_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="casework-tests-") as d:
        yield Path(d)


@pytest.fixture(scope="session")
def database_url(tmp_dir: Path) -> str:
    url = _database_url(tmp_dir)
    reset_database(url)
    return url


@pytest.fixture(scope="session")
def app(database_url: str) -> Flask:
    application = make_app(database_url)
    migrate(application)
    return application


@pytest.fixture
def session(app: Flask) -> Iterator[Any]:
    """A database session whose work is rolled back after the test."""
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        # A plain Session bound to the connection (Flask-SQLAlchemy's Session would look the
        # engine up by table and bypass the outer transaction).
        scoped = sa.orm.scoped_session(
            sa.orm.sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=_app_ctx_id,
        )
        original = db.session
        db.session = scoped
        try:
            yield scoped
        finally:
            scoped.remove()
            db.session = original
            if transaction.is_active:
                transaction.rollback()
            connection.close()


class Client(FlaskClient):
    """Test client that adds the session's CSRF token to form posts unless told not to.

    The test holds an app context open (for the rolled-back session), and Flask reuses a pushed
    app context for requests, so ``g`` is cleared before each request as a fresh context would be.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        from flask import g, has_app_context

        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        html = self.get("/accessibility").get_data(as_text=True)
        match = re.search(r'name="csrf_token" value="([^"]+)"', html)
        if match is None:  # signed out: the sign-in form carries one
            html = self.get("/sign-in").get_data(as_text=True)
            match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
        assert match, "no CSRF token found"
        return match.group(1)

    def form(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        payload = dict(data or {})
        payload.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=payload, **kwargs)


@pytest.fixture
def client(app: Flask, session: Any) -> Client:
    app.test_client_class = Client
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def users(session: Any) -> Any:
    from tests import factories

    return factories.standard_users()


def sign_in_as(client: Client, user: Any) -> Client:
    """Sign in without the password round trip: a real server-side session record is created."""
    from casework.auth import service

    record = service.start_session(user)
    db.session.commit()
    with client.session_transaction() as s:
        s["sid"] = record.id
        s["_user_id"] = str(user.id)
        s["_fresh"] = True
    return client


@pytest.fixture
def as_user(client: Client) -> Any:
    def _as(user: Any) -> Client:
        return sign_in_as(client, user)

    return _as
