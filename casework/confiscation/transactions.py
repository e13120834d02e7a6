"""Commit at the edge, retrying when SQLite refuses a write.

SQLite (WAL, deferred BEGIN) answers "database is locked" at once, whatever the busy timeout,
when a transaction that has already read tries to write after another process committed: the
reader's snapshot is stale and the transaction cannot go on. Two clerks posting payments to one
order at the same moment hit exactly that, so the payment routes run their whole unit of work
again (it is idempotent: the Idempotency-Key and the unique constraint see to it). PostgreSQL
never needs the retry.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa

from casework.extensions import db

T = TypeVar("T")


def commit_with_retry(work: Callable[[], T], *, attempts: int = 8) -> T:
    """Run ``work`` then commit; on SQLite's "database is locked" roll back and run it again."""
    for attempt in range(1, attempts + 1):
        try:
            result = work()
            db.session.commit()
            return result
        except sa.exc.OperationalError as exc:
            db.session.rollback()
            if "database is locked" not in str(exc) or attempt == attempts:
                raise
            time.sleep(0.02 * attempt)
    raise AssertionError("unreachable")
