"""A ``JobRun`` row for every run of a job, committed before the work starts and updated after,
so administrators see what ran, when, with what counts, and why it failed."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from casework.alerts.models import JobRun, JobStatus
from casework.core import clock
from casework.extensions import db


@dataclass
class RunHandle:
    """What a job sees while it runs (a plain object: commits inside the job do not reset it)."""

    id: int
    counts: dict[str, Any] = field(default_factory=dict)


@contextlib.contextmanager
def record_run(job: str, *, trigger: str = "manual", as_of: dt.date | None = None,
               ) -> Iterator[RunHandle]:
    """Record a run of ``job``; put figures in ``run.counts`` (a dict) inside the block.

    An exception marks the run failed with its message and is re-raised.
    """
    run = JobRun(job=job, trigger=trigger, as_of=as_of, started_at=clock.now(),
                 status=JobStatus.RUNNING, counts={}, pid=os.getpid())
    db.session.add(run)
    db.session.commit()
    handle = RunHandle(run.id)
    run_id = run.id
    try:
        yield handle
    except BaseException as exc:
        db.session.rollback()
        _finish(run_id, JobStatus.FAILED, dict(handle.counts),
                "".join(traceback.format_exception_only(type(exc), exc)).strip()[:4000])
        raise
    _finish(run_id, JobStatus.SUCCEEDED, dict(handle.counts), None)


def _finish(run_id: int, status: JobStatus, counts: dict[str, Any] | None,
            error: str | None) -> None:
    values: dict[str, Any] = {"status": status, "finished_at": clock.now(), "error": error}
    if counts is not None:
        values["counts"] = counts
    db.session.execute(sa.update(JobRun).where(JobRun.id == run_id).values(**values)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def recent_runs(limit: int = 30, job: str | None = None) -> Any:
    stmt = sa.select(JobRun).order_by(JobRun.id.desc()).limit(limit)
    if job:
        stmt = stmt.where(JobRun.job == job)
    return db.session.execute(stmt).scalars().all()
