"""A small world with one of every record, and ``grow(n)`` that adds ``n`` more of each.

Every list and report page shows rows of some table, and every record page shows rows attached
to its record. ``grow`` adds rows to both: ``n`` more cases (each with a convicted defendant, an
ancillary order with a reporting condition, a confiscation order with a payment and a restraint
order), and ``n`` more children of each focus record (defendants and hearings of the focus case,
charges and orders of the focus defendant, conditions, checks and breaches of the focus order,
payments and enforcement steps of the focus confiscation order, events of the focus restraint
order), plus users, units, API tokens, alert runs and alerts. A page whose statement count
changes between ``grow(3)`` and a further ``grow(27)`` runs a query per row.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from casework.extensions import db
from tests import factories

TODAY = dt.date(2026, 3, 10)
MADE_ON = dt.date(2025, 10, 1)
MONTH = "2026-02"  # the stored monthly report
_unit_seq = itertools.count(1)


@dataclass
class World:
    users: Any
    case: Any = None
    defendant: Any = None
    order: Any = None
    confiscation: Any = None
    restraint: Any = None
    hearing: Any = None
    breach: Any = None
    payment: Any = None
    user: Any = None  # an account the admin pages look at
    unit: Any = None
    extra: dict[str, Any] = field(default_factory=dict)
    rows: int = 0

    @property
    def lawyer(self) -> Any:
        return self.users.lawyer

    def alert_id(self) -> int:
        from casework.alerts.models import Alert

        return db.session.execute(sa.select(sa.func.min(Alert.id))).scalar_one()  # type: ignore[no-any-return]


def _fresh(record: Any) -> Any:
    if record is None or not hasattr(record, "__table__"):
        return record
    return db.session.get(type(record), sa.inspect(record).identity)


def reload(w: World) -> World:
    """The same world read through the current session (the one it was built in has closed)."""
    for name, value in vars(w.users).items():
        setattr(w.users, name, _fresh(value))
    for name in ("case", "defendant", "order", "confiscation", "restraint", "hearing", "breach",
                 "payment", "user", "unit"):
        setattr(w, name, _fresh(getattr(w, name)))
    return w


def build(users: Any) -> World:
    """The focus records, one of each."""
    from casework.confiscation import restraint

    w = World(users)
    lawyer = users.lawyer
    w.case = factories.case(lead_lawyer=lawyer, actor=lawyer, name="Operation Focus")
    w.defendant = factories.convicted_defendant(w.case, actor=lawyer, surname="Focusperson")
    w.order = _order(w.defendant, w)
    w.confiscation = factories.confiscation_order(w.defendant, made_on=MADE_ON, actor=lawyer)
    w.restraint = restraint.record_restraint(
        w.defendant, condition="proceedings", applied_on=dt.date(2025, 2, 10),
        made_on=dt.date(2025, 2, 12), court="Southwark Crown Court", actor=lawyer)
    restraint.set_timetable(w.defendant, convicted_on=w.defendant.finalised_on, actor=lawyer)
    w.user = factories.user("lawyer", ("ocd",), name="Focus Account")
    w.unit = factories.unit("ocd")
    _monthly_report()
    grow(w, 1)
    return w


def _order(defendant: Any, w: World, manager: Any = None) -> Any:
    from casework.orders.service import ConditionInput

    return factories.order(
        defendant, made_on=MADE_ON, actor=w.lawyer, offender_manager=manager or w.users.offender_manager,
        check_interval_months=1, conditions=[ConditionInput(
            "To report income and assets to the National Crime Agency", "financial_reporting",
            report_every_months=1)])


def grow(w: World, n: int) -> None:
    """Add ``n`` more rows to every list and to every focus record's children."""
    for _ in range(n):
        i = w.rows = w.rows + 1
        _grow_lists(w, i)
        _grow_focus(w, i)
    _grow_admin(w, n)
    _sweep()
    db.session.commit()


