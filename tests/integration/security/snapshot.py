"""Every row of every table, to prove what a walk of requests did (and did not) write."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from casework.extensions import db

# What a read may write, and nothing else: the consultation, disclosure and refusal audit rows
# (Data Protection Act 2018 s.62) and the session's last-seen time (the idle timer).
READ_AUDIT_ACTIONS = {"consult", "disclose", "authz_denied"}
SESSION_TOUCH = ("user_sessions", "last_seen_at")


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    db.session.expire_all()
    tables = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if (table.name, c.name) != SESSION_TOUCH]
        rows = db.session.execute(
            sa.select(*columns).order_by(*table.primary_key.columns)).all()
        tables[table.name] = [tuple(row) for row in rows]
    return tables


def rows_in(tables: dict[str, list[tuple[Any, ...]]]) -> int:
    return sum(len(rows) for rows in tables.values())


def changes(before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]],
            *, reads: bool) -> list[str]:
    """Tables that changed; with ``reads``, new audit rows of a read's kind are allowed."""
    problems = []
    action = [c.name for c in db.metadata.tables["audit_events"].columns].index("action")
    for name, old in before.items():
        new = after[name]
        if new == old:
            continue
        if reads and name == "audit_events" and new[:len(old)] == old:
            odd = {str(row[action]) for row in new[len(old):]} - READ_AUDIT_ACTIONS
            if not odd:
                continue
            problems.append(f"audit_events: a read wrote {sorted(odd)}")
            continue
        problems.append(f"{name}: {len(old)} -> {len(new)} rows, "
                        f"{len(set(old) ^ set(new))} rows differ")
    return problems
