"""Whole-register jobs and report aggregates at full size, each against its raw SQL.

- Alert sweep, first run: every alert deleted, then ``send_due_alerts`` (no email sending)
  rebuilds them all; the raw equivalent deletes them again and sends the sweep's captured
  statements (the same INSERTs with the same rows, the same claims) straight to the driver.
- Alert sweep, daily run: the same again with every alert already present.
- Report aggregates: each report's query function over ten years grouped by month, against its
  captured SQL through the driver (target: at most 1.2x).
- Monthly report: the document for last month (every unit) and its PDF, as ``flask reports
  monthly`` builds them.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask

from tests.perf.measure import Replayer, Stats, capture, interleaved


def _clear_alerts() -> None:
    from casework.extensions import db

    db.session.execute(sa.text("DELETE FROM email_messages WHERE alert_id IS NOT NULL"))
    db.session.execute(sa.text("DELETE FROM alerts"))
    if db.session.get_bind().dialect.name == "postgresql":
        # Restart the ids as SQLite does on an empty table, so the replayed statements (which
        # name alert ids, e.g. in the queued emails) refer to the same rows as the original run.
        db.session.execute(sa.text("SELECT setval(pg_get_serial_sequence('alerts', 'id'), 1, false)"))
    db.session.commit()
    if db.session.get_bind().dialect.name == "postgresql":
        # Each run deletes and re-inserts the same keys: without a vacuum the unique-key checks
        # step over every dead row of earlier runs, and both sides of the ratio slow down.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE alerts"))
            conn.execute(sa.text("VACUUM ANALYZE email_messages"))


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def sweep(app: Flask) -> dict[str, Any]:
    from casework.alerts.sweep import send_due_alerts
    from casework.extensions import db

    out: dict[str, Any] = {}
    with app.app_context():
        engine = db.engine
        alerts = db.session.execute(sa.text("SELECT count(*) FROM alerts")).scalar_one()
        _clear_alerts()
        with capture(engine) as cap:
            start = time.perf_counter()
            result = send_due_alerts(send_email=False, trigger="bench")
            first = time.perf_counter() - start
        db.session.remove()
        _clear_alerts()
        replay = Replayer(engine, cap)
        raw = _timed(replay)
        out["first"] = {"orm_s": round(first, 2), "raw_s": round(raw, 2),
                        "ratio": round(first / raw, 2), "statements": cap.statements,
                        "alerts_before": alerts, "created": result.created, "sent": result.sent,
                        "replay_errors": replay.errors}
        with capture(engine) as cap:
            start = time.perf_counter()
            send_due_alerts(send_email=False, trigger="bench")
            daily = time.perf_counter() - start
        db.session.remove()
        replay = Replayer(engine, cap)
        raw = _timed(replay)
        out["daily"] = {"orm_s": round(daily, 2), "raw_s": round(raw, 2),
                        "ratio": round(daily / raw, 2), "statements": cap.statements,
                        "replay_errors": replay.errors}
    return out


def ten_years() -> Any:
    from casework.core import clock
    from casework.reports.filters import ReportFilters
    from casework.reports.periods import Grouping

    today = clock.today()
    first = dt.date(today.year - 10, today.month, 1)
    last = dt.date(today.year, today.month, 1) - dt.timedelta(days=1)
    return ReportFilters(first, last, Grouping.MONTH)


def aggregates(app: Flask, runs: int) -> dict[str, dict[str, Any]]:
    from casework.extensions import db
    from casework.reports import confiscation_queries, order_queries, queries, review

    functions: dict[str, Callable[[Any], Any]] = {
        "conviction-rate": queries.conviction_report,
        "confiscation": confiscation_queries.confiscation_report,
        "ancillary-orders": order_queries.ancillary_report,
        "quarterly-review": review.quarterly_review,
    }
    out = {}
    with app.app_context():
        engine = db.engine
        filters = ten_years()
        for name, fn in functions.items():
            f = filters if name != "quarterly-review" else _last_quarter(filters)

            def orm(fn: Callable[[Any], Any] = fn, f: Any = f) -> None:
                fn(f)
                db.session.rollback()

            orm()
            with capture(engine) as cap:
                orm()
            replay = Replayer(engine, cap)
            stats = interleaved({"orm": orm, "raw": replay}, runs)
            out[name] = {"orm": stats["orm"].as_dict(), "raw": stats["raw"].as_dict(),
                         "ratio": round(stats["orm"].median / stats["raw"].median, 2),
                         "statements": cap.statements, "replay_errors": replay.errors}
    return out


def _last_quarter(filters: Any) -> Any:
    from dataclasses import replace

    from casework.core import clock
    from casework.reports.periods import Grouping, period_of, previous

    quarter = previous(period_of(clock.today(), Grouping.QUARTER), Grouping.QUARTER)
    return replace(filters, first=quarter.starts_on, last=quarter.ends_on, grouping=Grouping.QUARTER)


def monthly_report(app: Flask, runs: int) -> dict[str, Any]:
    from casework.core import clock
    from casework.extensions import db
    from casework.reports import monthly, pdf
    from casework.reports.periods import Grouping, period_of, previous

    month = previous(period_of(clock.today(), Grouping.MONTH), Grouping.MONTH)
    document_s, pdf_s, size = [], [], 0
    with app.app_context():
        for _ in range(runs):
            start = time.perf_counter()
            document = monthly.monthly_document(month)
            middle = time.perf_counter()
            size = len(pdf.render_pdf(document))
            document_s.append(middle - start)
            pdf_s.append(time.perf_counter() - middle)
            db.session.rollback()
    return {"month": month.label, "document": Stats.of(document_s).as_dict(),
            "pdf": Stats.of(pdf_s).as_dict(), "pdf_bytes": size,
            "total_median_ms": round(Stats.of(document_s).median + Stats.of(pdf_s).median, 1)}
