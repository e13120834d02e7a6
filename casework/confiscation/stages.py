"""The confiscation stage map for one defendant (DOMAIN.md 2.1): every dated step from restraint
to satisfaction, with the statutory limits worked out, in date order for the MOJ timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from casework.confiscation import rules
from casework.confiscation.models import (
    ConfiscationOrder,
    ConfiscationProceeding,
    EnforcementStep,
    RestraintOrder,
)
from casework.core.money import format_gbp


@dataclass(frozen=True)
class Stage:
    on: dt.date
    title: str
    detail: str = ""
    state: str = "done"  # done | upcoming | overdue
    href: str | None = None


def _due(on: dt.date, done_on: dt.date | None, today: dt.date) -> str:
    if done_on is not None:
        return "done"
    return "overdue" if on < today else "upcoming"


def restraint_stages(orders: Iterable[RestraintOrder]) -> Iterator[Stage]:
    for r in orders:
        yield Stage(r.applied_on, "Restraint order applied for", r.condition.label)
        if r.made_on:
            yield Stage(r.made_on, "Restraint order made", r.court or "")
        for event in r.events:
            if event.kind.value in ("varied", "reported", "refused"):
                yield Stage(event.occurred_on, f"Restraint order: {event.kind.label.lower()}",
                            event.details or "")
        if r.discharged_on:
            yield Stage(r.discharged_on, "Restraint order discharged")


def timetable_stages(p: ConfiscationProceeding, today: dt.date, decided: bool) -> Iterator[Stage]:
    yield Stage(p.convicted_on, "Convicted", "Confiscation can follow (POCA s.6)")
    if p.asked_on:
        yield Stage(p.asked_on, "Prosecutor asked the court to proceed (s.6)")
    for due, served, title in ((p.s16_due_on, p.s16_served_on, "Prosecutor's statement (s.16)"),
                               (p.s17_due_on, p.s17_served_on, "Defendant's response (s.17)")):
        if due:
            state = _due(due, served, today)
            yield Stage(served or due, f"{title} {'served' if served else 'due'}", state=state)
    if p.hearing_on:
        yield Stage(p.hearing_on, "Confiscation hearing",
                    state="done" if p.hearing_on <= today else "upcoming")
    if not decided:
        yield Stage(p.postponement_limit, "Postponement limit (s.14)",
                    "2 years from conviction unless exceptional circumstances",
                    state="overdue" if p.postponement_limit < today else "upcoming")
    deadline = p.reconsideration_deadline
    yield Stage(deadline, "Last day to apply to reconsider benefit (s.21)", "6 years from conviction",
                state="done" if deadline < today else "upcoming")


def order_stages(order: ConfiscationOrder, steps: Iterable[EnforcementStep], today: dt.date,
                 outstanding: bool) -> Iterator[Stage]:
    yield Stage(order.made_on, f"Confiscation order of {format_gbp(order.amount)} made",
                f"Default term {rules.describe_months(order.default_term_months)}")
    due = order.effective_due_on
    yield Stage(due, "Payment due (s.11)" + (" after extension" if order.extended_due_on else ""),
                state="done" if not outstanding else ("overdue" if due < today else "upcoming"))
    for step in steps:
        yield Stage(step.taken_on, step.kind.label, step.result or "")
    if order.satisfied_on:
        yield Stage(order.satisfied_on, "Order satisfied")
    if order.written_off_on:
        yield Stage(order.written_off_on, "Order written off", order.written_off_reason or "")


def stage_map(*, restraints: list[RestraintOrder], proceeding: ConfiscationProceeding | None,
              orders: list[tuple[ConfiscationOrder, list[EnforcementStep], bool]],
              today: dt.date) -> list[Stage]:
    """Newest last: the map reads from restraint to the end of enforcement."""
    stages = list(restraint_stages(restraints))
    if proceeding is not None:
        stages += timetable_stages(proceeding, today, decided=bool(orders))
    for order, steps, outstanding in orders:
        stages += order_stages(order, steps, today, outstanding)
    return sorted(stages, key=lambda s: s.on)
