"""The SQL balances (``confiscation.balances_sql``, used by every list and the report) equal the
reference ``rules.compute_balance`` to the penny, for random orders, ledgers with reversals,
reconsiderations, interest-free windows, rate tables and dates. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.confiscation import ledger, rules
from casework.confiscation.models import (
    ConfiscationOrder,
    JudgmentDebtRate,
    OrderStatus,
    Payment,
    ReconsiderationApplication,
    ReconsiderationOutcome,
)
from casework.confiscation.rules import Reconsideration
from casework.core import clock
from casework.core.sqlcalc import add_days, add_months, days_between
from casework.extensions import db

EXAMPLES = int(os.environ.get("CASEWORK_FUZZ_EXAMPLES", "60"))
BASE = dt.date(2010, 1, 1)
#: month ends and leap days, where adding months has to clamp
AWKWARD = [dt.date(2014, 8, 31), dt.date(2015, 5, 31), dt.date(2015, 8, 31), dt.date(2015, 12, 31),
           dt.date(2016, 2, 29), dt.date(2019, 8, 31), dt.date(2023, 3, 31), dt.date(2014, 12, 31)]


def pence(n: int) -> Decimal:
    return Decimal(n) / 100


days = st.integers(min_value=0, max_value=5200)
amounts = st.one_of(st.integers(1, 10_000_00), st.integers(1, 50_000_000_00))


@st.composite
def an_order(draw: Any) -> dict[str, Any]:
    made_on = draw(st.one_of(days.map(lambda d: BASE + dt.timedelta(days=d)), st.sampled_from(AWKWARD)))
    due_on = made_on + dt.timedelta(days=draw(st.integers(0, 200)))
    extended = draw(st.one_of(st.none(), st.integers(1, 200)))
    applied = draw(st.one_of(st.none(), st.integers(-10, 200)))
    decided = draw(st.one_of(st.none(), st.integers(0, 500)))
    reversal = st.one_of(st.none(), st.integers(0, 400))  # days after the payment, if reversed
    payments = draw(st.lists(st.tuples(st.integers(-30, 4000), amounts, reversal), max_size=8))
    changes = draw(st.lists(st.tuples(st.integers(-5, 3000), st.one_of(st.none(), amounts),
                                      st.sampled_from(list(ReconsiderationOutcome))), max_size=3))
    return {"made_on": made_on, "due_on": due_on, "original": draw(amounts),
            "extended_due_on": None if extended is None else due_on + dt.timedelta(days=extended),
            "applied_on": None if applied is None else made_on + dt.timedelta(days=applied),
            "decided_on": None if applied is None or decided is None
            else made_on + dt.timedelta(days=applied + decided),
            "payments": payments, "changes": changes}


#: mostly a rate from before any order (changes later), sometimes none in force at first
rate_tables = st.tuples(
    st.one_of(st.just(-400), st.just(-400), st.just(-400), st.integers(-400, 5000)),
    st.integers(0, 2000),
    st.lists(st.tuples(st.integers(-399, 5000), st.integers(0, 2000)), max_size=3, unique_by=lambda r: r[0]),
).map(lambda t: [(t[0], t[1]), *[r for r in t[2] if r[0] != t[0]]])


class Tally:
    examples = orders = entries = compared = reports = with_interest = unrated = 0


def _store(owner: ConfiscationOrder, spec: dict[str, Any]) -> tuple[ConfiscationOrder, dict[str, Any]]:
    """Insert one generated order with its ledger and reconsiderations; return it with the
    inputs ``compute_balance`` needs, built from the generated values (not read back)."""
    order = ConfiscationOrder(
        defendant_id=owner.defendant_id, case_id=owner.case_id, unit_id=owner.unit_id,
        made_on=spec["made_on"], benefit=pence(spec["original"]), available_amount=pence(spec["original"]),
        original_amount=pence(spec["original"]), amount=pence(spec["original"]), due_on=spec["due_on"],
        extended_due_on=spec["extended_due_on"], extension_applied_on=spec["applied_on"],
        extension_decided_on=spec["decided_on"], default_term_months=12, status=OrderStatus.LIVE,
        created_at=clock.now())
    db.session.add(order)
    db.session.flush()
    ledger_rows: list[tuple[dt.date, Decimal]] = []
    for offset, amount, reversed_after in spec["payments"]:
        received = spec["made_on"] + dt.timedelta(days=offset)
        paid = Payment(order_id=order.id, received_on=received, amount=pence(amount), recorded_at=clock.now())
        db.session.add(paid)
        db.session.flush()
        ledger_rows.append((received, pence(amount)))
        if reversed_after is not None:
            undone = received + dt.timedelta(days=reversed_after)
            db.session.add(Payment(order_id=order.id, received_on=undone, amount=-pence(amount),
                                   reverses_id=paid.id, recorded_at=clock.now()))
            ledger_rows.append((undone, -pence(amount)))
    granted = []
    for offset, new_amount, outcome in spec["changes"]:
        decided = spec["made_on"] + dt.timedelta(days=offset)
        db.session.add(ReconsiderationApplication(
            order_id=order.id, section=Reconsideration.S22, applied_on=decided, outcome=outcome,
            decided_on=decided, new_amount=None if new_amount is None else pence(new_amount)))
        if outcome is ReconsiderationOutcome.GRANTED and new_amount is not None:
            granted.append((decided, pence(new_amount)))
    db.session.flush()
    granted.sort(key=lambda c: c[0])  # by decision date, then the order they were recorded
    windows = rules.interest_free_windows(made_on=spec["made_on"], extension_applied_on=spec["applied_on"],
                                          extension_decided_on=spec["decided_on"])
    inputs = {"amounts": [(spec["made_on"], pence(spec["original"])), *granted],
              "due_on": spec["extended_due_on"] or spec["due_on"], "payments": ledger_rows,
              "interest_free": windows}
    Tally.entries += len(ledger_rows)
    return order, inputs


def _reference(inputs: dict[str, Any], rates: list[rules.Rate], as_of: dt.date) -> rules.Balance | str:
    try:
        return rules.compute_balance(rates=rates, as_of=as_of, **inputs)
    except ValueError as exc:
        return str(exc)


def _set_rates(table: list[tuple[int, int]]) -> list[rules.Rate]:
    db.session.execute(sa.delete(JudgmentDebtRate))
    rates = [rules.Rate(BASE + dt.timedelta(days=d), Decimal(bps) / 100) for d, bps in sorted(table)]
    db.session.add_all(JudgmentDebtRate(effective_from=r.effective_from, percent=r.percent, source="test")
                       for r in rates)
    db.session.flush()
    return rates


def _check_report(as_of: dt.date) -> None:
    """The confiscation report's interest (summed per age band in SQL) equals the sum of the
    reference interest over the orders it counts: live, made by ``as_of``, due before it and
    with principal unpaid."""
    from casework.reports.confiscation_queries import confiscation_report
    from casework.reports.filters import ReportFilters

    counted = [o for o in db.session.execute(sa.select(ConfiscationOrder)).scalars()
               if o.status is OrderStatus.LIVE and o.made_on <= as_of and o.effective_due_on < as_of
               and o.amount - ledger.paid_total(o.id, as_of) > 0]
    reference = ledger.reference_balances(counted, as_of)
    want = sum((b.interest for b in reference.values()), Decimal("0.00"))
    report = confiscation_report(ReportFilters(as_of - dt.timedelta(days=40), as_of))
    assert report.ageing_total.interest == want
    Tally.reports += 1


@pytest.fixture
def owner(order: Any) -> Any:
    return order


def test_sql_balances_equal_compute_balance(owner: Any) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(specs=st.lists(an_order(), min_size=1, max_size=4), table=rate_tables,
           as_of_offset=st.integers(-60, 4500))
    def check(specs: list[dict[str, Any]], table: list[tuple[int, int]], as_of_offset: int) -> None:
        nested = db.session.begin_nested()
        try:
            rates = _set_rates(table)
            stored = [_store(owner, spec) for spec in specs]
            as_of = specs[0]["made_on"] + dt.timedelta(days=as_of_offset)
            expected = {o.id: _reference(inputs, rates, as_of) for o, inputs in stored}
            failures = [e for e in expected.values() if isinstance(e, str)]
            if failures:
                Tally.unrated += 1
                with pytest.raises(ValueError, match="no judgment-debt rate in force on"):
                    ledger.balances([o for o, _ in stored], as_of)
                # one order at a time names the same day as the reference
                for o, _ in stored:
                    if isinstance(expected[o.id], str):
                        with pytest.raises(ValueError) as raised:
                            ledger.balances([o], as_of)
                        assert str(raised.value) == expected[o.id]
            else:
                got = ledger.balances([o for o, _ in stored], as_of)
                assert got == expected, (as_of, specs, table)
                _check_report(as_of)
            Tally.with_interest += sum(1 for e in expected.values()
                                       if not isinstance(e, str) and e.interest > 0)
            Tally.examples += 1
            Tally.orders += len(stored)
            Tally.compared += len(expected)
        finally:
            nested.rollback()

    check()
    dialect = db.session.get_bind().dialect.name
    print(f"\n[balances-sql] {dialect}: {Tally.examples} examples, {Tally.orders} orders, "
          f"{Tally.entries} ledger entries, {Tally.compared} balances compared to compute_balance "
          f"({Tally.with_interest} with interest), "
          f"{Tally.reports} report interest totals compared, {Tally.unrated} with no rate in force "
          f"(both refuse, same day named), 0 differ")


def test_large_order_over_decades_is_exact(owner: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The largest amount the schema holds, at 15% for 40 years: past SQLite's 64-bit integers, so
    SQLite falls back to the reference, PostgreSQL stays in NUMERIC; both give the exact figure."""
    rates = _set_rates([(-400, 1500)])
    spec = {"made_on": dt.date(2011, 3, 31), "due_on": dt.date(2011, 6, 30), "original": 99_999_999_999_999,
            "extended_due_on": None, "applied_on": None, "decided_on": None,
            "payments": [(100, 1_234_56, None)], "changes": []}
    order, inputs = _store(owner, spec)
    as_of = dt.date(2051, 3, 31)
    fallbacks: list[int] = []
    reference = ledger.reference_balances
    monkeypatch.setattr(ledger, "reference_balances",
                        lambda orders, day: fallbacks.append(1) or reference(orders, day))
    got = ledger.balances([order], as_of)[order.id]
    assert got == rules.compute_balance(rates=rates, as_of=as_of, **inputs)
    assert got.interest > Decimal("5.9e12")
    dialect = db.session.get_bind().dialect.name
    assert len(fallbacks) == (1 if dialect == "sqlite" else 0)
    via = "reference fallback" if fallbacks else "in SQL (NUMERIC)"
    _check_report(as_of)  # the report's own fallback on SQLite, NUMERIC on PostgreSQL
    print(f"\n[balances-sql] {dialect} large order: interest {got.interest} equal to the reference "
          f"({via})")


