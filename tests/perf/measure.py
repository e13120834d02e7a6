"""Timing, SQL capture and raw-driver replay shared by every benchmark.

The raw-driver equivalent of a piece of work is the exact SQL it sent (captured at the DB-API
boundary with ``before_cursor_execute``: statement text and bound parameters, in order, with its
commits and rollbacks) sent again through the DB-API connection with nothing on top: no ORM, no
statement building, rows fetched as tuples. Same statements, same parameters, same page size,
same unit scope, same transactions: the ratio is what the ORM and the application add.
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine.interfaces import ExecuteStyle

COMMIT, ROLLBACK = "\x00commit", "\x00rollback"


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of the samples."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class Stats:
    """Latency figures in milliseconds (and requests/s for load runs)."""

    median: float
    p95: float
    p99: float
    n: int
    rps: float | None = None

    @classmethod
    def of(cls, seconds: list[float], rps: float | None = None) -> Stats:
        ms = [s * 1000 for s in seconds]
        return cls(round(statistics.median(ms), 3), round(percentile(ms, 95), 3),
                   round(percentile(ms, 99), 3), len(ms), rps)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"median_ms": self.median, "p95_ms": self.p95, "p99_ms": self.p99,
                               "n": self.n}
        if self.rps is not None:
            out["rps"] = self.rps
        return out


def interleaved(fns: dict[str, Callable[[], Any]], runs: int, warmup: int = 2) -> dict[str, Stats]:
    """Time each function ``runs`` times, taking turns, so machine noise hits them all alike."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
    return {name: Stats.of(s) for name, s in samples.items()}


@dataclass
class Capture:
    """The statements one piece of work sent, in order (commits/rollbacks as markers)."""

    items: list[tuple[str, Any, bool]] = field(default_factory=list)

    @property
    def statements(self) -> int:
        return sum(1 for stmt, _, _ in self.items if not stmt.startswith("\x00")
                   and not _is_transaction_control(stmt))

    def describe(self) -> list[str]:
        return [stmt for stmt, _, _ in self.items if not stmt.startswith("\x00")]


def _is_transaction_control(stmt: str) -> bool:
    head = stmt.lstrip()[:9].upper()
    return head.startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"))


@contextmanager
def capture(engine: sa.Engine) -> Iterator[Capture]:
    """Record every statement ``engine`` sends while the block runs."""
    cap = Capture()

    def before(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
               executemany: bool) -> None:
        # insertmanyvalues batches arrive flagged executemany but are sent with execute().
        many = executemany and context is not None and \
            context.execute_style is not ExecuteStyle.INSERTMANYVALUES
        cap.items.append((statement, parameters, many))

    def on_commit(conn: Any) -> None:
        cap.items.append((COMMIT, None, False))

    def on_rollback(conn: Any) -> None:
        cap.items.append((ROLLBACK, None, False))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "commit", on_commit)
    event.listen(engine, "rollback", on_rollback)
    try:
        yield cap
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "commit", on_commit)
        event.remove(engine, "rollback", on_rollback)


@contextmanager
def count_statements(engine: sa.Engine) -> Iterator[list[int]]:
    """``[n]``: how many SQL statements (not BEGIN/COMMIT) the block sent."""
    box = [0]

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not _is_transaction_control(statement):
            box[0] += 1

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield box
    finally:
        event.remove(engine, "before_cursor_execute", before)


class Replayer:
    """Sends a captured statement list through the bare DB-API connection, rows as tuples."""

    def __init__(self, engine: sa.Engine, cap: Capture) -> None:
        self.engine = engine
        self.items = [item for item in cap.items if not _skip(item[0])]
        self.errors = 0
        self.first_error: str | None = None

    def __call__(self) -> int:
        fairy = self.engine.raw_connection()
        dbapi = fairy.driver_connection
        rows = 0
        try:
            cursor = dbapi.cursor()
            for stmt, params, many in self.items:
                if stmt == COMMIT:
                    dbapi.commit()
                    continue
                if stmt == ROLLBACK:
                    dbapi.rollback()
                    continue
                try:
                    if many:
                        cursor.executemany(stmt, params)
                    else:
                        cursor.execute(stmt, params)
                    if cursor.description is not None:
                        rows += len(cursor.fetchall())
                except Exception:  # noqa: BLE001  (counted and reported: should stay 0)
                    self.errors += 1
                    if self.first_error is None:
                        self.first_error = f"{sys.exc_info()[1]} in {stmt[:200]}"
                    dbapi.rollback()
            cursor.close()
            dbapi.rollback()
        finally:
            fairy.close()
        return rows


def _skip(stmt: str) -> bool:
    # Connection set-up the pool does once per connection, not per request.
    return stmt.lstrip().upper().startswith("PRAGMA")
