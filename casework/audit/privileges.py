"""PostgreSQL: run the app as a role that cannot UPDATE, DELETE or TRUNCATE the append-only tables.

The triggers (migrations 0001 and 0005) refuse those statements for everyone, but the table
owner could drop a trigger. The app should therefore connect as a role that owns nothing and
holds only the privileges below; then even with the triggers gone the database answers
"permission denied". Migrations keep running as the owner; run ``flask audit lock-down`` again
after each ``flask db upgrade`` so new tables are granted too.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

APPEND_ONLY = ("audit_events", "confiscation_payments")
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class PrivilegeError(Exception):
    pass


def lock_down_statements(role: str) -> list[str]:
    if not ROLE_NAME.match(role):
        raise PrivilegeError("Role names are lower-case letters, digits and underscores")
    append_only = ", ".join(APPEND_ONLY)
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {append_only} FROM {role}, PUBLIC",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {role}, PUBLIC",
    ]


def lock_down(connection: sa.Connection, role: str) -> dict[str, list[str]]:
    """Grant ``role`` what the app needs, minus changes to the append-only tables; returns the
    privileges the role now holds on each append-only table (read back from the catalogue)."""
    if connection.dialect.name != "postgresql":
        raise PrivilegeError("Only PostgreSQL has roles; on SQLite the triggers guard the tables")
    statements = lock_down_statements(role)
    exists = connection.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar()
    if not exists:
        raise PrivilegeError(f"Role {role} does not exist; create it first (CREATE ROLE {role} LOGIN ...)")
    owner = connection.execute(sa.text("SELECT 1 FROM pg_tables WHERE schemaname = 'public' "
                                       "AND tableowner = :r LIMIT 1"), {"r": role}).scalar()
    if owner:
        raise PrivilegeError(f"Role {role} owns tables; the app role must own nothing")
    for statement in statements:
        connection.exec_driver_sql(statement)
    return {table: held_privileges(connection, role, table) for table in APPEND_ONLY}


def held_privileges(connection: sa.Connection, role: str, table: str) -> list[str]:
    return [
        privilege
        for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
        if connection.execute(sa.text("SELECT has_table_privilege(:r, :t, :p)"),
                              {"r": role, "t": f"public.{table}", "p": privilege}).scalar()
    ]
