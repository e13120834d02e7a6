"""The scheduler process set-up, job registration, and the ``flask alerts`` commands."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from apscheduler.triggers.cron import CronTrigger

from casework.alerts import scheduler
from casework.alerts.models import JobRun
from tests import factories

LONDON = scheduler.LONDON


@pytest.fixture
def extra_job():
    calls = []

    def monthly_report() -> dict[str, int]:
        calls.append(1)
        return {"pages": 3}

    scheduler.register_job("test-extra-job", monthly_report, cron={"day": 1, "hour": 7},
                           misfire_grace_hours=24)
    yield calls
    scheduler._EXTRA_JOBS.pop("test-extra-job", None)


def test_scheduler_jobs_and_settings(app, extra_job):
    app.config.update(ALERTS_DAILY_TIME="06:30", ALERTS_MISFIRE_GRACE_HOURS=8)
    sched = scheduler.build_scheduler(app)
    jobs = {job.id: job for job in sched.get_jobs()}
    assert set(jobs) >= {"alerts-sweep", "alerts-startup-sweep", "email-retries", "test-extra-job"}
    sweep = jobs["alerts-sweep"]
    assert isinstance(sweep.trigger, CronTrigger) and str(sweep.trigger.timezone) == "Europe/London"
    assert sweep.misfire_grace_time == 8 * 3600 and sweep.coalesce is True and sweep.max_instances == 1
    assert jobs["test-extra-job"].misfire_grace_time == 24 * 3600
    assert str(jobs["test-extra-job"].trigger.timezone) == "Europe/London"


@pytest.mark.parametrize(("now", "next_run_utc"), [
    # the night the clocks go forward: 06:30 BST is 05:30 UTC
    (dt.datetime(2026, 3, 28, 7, 0, tzinfo=LONDON), dt.datetime(2026, 3, 29, 5, 30, tzinfo=dt.UTC)),
    # the night they go back: 06:30 GMT is 06:30 UTC
    (dt.datetime(2026, 10, 24, 7, 0, tzinfo=LONDON), dt.datetime(2026, 10, 25, 6, 30, tzinfo=dt.UTC)),
    # month and year ends
    (dt.datetime(2026, 12, 31, 7, 0, tzinfo=LONDON), dt.datetime(2027, 1, 1, 6, 30, tzinfo=dt.UTC)),
    (dt.datetime(2028, 2, 28, 23, 0, tzinfo=LONDON), dt.datetime(2028, 2, 29, 6, 30, tzinfo=dt.UTC)),
])
def test_daily_sweep_follows_london_time(app, now, next_run_utc):
    app.config.update(ALERTS_DAILY_TIME="06:30")
    trigger = scheduler.build_scheduler(app).get_job("alerts-sweep").trigger
    assert trigger.get_next_fire_time(None, now) == next_run_utc


def test_bad_daily_time_is_refused(app):
    app.config.update(ALERTS_DAILY_TIME="25:99")
    try:
        with pytest.raises(ValueError, match="HH:MM"):
            scheduler.build_scheduler(app)
    finally:
        app.config.update(ALERTS_DAILY_TIME="06:30")


def test_register_job_needs_one_trigger():
    with pytest.raises(ValueError):
        scheduler.register_job("bad", lambda: None)
    with pytest.raises(ValueError):
        scheduler.register_job("bad", lambda: None, cron={"hour": 1}, interval_minutes=5)


def test_registered_jobs_run_in_an_app_context_and_are_recorded(app, session, extra_job):
    job = scheduler.build_scheduler(app).get_job("test-extra-job")
    job.func()
    assert extra_job == [1]
    run = session.execute(sa.select(JobRun).where(JobRun.job == "test-extra-job")).scalar_one()
    assert run.status.value == "succeeded" and run.counts == {"pages": 3}


def test_a_failing_job_is_recorded_and_the_scheduler_carries_on(app, session):
    def broken() -> None:
        raise RuntimeError("report engine down")

    wrapped = scheduler.in_app_context(app, "broken-job", broken, record=True)
    wrapped()  # does not raise: the scheduler must keep running
    run = session.execute(sa.select(JobRun).where(JobRun.job == "broken-job")).scalar_one()
    assert run.status.value == "failed" and "report engine down" in run.error


def test_only_one_scheduler_per_host(app, tmp_path):
    app.config["SCHEDULER_LOCK_FILE"] = str(tmp_path / "scheduler.lock")
    try:
        with scheduler.single_instance(app), pytest.raises(scheduler.SchedulerLocked), \
                scheduler.single_instance(app):
            pass
        with scheduler.single_instance(app):  # released again
            pass
    finally:
        app.config.pop("SCHEDULER_LOCK_FILE")


def test_send_due_command_prints_counts(app, session, users):
    factories.order(made_on=dt.date(2025, 10, 1), served_on=dt.date(2025, 10, 1),
                    offender_manager=users.offender_manager)
    session.commit()
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["alerts", "send-due", "--today", "2029-10-01", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run for 2029-10-01" in dry.output and "would send 1" in dry.output
    real = runner.invoke(args=["alerts", "send-due", "--today", "2029-10-01"])
    assert real.exit_code == 0, real.output
    assert "Alerts sweep for 2029-10-01" in real.output and "sent 1" in real.output
    assert "recorded 1" in real.output
    again = runner.invoke(args=["alerts", "send-due", "--today", "2029-10-01"])
    assert "created 0" in again.output and "sent 0" in again.output


def test_send_due_refuses_a_bad_date(app):
    result = app.test_cli_runner().invoke(args=["alerts", "send-due", "--today", "1 Oct 2029"])
    assert result.exit_code == 1
    assert "--today must be a date written YYYY-MM-DD" in result.output


def test_scheduler_process_sweeps_at_start_up(tmp_path: Path):
    """``flask alerts scheduler`` as a real process: the start-up sweep is recorded."""
    from tests.conftest import make_app, migrate

    url = f"sqlite:///{tmp_path / 'sched.db'}"
    app = make_app(url)
    migrate(app)
    env = {**os.environ, "CASEWORK_DATABASE_URL": url, "CASEWORK_SCHEDULER_LOCK_FILE":
           str(tmp_path / "sched.lock"), "CASEWORK_SECRET_KEY": "x" * 40}
    flask = Path(sys.executable).with_name("flask")
    proc = subprocess.Popen([str(flask), "--app", "casework", "alerts", "scheduler"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        runs = []
        while time.monotonic() < deadline and not runs:
            time.sleep(0.5)
            with app.app_context():
                from casework.extensions import db

                runs = db.session.execute(sa.select(JobRun.trigger, JobRun.status)
                                          .where(JobRun.status == "succeeded")).all()
                db.session.remove()
        assert runs == [("startup", "succeeded")]
    finally:
        proc.terminate()
        output = proc.communicate(timeout=20)[0]
    assert "Casework scheduler running" in output
