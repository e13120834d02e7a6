"""Keyset pagination: ``?after=<cursor>``, never OFFSET with a total count on large tables.

A cursor encodes the sort-key values of the last row shown. Every ordering must end with a
unique column (the id) so the order is total.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from casework.extensions import db

T = TypeVar("T")


class CursorError(ValueError):
    pass


@dataclass(frozen=True)
class SortKey:
    column: Any  # a SQL expression
    descending: bool = False
    kind: str = "str"  # str | int | date | decimal | datetime


def _dump(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "value") and not isinstance(value, int | str):
        return value.value
    return value


def _load(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "datetime":
        return dt.datetime.fromisoformat(value)
    if kind == "decimal":
        return Decimal(value)
    if kind == "int":
        return int(value)
    if "\x00" in str(value):
        raise ValueError("NUL in a cursor")  # PostgreSQL would refuse the query with a 500
    return str(value)


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([_dump(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, keys: Sequence[SortKey]) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != len(keys):
            raise ValueError
        return [_load(v, k.kind) for v, k in zip(values, keys)]
    except (ValueError, TypeError, json.JSONDecodeError, UnicodeDecodeError):
        raise CursorError("The page link is not valid: go back to the first page") from None


def _after_clause(keys: Sequence[SortKey], values: Sequence[Any]) -> Any:
    """(a, b, id) > (x, y, z) expanded for mixed directions and NULLs sorted last."""
    clauses = []
    for i, key in enumerate(keys):
        equal = [keys[j].column.is_(None) if values[j] is None else keys[j].column == values[j]
                 for j in range(i)]
        value = values[i]
        if value is None:
            continue  # nothing sorts after NULL (NULLs last) in this position
        beyond = key.column < value if key.descending else key.column > value
        clauses.append(sa.and_(*equal, sa.or_(beyond, key.column.is_(None))))
    return sa.or_(*clauses) if clauses else sa.false()


def order_by(keys: Sequence[SortKey]) -> list[Any]:
    return [(k.column.desc() if k.descending else k.column.asc()).nulls_last() for k in keys]


@dataclass
class Page(Generic[T]):
    items: list[T]
    next: str | None


def paginate(
    stmt: sa.Select[Any],
    keys: Sequence[SortKey],
    *,
    after: str | None,
    limit: int,
    key_of: Callable[[Any], Sequence[Any]],
    scalars: bool = True,
) -> Page[Any]:
    """Run ``stmt`` ordered by ``keys`` from the cursor; fetch one extra row to know if more exist."""
    if after:
        stmt = stmt.where(_after_clause(keys, decode_cursor(after, keys)))
    stmt = stmt.order_by(*order_by(keys)).limit(limit + 1)
    result = db.session.execute(stmt)
    rows = list(result.scalars() if scalars else result)
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(key_of(rows[-1])) if more and rows else None)


def prepared_page(stmt: sa.Select[Any], keys: Sequence[SortKey], nulls: tuple[bool, ...] | None
                  ) -> sa.Select[Any]:
    """``stmt`` as ``paginate`` finishes it, with the cursor's values and the page size left as
    parameters (``after_0``, ``after_1``... and ``page_limit``): a statement to build once and
    reuse. ``nulls`` says which of the cursor's values are NULL (``None``: the first page)."""
    if nulls is not None:
        values: list[Any] = [None if null else sa.bindparam(f"after_{i}") for i, null in enumerate(nulls)]
        stmt = stmt.where(_after_clause(keys, values))
    return stmt.order_by(*order_by(keys)).limit(sa.bindparam("page_limit"))


def paginate_prepared(
    statement: Callable[[tuple[bool, ...] | None], sa.Select[Any]],
    params: dict[str, Any],
    keys: Sequence[SortKey],
    *,
    after: str | None,
    limit: int,
    key_of: Callable[[Any], Sequence[Any]],
) -> Page[Any]:
    """``paginate`` (rows, not scalars) for a statement the caller builds once per shape and
    keeps: ``statement(nulls)`` returns it finished by ``prepared_page``; ``params`` are its
    values. Building and keying a list statement on every request cost more than running it."""
    values = decode_cursor(after, keys) if after else None
    bound = dict(params, page_limit=limit + 1)
    if values is not None:
        bound.update({f"after_{i}": v for i, v in enumerate(values) if v is not None})
    nulls = None if values is None else tuple(v is None for v in values)
    rows = list(db.session.execute(statement(nulls), bound))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(key_of(rows[-1])) if more and rows else None)
