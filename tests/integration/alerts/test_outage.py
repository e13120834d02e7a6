"""A long outage: the sweep after 365 days without one leaves every alert that should exist
present once, none missing, nothing due left unsent, and no reminder sent twice."""

from __future__ import annotations

import collections
import datetime as dt

import sqlalchemy as sa

from casework.alerts import service, sources
from casework.alerts.models import Alert, AlertStatus, EmailMessage, JobRun
from casework.core import clock
from casework.orders.service import ConditionInput
from tests import factories

START = dt.date(2025, 11, 3)
BACK = START + dt.timedelta(days=365)
D = dt.date


def _orders(users):
    """A register with something due almost every month of the outage."""
    with clock.frozen(START):
        made = [
            {"type": "scpo", "made_on": D(2021, 6, 1), "term_months": 60, "check_interval_months": 3},
            {"type": "scpo", "made_on": D(2022, 1, 10), "term_months": 48, "served_on": D(2022, 1, 10)},
            {"type": "cdda", "made_on": D(2024, 2, 29), "term_months": 24, "served_on": D(2024, 3, 1)},
            {"type": "cdda", "made_on": D(2025, 10, 31), "term_months": 12},
            {"type": "shpo", "made_on": D(2021, 4, 1), "indefinite": True, "served_on": D(2021, 4, 1),
                 "conditions": [ConditionInput(text="No foreign travel", kind="foreign_travel",
                                            ends_on=D(2026, 3, 31))]},
            {"type": "stpo", "made_on": D(2020, 12, 1), "term_months": 72, "served_on": D(2020, 12, 1),
                 "conditions": [ConditionInput(text="Notify address", kind="notification",
                                            report_every_months=2)]},
            {"type": "scpo", "made_on": D(2025, 9, 1), "term_months": 60, "served_on": D(2025, 9, 1),
                 "check_interval_months": 1},
        ]
        orders = []
        for kwargs in made:
            defendant = factories.convicted_defendant(actor=users.lawyer, charged_on=D(2019, 1, 7),
                                                      finalised_on=D(2020, 6, 1))
            orders.append(factories.order(defendant, offender_manager=users.offender_manager,
                                          court_level="crown_court", actor=users.lawyer, **kwargs))
    with clock.frozen(D(2026, 2, 2)):  # recorded during the outage: its alert waits for the sweep
        factories.charge(orders[0].defendant, charged_on=D(2026, 2, 2), actor=users.lawyer)
    return orders


def _expected_keys() -> set[str]:
    keys: set[str] = set()
    for source in sources.all_sources():
        keys |= {a.key for a in source.expected(today=BACK)}
    return keys


def _snapshot(session) -> dict[str, tuple[str, dt.date]]:
    session.expire_all()
    return {a.key: (a.status.value, a.due_on) for a in session.execute(sa.select(Alert)).scalars()}


def test_one_sweep_after_a_365_day_outage(session, users):
    _orders(users)
    session.commit()
    service.send_due_alerts(START)
    before = _snapshot(session)
    result = service.send_due_alerts(BACK)
    after = _snapshot(session)
    expected = _expected_keys()
    keys = session.execute(sa.select(Alert.key)).scalars().all()
    sent_now = [k for k, (s, _) in after.items() if s == "sent" and before.get(k, ("",))[0] != "sent"]
    series = collections.Counter(session.execute(
        sa.select(Alert.series).where(Alert.key.in_(sent_now))).scalars())
    due_in_gap = [k for k, (_, due) in after.items() if START < due <= BACK]
    figures = {"expected": len(expected), "present": len(keys), "duplicates": len(keys) - len(set(keys)),
               "missing": len(expected - set(keys)), "due_in_outage": len(due_in_gap),
               "sent_after_outage": len(sent_now), "superseded": result.superseded,
               "pending_but_due": sum(1 for s, due in after.values() if s == "pending" and due <= BACK)}
    print(f"\n365-day outage: {figures}")
    assert figures["missing"] == 0 and figures["duplicates"] == 0 and set(keys) == expected
    assert figures["pending_but_due"] == 0
    assert figures["due_in_outage"] > 10 and figures["sent_after_outage"] >= 5
    assert max(series.values()) == 1  # one reminder per series after the gap, never a flood
    again = service.send_due_alerts(BACK)
    assert (again.created, again.sent, again.cancelled) == (0, 0, 0)


def test_daily_sweeps_for_a_year_make_the_same_alerts_as_one_after_the_outage(session, users):
    _orders(users)
    session.commit()
    day = START
    while day <= BACK:
        service.send_due_alerts(day)
        day += dt.timedelta(days=1)
    daily = _snapshot(session)
    emails_daily = session.execute(sa.select(sa.func.count()).select_from(EmailMessage)).scalar_one()
    for model in (EmailMessage, Alert, JobRun):
        session.execute(sa.delete(model))
    session.commit()
    service.send_due_alerts(START)
    service.send_due_alerts(BACK)
    outage = _snapshot(session)
    print(f"\ndaily: {len(daily)} alerts, {emails_daily} emails; outage: {len(outage)} alerts, "
          f"sent daily {sum(s == 'sent' for s, _ in daily.values())}, "
          f"sent after outage {sum(s == 'sent' for s, _ in outage.values())}")
    assert set(daily) == set(outage) == _expected_keys()
    for key, (status, _) in outage.items():
        if daily[key][0] == "sent":
            assert status in ("sent", "cancelled")
        if daily[key][0] == "pending":
            assert status == "pending"
    assert not [k for k, (s, due) in daily.items() if s == "pending" and due <= BACK]
    assert {s for s, _ in daily.values()} <= {AlertStatus.SENT.value, AlertStatus.PENDING.value,
                                              AlertStatus.CANCELLED.value}
