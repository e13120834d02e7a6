"""Report aggregate benchmark (QUALITY.md, Performance): the conviction-rate report over ten
years grouped by month, through ``reports.queries`` (ORM-built SQL, dataclasses) against the
same SQL text through the raw DB-API driver, measured side by side in one run. Also shows what
loading the rows into Python to count them would cost (never done by the app).

    .venv/bin/python -m tests.perf.bench_reports [--defendants 150000] [--repeat 7]

Uses a temporary SQLite database unless CASEWORK_BENCH_DATABASE_URL is set (it is reset!).
Prints one JSON object; target: ratio_orm_to_raw <= 1.2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from casework.extensions import db
from tests.conftest import make_app, migrate, reset_database


def _timed(func: Callable[[], Any], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _fill(defendants: int, first: dt.date, days: int, seed: int = 7) -> None:
    from casework.cases.models import Case, Defendant
    from casework.cases.rules import OffenceCategory, Outcome
    from casework.core import clock
    from casework.units.models import CrimeType, Unit

    rng = random.Random(seed)
    units = db.session.execute(sa.select(Unit.id)).scalars().all()
    crimes = db.session.execute(sa.select(CrimeType.id)).scalars().all()
    cases = max(1, defendants // 4)
    now = clock.now()
    db.session.execute(sa.insert(Case), [
        {"urn": f"BENCH{i:07d}", "name": f"Operation Bench {i}", "unit_id": rng.choice(units),
         "crime_type_id": rng.choice(crimes), "stage": "finalised", "created_at": now, "version": 1}
        for i in range(cases)])
    case_ids = db.session.execute(sa.select(Case.id)).scalars().all()
    outcomes, weights = list(Outcome), [60, 10, 5, 6, 2, 12, 5]
    categories = list(OffenceCategory)
    batch = []
    for i in range(defendants):
        outcome = rng.choices(outcomes, weights)[0]
        batch.append({
            "case_id": rng.choice(case_ids), "surname": f"Bench{i}", "forenames": "Test",
            "outcome": outcome, "finalised_on": first + dt.timedelta(days=rng.randrange(days)),
            "principal_offence": None if outcome is Outcome.ADMINISTRATIVELY_FINALISED
            else rng.choice(categories), "release_is_actual": False, "version": 1})
        if len(batch) == 20_000:
            db.session.execute(sa.insert(Defendant), batch)
            batch = []
    if batch:
        db.session.execute(sa.insert(Defendant), batch)
    db.session.commit()


def run(defendants: int, repeat: int) -> dict[str, Any]:
    from casework.cases.models import Defendant
    from casework.reports import queries
    from casework.reports.filters import ReportFilters
    from casework.reports.periods import Grouping

    with tempfile.TemporaryDirectory(prefix="casework-bench-") as tmp:
        url = os.environ.get("CASEWORK_BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'bench.db'}"
        reset_database(url)
        app = make_app(url)
        migrate(app)
        first, last = dt.date(2016, 4, 1), dt.date(2026, 3, 31)
        with app.app_context():
            started = time.perf_counter()
            _fill(defendants, first, (last - first).days + 1)
            fill_seconds = time.perf_counter() - started
            filters = ReportFilters(first, last, Grouping.MONTH)
            dialect = db.engine.dialect
            key = queries.period_key(Defendant.finalised_on, filters.grouping).label("period_key")
            category = Defendant.principal_offence.label("category")
            statements = [
                str(queries._finalised_in(filters, key).group_by(key).order_by(key).compile(
                    dialect=dialect, compile_kwargs={"literal_binds": True})),
                str(queries._finalised_in(filters, category).group_by(Defendant.principal_offence)
                    .compile(dialect=dialect, compile_kwargs={"literal_binds": True})),
            ]

            def orm() -> Any:
                report = queries.conviction_report(filters)
                db.session.rollback()
                return report

            raw_conn = db.engine.raw_connection()

            def raw() -> Any:
                cursor = raw_conn.cursor()
                out = []
                for text in statements:
                    cursor.execute(text)
                    out.append(cursor.fetchall())
                cursor.close()
                raw_conn.rollback()
                return out

            def python_count() -> Any:
                rows = db.session.execute(sa.select(Defendant.outcome, Defendant.finalised_on).where(
                    Defendant.finalised_on.between(first, last))).all()
                counts: dict[Any, int] = {}
                for outcome, day in rows:
                    counts[(day.year, day.month, outcome)] = counts.get((day.year, day.month, outcome), 0) + 1
                db.session.rollback()
                return counts

            orm(), raw()  # warm caches
            report = orm()
            t_orm, t_raw = _timed(orm, repeat), _timed(raw, repeat)
            t_python = _timed(python_count, max(1, repeat // 3))
            raw_conn.close()
            db.engine.dispose()
    return {
        "benchmark": "conviction-rate report, 10 years by month", "database": dialect.name,
        "defendants": defendants, "rows_out": len(report.rows), "finalised": report.total.finalised,
        "fill_seconds": round(fill_seconds, 2), "orm_ms": round(t_orm * 1000, 2),
        "raw_driver_ms": round(t_raw * 1000, 2), "ratio_orm_to_raw": round(t_orm / t_raw, 3),
        "python_counting_ms": round(t_python * 1000, 2), "target_ratio": 1.2,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--defendants", type=int, default=150_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(json.dumps(run(args.defendants, args.repeat), indent=2))  # noqa: T201


if __name__ == "__main__":
    main()
