"""Alerts sweep benchmark (QUALITY.md, Performance): the set-based sweep over the orders
register at national scale (30,000 orders give about 130,000-300,000 alerts), measured side by
side in one run: the first sweep (creates every alert), a repeat sweep (nothing to do: the daily
cost), recomputing one order, and the raw cost of reading every alert key for comparison.

    .venv/bin/python -m tests.perf.bench_alerts [--orders 30000]

Uses a temporary SQLite database unless CASEWORK_BENCH_DATABASE_URL is set (it is reset!).
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from casework.extensions import db
from tests.conftest import make_app, migrate, reset_database

TODAY = dt.date(2026, 11, 23)


def seed(app: Any, orders: int) -> None:
    from casework.alerts.models import Alert
    from casework.cases.models import Case, CaseStage, Defendant
    from casework.orders.models import AncillaryOrder, OrderCondition
    from casework.orders.rules import ConditionKind, CourtLevel, OrderType, StartTrigger, add_months
    from casework.units.models import CrimeType, Unit

    types = list(OrderType)
    with app.app_context():
        unit_ids = db.session.execute(sa.select(Unit.id)).scalars().all()
        crime = db.session.execute(sa.select(CrimeType.id)).scalars().first()
        now = dt.datetime.now(dt.UTC)
        for n in range(orders):
            case = Case(urn=f"99BB{n:07d}", name=f"Operation Bench{n}", unit_id=unit_ids[n % len(unit_ids)],
                        crime_type_id=crime, stage=CaseStage.PRE_CHARGE, created_at=now)
            defendant = Defendant(case=case, surname=f"Bench{n}", forenames="Alex")
            made = TODAY - dt.timedelta(days=(n * 13) % 2400)
            order = AncillaryOrder(
                defendant=defendant, unit_id=case.unit_id, type=types[n % len(types)], made_on=made,
                court_level=CourtLevel.CROWN_COURT, start_trigger=StartTrigger.ON_MAKING,
                starts_on=made, ends_on=add_months(made, 60), term_months=60, created_at=now,
                served_on=made if n % 5 else None, check_interval_months=3 if n % 2 else None,
                next_check_due_on=add_months(made, 3) if n % 2 else None)
            if n % 3 == 0:
                order.conditions.append(OrderCondition(
                    kind=ConditionKind.FINANCIAL_REPORTING, text="Report accounts",
                    report_every_months=1, next_report_due_on=add_months(TODAY, 1)))
            db.session.add_all([case, defendant, order])
            if n % 2000 == 1999:
                db.session.commit()
        db.session.commit()
        db.session.execute(sa.delete(Alert))
        db.session.commit()


def timed(app: Any, func: Any) -> tuple[float, Any]:
    with app.app_context():
        start = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - start
        db.session.remove()
    return seconds, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=30000)
    args = parser.parse_args()
    url = os.environ.get("CASEWORK_BENCH_DATABASE_URL") or \
        f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench_alerts.db'}"
    reset_database(url)
    app = make_app(url, TESTING=False)
    migrate(app)
    start = time.perf_counter()
    seed(app, args.orders)
    seeded = time.perf_counter() - start

    from casework.alerts.models import Alert
    from casework.alerts.service import recompute_for, send_due_alerts

    first, r1 = timed(app, lambda: send_due_alerts(TODAY, send_email=False))
    repeat, r2 = timed(app, lambda: send_due_alerts(TODAY, send_email=False))
    one, _ = timed(app, lambda: (recompute_for("order", [1], today=TODAY), db.session.commit()))
    keys, count = timed(app, lambda: len(db.session.execute(sa.select(Alert.key)).scalars().all()))
    print(json.dumps({
        "database": url.split(":")[0], "orders": args.orders, "alerts": count,
        "seed_seconds": round(seeded, 1), "first_sweep_seconds": round(first, 2),
        "first_sweep": r1.counts(), "repeat_sweep_seconds": round(repeat, 2),
        "repeat_sweep": {k: v for k, v in r2.counts().items() if v},
        "recompute_one_order_seconds": round(one, 3), "read_all_keys_seconds": round(keys, 2),
        "repeat_sweep_to_key_read_ratio": round(repeat / keys, 1) if keys else None,
    }, indent=1))


if __name__ == "__main__":
    main()