def _grow_lists(w: World, i: int) -> None:
    """One more row on every list, in a unit of its own, and (every other row) with a lawyer and
    offender manager of its own: a lazy load of a row's unit, lawyer or manager is then a query
    per row, not an identity-map hit."""
    from casework.confiscation import restraint, service
    from casework.units import service as units

    k = next(_unit_seq)
    unit = units.create_unit(code=f"perf_unit_{k}", name=f"Performance Unit {k}", kind="area",
                             actor=w.users.admin)
    for reader in (w.users.lawyer, w.users.offender_manager, w.users.analyst):
        reader.units.append(unit)
    lawyer = factories.user("lawyer", ("ocd", unit.code), name=f"Grow Lawyer {k}")
    manager = factories.user("offender_manager", ("ocd", unit.code), name=f"Grow Manager {k}")
    if i % 2 == 0:  # every other row is the standard users' own: "my cases", "my orders"
        lawyer, manager = w.users.lawyer, w.users.offender_manager
    case = factories.case(unit.code, lead_lawyer=lawyer, actor=lawyer, name=f"Operation Grow{i}",
                          crime=("drugs", "fraud", "firearms")[i % 3])
    d = factories.convicted_defendant(case, actor=lawyer, surname=f"Growperson{i}",
                                      finalised_on=dt.date(2025, 6 + i % 4, 1 + i % 27))
    _order(d, w, manager)
    c = factories.confiscation_order(d, made_on=MADE_ON, actor=lawyer)
    service.record_payment(c, received_on=dt.date(2025, 11, 3), amount=Decimal("100.00"), actor=lawyer)
    restraint.record_restraint(d, condition="proceedings", applied_on=dt.date(2025, 2, 10),
                               made_on=dt.date(2025, 2, 12), actor=lawyer)
    # an acquittal too, so the conviction rate has both sides in every month
    factories.convicted_defendant(case, actor=lawyer, outcome="acquitted_after_trial",
                                  sentenced_on=False, finalised_on=dt.date(2025, 6 + i % 4, 2))


def _grow_focus(w: World, i: int) -> None:
    from casework.cases import hearings
    from casework.confiscation import enforcement, restraint, service
    from casework.orders import monitoring
    from casework.orders import service as orders

    lawyer, day = w.lawyer, dt.date(2025, 11, 1) + dt.timedelta(days=i)
    factories.defendant(w.case, actor=lawyer, surname=f"Codefendant{i}",
                        charged_on=dt.date(2025, 2, 3))
    w.hearing = hearings.record_hearing(w.case, court="Southwark Crown Court", hearing_on=day,
                                        kind="mention", defendant=w.defendant, actor=lawyer)
    factories.charge(w.defendant, actor=lawyer, offence=f"Conspiracy to supply cocaine (count {i})")
    _order(w.defendant, w)
    factories.confiscation_order(w.defendant, made_on=MADE_ON, amount="500.00", actor=lawyer)
    restraint.record_restraint(w.defendant, condition="proceedings", applied_on=day, actor=lawyer)
    orders.add_condition(w.order, condition=orders.ConditionInput(
        f"Not to enter postcode area E{i}", "prohibition"), actor=lawyer)
    monitoring.record_compliance_check(w.order, checked_on=day, result="compliant", actor=lawyer,
                                       today=TODAY)
    w.breach = monitoring.record_breach(w.order, occurred_on=day, description=f"Breach {i}",
                                        actor=lawyer, today=TODAY)
    w.payment, _ = service.record_payment(w.confiscation, received_on=day, amount=Decimal("10.00"),
                                          actor=lawyer)
    enforcement.record_enforcement(w.confiscation, kind="other", taken_on=day, result=f"Step {i}",
                                   actor=lawyer)
    restraint.record_restraint_event(w.restraint, kind="reported", occurred_on=day,
                                     details=f"Report {i}", actor=lawyer)


def _grow_admin(w: World, n: int) -> None:
    from casework.auth.service import issue_token

    for _ in range(n):
        issue_token(w.user)


def _monthly_report() -> None:
    from casework.reports import monthly
    from casework.reports.periods import parse_month

    monthly.generate(parse_month(MONTH), trigger="manual")


def _sweep() -> None:
    from casework.alerts import sweep

    sweep.send_due_alerts(TODAY, send_email=False)
