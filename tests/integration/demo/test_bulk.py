"""`flask demo load --profile national-10y`: the bulk dataset at a small scale, on the test
database (SQLite or PostgreSQL): volumes in proportion to the plan, every reference intact, rules
of the domains respected, deterministic by seed, and the app's sweep, audit chain, reports and
pages accept it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from casework.alerts.models import Alert, AlertStatus
from casework.alerts.sweep import send_due_alerts
from casework.audit.service import verify_chain
from casework.auth import service as auth_service
from casework.auth.models import User
from casework.cases import service as case_service
from casework.cases.models import Case, Charge, Defendant
from casework.cases.rules import CONVICTION_OUTCOMES, CaseStage
from casework.confiscation import ledger
from casework.confiscation.models import ConfiscationOrder, EnforcementStep, OrderStatus, Payment
from casework.core import clock
from casework.demo.bulk import load as bulk
from casework.demo.bulk.plan import Plan
from casework.demo.users import DEMO_PASSWORD, DEMO_USERS
from casework.extensions import db
from casework.orders import rules as order_rules
from casework.orders.models import AncillaryOrder
from casework.reports.filters import ReportFilters
from casework.reports.queries import conviction_report
from casework.units.models import CrimeType, Unit
from tests.conftest import make_app, migrate
from tests.integration.demo.test_load import table_digests

FROZEN = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
SCALE = 0.002


def count(model: Any, *where: Any) -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar_one()


@pytest.fixture
def loaded(session: Any) -> Iterator[bulk.BulkSummary]:
    """national-10y at 0.2% on the test database, inside the test's rolled-back transaction."""
    with clock.frozen(FROZEN):
        summary = bulk.load("national-10y", Plan.national(SCALE), seed=5)
        db.session.flush()
        yield summary


def test_volumes_follow_the_plan(loaded: bulk.BulkSummary) -> None:
    plan = Plan.national(SCALE)
    counts = loaded.counts
    print(f"[bulk] {db.session.get_bind().dialect.name}: " + ", ".join(f"{t} {counts.get(t, 0)}"
                                                                   for t in bulk.REPORTED))
    assert count(Unit) == 50 == counts["units"]
    assert count(Case) == plan.cases == counts["cases"]
    assert count(User) == counts["users"] >= plan.users
    assert abs(count(Defendant) - plan.defendants) <= plan.defendants * 0.1
    assert abs(count(Charge) - plan.charges) <= plan.charges * 0.15
    assert count(AncillaryOrder) == counts["ancillary_orders"] <= plan.ancillary_orders
    assert count(ConfiscationOrder) == plan.confiscation_orders
    assert abs(count(Payment) - plan.payments) <= plan.payments * 0.25
    assert count(Alert) == counts["alerts"] > 0
    # people reappear across cases (people < defendant rows); groups run several cases
    people = db.session.execute(sa.select(sa.func.count()).select_from(
        sa.select(Defendant.surname, Defendant.forenames, Defendant.date_of_birth).distinct().subquery())
    ).scalar_one()
    assert people < count(Defendant) * 0.9, "nobody was prosecuted twice"
    multi = db.session.execute(sa.select(sa.func.count()).select_from(
        sa.select(Defendant.case_id).group_by(Defendant.case_id).having(sa.func.count() > 1).subquery())
    ).scalar_one()
    assert multi > count(Case) / 2, "most organised crime cases are multi-handed"


def test_every_reference_resolves(loaded: bulk.BulkSummary) -> None:
    """Each foreign key of every bulk table points at an existing row (orphans counted)."""
    checked = orphans = 0
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            parent = fk.column.table.alias()  # an alias: some keys point at their own table
            child = fk.parent
            missing = db.session.execute(
                sa.select(sa.func.count()).select_from(table)
                .where(child.is_not(None), ~sa.exists().where(parent.c[fk.column.name] == child))
            ).scalar_one()
            checked += 1
            orphans += missing
            assert missing == 0, f"{table.name}.{child.name} -> {parent.name}: {missing} orphans"
    print(f"[bulk] {checked} foreign keys checked, {orphans} orphans")


