"""Helpers for report tests: hand-built defendants and a query counter."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from casework.extensions import db


def finalise(outcome: str, finalised_on: dt.date, *, unit: str = "ocd", crime: str = "drugs",
             category: str = "drugs_offences", case: Any = None) -> Any:
    """A charged defendant finalised with ``outcome`` on ``finalised_on``, through the services."""
    from tests import factories

    case = case or factories.case(unit, crime=crime)
    return factories.convicted_defendant(
        case, outcome=outcome, finalised_on=finalised_on, sentenced_on=False,
        charged_on=dt.date(2013, 1, 7), category=category)


@contextlib.contextmanager
def count_queries() -> Iterator[list[str]]:
    """Every SQL statement sent while the block runs (on the test connection)."""
    statements: list[str] = []
    engine = db.session.get_bind()
    target = engine.engine if isinstance(engine, sa.Connection) else engine

    def _before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    sa.event.listen(target, "before_cursor_execute", _before)
    try:
        yield statements
    finally:
        sa.event.remove(target, "before_cursor_execute", _before)


@pytest.fixture
def frozen_today() -> Iterator[dt.date]:
    from casework.core import clock

    day = dt.date(2026, 11, 20)
    with clock.frozen(day):
        yield day
