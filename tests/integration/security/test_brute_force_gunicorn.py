"""The failed sign-in limit holds across two real gunicorn workers.

gunicorn runs ``casework:create_app()`` with 2 sync workers on a fresh database (a SQLite file,
or a PostgreSQL database of its own when CASEWORK_TEST_DATABASE_URL points at PostgreSQL).
Threads fire wrong-password sign-ins at it, each with its own cookie jar and the CSRF token of
its own sign-in page. The access log records which worker (pid) answered each request.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from casework.audit.models import AuditEvent
from casework.auth import service as auth_service
from casework.auth.models import LoginThrottle
from casework.config import normalise_db_url
from casework.extensions import db
from tests.conftest import TEST_SECRET, make_app, migrate

pytestmark = pytest.mark.slow

LIMIT = 5
ATTEMPTS = 40
THREADS = 8
EMAIL = "brute.force@cps.example.gov.uk"
OTHER = "someone.else@cps.example.gov.uk"
PASSWORD = "the right passphrase for this account"
FAILED = "Enter a correct email address and password"
LOCKED = "Too many failed sign-in attempts"


@pytest.fixture
def database(tmp_path) -> Iterator[str]:
    base = os.environ.get("CASEWORK_TEST_DATABASE_URL", "")
    if not base.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'gunicorn.db'}"
        return
    name = f"cw_access_bf_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(normalise_db_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(database, tmp_path) -> Iterator[tuple[str, Path, object]]:
    app = make_app(database, LOGIN_FAILURE_LIMIT=LIMIT)
    migrate(app)
    with app.app_context():
        for email in (EMAIL, OTHER):
            auth_service.create_user(email=email, name="Brute Force", role="lawyer",
                                     unit_codes=["ocd"], password=PASSWORD)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    port = _free_port()
    log, errors = tmp_path / "access.log", tmp_path / "error.log"
    env = {**os.environ, "CASEWORK_DATABASE_URL": database, "CASEWORK_SECRET_KEY": TEST_SECRET,
           "CASEWORK_LOGIN_FAILURE_LIMIT": str(LIMIT), "CASEWORK_LOGIN_FAILURE_WINDOW_MINUTES": "15",
           "CASEWORK_ARGON2_TIME_COST": "1", "CASEWORK_ARGON2_MEMORY_KIB": "1024"}
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
         "--access-logfile", str(log), "--access-logformat", "%(p)s %(m)s %(U)s %(s)s",
         "casework:create_app()"],
        env=env, stdout=subprocess.DEVNULL, stderr=errors.open("wb"))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2)  # noqa: S310 - local server
                break
            except OSError as exc:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(errors.read_text()) from exc
                time.sleep(0.2)
        yield url, log, app
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def attempt(url: str, email: str, password: str) -> str:
    """One browser: fetch the sign-in page for a cookie and token, then sign in."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{url}/sign-in", timeout=60).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password})
    response = opener.open(f"{url}/sign-in", data=form.encode(), timeout=60)
    html = response.read().decode()
    if response.geturl().endswith("/home"):
        return "signed in"
    if LOCKED in html:
        return "locked"
    return "refused" if FAILED in html else "other"


def _error_text(url: str, email: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{url}/sign-in", timeout=60).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": "wrong pass 1"})
    html = opener.open(f"{url}/sign-in", data=form.encode(), timeout=60).read().decode()
    messages = re.findall(r'class="govuk-error-message">(.*?)</p>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", " ".join(messages))).strip()


def _audited(app, summary: str) -> int:
    with app.app_context():
        count = db.session.execute(sa.select(sa.func.count()).select_from(AuditEvent)
                                   .where(AuditEvent.summary == summary)).scalar_one()
        db.session.remove()
        return int(count)


def test_the_limit_holds_across_two_gunicorn_workers(server):
    url, log, app = server
    # Same answer for an unknown email and a wrong password (on another account's counter).
    unknown = _error_text(url, "nobody.here@cps.example.gov.uk")
    assert FAILED in unknown and unknown == _error_text(url, OTHER)

    results: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def run(share: int) -> None:
        try:
            barrier.wait()
            for _ in range(share):
                results.append(attempt(url, EMAIL, "a wrong password"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(ATTEMPTS // THREADS,)) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == []
    right_password = attempt(url, EMAIL, PASSWORD)
    with app.app_context():
        throttle = db.session.get(LoginThrottle, EMAIL)
        counted, locked = throttle.failures, throttle.locked_until is not None
        db.session.remove()
    failed = _audited(app, f"Failed sign-in for {EMAIL}")
    refused = _audited(app, f"Sign-in refused for {EMAIL}: account locked")
    lines = [line.split() for line in log.read_text().splitlines() if " /sign-in " in line]
    pids = Counter(line[0].strip("<>") for line in lines if line[1] == "POST")
    with app.app_context():
        db.engine.dispose()
    print(f"\n[brute-force] {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}: 2 workers "
          f"(pids {','.join(sorted(pids))}; sign-in posts {dict(pids)}), {ATTEMPTS} attempts, "
          f"limit {LIMIT}, counted {counted}, {'locked' if locked else 'NOT locked'}, "
          f"{failed + refused - 1} audit rows ({failed} failures, {refused - 1} refused as "
          f"locked); right password afterwards: {right_password}; answers {Counter(results)}")
    assert len(pids) == 2, "both workers must have served sign-ins"
    assert counted == LIMIT and locked
    assert Counter(results) == {"refused": LIMIT, "locked": ATTEMPTS - LIMIT}
    assert failed == LIMIT and refused == ATTEMPTS - LIMIT + 1  # + the right password's try
    assert right_password == "locked"