def test_domain_rules_hold(loaded: bulk.BulkSummary) -> None:
    today = FROZEN.date()
    finalised = count(Defendant, Defendant.outcome.is_not(None))
    convicted = count(Defendant, Defendant.outcome.in_(list(CONVICTION_OUTCOMES)))
    assert 0.75 <= convicted / finalised <= 0.9, f"{convicted}/{finalised} convicted"
    assert count(Defendant, Defendant.sentenced_on.is_not(None),
                 Defendant.outcome.not_in(list(CONVICTION_OUTCOMES))) == 0
    assert count(Defendant, Defendant.finalised_on > today) == 0
    stages = set(db.session.execute(sa.select(Case.stage).distinct()).scalars())
    assert {CaseStage.SENTENCED, CaseStage.CHARGED} <= stages
    # order durations within the statutory limits
    problems = []
    for order in db.session.execute(sa.select(AncillaryOrder)).scalars():
        problems += order_rules.check_duration(
            order_rules.rule_for(order.type), court_level=order.court_level, starts_on=order.starts_on,
            ends_on=order.ends_on, indefinite=order.indefinite, term_months=order.term_months,
            life_sentence=order.life_sentence)
    assert not problems
    # the ledger never exceeds the order; a satisfied order was paid in full
    paid = dict(db.session.execute(sa.select(Payment.order_id, ledger.pence_sum(Payment.amount))
                                   .group_by(Payment.order_id)).all())
    over = 0
    for order in db.session.execute(sa.select(ConfiscationOrder)).scalars():
        pence = int(paid.get(order.id, 0))
        over += pence > order.amount * 100
        if order.status == OrderStatus.SATISFIED:
            assert Decimal(pence) == order.amount * 100
            assert ledger.balance(order, today).outstanding <= 0
    assert over == 0
    for table in db.metadata.sorted_tables:  # optimistic-locking counters start at 1
        if "version" in table.c and table.name != "users":
            assert count(table, table.c.version != 1) == 0, table.name


def test_a_sweep_after_the_load_adds_nothing(loaded: bulk.BulkSummary) -> None:
    before = count(Alert)
    with clock.frozen(FROZEN):
        result = send_due_alerts(send_email=False)
    keys = db.session.execute(sa.select(sa.func.count(sa.distinct(Alert.key)))).scalar_one()
    print(f"[bulk] sweep after load: {before} alerts before, created {result.created}, "
          f"cancelled {result.cancelled}, updated {result.updated}, sent {result.sent}")
    assert (result.created, result.cancelled, result.updated) == (0, 0, 0)
    assert count(Alert) == keys == before
    assert count(Alert, Alert.status == AlertStatus.PENDING, Alert.due_on <= FROZEN.date()) == 0
    # every live order's next enforcement action has its alert (read for all orders at once)
    steps = count(EnforcementStep, EnforcementStep.next_due_on.is_not(None),
                  EnforcementStep.order_id.in_(sa.select(ConfiscationOrder.id).where(
                      ConfiscationOrder.status == OrderStatus.LIVE)))
    assert steps > 0 and count(Alert, Alert.kind == "enforcement_step_due") == steps


