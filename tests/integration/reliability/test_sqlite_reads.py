"""SQLite: a page that reads never holds the write lock while it reads.

Every other transaction on SQLite begins IMMEDIATE (it takes the write lock first, so a read
followed by a write can never meet a stale snapshot). GET and HEAD requests begin DEFERRED
instead, and take the lock only for the short writes they make (the consultation audit row, the
session's last-seen time) through ``ensure_write_lock``. Without that, one 9-second national
report held the lock for 9 seconds and the office's saves queued behind it past the busy
timeout.

These run on a real SQLite file whatever database the rest of the suite uses: no outer test
transaction, each request in its own application context as in service.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.cases import views_defendant
from casework.core import clock
from casework.core.db import ensure_write_lock
from casework.extensions import db
from casework.units.models import Unit
from tests import factories
from tests.conftest import Client, make_app, migrate, reset_database, sign_in_as
from tests.integration.security.world import TODAY, Actors, build_world, csrf_token, walk_gets

LATER_NOON = dt.datetime.combine(TODAY, dt.time(12, 2), tzinfo=clock.LONDON)  # sessions get touched


@pytest.fixture
def sqlite_app(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'reads.db'}"
    reset_database(url)
    app = make_app(url)
    app.test_client_class = Client
    migrate(app)
    with app.app_context(), clock.frozen(TODAY):
        users = factories.standard_users()
        db.session.commit()
        world = build_world(users)
        actors = Actors(app, users)
        db.session.commit()
    yield app, world, actors
    with app.app_context():
        db.engine.dispose()


def test_every_get_reads_without_the_lock_and_takes_it_only_to_write(sqlite_app):
    """Walk every GET route as every role, own and other unit. A write inside a GET's read
    transaction that did not first ask for the lock raises (in testing), so one 5xx here is a
    page that would block, or fail, under load."""
    app, world, actors = sqlite_app
    sent = errors = 0
    with clock.frozen(LATER_NOON):
        for response in walk_gets(app, world, actors):
            sent += 1
            errors += response.status_code >= 500
    with app.app_context():
        consulted = db.session.execute(sa.select(sa.func.count()).select_from(AuditEvent)
                                       .where(AuditEvent.action == "consult")).scalar_one()
    print(f"\n[sqlite-reads] {sent} GET requests on a SQLite file, each read DEFERRED: {errors} 5xx, "
          f"{consulted} consultation rows written in their own short write transactions")
    assert errors == 0 and consulted > 0


def test_a_long_read_does_not_hold_up_a_save(sqlite_app, monkeypatch):
    """A defendant page stopped half-way through its read (as a long report would be) while
    another user saves a form: the save completes at once, then the page finishes and writes its
    consultation row."""
    app, world, actors = sqlite_app
    reading, release = threading.Event(), threading.Event()
    original = views_defendant.defendant_or_404

    def slow_read(defendant_id: int):
        record = original(defendant_id)  # the read transaction is open from here
        reading.set()
        release.wait(20)
        return record

    monkeypatch.setattr(views_defendant, "defendant_or_404", slow_read)
    page: dict[str, object] = {}
    defendant_url = f"/defendants/{world.own['defendant_id']}"

    def read_page() -> None:
        page["status"] = actors.clients["lawyer"].get(defendant_url).status_code

    with app.app_context(), clock.frozen(LATER_NOON):  # a colleague in the same unit
        colleague = app.test_client()
        sign_in_as(colleague, db.session.merge(world.users.lawyer))
        token = csrf_token(app, colleague)
    with clock.frozen(LATER_NOON):
        reader = threading.Thread(target=read_page)
        reader.start()
        assert reading.wait(10), "the page never started reading"
        saved: dict[str, object] = {}

        def save() -> None:
            started = time.monotonic()
            response = colleague.post(f"/cases/{world.own['case_id']}/defendants/new",
                                      data={"csrf_token": token,
                                         "surname": "Quickly", "forenames": "Saved"})
            saved["status"], saved["seconds"] = response.status_code, time.monotonic() - started

        writer = threading.Thread(target=save)
        writer.start()
        writer.join(5)
        finished_while_reading = not writer.is_alive()
        release.set()
        reader.join(20)
        writer.join(20)
    with app.app_context():
        added = db.session.execute(sa.text(
            "SELECT count(*) FROM defendants WHERE surname = 'Quickly'")).scalar_one()
        consulted = db.session.execute(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "consult",
            AuditEvent.object_id == world.own["defendant_id"])).scalar_one()
    print(f"\n[sqlite-reads] a save during a held-open page read: {saved.get('status')} in "
          f"{float(saved.get('seconds', 0)):.2f} s; the page then answered {page.get('status')} "
          f"and wrote {consulted} consultation row")
    assert finished_while_reading, "the save waited for the page's read to finish"
    assert saved["status"] == 302 and added == 1
    assert page["status"] == 200 and consulted == 1


def test_a_get_that_writes_without_asking_for_the_lock_is_refused_in_testing(tmp_path):
    """The guard the walk above relies on."""
    url = f"sqlite:///{tmp_path / 'guard.db'}"
    reset_database(url)
    app = make_app(url)
    migrate(app)

    def careless() -> str:
        db.session.execute(sa.select(Unit.id).limit(1)).all()
        db.session.execute(sa.update(Unit).values(name=Unit.name))
        db.session.commit()
        return "written"

    def careful() -> str:
        db.session.execute(sa.select(Unit.id).limit(1)).all()
        ensure_write_lock(db.session())
        db.session.execute(sa.update(Unit).values(name=Unit.name))
        db.session.commit()
        return "written"

    app.add_url_rule("/probe-careless", "probe_careless", careless)
    app.add_url_rule("/probe-careful", "probe_careful", careful)
    client = app.test_client()
    assert client.get("/probe-careless").status_code == 500  # the RuntimeError, as a 500 page
    assert client.get("/probe-careful").get_data(as_text=True) == "written"
    with app.app_context():
        db.engine.dispose()
