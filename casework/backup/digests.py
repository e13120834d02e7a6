"""Per-table row counts and SHA-256 digests, the same for SQLite and PostgreSQL holding the same data.

Rows are read in primary-key order through the models' own column types (so a SQLite REAL money
value and a PostgreSQL NUMERIC both come back as ``Decimal``, timestamps as UTC datetimes, JSON
as Python objects), then each value is written in one canonical text form before hashing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import uuid
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from casework.extensions import db

BATCH = 2000


@dataclasses.dataclass(frozen=True)
class TableDigest:
    rows: int
    sha256: str

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "sha256": self.sha256}


def normalise(value: Any) -> Any:
    """One JSON-ready form per value, whatever the backend returned."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, enum.Enum):
        return normalise(value.value)
    if isinstance(value, Decimal):
        if value == 0:
            return "0"
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f") if value == value else "NaN"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalise(v) for v in value]
    return str(value)


def _table(name: str, connection: sa.Connection) -> sa.Table:
    """The model's table when there is one (its types normalise values), else reflected."""
    table = db.metadata.tables.get(name)
    if table is not None:
        return table
    return sa.Table(name, sa.MetaData(), autoload_with=connection)


def table_digest(connection: sa.Connection, name: str) -> TableDigest:
    table = _table(name, connection)
    order = list(table.primary_key.columns) or list(table.columns)
    stmt = sa.select(*table.columns).order_by(*order)
    sha = hashlib.sha256()
    rows = 0
    result = connection.execution_options(stream_results=True, yield_per=BATCH).execute(stmt)
    for row in result:
        line = json.dumps([normalise(v) for v in row], sort_keys=True, ensure_ascii=False,
                          separators=(",", ":"))
        sha.update(line.encode("utf-8"))
        sha.update(b"\n")
        rows += 1
    return TableDigest(rows=rows, sha256=sha.hexdigest())


def table_names(connection: sa.Connection) -> list[str]:
    return sorted(sa.inspect(connection).get_table_names())


def all_digests(connection: sa.Connection) -> dict[str, TableDigest]:
    return {name: table_digest(connection, name) for name in table_names(connection)}


def migration_head(connection: sa.Connection) -> str | None:
    if "alembic_version" not in sa.inspect(connection).get_table_names():
        return None
    heads = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    return ",".join(sorted(heads)) or None


def audit_head(connection: sa.Connection) -> dict[str, Any] | None:
    """The last audit row's id and hash (None before the first row)."""
    if "audit_events" not in sa.inspect(connection).get_table_names():
        return None
    row = connection.exec_driver_sql(
        "SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1").first()
    return {"id": row[0], "hash": row[1]} if row else None


def differences(expected: dict[str, dict[str, Any]], actual: dict[str, TableDigest]) -> list[str]:
    """Plain-language differences between a manifest's tables and digests just computed."""
    problems: list[str] = []
    for name in sorted(set(expected) | set(actual)):
        want, got = expected.get(name), actual.get(name)
        if want is None:
            problems.append(f"table {name} is not in the backup")
        elif got is None:
            problems.append(f"table {name} is missing")
        elif want["rows"] != got.rows:
            problems.append(f"table {name}: {got.rows} rows, backup had {want['rows']}")
        elif want["sha256"] != got.sha256:
            problems.append(f"table {name}: same row count but different contents")
    return problems
