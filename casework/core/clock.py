"""The only source of "now" and "today" in Casework.

Legal dates are England and Wales calendar dates, so "today" is the date in Europe/London;
timestamps are stored in UTC. Tests freeze the clock with ``frozen(...)``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """Current time, timezone-aware, in UTC."""
    if _frozen is not None:
        return _frozen
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today's date in England and Wales (Europe/London), whatever the server's zone."""
    return now().astimezone(LONDON).date()


def to_london(value: dt.datetime) -> dt.datetime:
    return value.astimezone(LONDON)


@contextlib.contextmanager
def frozen(at: dt.datetime | dt.date) -> Iterator[None]:
    """Freeze the clock (tests, and the CLI's ``--today``). A date means noon London time."""
    global _frozen
    if not isinstance(at, dt.datetime):
        at = dt.datetime.combine(at, dt.time(12, 0), tzinfo=LONDON)
    if at.tzinfo is None:
        raise ValueError("frozen() needs an aware datetime")
    previous = _frozen
    _frozen = at.astimezone(dt.UTC)
    try:
        yield
    finally:
        _frozen = previous
