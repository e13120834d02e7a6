"""Writes generated rows in large batches: ``COPY ... FROM STDIN`` on PostgreSQL (psycopg 3),
one ``executemany`` per batch on SQLite, both on the session's own connection so everything is
one transaction with the rest of the load (the caller commits).

Ids are assigned by the generator (``next_id``), so no row needs a round trip for its key; the
PostgreSQL sequences are moved past them at the end (``finish``).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TextIO

import sqlalchemy as sa
from sqlalchemy.orm import Session

from casework.extensions import db

BATCH = 10_000
CACHE_KIB = 512 * 1024
MAINTENANCE_MEM = "256MB"
Row = tuple[Any, ...]


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    # The format SQLAlchemy's SQLite DATETIME writes (always with microseconds).
    return None if value is None else value.strftime("%Y-%m-%d %H:%M:%S.%f")


_DATES: dict[dt.date, str] = {}


def _sqlite_date(value: dt.date | None) -> str | None:
    # A few thousand distinct days over ten years: remember their text.
    if value is None:
        return None
    text = _DATES.get(value)
    if text is None:
        text = _DATES[value] = value.isoformat()
    return text


def _sqlite_decimal(value: Decimal | None) -> float | None:
    return None if value is None else float(value)  # as SQLAlchemy binds Numeric on SQLite


def _sqlite_converter(column: sa.Column[Any]) -> Callable[[Any], Any] | None:
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return None
    if python_type is dt.datetime:
        return _sqlite_datetime
    if python_type is dt.date:
        return _sqlite_date
    if python_type is Decimal:
        return _sqlite_decimal
    return None


class Progress:
    """One line per stage on stderr; redrawn in place with a percentage on a terminal."""

    def __init__(self, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = enabled and self.stream.isatty()
        self.name, self.total, self.done = "", 0, 0
        self.started = self.last_draw = time.monotonic()
        self.timings: dict[str, float] = {}

    def stage(self, name: str, total: int) -> None:
        self.name, self.total, self.done = name, max(total, 1), 0
        self.started = time.monotonic()
        self._draw(force=True)

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._draw()

    def end(self, detail: str = "") -> None:
        seconds = time.monotonic() - self.started
        self.timings[self.name] = round(seconds, 1)
        if self.enabled:
            clear = "\r\033[K" if self.tty else ""
            self.stream.write(f"{clear}{self.name:<14} {detail} ({seconds:.1f} s)\n")
            self.stream.flush()

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not self.tty or (not force and now - self.last_draw < 0.2):
            return
        self.last_draw = now
        share = min(self.done / self.total, 1.0)
        bar = "#" * int(share * 30)
        self.stream.write(f"\r\033[K{self.name:<14} [{bar:<30}] {share:4.0%} "
                          f"{self.done:,}/{self.total:,}")
        self.stream.flush()


class Writer:
    def __init__(self, session: Session | None = None, progress: Progress | None = None) -> None:
        self.session = session or db.session
        self.connection = self.session.connection()
        self.dialect = self.connection.dialect.name
        self.progress = progress or Progress(enabled=False)
        self.tables = db.metadata.tables
        self._ids: dict[str, int] = {}
        self._cache_size: int | None = None
        self._suspended: list[str] = []
        if self.dialect == "sqlite":
            # A large page cache for the load only (restored in ``finish``): index inserts stay
            # in memory instead of spilling pages to the WAL over and over.
            self._cache_size = self.connection.exec_driver_sql("PRAGMA cache_size").scalar()
            self.connection.exec_driver_sql(f"PRAGMA cache_size = -{CACHE_KIB}")
        self._buffers: dict[str, list[Row]] = {}
        self._columns: dict[str, Sequence[str]] = {}
        self.counts: dict[str, int] = {}

    # --- ids ------------------------------------------------------------------------------

    def next_id(self, table: str) -> int:
        if table not in self._ids:
            top = self.connection.execute(sa.select(sa.func.max(self.tables[table].c.id))).scalar()
            self._ids[table] = int(top or 0)
        self._ids[table] += 1
        return self._ids[table]

    # --- rows ------------------------------------------------------------------------------

    def columns(self, table: str, names: Sequence[str]) -> None:
        """Declare the column order of the rows ``add`` will be given for ``table``."""
        unknown = set(names) - set(self.tables[table].c.keys())
        if unknown:
            raise ValueError(f"{table} has no columns {sorted(unknown)}")
        self._columns[table] = tuple(names)
        self._buffers.setdefault(table, [])

    def add(self, table: str, row: Row) -> None:
        """Buffer one row. When a buffer is full every buffer is written, in the order the
        tables were declared (parents first), so a child row never reaches the database before
        its parent: add a parent row before its children."""
        buffer = self._buffers[table]
        buffer.append(row)
        if len(buffer) >= BATCH:
            self.flush()

    def flush(self, table: str | None = None) -> None:
        for name in [table] if table else list(self._buffers):
            rows = self._buffers.get(name)
            if rows:
                self._write(name, self._columns[name], rows)
                self.counts[name] = self.counts.get(name, 0) + len(rows)
                self.progress.advance(len(rows))
                self._buffers[name] = []

    def _write(self, table: str, names: Sequence[str], rows: list[Row]) -> None:
        quoted = ", ".join(f'"{n}"' for n in names)
        raw = self.connection.connection.driver_connection
        assert raw is not None
        if self.dialect == "postgresql":
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        cols = self.tables[table].c
        converters = [(i, f) for i, n in enumerate(names) if (f := _sqlite_converter(cols[n]))]
        if converters:
            converted = []
            for row in rows:
                values = list(row)
                for i, convert in converters:
                    values[i] = convert(values[i])
                converted.append(values)
        else:
            converted = rows  # type: ignore[assignment]
        marks = ", ".join("?" for _ in names)
        # table and column names come from the models' metadata, never from input
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608  # nosec
        raw.cursor().executemany(sql, converted)

    # --- check and index in bulk, not row by row ----------------------------------------------

    def suspend_checks(self, tables: Sequence[str]) -> None:
        """Drop the tables' plain indexes (and on PostgreSQL their foreign keys) for the load;
        ``restore_checks`` puts back exactly what was there, with definitions read from the
        catalogue, so each index is built and each foreign key validated in one pass. All inside
        the load's transaction: if the load fails, the rollback restores them too. Primary and
        unique keys stay, so a duplicate still fails at once; SQLite keeps checking foreign keys
        row by row (they cannot be dropped there)."""
        self.flush()
        if self.dialect == "postgresql":
            # memory for the index builds and checks of this transaction only
            self.connection.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_MEM}'")
            self.connection.exec_driver_sql(f"SET LOCAL work_mem = '{MAINTENANCE_MEM}'")
        for table in tables:
            for name, definition in self._foreign_keys(table):
                self.connection.exec_driver_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                self._suspended.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            for name, definition in self._plain_indexes(table):
                self.connection.exec_driver_sql(f'DROP INDEX "{name}"')
                self._suspended.insert(0, definition)  # indexes first: they speed up the checks

    def _foreign_keys(self, table: str) -> list[Any]:
        if self.dialect != "postgresql":
            return []
        return list(self.connection.execute(sa.text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = CAST(:t AS regclass) AND contype = 'f' ORDER BY conname"), {"t": table}))

    def _plain_indexes(self, table: str) -> list[Any]:
        if self.dialect == "postgresql":
            query = ("SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = :t "
                     "AND i.schemaname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                     "WHERE c.conname = i.indexname AND c.conrelid = CAST(:t AS regclass)) "
                     "ORDER BY i.indexname")
        else:  # constraint indexes have no SQL of their own
            query = ("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t "
                     "AND sql IS NOT NULL ORDER BY name")
        return list(self.connection.execute(sa.text(query), {"t": table}))

    def restore_checks(self) -> None:
        self.flush()
        for statement in self._suspended:
            self.connection.exec_driver_sql(statement)
        self._suspended = []

    # --- the end -----------------------------------------------------------------------------

    def analyse(self) -> None:
        """Refresh the planner statistics (rows written in this transaction count)."""
        self.flush()
        self.connection.exec_driver_sql("ANALYZE")

    def finish(self) -> None:
        """Write what is buffered, move PostgreSQL sequences past the ids used, refresh the
        planner statistics (ANALYZE) so the first queries get good plans."""
        self.restore_checks()
        if self.dialect == "postgresql":
            for table in self._ids:
                self._set_sequence(table)
        self.analyse()
        if self._cache_size is not None:
            self.connection.exec_driver_sql(f"PRAGMA cache_size = {int(self._cache_size)}")

    def _set_sequence(self, table: str) -> None:
        sequence = self.connection.execute(
            sa.select(sa.func.pg_get_serial_sequence(table, "id"))).scalar()
        if sequence is None:
            return
        # the name PostgreSQL itself returned for the table's sequence
        query = f"SELECT last_value FROM {sequence}"  # noqa: S608  # nosec B608
        last = self.connection.exec_driver_sql(query).scalar()
        top = max(int(last or 1), self._ids[table])
        self.connection.execute(sa.select(sa.func.setval(sequence, top, True)))