@pytest.mark.parametrize(("pence_owed", "bps", "interest"), [
    (1, 500, "0.01"),  # 0.5p exactly: half a penny rounds up
    (3, 500, "0.02"),  # 1.5p
    (1, 499, "0.00"),  # 0.499p
    (99, 1000, "0.99"),  # 9.9p a year for 10 years = 99p
])
def test_half_penny_rounds_up_once(owner: Any, pence_owed: int, bps: int, interest: str) -> None:
    """Ten years (3,650 days) on a few pence: interest lands on or near a half penny, where the
    rounding rule decides (half up, once per order)."""
    rates = _set_rates([(-400, bps)])
    spec = {"made_on": dt.date(2012, 1, 1), "due_on": dt.date(2012, 1, 1), "original": pence_owed,
            "extended_due_on": None, "applied_on": None, "decided_on": None, "payments": [], "changes": []}
    order, inputs = _store(owner, spec)
    as_of = dt.date(2012, 1, 1) + dt.timedelta(days=3650)
    got = ledger.balances([order], as_of)[order.id]
    assert got == rules.compute_balance(rates=rates, as_of=as_of, **inputs)
    assert got.interest == Decimal(interest)


@pytest.mark.parametrize("months", [3, 6, 12])
def test_sql_date_arithmetic_matches_python(session: Any, months: int) -> None:
    """Every day of 2014-2016 (three month-end and leap-year cycles): add_months clamps as
    rules.add_months, add_days and days_between agree with Python."""
    start = dt.date(2014, 1, 1)
    every = [start + dt.timedelta(days=n) for n in range(3 * 365 + 1)]
    day = sa.bindparam("day", type_=sa.Date)
    stmt = sa.select(add_months(day, months), add_days(day, 1), add_days(day, -1),
                     days_between(sa.literal(start, sa.Date), day))
    wrong = []
    for d in every:
        plus, next_day, previous, count = db.session.execute(stmt, {"day": d}).one()
        got = tuple(v if isinstance(v, dt.date) else dt.date.fromisoformat(v)
                    for v in (plus, next_day, previous)) + (count,)
        want = (rules.add_months(d, months), d + dt.timedelta(days=1), d - dt.timedelta(days=1),
                (d - start).days)
        if got != want:
            wrong.append((d, got, want))
    assert not wrong, wrong[:5]
    print(f"\n[sqlcalc] +{months} months: {len(every)} days checked, 0 differ")
