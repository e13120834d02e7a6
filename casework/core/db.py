"""Declarative base, constraint naming, column types and engine settings shared by every domain."""

from __future__ import annotations

import datetime as dt
import logging
import re
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    declared_attr,
    mapped_column,
    registry,
)

log = logging.getLogger(__name__)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.types.TypeDecorator[dt.datetime]):
    """A timestamp stored as naive UTC and always returned timezone-aware (UTC).

    SQLite has no time-zone type, so storing naive UTC everywhere keeps both databases equal.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs a timezone-aware datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


Money = sa.Numeric(14, 2, asdecimal=True)


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={
            dt.datetime: UTCDateTime(),
            Decimal: Money,
            str: sa.String(255),
        },
    )


class Versioned:
    """Mixin for records users edit: optimistic locking through SQLAlchemy's version counter.

    A stale edit raises ``StaleDataError`` at flush; callers answer 409 and show what changed.
    """

    version: Mapped[int] = mapped_column(sa.Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite: enforce foreign keys, WAL for concurrent readers, FULL sync for durability.

    Also hand transaction control to SQLAlchemy (``isolation_level=None`` plus an explicit BEGIN)
    so SAVEPOINTs and transactional DDL behave as on PostgreSQL.
    """
    import sqlite3

    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


#: ``Connection.info`` key: the open SQLite transaction was begun DEFERRED (it reads only).
DEFERRED = "casework_deferred"
_WRITE_STATEMENT = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.I)


def _reads_without_lock() -> bool:
    """A GET or HEAD request reads without SQLite's write lock, until it asks for it."""
    if not has_request_context() or request.method not in ("GET", "HEAD"):
        return False
    return not g.pop("_casework_write", False)


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn: sa.Connection) -> None:
    """SQLite: take the write lock at BEGIN (IMMEDIATE) so a transaction that reads and then
    writes can never fail with "database is locked" because another process committed in
    between (a deferred transaction cannot upgrade a stale read snapshot, and busy_timeout does
    not help then). Writers queue on busy_timeout instead.

    GET and HEAD requests are the exception: they begin DEFERRED and hold no lock while they
    read, so a report that reads for seconds never blocks the office's writes. The few writes a
    GET makes (its consultation audit row, the session's last-seen time) first call
    ``ensure_write_lock``, which ends the read and begins IMMEDIATE. PostgreSQL is unaffected.
    """
    if conn.dialect.name != "sqlite":
        return
    deferred = _reads_without_lock()
    conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")
    conn.info[DEFERRED] = deferred


@event.listens_for(Engine, "before_cursor_execute")
def _sqlite_guard_deferred(conn: sa.Connection, cursor: Any, statement: str, parameters: Any,
                           context: Any, executemany: bool) -> None:
    """A write inside a GET's read transaction skipped ``ensure_write_lock``: under load it could
    fail on a stale snapshot. The test suite (which walks every GET route) refuses it; in
    service it is logged and goes ahead (at worst the user gets the "send it again" page)."""
    if not conn.info.get(DEFERRED) or not _WRITE_STATEMENT.match(statement):
        return
    message = f"write in a read-only (GET) transaction without ensure_write_lock: {statement[:80]}"
    if has_app_context() and current_app.testing:
        raise RuntimeError(message)
    log.warning(message)


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _sqlite_on_end(conn: sa.Connection) -> None:
    conn.info.pop(DEFERRED, None)


def ensure_write_lock(session: Session) -> None:
    """Call before a GET request writes: on SQLite, end its read (keeping what it loaded) and make
    the next transaction take the write lock. A no-op on PostgreSQL and outside GET requests.

    Call it before changing anything: pending changes would be flushed into the read.
    """
    if not has_request_context() or request.method not in ("GET", "HEAD"):
        return
    if session.get_bind().dialect.name != "sqlite":
        return
    if session.in_transaction():
        if not session.connection().info.get(DEFERRED):
            return  # this transaction already holds the write lock
        commit_keeping_loaded(session)
    g._casework_write = True


def commit_keeping_loaded(session: Session) -> None:
    """Commit without expiring what the session has loaded.

    For read pages that write one consultation audit row: the records just read are shown as
    they were read (one snapshot) instead of every attribute and collection being loaded again
    after the commit, which a plain commit does, one statement per row for each collection.
    Use it only when nothing loaded was changed in the transaction.
    """
    previous = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = previous


def str_enum(enum_cls: type[Any], length: int = 30) -> sa.Enum:
    """A StrEnum stored as its value in a VARCHAR (no native ENUM type: easy to extend)."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
