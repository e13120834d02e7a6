"""The failed sign-in limit is counted in the database, so it holds across workers.

Two ``create_app()`` instances stand in for two gunicorn workers: separate engines and
connection pools on one database (a fresh SQLite file, or a fresh PostgreSQL database when
CASEWORK_TEST_DATABASE_URL points at PostgreSQL). Nothing here runs inside the rolled-back test
transaction, because the workers must see each other's commits.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from casework.audit.models import AuditEvent
from casework.auth import service as auth_service
from casework.auth.models import LoginThrottle
from casework.config import normalise_db_url
from casework.extensions import db
from tests.conftest import Client, make_app, migrate

LIMIT = 4
PASSWORD = "the right passphrase for this account"
EMAIL = "shared.limit@cps.example.gov.uk"


@pytest.fixture
def shared_url(tmp_path) -> Iterator[str]:
    base = os.environ.get("CASEWORK_TEST_DATABASE_URL", "")
    if not base.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'workers.db'}"
        return
    name = f"cw_workers_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(normalise_db_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def workers(shared_url):
    apps = [make_app(shared_url, LOGIN_FAILURE_LIMIT=LIMIT, LOGIN_FAILURE_WINDOW_MINUTES=15)
            for _ in range(2)]
    migrate(apps[0])
    with apps[0].app_context():
        auth_service.create_user(email=EMAIL, name="Shared Limit", role="analyst",
                                 unit_codes=["ocd"], password=PASSWORD)
        db.session.commit()
    for app in apps:
        app.test_client_class = Client
    yield apps
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _attempt(app, password: str) -> str:
    client = app.test_client()
    response = client.form("/sign-in", {"email": EMAIL, "password": password})
    if response.status_code == 302:
        return "signed in"
    html = response.get_data(as_text=True)
    return "locked" if "Too many failed sign-in attempts" in html else "refused"


def _state(app) -> tuple[int, int]:
    with app.app_context():
        throttle = db.session.get(LoginThrottle, EMAIL)
        audited = db.session.execute(
            sa.select(sa.func.count()).select_from(AuditEvent)
            .where(AuditEvent.summary == f"Failed sign-in for {EMAIL}")).scalar_one()
        db.session.remove()
        return (throttle.failures if throttle else 0), audited


def test_failures_on_two_workers_add_up_to_one_limit(workers):
    a, b = workers
    engines = set()
    for app in workers:
        with app.app_context():
            engines.add(id(db.engine))
    assert len(engines) == 2  # really two pools, as two processes would have
    results = [_attempt(workers[i % 2], "a wrong password") for i in range(LIMIT)]
    assert results == ["refused"] * LIMIT
    assert _state(a) == (LIMIT, LIMIT) == _state(b)
    # Neither worker lets the right password in now, though each saw only half the failures.
    assert _attempt(a, PASSWORD) == "locked"
    assert _attempt(b, PASSWORD) == "locked"


def test_limit_holds_under_concurrent_attempts_on_both_workers(workers):
    """Attempts raced from threads on both workers: no increment is lost or doubled, the
    account ends locked, and the right password is then refused on both."""
    attempts = LIMIT * 3
    barrier = threading.Barrier(attempts)
    results: list[str] = []
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results.append(_attempt(workers[i % 2], "a wrong password"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert len(results) == attempts and "signed in" not in results
    failures, audited = _state(workers[0])
    # Attempts are serialised on the counter row: exactly LIMIT are counted and audited as
    # failures, every later one is refused as locked without being checked.
    assert (failures, audited) == (LIMIT, LIMIT)
    assert results.count("refused") == LIMIT
    assert results.count("locked") == attempts - LIMIT
    assert _attempt(workers[0], PASSWORD) == "locked"
    assert _attempt(workers[1], PASSWORD) == "locked"
