from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from casework.core import clock
from casework.extensions import db

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def frozen_today() -> Iterator[dt.date]:
    with clock.frozen(TODAY):
        yield TODAY


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(session: Any) -> Any:
    """Counts SQL statements sent to the database inside ``with count_queries() as counter:``."""
    import contextlib

    @contextlib.contextmanager
    def _count() -> Iterator[QueryCounter]:
        counter = QueryCounter()
        engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", counter)

    return _count
