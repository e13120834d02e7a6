"""Alerts about ancillary orders, computed from the orders register (DOMAIN.md section 5)."""

from __future__ import annotations

import datetime as dt

import pytest

from casework.alerts import service
from casework.cases import service as cases_service
from casework.core import clock
from casework.orders import service as orders_service
from casework.orders.service import ConditionInput
from tests import factories
from tests.integration.alerts.conftest import rows, statuses

D = dt.date


def _keys(order, kind=None):
    return {a.key: a for a in rows(subject_type="order", subject_id=order.id)
            if kind is None or a.kind == kind}


def _sweep(session, day):
    session.commit()
    return service.send_due_alerts(day)


def test_scpo_expiry_reminders_a_year_six_three_and_one_month_ahead(session, users):
    order = factories.order(made_on=D(2025, 10, 1), served_on=D(2025, 10, 1),
                            offender_manager=users.offender_manager)
    _sweep(session, D(2025, 10, 2))
    expiry = _keys(order, "order_expiry")
    assert sorted(a.due_on for a in expiry.values()) == [
        D(2029, 10, 1), D(2030, 4, 1), D(2030, 7, 1), D(2030, 9, 1)]
    assert all(a.status.value == "pending" for a in expiry.values())
    first = min(expiry.values(), key=lambda a: a.due_on)
    assert "expires in 365 days, on 1 October 2030" in first.message
    assert "s.16(5)-(6)" in first.message
    assert first.assignee_id == users.offender_manager.id


def test_other_orders_warn_90_30_and_7_days_ahead(session):
    order = factories.order(type="cdda", made_on=D(2025, 10, 1), term_months=24,
                            court_level="crown_court", served_on=D(2025, 10, 1))
    _sweep(session, D(2025, 10, 2))
    assert sorted(a.due_on for a in _keys(order, "order_expiry").values()) == [
        D(2027, 7, 3), D(2027, 9, 1), D(2027, 9, 24)]


def test_varying_the_end_date_recomputes_and_cancels_future_alerts(session, users):
    order = factories.order(made_on=D(2025, 10, 1), served_on=D(2025, 10, 1))
    _sweep(session, D(2025, 10, 2))
    orders_service.vary_order(order, varied_on=D(2026, 1, 5), reason="Court shortened it",
                              ends_on=D(2028, 10, 1), actor=users.lawyer, today=D(2026, 1, 5))
    expiry = _keys(order, "order_expiry")
    old = [a for a in expiry.values() if a.key.endswith("2030-10-01")]
    new = [a for a in expiry.values() if a.key.endswith("2028-10-01")]
    assert len(old) == 4 and {a.status.value for a in old} == {"cancelled"}
    assert len(new) == 4 and {a.status.value for a in new} == {"pending"}


def test_not_served_after_seven_days_and_cancelled_once_served(session, users):
    order = factories.order(made_on=D(2025, 10, 1))
    result = _sweep(session, D(2025, 10, 7))
    alert = next(iter(_keys(order, "order_not_served").values()))
    assert alert.due_on == D(2025, 10, 8) and alert.status.value == "pending"
    assert result.sent == 0
    orders_service.record_service(order, served_on=D(2025, 10, 7), method="in_person",
                                  actor=users.lawyer, today=D(2025, 10, 7))
    assert _keys(order, "order_not_served")[alert.key].status.value == "cancelled"


def test_order_starting_on_release_is_announced(session, users):
    defendant = factories.convicted_defendant(custody_months=48)
    order = factories.order(defendant, type="tro", made_on=D(2025, 9, 1), term_months=24,
                            served_on=D(2025, 9, 1))
    assert order.starts_on is None
    _sweep(session, D(2025, 9, 2))
    assert _keys(order) == {}
    cases_service.record_sentence(defendant, sentenced_on=D(2025, 9, 1), custody_months=48,
                                  release_on=D(2027, 9, 1), actor=users.lawyer)
    starts = list(_keys(order, "order_starts").values())
    assert [a.due_on for a in starts] == [D(2027, 8, 18)]
    assert "comes into force in 14 days, on 1 September 2027" in starts[0].message
    assert "passports" in starts[0].message
    assert sorted(a.due_on for a in _keys(order, "order_expiry").values()) == [
        D(2029, 6, 3), D(2029, 8, 2), D(2029, 8, 25)]


