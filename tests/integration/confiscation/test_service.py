"""Confiscation services against a real database: orders, the ledger, balances, restraint."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.confiscation import enforcement, ledger, restraint, service
from casework.confiscation.models import OrderStatus, Payment, RestraintStatus
from casework.core.validation import ValidationError
from tests import factories

D = dt.date


def test_order_takes_the_band_maximum_as_default_term(order):
    assert order.amount == Decimal("36500.00")
    assert order.default_term_months == 60  # > £10,000 to £500,000: 5 years (s.35(2A))
    assert order.due_on == order.made_on  # due the day it is made (s.11)


@pytest.mark.parametrize(("amount", "months"), [("10000.00", 6), ("10000.01", 60), ("500000.00", 60),
                                                ("500000.01", 84), ("1000000.00", 84),
                                                ("1000000.01", 168)])
def test_default_term_bands_through_the_service(convicted, users, amount, months):
    order = factories.confiscation_order(convicted, amount=amount, actor=users.lawyer)
    assert order.default_term_months == months


def test_court_fixed_term_above_the_band_is_refused(convicted, users):
    with pytest.raises(ValidationError) as err:
        factories.confiscation_order(convicted, amount="10000.00", default_term_months=7,
                                     actor=users.lawyer)
    assert "s.35(2A)" in err.value.errors["default_term_months"][0]


def test_pre_2015_order_stores_the_court_term_unvalidated(session, users):
    old = factories.convicted_defendant(finalised_on=D(2014, 1, 10), sentenced_on=D(2014, 1, 10),
                                        charged_on=D(2013, 6, 1), actor=users.lawyer)
    with pytest.raises(ValidationError) as err:
        factories.confiscation_order(old, made_on=D(2014, 3, 1), actor=users.lawyer)
    assert "default_term_months" in err.value.errors
    order = factories.confiscation_order(old, made_on=D(2014, 3, 1), due_on=D(2014, 9, 1),
                                         default_term_months=30, actor=users.lawyer)
    assert order.default_term_months == 30 and order.max_default_term_months is None


def test_time_to_pay_beyond_3_months_is_refused(convicted, users):
    with pytest.raises(ValidationError) as err:
        factories.confiscation_order(convicted, made_on=D(2025, 10, 1), due_on=D(2026, 1, 2),
                                     actor=users.lawyer)
    assert "s.11" in err.value.errors["due_on"][0]
    ok = factories.confiscation_order(convicted, made_on=D(2025, 10, 1), due_on=D(2026, 1, 1),
                                      actor=users.lawyer)
    assert ok.due_on == D(2026, 1, 1)


def test_order_needs_a_conviction_and_amount_within_benefit(session, users):
    acquitted = factories.defendant(actor=users.lawyer)
    with pytest.raises(ValidationError) as err:
        factories.confiscation_order(acquitted, actor=users.lawyer)
    assert "s.6" in err.value.errors["made_on"][0]
    convicted = factories.convicted_defendant(actor=users.lawyer)
    with pytest.raises(ValidationError) as err:
        factories.confiscation_order(convicted, amount="100.00", benefit="99.99", actor=users.lawyer)
    assert "s.7" in err.value.errors["amount"][0]


def test_extension_to_at_most_6_months(order, users):
    with pytest.raises(ValidationError) as err:
        service.record_extension(order, applied_on=D(2025, 10, 1), decided_on=D(2025, 10, 20),
                                 extended_due_on=D(2026, 4, 2), actor=users.lawyer)
    assert "6 months" in err.value.errors["extended_due_on"][0]
    service.record_extension(order, applied_on=D(2025, 10, 1), decided_on=D(2025, 10, 20),
                             extended_due_on=D(2026, 4, 1), actor=users.lawyer)
    assert order.effective_due_on == D(2026, 4, 1)


def test_payments_balance_and_interest(order, users):
    service.record_payment(order, received_on=D(2025, 10, 11), amount=Decimal("18250.00"),
                           actor=users.lawyer)
    b = ledger.balance(order, D(2025, 10, 21))
    # due 1 Oct; 2-10 Oct on £36,500 at £8/day = £72; 11-21 Oct on £18,250 at £4/day = £44
    assert (b.paid, b.interest, b.outstanding) == (Decimal("18250.00"), Decimal("116.00"),
                                                   Decimal("18366.00"))


def test_same_idempotency_key_returns_the_first_payment(order, users, session):
    first, created = service.record_payment(order, received_on=D(2025, 10, 2), amount=Decimal("100.00"),
                                            idempotency_key="abc-1", actor=users.lawyer)
    again, created_again = service.record_payment(order, received_on=D(2025, 10, 2),
                                                  amount=Decimal("100.00"), idempotency_key="abc-1",
                                                  actor=users.lawyer)
    assert created and not created_again and again.id == first.id
    count = session.execute(sa.select(sa.func.count()).select_from(Payment)
                            .where(Payment.order_id == order.id)).scalar_one()
    assert count == 1
    with pytest.raises(ValidationError):
        service.record_payment(order, received_on=D(2025, 10, 2), amount=Decimal("999.00"),
                               idempotency_key="abc-1", actor=users.lawyer)


def test_paying_in_full_satisfies_and_a_reversal_reopens(order, users):
    payment, _ = service.record_payment(order, received_on=D(2025, 10, 1), amount=Decimal("36500.00"),
                                        actor=users.lawyer)
    assert order.status is OrderStatus.SATISFIED and order.satisfied_on == D(2025, 10, 1)
    service.reverse_payment(payment, reversed_on=D(2025, 10, 5), reason="Cheque bounced",
                            actor=users.lawyer)
    assert order.status is OrderStatus.LIVE and order.satisfied_on is None
    assert ledger.paid_total(order.id) == Decimal("0.00")
    with pytest.raises(ValidationError):
        service.reverse_payment(payment, reversed_on=D(2025, 10, 5), reason="again", actor=users.lawyer)


def test_ledger_refuses_update_and_delete(order, users, session):
    service.record_payment(order, received_on=D(2025, 10, 2), amount=Decimal("5.00"), actor=users.lawyer)
    session.flush()
    for statement in ("UPDATE confiscation_payments SET amount = 1", "DELETE FROM confiscation_payments"):
        nested = session.begin_nested()
        with pytest.raises(sa.exc.DatabaseError):
            session.execute(sa.text(statement))
        nested.rollback()


def test_balance_equals_the_ledger_sum(order, users, session):
    amounts = ["0.01", "1234.56", "999.99", "0.10", "7000.00"]
    for i, a in enumerate(amounts):
        service.record_payment(order, received_on=D(2025, 10, 2 + i), amount=Decimal(a), actor=users.lawyer)
    sql_sum = session.execute(sa.text("SELECT ROUND(SUM(amount), 2) FROM confiscation_payments "
                                      "WHERE order_id = :o"), {"o": order.id}).scalar_one()
    expected = sum(Decimal(a) for a in amounts)
    assert Decimal(str(sql_sum)).quantize(Decimal("0.01")) == expected
    assert ledger.paid_total(order.id) == expected == ledger.balance(order, D(2026, 1, 1)).paid


def test_every_change_is_audited(order, users, session):
    service.record_payment(order, received_on=D(2025, 10, 2), amount=Decimal("5.00"), actor=users.lawyer)
    summaries = session.execute(sa.select(AuditEvent.summary).where(
        AuditEvent.case_id == order.case_id)).scalars().all()
    assert any("Confiscation order of £36,500.00" in s for s in summaries)
    assert any("Payment of £5.00" in s for s in summaries)


def test_reconsideration_s21_deadline_and_variation(order, users):
    with pytest.raises(ValidationError) as err:
        enforcement.record_reconsideration(order, section="s21", applied_on=D(2031, 9, 1),
                                           actor=users.lawyer)
    assert "6 years" in err.value.errors["applied_on"][0]
    with clock_at(D(2026, 5, 1)):
        enforcement.record_reconsideration(order, section="s22", applied_on=D(2026, 3, 1),
                                           outcome="granted", decided_on=D(2026, 4, 1),
                                           new_amount=Decimal("36500.00"), actor=users.lawyer)
    assert order.amount == Decimal("36500.00")


def clock_at(day):
    from casework.core import clock

    return clock.frozen(day)


def test_enforcement_and_write_off(order, users):
    step = enforcement.record_enforcement(order, kind="receiver_applied", taken_on=D(2025, 11, 1),
                                          next_due_on=D(2025, 12, 1), actor=users.lawyer)
    assert step.id
    enforcement.write_off_order(order, written_off_on=D(2026, 1, 1), reason="Defendant died",
                                actor=users.lawyer)
    assert order.status is OrderStatus.WRITTEN_OFF
    with pytest.raises(ValidationError):
        enforcement.record_enforcement(order, kind="other", taken_on=D(2026, 2, 1), actor=users.lawyer)


def test_restraint_lifecycle(convicted, users):
    with pytest.raises(ValidationError) as err:
        restraint.record_restraint(convicted, condition="investigation", applied_on=D(2024, 1, 1),
                                   made_on=D(2024, 1, 2), actor=users.lawyer)
    assert "s.41" in err.value.errors["next_report_due_on"][0]
    order = restraint.record_restraint(convicted, condition="investigation", applied_on=D(2024, 1, 1),
                                       made_on=D(2024, 1, 2), next_report_due_on=D(2024, 4, 1),
                                       actor=users.lawyer)
    assert order.status is RestraintStatus.MADE
    restraint.record_restraint_event(order, kind="reported", occurred_on=D(2024, 4, 1),
                                     next_report_due_on=D(2024, 7, 1), actor=users.lawyer)
    assert order.next_report_due_on == D(2024, 7, 1)
    restraint.record_restraint_event(order, kind="discharged", occurred_on=D(2025, 1, 1),
                                     details="Confiscation order satisfied", actor=users.lawyer)
    assert order.status is RestraintStatus.DISCHARGED and order.next_report_due_on is None
    with pytest.raises(ValidationError):
        restraint.record_restraint_event(order, kind="varied", occurred_on=D(2025, 2, 1),
                                         actor=users.lawyer)


def test_timetable_checks_postponement(convicted, users):
    with pytest.raises(ValidationError) as err:
        restraint.set_timetable(convicted, convicted_on=D(2025, 9, 1), hearing_on=D(2027, 9, 2),
                                actor=users.lawyer)
    assert "s.14" in err.value.errors["hearing_on"][0]
    p = restraint.set_timetable(convicted, convicted_on=D(2025, 9, 1), hearing_on=D(2027, 9, 2),
                                exceptional_circumstances=True, s16_due_on=D(2025, 11, 1),
                                s17_due_on=D(2025, 12, 1), lifestyle=True, lifestyle_basis="schedule_2",
                                actor=users.lawyer)
    assert p.postponement_limit == D(2027, 9, 1)
    assert p.reconsideration_deadline == D(2031, 8, 31)
    updated = restraint.set_timetable(convicted, convicted_on=D(2025, 9, 1), hearing_on=D(2026, 3, 1),
                                      version=p.version, actor=users.lawyer)
    assert updated.id == p.id and updated.lifestyle is None


def test_default_term_cannot_be_activated_for_interest_alone(order, users):
    # 36,500 due 1 Oct 2025: £8 a day; 2-10 Oct = £72 of interest. Paying £36,500 leaves only that.
    service.record_payment(order, received_on=D(2025, 10, 11), amount=Decimal("36500.00"), actor=users.lawyer)
    with pytest.raises(ValidationError) as err:
        enforcement.record_enforcement(order, kind="default_term_activated", taken_on=D(2025, 10, 20),
                                       actor=users.lawyer)
    assert "Gibson" in err.value.errors["kind"][0]
    step = enforcement.record_enforcement(order, kind="receiver_applied", taken_on=D(2025, 10, 20),
                                          actor=users.lawyer)
    assert step.id
