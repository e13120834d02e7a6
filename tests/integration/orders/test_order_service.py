"""Order services against the real database: statutory refusals save nothing, release dates
start and move orders, and every change is audited and announced."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.cases import service as cases
from casework.core import signals
from casework.core.validation import ValidationError
from casework.orders import service
from casework.orders.models import AncillaryOrder, CheckResult, ServiceMethod
from casework.orders.rules import OrderStatus, add_years
from tests import factories

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def caught():
    seen = []

    def listener(order, **kw):
        seen.append((order.id, kw.get("actor")))

    signals.order_dates_changed.connect(listener)
    yield seen
    signals.order_dates_changed.disconnect(listener)


def count_orders(session):
    return session.execute(sa.select(sa.func.count()).select_from(AncillaryOrder)).scalar_one()


def test_record_order_audits_and_signals(session, users, caught):
    d = factories.convicted_defendant(actor=users.lawyer)
    order = service.record_order(d, type="scpo", made_on=dt.date(2025, 10, 1), court_level="crown_court",
                                 ends_on=dt.date(2030, 10, 1), actor=users.lawyer, today=TODAY)
    assert order.starts_on == dt.date(2025, 10, 1) and order.unit_id == d.case.unit_id
    assert order.status(TODAY) == OrderStatus.ACTIVE
    assert caught == [(order.id, users.lawyer)]
    event = session.execute(sa.select(AuditEvent).where(
        AuditEvent.object_type == "ancillary_order", AuditEvent.object_id == order.id)).scalar_one()
    assert event.action == "collect" and "SCPO recorded" in event.summary and event.case_id == d.case_id


@pytest.mark.parametrize(("type_", "court", "years", "section"), [
    ("scpo", "crown_court", 5, "s.16(2)"), ("fro", "magistrates", 5, "s.76(5)"),
    ("cdda", "magistrates", 5, "s.2(3)"), ("cdda", "crown_court", 15, "s.2(3)"),
])
def test_duration_past_the_maximum_is_refused_and_nothing_saved(session, users, type_, court, years,
                                                               section, caught):
    d = factories.convicted_defendant(actor=users.lawyer)
    made = dt.date(2015, 1, 5)
    before = count_orders(session)
    with pytest.raises(ValidationError) as exc:
        service.record_order(d, type=type_, made_on=made, court_level=court,
                             ends_on=add_years(made, years) + dt.timedelta(days=1), actor=users.lawyer,
                             today=TODAY)
    assert section in exc.value.errors["ends_on"][0]
    assert count_orders(session) == before and caught == []
    ok = service.record_order(d, type=type_, made_on=made, court_level=court,
                              ends_on=add_years(made, years), actor=users.lawyer, today=TODAY)
    assert ok.id


def test_tro_is_pending_until_release_then_starts_and_moves(session, users, caught):
    d = factories.convicted_defendant(actor=users.lawyer, sentenced_on=dt.date(2025, 9, 1))
    tro = service.record_order(d, type="tro", made_on=dt.date(2025, 9, 1), court_level="crown_court",
                               term_months=36, check_interval_months=1, actor=users.lawyer, today=TODAY)
    assert tro.runs_from_release and tro.starts_on is None and tro.ends_on is None
    assert tro.status(TODAY) == OrderStatus.PENDING_RELEASE and tro.next_check_due_on is None
    caught.clear()
    release = dt.date(2027, 3, 15)
    cases.record_sentence(d, sentenced_on=dt.date(2025, 9, 1), custody_months=96, release_on=release,
                          actor=users.lawyer)
    assert (tro.starts_on, tro.ends_on) == (release, dt.date(2030, 3, 15))
    assert tro.next_check_due_on == dt.date(2027, 4, 15)
    assert caught == [(tro.id, users.lawyer)]
    # the release date moves: the order moves with it
    cases.record_sentence(d, sentenced_on=dt.date(2025, 9, 1), custody_months=96,
                          release_on=dt.date(2026, 6, 1), actor=users.lawyer)
    assert (tro.starts_on, tro.ends_on) == (dt.date(2026, 6, 1), dt.date(2029, 6, 1))
    assert tro.status(TODAY) == OrderStatus.ACTIVE
    # release date removed: pending again
    cases.record_sentence(d, sentenced_on=dt.date(2025, 9, 1), custody_months=96, release_on=None,
                          actor=users.lawyer)
    assert tro.starts_on is None and tro.status(TODAY) == OrderStatus.PENDING_RELEASE
    summaries = session.execute(sa.select(AuditEvent.summary).where(
        AuditEvent.object_id == tro.id, AuditEvent.object_type == "ancillary_order")).scalars().all()
    assert any("moved with the release date" in s and "15 March 2027" in s for s in summaries)


def test_release_trigger_takes_a_known_release_date(session, users):
    d = factories.convicted_defendant(actor=users.lawyer, release_on=dt.date(2028, 1, 10))
    scpo = service.record_order(d, type="scpo", made_on=dt.date(2025, 9, 1), court_level="crown_court",
                                start_trigger="on_release", term_months=60, actor=users.lawyer,
                                today=TODAY)
    assert (scpo.starts_on, scpo.ends_on) == (dt.date(2028, 1, 10), dt.date(2033, 1, 10))
    on_making = service.record_order(d, type="cdda", made_on=dt.date(2025, 9, 1),
                                     court_level="crown_court", term_months=60, actor=users.lawyer,
                                     today=TODAY)
    cases.record_sentence(d, sentenced_on=dt.date(2025, 9, 1), custody_months=96,
                          release_on=dt.date(2027, 1, 1), actor=users.lawyer)
    assert scpo.starts_on == dt.date(2027, 1, 1)
    assert on_making.starts_on == dt.date(2025, 9, 1)  # not release-triggered: unmoved


def test_tro_release_order_needs_a_length_not_an_end_date(session, users):
    d = factories.convicted_defendant(actor=users.lawyer)
    with pytest.raises(ValidationError) as exc:
        service.record_order(d, type="tro", made_on=dt.date(2025, 9, 1), court_level="crown_court",
                             ends_on=dt.date(2030, 1, 1), actor=users.lawyer, today=TODAY)
    assert "term_months" in exc.value.errors  # no release date: the length cannot be known
    released = factories.convicted_defendant(actor=users.lawyer, release_on=dt.date(2027, 1, 10))
    tro = service.record_order(released, type="tro", made_on=dt.date(2025, 9, 1),
                               court_level="crown_court", ends_on=dt.date(2030, 1, 10),
                               actor=users.lawyer, today=TODAY)
    assert tro.term_months == 36 and tro.ends_on == dt.date(2030, 1, 10)
    with pytest.raises(ValidationError) as exc:
        service.record_order(d, type="tro", made_on=dt.date(2025, 9, 1), court_level="crown_court",
                             term_months=23, actor=users.lawyer, today=TODAY)
    assert "at least 2 years after release" in exc.value.errors["term_months"][0]


def test_scpo_in_magistrates_and_fro_after_repeal_are_refused(session, users):
    d = factories.convicted_defendant(actor=users.lawyer)
    with pytest.raises(ValidationError) as exc:
        service.record_order(d, type="scpo", made_on=dt.date(2025, 9, 1), court_level="magistrates",
                             term_months=12, actor=users.lawyer, today=TODAY)
    assert "court_level" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        service.record_order(d, type="fro", made_on=dt.date(2016, 1, 1), court_level="crown_court",
                             term_months=12, actor=users.lawyer, today=TODAY)
    assert "2015" in exc.value.errors["made_on"][0]


def test_conditions_with_their_own_dates_and_travel_cap(session, users):
    d = factories.convicted_defendant(actor=users.lawyer)
    made = dt.date(2025, 9, 1)
    travel = service.ConditionInput(kind="foreign_travel", text="Not to travel outside the UK",
                                    ends_on=add_years(made, 5) + dt.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        service.record_order(d, type="shpo", made_on=made, court_level="crown_court", indefinite=True,
                             conditions=[travel], actor=users.lawyer, today=TODAY)
    assert "s.348" in exc.value.errors["conditions"][0]
    report = service.ConditionInput(kind="financial_reporting", text="Report bank accounts",
                                    report_every_months=6)
    order = service.record_order(d, type="shpo", made_on=made, court_level="crown_court",
                                 indefinite=True, conditions=[report], actor=users.lawyer, today=TODAY)
    assert order.conditions[0].next_report_due_on == dt.date(2026, 3, 1)
    check = service.record_compliance_check(order, checked_on=dt.date(2026, 3, 3), result="compliant",
                                            condition=order.conditions[0], actor=users.offender_manager,
                                            today=TODAY)
    assert check.id and order.conditions[0].next_report_due_on == dt.date(2026, 9, 3)


def test_vary_within_limits_and_refuse_beyond(session, users, caught):
    order = factories.order(actor=users.lawyer, term_months=24)
    with pytest.raises(ValidationError) as exc:
        service.vary_order(order, varied_on=dt.date(2026, 1, 5), reason="Renewal sought",
                           ends_on=add_years(order.starts_on, 5) + dt.timedelta(days=1),
                           actor=users.lawyer, today=TODAY)
    assert "s.16(2)" in exc.value.errors["ends_on"][0] and order.variations == []
    service.vary_order(order, varied_on=dt.date(2026, 1, 5), reason="Risk increased",
                       ends_on=add_years(order.starts_on, 5), actor=users.lawyer, today=TODAY)
    assert order.ends_on == add_years(order.starts_on, 5) and len(order.variations) == 1
    assert "End date changed" in order.variations[0].summary
    # s.22E: kept in force pending a charge
    service.vary_order(order, varied_on=dt.date(2026, 2, 1), reason="Charged with breach",
                       indefinite=True, extended_pending_charge=True, actor=users.lawyer, today=TODAY)
    assert order.indefinite and order.extended_pending_charge
    assert len(caught) == 3  # recorded + two variations


def test_discharge_and_shpo_consent_bar(session, users):
    shpo = factories.order(type="shpo", indefinite=True, actor=users.lawyer, made_on=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError) as exc:
        service.discharge_order(shpo, discharged_on=dt.date(2026, 1, 1), reason="Asked", actor=users.lawyer,
                                today=TODAY)
    assert "s.350" in exc.value.errors["consents"][0] and shpo.discharged_on is None
    service.discharge_order(shpo, discharged_on=dt.date(2026, 1, 1), reason="Agreed", consents=True,
                            actor=users.lawyer, today=TODAY)
    assert shpo.status(TODAY) == OrderStatus.DISCHARGED


def test_replace_discharges_the_old_order(session, users):
    old = factories.order(actor=users.lawyer)
    new = service.replace_order(old, actor=users.lawyer, type="scpo", made_on=dt.date(2026, 6, 1),
                                court_level="crown_court", term_months=60, today=TODAY)
    assert old.replaced_by_id == new.id and old.discharged_on == dt.date(2026, 6, 1)
    assert new.status(TODAY) == OrderStatus.ACTIVE


def test_service_breach_and_checks(session, users):
    order = factories.order(actor=users.lawyer, check_interval_months=1)
    assert order.next_check_due_on == dt.date(2025, 11, 1)
    service.record_service(order, served_on=dt.date(2025, 10, 3), method="in_person",
                           actor=users.offender_manager, today=TODAY)
    assert order.service_method == ServiceMethod.IN_PERSON
    service.record_compliance_check(order, checked_on=dt.date(2026, 11, 2), result=CheckResult.COMPLIANT,
                                    notes="Home visit", actor=users.offender_manager, today=TODAY)
    assert order.next_check_due_on == dt.date(2026, 12, 2)
    breach = service.record_breach(order, occurred_on=dt.date(2026, 11, 1), description="Second phone found",
                                   actor=users.offender_manager, today=TODAY)
    service.update_breach(breach, prosecution="convicted", outcome="18 months' imprisonment",
                          outcome_on=dt.date(2026, 11, 10), actor=users.lawyer)
    assert breach.prosecution == "convicted"
    with pytest.raises(ValidationError):
        service.record_breach(order, occurred_on=dt.date(2020, 1, 1), description="x",
                              actor=users.lawyer, today=TODAY)


def test_assign_in_bulk_only_to_managers_of_the_unit(session, users):
    a = factories.order(actor=users.lawyer)
    b = factories.order(actor=users.lawyer)
    assert service.assign_orders([a, b], offender_manager=users.offender_manager, actor=users.admin) == 2
    assert a.offender_manager_id == users.offender_manager.id
    elsewhere = factories.user("offender_manager", ("london_north",))
    with pytest.raises(ValidationError):
        service.assign_orders([a], offender_manager=elsewhere, actor=users.admin)
    with pytest.raises(ValidationError):
        service.assign_orders([a], offender_manager=users.lawyer, actor=users.admin)


def test_tro_suspension(session, users):
    d = factories.convicted_defendant(actor=users.lawyer, release_on=dt.date(2026, 1, 1))
    tro = service.record_order(d, type="tro", made_on=dt.date(2025, 9, 1), court_level="crown_court",
                               term_months=24, actor=users.lawyer, today=TODAY)
    s = service.record_suspension(tro, starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 14),
                                  reason="Funeral abroad", actor=users.lawyer)
    assert s.id
    with pytest.raises(ValidationError):
        service.record_suspension(factories.order(actor=users.lawyer), starts_on=dt.date(2026, 12, 1),
                                  ends_on=dt.date(2026, 12, 2), reason="x", actor=users.lawyer)


def test_vary_an_open_ended_order_to_a_fixed_term(session, users):
    shpo = factories.order(type="shpo", indefinite=True, actor=users.lawyer, made_on=dt.date(2025, 1, 6))
    service.vary_order(shpo, varied_on=dt.date(2026, 1, 5), reason="Court fixed a term",
                       ends_on=dt.date(2031, 1, 6), actor=users.lawyer, today=TODAY)
    assert not shpo.indefinite and shpo.ends_on == dt.date(2031, 1, 6)
    with pytest.raises(ValidationError) as exc:
        service.vary_order(shpo, varied_on=dt.date(2026, 1, 5), reason="Shorter",
                           ends_on=dt.date(2030, 1, 5), actor=users.lawyer, today=TODAY)
    assert "at least 5 years" in exc.value.errors["ends_on"][0]


def test_status_label_for_a_future_start_that_is_not_a_release(session, users):
    scpo = factories.order(actor=users.lawyer, start_trigger="on_date_specified",
                           starts_on=dt.date(2027, 1, 1), made_on=dt.date(2026, 6, 1))
    assert scpo.status(TODAY) == OrderStatus.PENDING_RELEASE
    assert scpo.status_label(TODAY) == "Not yet in force"