def test_release_already_past_says_so(session, users):
    defendant = factories.convicted_defendant(custody_months=48)
    order = factories.order(defendant, type="tro", made_on=D(2025, 9, 1), term_months=24,
                            served_on=D(2025, 9, 1))
    cases_service.record_sentence(defendant, sentenced_on=D(2025, 9, 1), custody_months=48,
                                  release_on=D(2026, 1, 10), actor=users.lawyer)
    _sweep(session, D(2026, 2, 1))
    starts = list(_keys(order, "order_starts").values())
    assert starts[0].status.value == "sent"
    assert "came into force on 10 January 2026" in starts[0].message


def test_report_due_and_overdue_and_moved_when_received(session, users):
    order = factories.order(made_on=D(2025, 10, 1), served_on=D(2025, 10, 1), conditions=[
        ConditionInput(text="Report bank accounts", kind="financial_reporting",
                       report_every_months=3)])
    _sweep(session, D(2025, 12, 20))
    reports = {a.kind: a for a in _keys(order).values() if a.kind.startswith("report")}
    assert reports["report_due"].due_on == D(2025, 12, 25)
    assert reports["report_overdue"].due_on == D(2026, 1, 2)
    assert "is due in 7 days, on 1 January 2026" in reports["report_due"].message
    _sweep(session, D(2025, 12, 25))
    _sweep(session, D(2026, 1, 3))
    assert {a.kind: a.status.value for a in _keys(order).values() if a.kind.startswith("report")} == {
        "report_due": "sent", "report_overdue": "sent"}
    cond = order.conditions[0]
    orders_service.record_compliance_check(order, checked_on=D(2026, 1, 4), result="compliant",
                                           condition=cond, actor=users.lawyer, today=D(2026, 1, 4))
    later = [a for a in _keys(order).values() if a.kind == "report_due" and a.status.value == "pending"]
    assert [a.due_on for a in later] == [D(2026, 3, 28)]


def test_compliance_check_due_overdue_and_stale(session, users):
    order = factories.order(made_on=D(2025, 10, 1), served_on=D(2025, 10, 1),
                            check_interval_months=6)
    _sweep(session, D(2025, 10, 2))
    by_kind = {a.kind: a for a in _keys(order).values() if a.kind != "order_expiry"}
    assert by_kind["check_due"].due_on == D(2026, 3, 25)
    assert by_kind["check_overdue"].due_on == D(2026, 4, 2)
    assert by_kind["order_stale"].due_on == D(2026, 4, 29)
    assert "since it came into force on 1 October 2025" in by_kind["order_stale"].message


def test_travel_ban_lapsing(session):
    order = factories.order(type="shpo", made_on=D(2025, 10, 1), indefinite=True,
                            court_level="crown_court", served_on=D(2025, 10, 1),
                            conditions=[ConditionInput(text="No travel outside the UK",
                                                       kind="foreign_travel", ends_on=D(2030, 10, 1))])
    _sweep(session, D(2025, 10, 2))
    lapsing = _keys(order, "travel_ban_lapsing").values()
    assert sorted(a.due_on for a in lapsing) == [D(2030, 7, 3), D(2030, 9, 1)]
    assert all("foreign travel ban" in a.message for a in lapsing)
    assert _keys(order, "order_expiry") == {}  # indefinite: no expiry


def test_scpo_subject_charged_while_order_is_live(session, users):
    order = factories.order(made_on=D(2025, 10, 1), served_on=D(2025, 10, 1))
    factories.charge(order.defendant, charged_on=D(2026, 5, 4), actor=users.lawyer)
    charged = list(_keys(order, "scpo_charged").values())
    assert [a.due_on for a in charged] == [D(2026, 5, 4)]
    assert "s.22E" in charged[0].message and "ends on 1 October 2030" in charged[0].message
    _sweep(session, D(2026, 5, 4))
    assert _keys(order, "scpo_charged")[charged[0].key].status.value == "sent"


def test_charges_before_the_order_do_not_count(session):
    order = factories.order(made_on=D(2025, 10, 1), served_on=D(2025, 10, 1))  # charged Feb 2025
    _sweep(session, D(2025, 10, 2))
    assert _keys(order, "scpo_charged") == {}


