"""Demo POCA Part 2 work, through the confiscation services: restraint orders made soon after
charge (s.41, on the s.40(3) proceedings condition), confiscation orders after conviction (s.6)
with time to pay (s.11), and payments, some in full, some partial, some none (so interest under
s.12 and enforcement show up)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from casework.confiscation import restraint, service
from casework.confiscation.models import ConfiscationOrder
from casework.confiscation.rules import RestraintCondition
from casework.demo.cases import DemoDefendant
from casework.demo.context import DemoContext

ACQUISITIVE = {"drugs", "money_laundering", "fraud", "bribery_corruption", "trafficking", "acquisitive",
               "immigration"}
PENNY = Decimal("0.01")


def build_confiscation(ctx: DemoContext, defendants: list[DemoDefendant]) -> list[ConfiscationOrder]:
    orders: list[ConfiscationOrder] = []
    for demo in defendants:
        if demo.crime_type not in ACQUISITIVE:
            continue
        if ctx.synth.chance(0.5):
            _restrain(ctx, demo)
        d = demo.defendant
        if d.outcome and d.outcome.is_conviction and d.sentenced_on and ctx.synth.chance(0.6):
            order = _confiscate(ctx, demo)
            if order is not None:
                orders.append(order)
                _payments(ctx, order, demo)
    return orders


def _restrain(ctx: DemoContext, demo: DemoDefendant) -> None:
    charged = min(c.charged_on for c in demo.defendant.charges)
    applied_on = ctx.synth.weekday_after(charged, 1, 20)
    made_on = ctx.synth.weekday_after(applied_on, 0, 10)
    if made_on > ctx.today:
        return
    restraint.record_restraint(demo.defendant, condition=RestraintCondition.PROCEEDINGS,
                               applied_on=applied_on, made_on=made_on, court=demo.crown_court,
                               actor=demo.actor)


def _money(ctx: DemoContext, low: int, high: int) -> Decimal:
    """A round-ish sum of money: courts' figures are usually to the pound."""
    return Decimal(ctx.synth.between(low, high) * 50)


def _confiscate(ctx: DemoContext, demo: DemoDefendant) -> ConfiscationOrder | None:
    convicted_on = demo.defendant.finalised_on
    assert convicted_on is not None
    made_on = ctx.synth.weekday_after(convicted_on, 120, 540)  # within the s.14 postponement period
    if made_on > ctx.today:
        return None
    benefit = _money(ctx, 400, 80_000)  # £20,000 to £4 million
    available = (benefit * Decimal(ctx.synth.between(5, 100)) / 100).quantize(Decimal(50))
    available = max(available, Decimal(50))
    due_on = made_on + dt.timedelta(days=ctx.synth.pick((0, 28, 56, 84)))
    return service.make_order(demo.defendant, made_on=made_on, benefit=benefit, available_amount=available,
                              amount=available, due_on=due_on, court=demo.crown_court, actor=demo.actor)


def _payments(ctx: DemoContext, order: ConfiscationOrder, demo: DemoDefendant) -> None:
    """Payments between the order and today: about a third pay in full, most pay something."""
    plan = ctx.synth.weighted((("full", 35), ("part", 45), ("none", 20)))
    if plan == "none":
        return
    share = Decimal(1) if plan == "full" else Decimal(ctx.synth.between(10, 80)) / 100
    to_pay = (order.amount * share).quantize(PENNY)
    count = ctx.synth.between(1, 4)
    day = order.made_on
    for n in range(count):
        day = ctx.synth.days_after(day, 7, 90)
        if day > ctx.today:
            return
        amount = to_pay if n == count - 1 else (to_pay / (count - n)).quantize(PENNY)
        if amount <= 0:
            return
        service.record_payment(order, received_on=day, amount=amount,
                               idempotency_key=f"demo-{order.id}-{n + 1}",
                               reference=f"HMCTS-{order.id:05d}-{n + 1}", actor=demo.actor)
        to_pay -= amount