def _planner_knows(table: str) -> bool:
    """Whether the planner has statistics for ``table`` as this transaction sees them."""
    conn = db.session.connection()
    if conn.dialect.name == "sqlite":
        has_stats = conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").scalar_one()
        return bool(has_stats) and bool(conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_stat1 WHERE tbl = ?", (table,)).scalar_one())
    return bool(conn.exec_driver_sql(
        "SELECT count(*) FROM pg_stats WHERE tablename = %(t)s", {"t": table}).scalar_one())


def test_alert_sources_are_planned_with_statistics(session: Any, monkeypatch: Any) -> None:
    """The alert stage's queries (over every order, in the loader's own transaction) run once the
    planner knows the rows just written: at ten times the national profile, planned from empty
    tables, one of them ran for over 20 minutes."""
    seen: dict[str, bool] = {}
    build = bulk.alerts.build_alerts

    def spy(*args: Any, **kwargs: Any) -> dict[str, int]:
        for table in ("restraint_orders", "confiscation_orders", "charges", "ancillary_orders"):
            seen[table] = _planner_knows(table)
        return build(*args, **kwargs)

    monkeypatch.setattr(bulk.alerts, "build_alerts", spy)
    with clock.frozen(FROZEN):
        bulk.load("national-10y", Plan.national(SCALE), seed=5)
    print(f"[bulk] statistics before the alert stage: {seen}")
    assert seen and all(seen.values()), seen


def test_audit_chain_verifies_and_demo_users_sign_in(loaded: bulk.BulkSummary) -> None:
    checked, problems = verify_chain()
    print(f"[bulk] audit chain: {checked} rows checked, {len(problems)} problems")
    assert checked >= len(DEMO_USERS) + 1 and not problems
    spec = DEMO_USERS[1]
    assert auth_service.authenticate(email=spec.email, password=DEMO_PASSWORD).user is not None
    bulk_user = db.session.execute(sa.select(User).order_by(User.id.desc()).limit(1)).scalar_one()
    assert auth_service.authenticate(email=bulk_user.email, password=DEMO_PASSWORD).user is not None


def test_reports_and_pages_accept_the_data(loaded: bulk.BulkSummary, as_user: Any) -> None:
    today = FROZEN.date()
    with clock.frozen(FROZEN):
        report = conviction_report(ReportFilters(first=today.replace(year=today.year - 10), last=today))
    assert report.total.convictions > 0 and report.total.conviction_rate
    lawyer = db.session.execute(sa.select(User).where(User.email == DEMO_USERS[1].email)).scalar_one()
    client = as_user(lawyer)
    case_id = db.session.execute(sa.select(Case.id).join(Case.unit).where(Unit.code == "ocd")
                                 .order_by(Case.id.desc()).limit(1)).scalar_one()
    with clock.frozen(FROZEN):
        for url in ("/cases", "/orders", "/confiscation", "/alerts", "/reports", f"/cases/{case_id}"):
            assert client.get(url).status_code == 200, url


def test_new_records_after_the_load_get_fresh_ids(loaded: bulk.BulkSummary) -> None:
    """PostgreSQL sequences were moved past the ids the generator assigned."""
    top = db.session.execute(sa.select(sa.func.max(Case.id))).scalar_one()
    unit = db.session.execute(sa.select(Unit).where(Unit.code == "ocd")).scalar_one()
    crime = db.session.execute(sa.select(CrimeType).where(CrimeType.code == "drugs")).scalar_one()
    with clock.frozen(FROZEN):
        case = case_service.open_case(urn="01ZZ9999926", name="Fresh", unit=unit, crime_type=crime,
                                      agency="nca", received_on=FROZEN.date(), lead_lawyer=None, actor=None)
    assert case.id > top


def test_cli_loads_and_refuses_stress_on_sqlite(app: Any, session: Any) -> None:
    runner = app.test_cli_runner()
    dialect = db.session.get_bind().dialect.name
    if dialect == "sqlite":
        result = runner.invoke(args=["demo", "load", "--profile", "stress-10x"])
        assert result.exit_code == 1
        assert result.output.strip().splitlines() == [
            "Error: The stress-10x profile needs PostgreSQL; this database is sqlite"]
    with clock.frozen(FROZEN):
        result = runner.invoke(args=["demo", "load", "--profile", "national-10y", "--scale", "0.002"])
    assert result.exit_code == 0, result.output
    assert "Loaded demo data: 50 units" in result.output and "80 cases" in result.output
    result = runner.invoke(args=["demo", "load", "--profile", "national-10y", "--if-empty"])
    assert result.output == "Database already has data; demo not loaded\n"


# --- determinism: two loads into two fresh databases give identical per-table digests ---------

def load_fresh(path: Path, seed: int) -> dict[str, str]:
    app = make_app(f"sqlite:///{path}")
    migrate(app)
    with app.app_context(), clock.frozen(FROZEN):
        bulk.load("national-10y", Plan.national(SCALE), seed=seed)
        db.session.commit()
        digests = table_digests(db.engine)
        db.engine.dispose()
    return digests


def test_same_seed_gives_identical_data(tmp_path: Path) -> None:
    first = load_fresh(tmp_path / "a.db", seed=3)
    second = load_fresh(tmp_path / "b.db", seed=3)
    other = load_fresh(tmp_path / "c.db", seed=4)
    different = [name for name in first if first[name] != second[name]]
    print(f"[bulk] determinism: {len(first)} tables compared, {len(different)} differ")
    assert not different, f"tables differ between two loads with the same seed: {different}"
    assert first["cases"] != other["cases"]
    assert first["confiscation_payments"] != other["confiscation_payments"]