def test_nothing_is_sent_for_a_discharged_order(session, users):
    order = factories.order(made_on=D(2025, 10, 1), check_interval_months=3, conditions=[
        ConditionInput(text="Report finances", kind="financial_reporting", report_every_months=1)])
    _sweep(session, D(2025, 10, 2))
    assert rows(subject_id=order.id, status="pending")
    orders_service.discharge_order(order, discharged_on=D(2025, 10, 3), reason="Quashed on appeal",
                                   actor=users.lawyer, today=D(2025, 10, 3))
    result = _sweep(session, D(2031, 1, 1))  # every date has passed
    alerts = rows(subject_type="order", subject_id=order.id)
    print(f"discharged order: {len(alerts)} alerts, sent {result.sent}")
    assert alerts and {a.status.value for a in alerts} == {"cancelled"}
    assert all("discharged on 3 October 2025" in a.cancel_reason for a in alerts)


def test_order_that_expired_during_an_outage_gets_one_expired_on_alert(session):
    order = factories.order(type="cdda", made_on=D(2025, 10, 1), term_months=24,
                            served_on=D(2025, 10, 1), check_interval_months=6)
    session.commit()
    result = service.send_due_alerts(D(2027, 10, 15))  # first run, two weeks after expiry
    expiry = sorted(_keys(order, "order_expiry").values(), key=lambda a: a.due_on)
    assert [a.status.value for a in expiry] == ["cancelled", "cancelled", "sent"]
    assert "expired on 1 October 2027" in expiry[-1].message
    assert "expires in" not in expiry[-1].message
    others = [a for a in _keys(order).values() if a.kind != "order_expiry"]
    assert others and {a.status.value for a in others} == {"cancelled"}
    assert result.sent == 1


def test_orders_that_ended_long_ago_are_not_mailed(session):
    order = factories.order(type="cdda", made_on=D(2015, 10, 1), term_months=24,
                            served_on=D(2015, 10, 1))
    result = _sweep(session, D(2026, 11, 22))
    assert result.sent == 0
    assert {a.status.value for a in _keys(order).values()} == {"cancelled"}
    assert all("expired on 1 October 2017" in a.cancel_reason for a in _keys(order).values())
    assert {"before it was recorded here" in a.cancel_reason
            for a in _keys(order, "order_expiry").values()} == {True}


UTC = dt.UTC


@pytest.mark.parametrize(("instant", "london_day"), [
    (dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC), D(2026, 3, 29)),  # GMT, clocks go forward at 01:00
    (dt.datetime(2026, 3, 29, 23, 30, tzinfo=UTC), D(2026, 3, 30)),  # 00:30 BST next day
    (dt.datetime(2026, 10, 24, 23, 30, tzinfo=UTC), D(2026, 10, 25)),  # 00:30 BST, clocks go back
    (dt.datetime(2026, 10, 25, 23, 30, tzinfo=UTC), D(2026, 10, 25)),  # 23:30 GMT same day
    (dt.datetime(2027, 2, 28, 23, 59, tzinfo=UTC), D(2027, 2, 28)),  # month end
    (dt.datetime(2028, 2, 29, 12, 0, tzinfo=UTC), D(2028, 2, 29)),  # leap day
    (dt.datetime(2026, 12, 31, 23, 59, tzinfo=UTC), D(2026, 12, 31)),  # year end
])
def test_sweep_uses_the_london_date_across_bst_changes_and_month_ends(session, instant, london_day):
    with clock.frozen(instant):
        order = factories.order(type="cdda", made_on=D(2025, 1, 1),
                                ends_on=london_day + dt.timedelta(days=7), served_on=D(2025, 1, 1))
        session.commit()
        result = service.send_due_alerts()  # today from the clock
    sent = [a for a in _keys(order).values() if a.status.value == "sent"]
    print(f"{instant.isoformat()} -> {result.as_of}: sent {[a.due_on.isoformat() for a in sent]}")
    assert result.as_of == london_day
    assert [a.due_on for a in sent] == [london_day]
    assert "expires in 7 days" in sent[0].message
    earlier = [a for a in _keys(order).values() if a.due_on < london_day]
    assert {a.status.value for a in earlier} == {"cancelled"}  # superseded, not sent late
    assert statuses(subject_id=order.id)
