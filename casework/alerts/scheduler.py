"""The scheduler process: APScheduler's ``BlockingScheduler``, run by ``flask alerts scheduler``.

It never runs inside web workers (a BackgroundScheduler in ``create_app`` runs once per gunicorn
worker). It only *triggers* jobs; the jobs are idempotent (``send_due_alerts`` sends nothing
twice), so an overlapping cron run or a second scheduler cannot double-send. A file lock on
``instance/scheduler.lock`` still refuses a second scheduler on the same host.

- Daily sweep at ``ALERTS_DAILY_TIME`` (HH:MM, Europe/London, so it follows BST), plus one at
  start-up so a restart after a missed day catches up at once.
- ``misfire_grace_time`` in hours (``ALERTS_MISFIRE_GRACE_HOURS``; APScheduler's default of one
  second would silently drop the day's run after a restart), ``coalesce=True``, one instance.
- Email retries every few minutes (``ALERTS_EMAIL_RETRY_MINUTES``).
- Other domains add jobs with ``register_job`` (e.g. the monthly report).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from casework.core.clock import LONDON

log = logging.getLogger(__name__)

TIMEZONE = "Europe/London"
DEFAULT_MISFIRE_GRACE_HOURS = 6


class SchedulerLocked(RuntimeError):
    pass


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: Callable[[], Any]
    cron: dict[str, Any] = field(default_factory=dict)
    interval_minutes: int | None = None
    misfire_grace_hours: float | None = None
    record: bool = True


_EXTRA_JOBS: dict[str, JobSpec] = {}


def register_job(job_id: str, func: Callable[[], Any], *, cron: dict[str, Any] | None = None,
                 interval_minutes: int | None = None, misfire_grace_hours: float | None = None,
                 record: bool = True) -> None:
    """Add a job to the scheduler process (call at import time of a module ``create_app`` loads,
    e.g. your domain's cli.py).

    ``func()`` runs inside an app context; give either ``cron`` (CronTrigger fields such as
    ``{"day": 1, "hour": 7}``, read in Europe/London) or ``interval_minutes``. With ``record``
    each run is a ``JobRun`` row (visible to administrators); make ``func`` idempotent.
    """
    if bool(cron) == bool(interval_minutes):
        raise ValueError("give exactly one of cron= or interval_minutes=")
    _EXTRA_JOBS[job_id] = JobSpec(job_id, func, dict(cron or {}), interval_minutes,
                                  misfire_grace_hours, record)


def registered_jobs() -> list[JobSpec]:
    return list(_EXTRA_JOBS.values())


def _daily_time(app: Flask) -> tuple[int, int]:
    text = str(app.config.get("ALERTS_DAILY_TIME") or "06:30")
    try:
        hour, minute = (int(part) for part in text.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError:
        raise ValueError(f"ALERTS_DAILY_TIME must be HH:MM (24-hour clock), not {text!r}") from None
    return hour, minute


def _grace_seconds(app: Flask, hours: float | None = None) -> int:
    if hours is None:
        hours = float(app.config.get("ALERTS_MISFIRE_GRACE_HOURS", DEFAULT_MISFIRE_GRACE_HOURS))
    return int(hours * 3600)


def in_app_context(app: Flask, job_id: str, func: Callable[[], Any], *, record: bool,
                   trigger: str = "schedule") -> Callable[[], None]:
    """Wrap a job: app context, a JobRun row when ``record``, and a clean session after."""

    def run() -> None:
        from casework.alerts.jobs import record_run
        from casework.extensions import db

        with app.app_context():
            try:
                if record:
                    with record_run(job_id, trigger=trigger) as handle:
                        outcome = func()
                        if isinstance(outcome, dict):
                            handle.counts = outcome
                else:
                    func()
            except Exception:
                log.exception("job %s failed", job_id)
            finally:
                db.session.remove()

    run.__name__ = f"job_{job_id}"
    return run


def sweep_job(trigger: str) -> Callable[[], Any]:
    def sweep() -> dict[str, int]:
        from casework.alerts.service import send_due_alerts

        return send_due_alerts(trigger=trigger).counts()

    return sweep


def email_retry_job() -> dict[str, int]:
    from casework.alerts.mail import dispatch_outbox

    return dispatch_outbox().as_dict()


def _options(app: Flask, hours: float | None = None) -> dict[str, Any]:
    """Every job: hours of misfire grace, coalesced catch-up, never two runs at once."""
    return {"misfire_grace_time": _grace_seconds(app, hours), "coalesce": True,
            "max_instances": 1, "replace_existing": True}


def build_scheduler(app: Flask, *, startup_sweep: bool = True) -> BlockingScheduler:
    """A configured, not yet started, BlockingScheduler with every job added."""
    hour, minute = _daily_time(app)
    scheduler = BlockingScheduler(timezone=LONDON)
    # The sweep records its own JobRun (with its counts), so it is not wrapped in another.
    scheduler.add_job(in_app_context(app, "alerts-sweep", sweep_job("schedule"), record=False),
                      CronTrigger(hour=hour, minute=minute, timezone=TIMEZONE),
                      id="alerts-sweep", name="Daily alerts sweep", **_options(app))
    if startup_sweep:
        scheduler.add_job(in_app_context(app, "alerts-sweep", sweep_job("startup"), record=False),
                          id="alerts-startup-sweep", name="Alerts sweep at start-up", **_options(app))
    retry_minutes = int(app.config.get("ALERTS_EMAIL_RETRY_MINUTES", 5))
    scheduler.add_job(in_app_context(app, "email-retries", email_retry_job, record=False),
                      IntervalTrigger(minutes=retry_minutes, timezone=TIMEZONE),
                      id="email-retries", name="Email retries", **_options(app))
    for spec in registered_jobs():
        trigger = (CronTrigger(timezone=TIMEZONE, **spec.cron) if spec.cron
                   else IntervalTrigger(minutes=spec.interval_minutes or 60, timezone=TIMEZONE))
        scheduler.add_job(in_app_context(app, spec.id, spec.func, record=spec.record), trigger,
                          id=spec.id, name=spec.id, **_options(app, spec.misfire_grace_hours))
    return scheduler


@contextlib.contextmanager
def single_instance(app: Flask) -> Iterator[None]:
    """Hold ``instance/scheduler.lock`` for the life of the process (one scheduler per host)."""
    path = Path(app.config.get("SCHEDULER_LOCK_FILE") or Path(app.instance_path) / "scheduler.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise SchedulerLocked(f"another scheduler is already running (lock {path.name})") from None
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def run(app: Flask, *, startup_sweep: bool = True) -> None:
    with single_instance(app):
        scheduler = build_scheduler(app, startup_sweep=startup_sweep)
        for job in scheduler.get_jobs():
            log.info("scheduled %s (%s)", job.id, job.trigger)
        print(f"Casework scheduler running (pid {os.getpid()}); daily sweep at "  # noqa: T201
              f"{app.config.get('ALERTS_DAILY_TIME')} Europe/London. Ctrl-C stops it.", flush=True)
        with contextlib.suppress(KeyboardInterrupt, SystemExit):
            scheduler.start()
