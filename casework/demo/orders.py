"""Demo ancillary orders made at sentence, through the orders service: TROs for drug
trafficking with long sentences (CJPA 2001 s.33), SCPOs with conditions (SCA 2007 s.19), STPOs
(MSA 2015 s.14), SHPOs (SA 2020 s.345) and director disqualifications (CDDA 1986 s.2), with
service, an offender manager, a check schedule and past compliance checks.

The orders engineer's service enforces every statutory limit; the demo only picks plausible
inputs (see orders/rules.py for the limits themselves).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from casework.auth.models import Role, User
from casework.demo.cases import DemoDefendant
from casework.demo.context import DemoContext
from casework.orders import service
from casework.orders.models import AncillaryOrder, CheckResult
from casework.orders.rules import ConditionKind, CourtLevel, OrderType, StartTrigger

C = service.ConditionInput

SCPO_CONDITIONS = (
    C("Not to possess or use more than one mobile telephone, and to notify the police of its number "
      "within 3 days of acquiring it", ConditionKind.PROHIBITION),
    C("Not to hold more than one bank account without notifying the National Crime Agency",
      ConditionKind.PROHIBITION),
    C("To report income, assets and expenditure to the National Crime Agency",
      ConditionKind.FINANCIAL_REPORTING, report_every_months=6),
    C("Not to possess cash exceeding £1,000 without a receipt showing its lawful origin",
      ConditionKind.PROHIBITION),
    C("To notify the police of any vehicle he owns, hires or uses, within 3 days",
      ConditionKind.NOTIFICATION),
    C("Not to enter the port areas of Felixstowe, Tilbury or Dover", ConditionKind.PROHIBITION),
)
STPO_CONDITIONS = (
    C("Not to be involved in the recruitment, accommodation or transport of any person for work",
      ConditionKind.PROHIBITION),
    C("Not to travel to any country outside the United Kingdom", ConditionKind.FOREIGN_TRAVEL),
)
SHPO_CONDITIONS = (
    C("Not to have unsupervised contact with any child under 16", ConditionKind.PROHIBITION),
    C("Not to use any device capable of accessing the internet unless it keeps a history that "
      "cannot be deleted, and to make it available for inspection on request",
      ConditionKind.PROHIBITION),
)

SCPO_CRIMES = {"drugs", "firearms", "money_laundering", "fraud", "immigration", "trafficking"}


def build_orders(ctx: DemoContext, defendants: list[DemoDefendant]) -> list[AncillaryOrder]:
    made: list[AncillaryOrder] = []
    for demo in defendants:
        d = demo.defendant
        if d.sentenced_on is None or not d.outcome or not d.outcome.is_conviction:
            continue
        for builder in _builders_for(ctx, demo):
            made.append(builder(ctx, demo))
    for order in made:
        _record_checks(ctx, order)
    return made


Builder = Callable[[DemoContext, DemoDefendant], AncillaryOrder]


def _builders_for(ctx: DemoContext, demo: DemoDefendant) -> list[Builder]:
    chance, crime = ctx.synth.chance, demo.crime_type
    months = demo.defendant.custody_months or 0
    builders: list[Builder] = []
    if crime == "drugs" and months >= 48 and chance(0.7):
        builders.append(_tro)
    if crime in SCPO_CRIMES and chance(0.35):
        builders.append(_scpo)
    if crime == "trafficking" and chance(0.7):
        builders.append(_stpo)
    if crime == "cse" and chance(0.8):
        builders.append(_shpo)
    if crime == "fraud" and chance(0.5):
        builders.append(_cdda)
    return builders


def _common(ctx: DemoContext, demo: DemoDefendant) -> dict[str, Any]:
    """Made at the sentencing hearing in the Crown Court, served there (SCA 2007 s.10)."""
    made_on = demo.defendant.sentenced_on
    assert made_on is not None
    served = ctx.synth.chance(0.85)
    return {
        "made_on": made_on, "court_level": CourtLevel.CROWN_COURT, "court": demo.crown_court,
        "served_on": made_on if served else None, "offender_manager": _manager(ctx, demo),
        "check_interval_months": ctx.synth.pick((3, 6, 6, 12)), "actor": demo.actor,
    }


def _manager(ctx: DemoContext, demo: DemoDefendant) -> User | None:
    return ctx.user_in(Role.OFFENDER_MANAGER, demo.case.unit.code)


def _tro(ctx: DemoContext, demo: DemoDefendant) -> AncillaryOrder:
    """CJPA 2001 s.33: at least 2 years from release."""
    return service.record_order(demo.defendant, type=OrderType.TRO, start_trigger=StartTrigger.ON_RELEASE,
                                term_months=ctx.synth.pick((24, 36, 48, 60, 120)), **_common(ctx, demo))


def _scpo(ctx: DemoContext, demo: DemoDefendant) -> AncillaryOrder:
    """SCA 2007 s.16(2): at most 5 years; often running from release."""
    conditions = ctx.synth.rng.sample(SCPO_CONDITIONS, ctx.synth.between(2, 4))
    trigger = StartTrigger.ON_RELEASE if ctx.synth.chance(0.6) else StartTrigger.ON_MAKING
    return service.record_order(demo.defendant, type=OrderType.SCPO, start_trigger=trigger,
                                term_months=ctx.synth.pick((36, 48, 60, 60)), conditions=conditions,
                                **_common(ctx, demo))


def _stpo(ctx: DemoContext, demo: DemoDefendant) -> AncillaryOrder:
    """MSA 2015 s.17: at least 5 years or until further order; travel bans at most 5 years."""
    indefinite = ctx.synth.chance(0.3)
    return service.record_order(demo.defendant, type=OrderType.STPO, start_trigger=StartTrigger.ON_MAKING,
                                term_months=None if indefinite else ctx.synth.pick((60, 84, 120)),
                                indefinite=indefinite, conditions=_capped(demo, STPO_CONDITIONS),
                                **_common(ctx, demo))


def _shpo(ctx: DemoContext, demo: DemoDefendant) -> AncillaryOrder:
    """SA 2020 s.347: at least 5 years, or until further order."""
    indefinite = ctx.synth.chance(0.5)
    return service.record_order(demo.defendant, type=OrderType.SHPO, start_trigger=StartTrigger.ON_MAKING,
                                term_months=None if indefinite else 120, indefinite=indefinite,
                                conditions=SHPO_CONDITIONS, **_common(ctx, demo))


def _cdda(ctx: DemoContext, demo: DemoDefendant) -> AncillaryOrder:
    """CDDA 1986 s.2: up to 15 years in the Crown Court, from the date of the order (s.1(1))."""
    return service.record_order(demo.defendant, type=OrderType.CDDA, start_trigger=StartTrigger.ON_MAKING,
                                term_months=ctx.synth.pick((60, 84, 120)), **_common(ctx, demo))


def _capped(demo: DemoDefendant,
            conditions: tuple[service.ConditionInput, ...]) -> list[service.ConditionInput]:
    """Foreign-travel prohibitions last at most 5 years (MSA 2015 s.18): give them an end date."""
    made_on = demo.defendant.sentenced_on
    assert made_on is not None
    out = []
    for c in conditions:
        if c.kind == ConditionKind.FOREIGN_TRAVEL:
            c = C(c.text, c.kind, starts_on=made_on, ends_on=made_on.replace(year=made_on.year + 5)
                  - dt.timedelta(days=1))
        out.append(c)
    return out


def _record_checks(ctx: DemoContext, order: AncillaryOrder) -> None:
    """Past compliance checks on orders in force, mostly compliant; the next one falls due later."""
    if order.starts_on is None or order.starts_on > ctx.today or order.discharged_on is not None:
        return
    interval = order.check_interval_months or 6
    day = order.starts_on + dt.timedelta(days=interval * 30)
    results = ((CheckResult.COMPLIANT, 8), (CheckResult.CONCERNS, 1), (CheckResult.NO_CONTACT, 1))
    checks = 0
    while (checks < 6 and day < ctx.today - dt.timedelta(days=20)
           and (order.ends_on is None or day <= order.ends_on)):
        checks += 1
        service.record_compliance_check(order, checked_on=day, result=ctx.synth.weighted(results),
                                        actor=_manager_or_lawyer(ctx, order), today=ctx.today)
        day += dt.timedelta(days=interval * 30 + ctx.synth.between(-10, 10))


def _manager_or_lawyer(ctx: DemoContext, order: AncillaryOrder) -> User:
    return order.offender_manager or ctx.admin
