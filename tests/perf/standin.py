"""A bulk stand-in for the national-10y profile, used only while that profile is unavailable.

The ``small`` demo profile gives the reference data and the demo users (through the services);
Core bulk inserts then add cases, defendants with outcomes over ten years, and ancillary orders
(some with reporting conditions) at the profile's proportions times ``scale``; the alerts sweep
then creates their alerts. Confiscation is not bulk-filled (the confiscation report is light).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import sqlalchemy as sa

FULL = {"cases": 40_000, "defendants": 150_000, "orders": 30_000}
BATCH = 10_000


def _insert(table: Any, rows: list[dict[str, Any]]) -> None:
    from casework.extensions import db

    for start in range(0, len(rows), BATCH):
        db.session.execute(sa.insert(table), rows[start:start + BATCH])


def fill(scale: float, seed: int) -> dict[str, int]:
    """Load the small profile, then bulk rows; commits. Returns the row counts added."""
    from casework.auth.models import Role, User, user_units
    from casework.cases.models import Case, Defendant
    from casework.cases.rules import CaseStage, OffenceCategory, Outcome
    from casework.core import clock
    from casework.demo import loader
    from casework.demo.profiles import SMALL
    from casework.extensions import db
    from casework.orders.models import AncillaryOrder, OrderCondition
    from casework.orders.rules import ConditionKind, add_months
    from casework.units.models import CrimeType, Unit

    loader.load(SMALL, seed=seed)
    db.session.commit()
    rng = random.Random(seed)
    today, now = clock.today(), clock.now()
    units = db.session.execute(sa.select(Unit.id, Unit.code)).all()
    ocd = next(u.id for u in units if u.code == "ocd")
    unit_ids = [u.id for u in units]
    crimes = db.session.execute(sa.select(CrimeType.id)).scalars().all()
    people = db.session.execute(
        sa.select(User.id, User.role, user_units.c.unit_id).join(user_units)).all()
    lawyers = {u: [p.id for p in people if p.unit_id == u and p.role == Role.LAWYER] for u in unit_ids}
    managers = {u: [p.id for p in people if p.unit_id == u and p.role == Role.OFFENDER_MANAGER]
                for u in unit_ids}
    first_id = (db.session.execute(sa.select(sa.func.max(Case.id))).scalar() or 0) + 1
    n_cases = int(FULL["cases"] * scale)
    n_defendants = int(FULL["defendants"] * scale)
    n_orders = int(FULL["orders"] * scale)
    start = today - dt.timedelta(days=3650)
    case_units: dict[int, int] = {}
    cases = []
    for i in range(first_id, first_id + n_cases):
        unit = ocd if rng.random() < 0.3 else rng.choice(unit_ids)
        case_units[i] = unit
        cases.append({
            "id": i, "urn": f"{i % 100:02d}ZZ{i:07d}", "name": f"Operation Standin {i}",
            "unit_id": unit, "crime_type_id": rng.choice(crimes),
            "received_on": start + dt.timedelta(days=rng.randrange(3650)),
            "lead_lawyer_id": rng.choice(lawyers[unit]) if lawyers[unit] else None,
            "stage": rng.choice(list(CaseStage)), "created_at": now, "version": 1})
    _insert(Case, cases)
    outcomes, weights = list(Outcome), [60, 10, 5, 6, 2, 12, 5]
    case_ids = list(case_units)
    defendants = []
    first_defendant = (db.session.execute(sa.select(sa.func.max(Defendant.id))).scalar() or 0) + 1
    for n in range(n_defendants):
        finalised = rng.random() < 0.7
        outcome = rng.choices(outcomes, weights)[0] if finalised else None
        defendants.append({
            "id": first_defendant + n, "case_id": rng.choice(case_ids),
            "surname": f"Standin{n}", "forenames": "Sam",
            "outcome": outcome,
            "finalised_on": start + dt.timedelta(days=rng.randrange(3650)) if finalised else None,
            "principal_offence": None if outcome in (None, Outcome.ADMINISTRATIVELY_FINALISED)
            else rng.choice(list(OffenceCategory)), "release_is_actual": False, "version": 1})
    _insert(Defendant, defendants)
    types = ["scpo", "tro", "cdda", "shpo", "stpo"]
    orders, conditions = [], []
    first_order = (db.session.execute(sa.select(sa.func.max(AncillaryOrder.id))).scalar() or 0) + 1
    for n in range(n_orders):
        d = defendants[rng.randrange(len(defendants))]
        unit = case_units[d["case_id"]]
        made = start + dt.timedelta(days=rng.randrange(3650))
        order_id = first_order + n
        checks = n % 2 == 0
        orders.append({
            "id": order_id, "defendant_id": d["id"], "unit_id": unit, "type": types[n % 5],
            "made_on": made, "court_level": "crown_court", "start_trigger": "on_making",
            "runs_from_release": False, "starts_on": made, "ends_on": add_months(made, 60),
            "term_months": 60, "indefinite": False, "life_sentence": False,
            "extended_pending_charge": False, "served_on": made if n % 5 else None,
            "offender_manager_id": rng.choice(managers[unit]) if managers[unit] and n % 2 else None,
            "check_interval_months": 3 if checks else None,
            "next_check_due_on": add_months(made, 3) if checks else None,
            "created_at": now, "version": 1})
        if n % 3 == 0:
            conditions.append({
                "order_id": order_id, "kind": ConditionKind.FINANCIAL_REPORTING.value,
                "text": "Report accounts", "report_every_months": 1,
                "next_report_due_on": add_months(today, 1), "version": 1})
    _insert(AncillaryOrder, orders)
    _insert(OrderCondition.__table__, conditions)
    db.session.commit()
    return {"cases": n_cases, "defendants": n_defendants, "orders": n_orders}
