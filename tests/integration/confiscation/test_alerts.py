"""Restraint and confiscation alerts (DOMAIN.md section 5, A13-A23), computed as records change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa

from casework.alerts.models import Alert
from casework.confiscation import restraint, service
from casework.extensions import db
from tests import factories

D = dt.date


def alerts(subject_type, subject_id, kind=None):
    """By kind (the newest of each), or a list of one kind. The engine updates rows in bulk, so
    the identity map is refreshed (populate_existing)."""
    stmt = (sa.select(Alert).where(Alert.subject_type == subject_type, Alert.subject_id == subject_id)
            .order_by(Alert.id).execution_options(populate_existing=True))
    found = list(db.session.execute(stmt).scalars())
    if kind is None:
        return {a.kind: a for a in found}
    return [a for a in found if a.kind == kind]


def live(found):
    return [a for a in found if a.status.value in ("pending", "sent")]


def test_payment_interest_and_enforcement_alerts(order):
    kinds = alerts("confiscation_order", order.id)
    due = order.due_on
    assert kinds["payment_due"].due_on == order.made_on  # due the day it was made
    assert "s.11" in kinds["payment_due"].message
    assert kinds["interest_accruing"].due_on == due + dt.timedelta(days=1)
    assert kinds["enforcement_due"].due_on == due + dt.timedelta(days=28)
    assert "s.50" in kinds["enforcement_due"].message
    assert "no_automatic_release" not in kinds


def test_paying_in_full_cancels_the_pending_order_alerts(order, users):
    service.record_payment(order, received_on=D(2025, 10, 1), amount=Decimal("36500.00"), actor=users.lawyer)
    assert live(alerts("confiscation_order", order.id, "enforcement_due")) == []


def test_ten_million_orders_are_flagged(convicted, users):
    order = factories.confiscation_order(convicted, amount="10000000.00", actor=users.lawyer)
    flagged = alerts("confiscation_order", order.id, "no_automatic_release")
    assert len(flagged) == 1 and "PSI 16/2010" in flagged[0].message


def test_restraint_report_drift_and_discharge_after_satisfaction(users):
    defendant = factories.defendant(actor=users.lawyer)
    r = restraint.record_restraint(defendant, condition="investigation", applied_on=D(2025, 1, 1),
                                   made_on=D(2025, 1, 2), next_report_due_on=D(2025, 4, 1),
                                   actor=users.lawyer)
    found = alerts("restraint_order", r.id)
    assert found["restraint_report_due"].due_on == D(2025, 3, 18)
    assert found["restraint_report_overdue"].due_on == D(2025, 4, 2)
    assert found["restraint_drifting"].due_on == D(2025, 7, 2)
    factories.charge(defendant, charged_on=D(2025, 3, 1), actor=users.lawyer)
    assert live(alerts("restraint_order", r.id, "restraint_drifting")) == []

    from casework.cases import service as cases_service

    cases_service.record_outcome(defendant, outcome="guilty_plea", finalised_on=D(2025, 9, 1),
                                 actor=users.lawyer)
    order = factories.confiscation_order(defendant, actor=users.lawyer)
    assert live(alerts("restraint_order", r.id, "restraint_discharge_due")) == []
    service.record_payment(order, received_on=D(2025, 10, 3), amount=Decimal("36600.00"), actor=users.lawyer)
    due = alerts("restraint_order", r.id, "restraint_discharge_due")
    assert len(due) == 1 and due[0].due_on == D(2025, 10, 3) and "s.85(5)(a)" in due[0].message


def test_timetable_alerts(convicted, users):
    p = restraint.set_timetable(convicted, convicted_on=D(2025, 9, 1), s16_due_on=D(2026, 7, 1),
                                s17_due_on=D(2026, 8, 1), actor=users.lawyer)
    found = alerts("confiscation_proceeding", p.id)
    assert found["postponement_limit"].due_on == D(2027, 3, 1)  # 18 months: warning
    assert "1 September 2027" in found["postponement_limit"].message
    assert found["s16_statement_due"].due_on == D(2026, 6, 17)
    assert found["s17_response_overdue"].due_on == D(2026, 8, 2)
    assert found["reconsideration_deadline"].due_on == D(2031, 2, 28)
    assert "31 August 2031" in found["reconsideration_deadline"].message
    restraint.set_timetable(convicted, convicted_on=D(2025, 9, 1), s16_due_on=D(2026, 7, 1),
                            s16_served_on=D(2026, 5, 30), s17_due_on=D(2026, 8, 1), version=p.version,
                            actor=users.lawyer)
    assert live(alerts("confiscation_proceeding", p.id, "s16_statement_due")) == []
    factories.confiscation_order(convicted, actor=users.lawyer)
    assert live(alerts("confiscation_proceeding", p.id, "postponement_limit")) == []
