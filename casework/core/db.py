"""Declarative base, constraint naming, column types and engine settings shared by every domain."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
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


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn: sa.Connection) -> None:
    """SQLite: take the write lock at BEGIN (IMMEDIATE) so a transaction that reads and then
    writes can never fail with "database is locked" because another process committed in
    between (a deferred transaction cannot upgrade a stale read snapshot, and busy_timeout does
    not help then). Writers queue on busy_timeout instead; WAL readers outside a transaction are
    not blocked. PostgreSQL is unaffected.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


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
