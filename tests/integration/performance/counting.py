"""Counting the SQL statements a request sends.

The test session is bound to one connection of the app's engine (tests/conftest.py), so a
``before_cursor_execute`` listener on that engine sees every statement the request runs.
Transaction control (SAVEPOINT, RELEASE, ROLLBACK) is left out: it is the same for every page
and says nothing about rows.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from casework.extensions import db

_CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")


class Statements(list[str]):
    def shapes(self) -> Counter[str]:
        """Statements with literals and bound values blanked, counted (to show what repeats)."""
        return Counter(re.sub(r"\d+|'[^']*'|\?|%\([a-z_0-9]+\)s", "_", " ".join(s.split()))[:160]
                       for s in self)

    def diff(self, other: Statements) -> str:
        """What ``other`` ran more (or less) often than this: the statements an N+1 repeats."""
        mine, theirs = self.shapes(), other.shapes()
        lines = [f"{theirs[s] - mine[s]:+d}  {s}" for s in sorted(set(mine) | set(theirs))
                 if theirs[s] != mine[s]]
        return "\n".join(lines)


@contextlib.contextmanager
def count_statements() -> Iterator[Statements]:
    """Every SQL statement sent while the block runs."""
    seen = Statements()
    bind = db.session.get_bind()
    engine = bind.engine if isinstance(bind, sa.Connection) else bind

    def _before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(_CONTROL):
            seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", _before)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", _before)
