"""Benchmark: the order register (50 rows, filtered, signed in) against the same query through
the raw DB driver. Prints figures as JSON; not a test.

    .venv/bin/python -m tests.perf.bench_orders_register [--orders 30000] [--runs 40]

Builds a throwaway SQLite database from the migrations, bulk-inserts the orders with Core
inserts (no services: this measures reads), then times side by side in one run:
- ``orm_query``: ``queries.register`` + keyset ``paginate`` (what the page runs);
- ``raw_query``: the same SQL text through sqlite3, rows as tuples;
- ``page``: GET /orders over HTTP through the test client, signed in as an offender manager.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

RAW_SQL = """
SELECT o.id, o.type, o.made_on, o.starts_on, o.ends_on, o.indefinite, o.discharged_on,
       d.forenames, d.surname, c.urn, u.name, m.name
FROM ancillary_orders o JOIN defendants d ON d.id = o.defendant_id JOIN cases c ON c.id = d.case_id
JOIN units u ON u.id = o.unit_id LEFT JOIN users m ON m.id = o.offender_manager_id
WHERE o.unit_id IN ({units}) AND (o.discharged_on IS NULL OR o.discharged_on > :today)
  AND (o.starts_on IS NULL OR o.starts_on > :today OR NOT (o.indefinite = 0 AND o.ends_on IS NOT NULL
       AND o.ends_on <= :today))
  AND o.type = :type
ORDER BY o.ends_on IS NULL, o.ends_on, o.id LIMIT 51
"""


def _median_ms(fn: Any, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 3)


def _fill(n: int) -> dict[str, Any]:
    from casework.cases.models import Case, Defendant
    from casework.core import clock
    from casework.extensions import db
    from casework.orders.models import AncillaryOrder
    from tests import factories

    manager = factories.user("offender_manager", ("ocd",), name="Bench Manager")
    ocd = factories.unit("ocd").id
    crime = factories.crime_type("drugs").id
    now = clock.now()
    db.session.execute(sa.insert(Case), [
        {"id": i, "urn": f"01BN{i:07d}", "name": f"Operation {i}", "unit_id": ocd,
         "crime_type_id": crime, "stage": "sentenced", "created_at": now, "version": 1}
        for i in range(1, n // 4 + 2)])
    db.session.execute(sa.insert(Defendant), [
        {"id": i, "case_id": i // 4 + 1, "surname": f"Person{i}", "forenames": "Sam",
         "release_is_actual": False, "version": 1} for i in range(1, n + 1)])
    types = ["scpo", "tro", "cdda", "shpo", "stpo"]
    base = dt.date(2022, 1, 1)
    db.session.execute(sa.insert(AncillaryOrder), [
        {"defendant_id": i, "unit_id": ocd, "type": types[i % 5], "made_on": base,
         "court_level": "crown_court", "start_trigger": "on_making", "runs_from_release": False,
         "starts_on": base, "ends_on": base + dt.timedelta(days=365 + i % 3000), "indefinite": False,
         "life_sentence": False, "extended_pending_charge": False,
         "offender_manager_id": manager.id if i % 2 else None, "created_at": now, "version": 1}
        for i in range(1, n + 1)])
    db.session.commit()
    return {"manager": manager, "unit": ocd}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=30000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()

    from casework.core import clock
    from casework.core.pagination import paginate
    from casework.extensions import db
    from casework.orders import queries
    from tests.conftest import TEST_SECRET, make_app, migrate, sign_in_as

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        app = make_app(f"sqlite:///{path}", SECRET_KEY=TEST_SECRET)
        migrate(app)
        with app.app_context():
            made = _fill(args.orders)
            manager, today = made["manager"], clock.today()
            f = queries.RegisterFilter(type=queries.OrderType.SCPO)

            def orm() -> None:
                page = paginate(queries.register(manager, f, today), queries.sort_keys(f), after=None,
                                limit=50, key_of=lambda o: [o.ends_on, o.id])
                assert len(page.items) == 50
                db.session.expunge_all()

            raw = sqlite3.connect(path)
            sql = RAW_SQL.format(units=made["unit"])

            def driver() -> None:
                rows = raw.execute(sql, {"today": today.isoformat(), "type": "scpo"}).fetchall()
                assert len(rows) == 51

            from tests.conftest import Client

            app.test_client_class = Client
            client = app.test_client()
            sign_in_as(client, manager)

            def page() -> None:
                assert client.get("/orders?type=scpo").status_code == 200

            figures = {"orders": args.orders, "runs": args.runs,
                       "orm_query_ms": _median_ms(orm, args.runs),
                       "raw_query_ms": _median_ms(driver, args.runs),
                       "page_ms": _median_ms(page, args.runs)}
            figures["orm_over_raw"] = round(figures["orm_query_ms"] / figures["raw_query_ms"], 2)
            print(json.dumps(figures))


if __name__ == "__main__":
    main()
