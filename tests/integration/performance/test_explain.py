"""The hot reads use their indexes: EXPLAIN on the statements the real pages send.

Each case requests a page, picks the statement it sent that matches a pattern, and runs
EXPLAIN (SQLite: ``EXPLAIN QUERY PLAN``) on it with the same parameters. The plan must name the
intended index. On PostgreSQL the planner prefers a sequential scan of a tiny test table, so
the check runs with ``enable_seqscan`` off inside a savepoint: that still proves the index fits
the query's shape (the realistic-size timings are in the commit that added the indexes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from casework.core import clock
from casework.extensions import db
from tests.conftest import Client, sign_in_as
from tests.integration.performance import world


@dataclass(frozen=True)
class Hot:
    name: str
    role: str
    path: str  # formatted with ``w``
    statement: str  # regex picking the statement from those the page sent
    index: str  # the index the plan must use (both databases unless ``postgresql`` says)
    postgresql: str = ""

    def expected(self, dialect: str) -> str:
        return self.postgresql if dialect == "postgresql" and self.postgresql else self.index


LIST = r"LIMIT"
HOT = [
    # Every signed-in request: the session record, its user and the user's units. Written as a
    # nested join SQLite scanned every user's units (``SCAN user_units``) on each request.
    Hot("session record, user and units", "lawyer", "/home",
        r"FROM user_sessions .*JOIN .*user_units", "sqlite_autoindex_user_units_1",
        postgresql="pk_user_units"),
    Hot("case list, all units", "admin", "/cases", r"FROM cases .*" + LIST, "ix_cases_received_on",
        postgresql="ix_cases_received_order"),
    # A unit holds about 600 orders: SQLite reads them by unit and sorts (ends_on NULLS LAST is
    # not the index's order there); PostgreSQL walks (unit_id, ends_on, id).
    Hot("order register, unit scope", "lawyer", "/orders", r"FROM ancillary_orders .*" + LIST,
        "ix_ancillary_orders_unit_id", postgresql="ix_ancillary_orders_unit"),
    Hot("this week: my checks due", "offender_manager", "/orders/this-week",
        r"ancillary_orders\.next_check_due_on <=", "ix_ancillary_orders_offender_manager_id",
        postgresql="ix_ancillary_orders_"),
    # Conditions with a report due, with their order and defendant: the order joined inner, so
    # SQLite does not build a nested join of every order first.
    Hot("this week: reports due", "offender_manager", "/orders/this-week",
        r"FROM order_conditions .*JOIN .*ancillary_orders", "ix_order_conditions_order_id",
        postgresql="(?:ix|pk)_"),
    Hot("defendant page: ancillary orders", "lawyer", "/defendants/{w.defendant.id}",
        r"FROM ancillary_orders .*ancillary_orders\.defendant_id = ", "ix_ancillary_orders_defendant_id"),
    Hot("defendant page: confiscation orders", "lawyer", "/defendants/{w.defendant.id}",
        r"FROM confiscation_orders WHERE confiscation_orders\.defendant_id = ",
        "ix_confiscation_orders_defendant_id"),
    Hot("defendant page: restraint orders", "lawyer", "/defendants/{w.defendant.id}",
        r"FROM restraint_orders WHERE restraint_orders\.defendant_id = ", "ix_restraint_orders_defendant_id"),
    Hot("defendant page: history from the audit log", "lawyer", "/defendants/{w.defendant.id}",
        r"FROM audit_events WHERE audit_events\.case_id = .*action !=", "ix_audit_events_case_id"),
    # The balances statement reads each listed order's ledger up to a date. On a few dozen rows
    # PostgreSQL may take either ledger index (both fit: order_id = ANY, received_on <=); on the
    # national-10y data it reads by order id (0.4 ms for a defendant's orders).
    Hot("defendant page: balances (ledger in SQL)", "lawyer", "/defendants/{w.defendant.id}",
        r"FROM confiscation_payments WHERE confiscation_payments\.order_id IN",
        "ix_confiscation_payments_order_received", postgresql="(?:ix|uq)_confiscation_payments_"),
    # The outstanding sum per order: on tiny tables PostgreSQL takes any index led by order_id
    # (including the unique one with the idempotency key), or the other ledger index.
    Hot("live confiscation orders by outstanding", "lawyer", "/confiscation",
        r"FROM confiscation_orders JOIN defendants .*" + LIST, "ix_confiscation_payments_order_received",
        postgresql="(?:ix|uq)_confiscation_payments_"),
    # PostgreSQL without statistics may pick (status, due_on) for the open view: an index either way.
    Hot("alerts inbox, my unit", "offender_manager", "/alerts?scope=unit", r"FROM alerts .*" + LIST,
        "ix_alerts_unit_due", postgresql="ix_alerts_"),
    Hot("alerts API, unit scope", "offender_manager", "/api/v1/alerts", r"FROM alerts .*" + LIST,
        "ix_alerts_unit_due"),
    Hot("audit log by record type", "admin", "/admin/audit?object_type=confiscation_payment",
        r"FROM audit_events .*" + LIST, "ix_audit_events_object"),
    Hot("conviction rate by month", "analyst", "/reports/conviction-rate" + "?from=2025-04-01&to=2026-03-31",
        r"FROM defendants JOIN cases .*GROUP BY", "ix_defendants_finalised_on"),
    Hot("confiscation collected per month", "analyst", "/reports/confiscation?from=2025-04-01&to=2026-03-31",
        r"JOIN confiscation_payments .*received_on BETWEEN", "ix_confiscation_payments_"),
]


def _national_statistics() -> int:
    """SQLite: plan as at national size (see ``national_stats``); rolled back with the test.
    PostgreSQL needs none: ``enable_seqscan`` off is enough to show the index fits."""
    from tests.integration.performance.national_stats import STATS

    conn = db.session.connection()
    if conn.dialect.name != "sqlite":
        return 0
    conn.exec_driver_sql("ANALYZE")  # creates sqlite_stat1
    conn.exec_driver_sql("DELETE FROM sqlite_stat1")
    indexes = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
    rows = [r for r in STATS if r[1] is None or r[1] in indexes]
    for row in rows:
        conn.exec_driver_sql("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", row)
    conn.exec_driver_sql("ANALYZE sqlite_schema")  # reload the statistics
    return len(rows)


def _plan(statement: str, params: Any) -> str:
    conn = db.session.connection()
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
        return "\n".join(str(r[-1]) for r in rows)
    with conn.begin_nested() as savepoint:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        rows = conn.exec_driver_sql("EXPLAIN " + statement, params).all()
        savepoint.rollback()
    return "\n".join(str(r[0]) for r in rows)


@pytest.fixture
def explained(app: Flask, users: Any, session: Any) -> dict[str, tuple[str, str]]:
    """Each hot statement and its plan, from the real pages over a small world."""
    with clock.frozen(world.TODAY):
        w = world.build(users)
        world.grow(w, 3)
        loaded = _national_statistics()
        db.session.commit()
        print(f"\n[explain] planner statistics of the national-10y profile: {loaded} rows")
        app.test_client_class = Client
        out: dict[str, tuple[str, str]] = {}
        for hot in HOT:
            user = getattr(users, hot.role)
            client = sign_in_as(app.test_client(), user)  # type: ignore[arg-type]
            headers = {}
            if hot.path.startswith("/api/"):
                from casework.auth.service import issue_token

                headers = {"Authorization": f"Bearer {issue_token(user)}"}
                db.session.commit()
            sent: list[tuple[str, Any]] = []

            def _capture(conn: Any, cursor: Any, statement: str, params: Any, *args: Any,
                         sent: list[tuple[str, Any]] = sent) -> None:
                sent.append((statement, params))

            engine = db.session.get_bind().engine
            sa.event.listen(engine, "before_cursor_execute", _capture)
            try:
                response = client.get(hot.path.format(w=w), headers=headers)
            finally:
                sa.event.remove(engine, "before_cursor_execute", _capture)
            assert response.status_code == 200, (hot.name, response.status_code)
            found = [(s, p) for s, p in sent if re.search(hot.statement, " ".join(s.split()))]
            assert found, f"{hot.name}: no statement matched {hot.statement!r}"
            statement, params = found[0]
            out[hot.name] = (statement, _plan(statement, params))
    return out


def test_hot_queries_use_their_indexes(explained: dict[str, tuple[str, str]]) -> None:
    dialect = db.session.connection().dialect.name
    wrong = []
    print(f"\n[explain] {dialect}: {len(HOT)} hot statements from real pages")
    for hot in HOT:
        statement, plan = explained[hot.name]
        index = hot.expected(dialect)
        # The index must be what a scan reads ("USING [COVERING] INDEX ix_..." on SQLite, "Index
        # [Only] Scan using ix_..." / "Bitmap Index Scan on ix_..." on PostgreSQL), not a table
        # alias that happens to share its prefix. ``index`` may be a regular expression.
        ok = re.search(rf"\b(?:using|on)\s+(?:covering\s+)?(?:index\s+)?(?:{index})", plan, re.I) is not None
        # A nested join ("LEFT JOIN (a JOIN b)") is built whole by SQLite before the lookup: every
        # row of those tables, on every request.
        ok = ok and "MATERIALIZE (join" not in plan
        print(f"  {'ok   ' if ok else 'MISS '} {hot.name:45} uses {index}")
        if not ok:
            wrong.append(f"{hot.name}: expected {index}\n{' '.join(statement.split())[:400]}\n{plan}")
    assert not wrong, "\n\n".join(wrong)
