"""Confiscation and ancillary-order reports from hand-built records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from casework.confiscation import ledger
from casework.confiscation import rules as poca
from casework.confiscation import service as confiscation
from casework.orders import monitoring
from casework.reports import confiscation_queries, order_queries
from casework.reports.filters import ReportFilters
from casework.reports.periods import Grouping
from tests import factories
from tests.integration.reports.conftest import count_queries

D = dt.date


def _filters(first, last, grouping=Grouping.QUARTER, **kw):
    return ReportFilters(first, last, grouping, **kw)


def _convicted(unit="ocd"):
    case = factories.case(unit)
    return factories.convicted_defendant(case, finalised_on=D(2025, 3, 3), charged_on=D(2024, 1, 8))


@pytest.fixture
def money(session):
    a = factories.confiscation_order(_convicted(), made_on=D(2025, 3, 31), amount="10000.00",
                                     due_on=D(2025, 6, 30), compensation_amount=Decimal("4000.00"))
    b = factories.confiscation_order(_convicted(), made_on=D(2025, 4, 1), amount="2500.50")
    other = factories.confiscation_order(_convicted("london_north"), made_on=D(2025, 4, 2),
                                         amount="999999.00")
    confiscation.record_payment(a, received_on=D(2025, 4, 15), amount=Decimal("1500.00"), actor=None)
    confiscation.record_payment(a, received_on=D(2025, 7, 1), amount=Decimal("1000.25"), actor=None)
    confiscation.record_payment(b, received_on=D(2025, 4, 1), amount=Decimal("2500.50"), actor=None)
    confiscation.record_payment(other, received_on=D(2025, 4, 3), amount=Decimal("5.00"), actor=None)
    from casework.confiscation import restraint

    restraint.record_restraint(_convicted(), condition="proceedings", applied_on=D(2025, 3, 20),
                               made_on=D(2025, 3, 31), next_report_due_on=D(2025, 6, 30), actor=None)
    return a, b, other


def test_confiscation_by_quarter_with_boundaries(money, users):
    a, _b, _other = money
    filters = _filters(D(2025, 1, 1), D(2025, 9, 30), unit_ids=tuple(users.analyst.unit_ids))
    report = confiscation_queries.confiscation_report(filters)
    rows = [(r.period, r.orders_made, r.value_made, r.collected, r.restraint_orders) for r in report.rows]
    assert rows == [
        ("2024-25 Q4", 1, Decimal("10000.00"), Decimal("0.00"), 1),
        ("2025-26 Q1", 1, Decimal("2500.50"), Decimal("4000.50"), 0),
        ("2025-26 Q2", 0, Decimal("0.00"), Decimal("1000.25"), 0),
    ]
    assert report.total.collected == Decimal("5000.75")
    # order a: 10,000 - 2,500.25 unpaid, due 30 June 2025, so overdue up to a year on 30 September
    overdue = report.ageing[1]
    assert (overdue.orders, overdue.principal) == (1, Decimal("7499.75"))
    expected = ledger.balance(a, D(2025, 9, 30))
    assert overdue.interest == expected.interest > 0
    assert report.ageing_total.outstanding == expected.outstanding
    # s.13: compensation first out of sums recovered: min(2,500.25 paid, 4,000 directed)
    assert report.compensation.paid == poca.compensation_paid(Decimal("2500.25"), Decimal("4000.00"))
    assert (report.compensation.orders, report.compensation.directed) == (1, Decimal("4000.00"))


def test_confiscation_admin_sees_other_units(money):
    report = confiscation_queries.confiscation_report(_filters(D(2025, 4, 1), D(2025, 6, 30)))
    assert report.total.orders_made == 2 and report.total.collected == Decimal("4005.50")


def test_confiscation_fixed_query_count(money):
    filters = _filters(D(2024, 4, 1), D(2026, 3, 31), Grouping.MONTH)
    with count_queries() as few:
        confiscation_queries.confiscation_report(filters)
    for _ in range(5):
        order = factories.confiscation_order(_convicted(), made_on=D(2025, 5, 1), amount="100.00")
        confiscation.record_payment(order, received_on=D(2025, 5, 2), amount=Decimal("1.00"), actor=None)
    with count_queries() as many:
        confiscation_queries.confiscation_report(filters)
    assert len(few) == len(many) <= 9


@pytest.fixture
def orders(session):
    ocd = [factories.order(_convicted(), type="scpo", made_on=D(2026, 3, 31), term_months=12),
           factories.order(_convicted(), type="scpo", made_on=D(2026, 4, 1), term_months=60),
           factories.order(_convicted(), type="tro", made_on=D(2026, 4, 2), term_months=24)]
    factories.order(_convicted("london_north"), type="scpo", made_on=D(2026, 4, 1))
    monitoring.record_breach(ocd[1], occurred_on=D(2026, 5, 1), description="Used a second phone",
                             prosecution="charged", actor=None, today=D(2026, 11, 20))
    return ocd


def test_ancillary_orders_by_type_and_period(orders, users):
    filters = _filters(D(2026, 1, 1), D(2026, 6, 30), unit_ids=tuple(users.analyst.unit_ids))
    report = order_queries.ancillary_report(filters)
    assert [(r.period, r.by_type["scpo"], r.by_type["tro"], r.total) for r in report.obtained] == [
        ("2025-26 Q4", 1, 0, 1), ("2026-27 Q1", 1, 1, 2)]
    scpo = next(s for s in report.by_type if s.type == "scpo")
    assert (scpo.obtained, scpo.breaches) == (2, 1)
    assert report.next_quarter.label == "2026-27 Q2"
    charged = next(b for b in report.breaches if b.outcome == "charged")
    assert charged.count == 1 and sum(b.count for b in report.breaches) == 1


def test_orders_ending_next_quarter(orders):
    # the 12-month SCPO made 31 March 2026 ends in March 2027: 2026-27 Q4 follows 2026-27 Q3
    report = order_queries.ancillary_report(_filters(D(2026, 10, 1), D(2026, 12, 31)))
    scpo = next(s for s in report.by_type if s.type == "scpo")
    assert report.next_quarter.label == "2026-27 Q4"
    assert scpo.expiring_next_quarter == 1
    assert scpo.active + scpo.pending_release == 3


def test_ancillary_fixed_query_count(orders):
    filters = _filters(D(2024, 4, 1), D(2027, 3, 31), Grouping.MONTH)
    with count_queries() as few:
        order_queries.ancillary_report(filters)
    for _ in range(4):
        factories.order(_convicted(), type="shpo", made_on=D(2026, 2, 1))
    with count_queries() as many:
        order_queries.ancillary_report(filters)
    assert len(few) == len(many) == 3
