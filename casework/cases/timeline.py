"""The case timeline: every dated event of a case in one list, newest first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from casework.cases.models import Case, Defendant, Hearing
from casework.core.templating import format_uk_date


@dataclass(frozen=True)
class Entry:
    on: dt.date
    title: str
    detail: str = ""
    kind: str = "event"  # received | charge | hearing | outcome | sentence | release | ...
    href: str | None = None


def case_entries(case: Case, today: dt.date) -> Iterable[Entry]:
    if case.received_on:
        agency = f" from the {case.agency_label}" if case.agency else ""
        yield Entry(case.received_on, f"Case received{agency}", kind="received")
    for hearing in case.hearings:
        yield from hearing_entries(hearing, today)
    for d in case.defendants:
        yield from defendant_entries(d, today)


def hearing_entries(hearing: Hearing, today: dt.date) -> Iterable[Entry]:
    who = f" ({hearing.defendant.full_name})" if hearing.defendant else ""
    listed = "Listed: " if hearing.hearing_on > today else ""
    yield Entry(hearing.hearing_on, f"{listed}{hearing.kind.label} hearing{who}",
                detail=" · ".join(filter(None, [hearing.court, hearing.notes])), kind="hearing")


def defendant_entries(d: Defendant, today: dt.date) -> Iterable[Entry]:
    for charge in d.charges:
        yield Entry(charge.charged_on, f"{d.full_name} charged",
                    detail=f"{charge.offence} ({charge.statute} {charge.section})", kind="charge")
    if d.outcome and d.finalised_on:
        yield Entry(d.finalised_on, f"{d.full_name}: {d.outcome.label}",
                    detail=d.principal_offence.label if d.principal_offence else "", kind="outcome")
    if d.sentenced_on:
        custody = f"{d.custody_months} months' custody" if d.custody_months else "Non-custodial"
        yield Entry(d.sentenced_on, f"{d.full_name} sentenced", detail=custody, kind="sentence")
    if d.release_on:
        title = f"{d.full_name} released" if d.release_is_actual else f"{d.full_name}: expected release"
        yield Entry(d.release_on, title, detail=format_uk_date(d.release_on), kind="release")


def build(case: Case, today: dt.date, extra: Iterable[Callable[[Case], Iterable[Entry]]] = ()
          ) -> list[Entry]:
    entries = list(case_entries(case, today))
    for source in extra:
        entries.extend(source(case))
    return sorted(entries, key=lambda e: e.on, reverse=True)
