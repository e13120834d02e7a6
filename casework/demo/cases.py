"""Demo cases, defendants, charges, hearings, outcomes and sentences, all through the cases
service so every rule and audit entry applies exactly as it does to real data.

Roughly 80% of finalised defendants are convicted (the CPS national rate is about 83-85%, DOMAIN.md
3.2); sentences put some release dates in the past and some in the future.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from casework.auth.models import Role, User
from casework.cases import service
from casework.cases.models import Case, Defendant
from casework.cases.rules import CONVICTION_OUTCOMES, HearingKind, OffenceCategory, Outcome
from casework.demo import catalogue
from casework.demo.catalogue import Offence
from casework.demo.context import DemoContext
from casework.demo.profiles import Profile

DEFENDANTS_PER_CASE = ((1, 18), (2, 26), (3, 20), (4, 16), (5, 10), (6, 10))

#: Outcome mix for finalised defendants: about 83% convictions.
OUTCOME_MIX = (
    (Outcome.GUILTY_PLEA, 62), (Outcome.CONVICTED_AFTER_TRIAL, 19), (Outcome.PROVED_IN_ABSENCE, 2),
    (Outcome.ACQUITTED_AFTER_TRIAL, 7), (Outcome.DIRECTED_ACQUITTAL, 3), (Outcome.DISCONTINUED, 5),
    (Outcome.ADMINISTRATIVELY_FINALISED, 2),
)


@dataclass
class DemoDefendant:
    """What the orders and confiscation builders need to know about a demo defendant."""

    defendant: Defendant
    case: Case
    crime_type: str
    offence: Offence
    actor: User
    crown_court: str


@dataclass
class _Timetable:
    charged_on: dt.date
    first_appearance: dt.date
    ptph: dt.date
    trial: dt.date


def build_cases(ctx: DemoContext, profile: Profile) -> list[DemoDefendant]:
    names = list(catalogue.OPERATIONS)
    ctx.synth.rng.shuffle(names)
    built: list[DemoDefendant] = []
    for n in range(profile.cases):
        unit_code = ctx.synth.weighted(profile.unit_weights)
        built.extend(_build_case(ctx, n, unit_code, names[n % len(names)]))
    return built


def _build_case(ctx: DemoContext, n: int, unit_code: str, operation: str) -> list[DemoDefendant]:
    synth = ctx.synth
    crime_type = synth.weighted(catalogue.crime_mix_for(unit_code))
    received_on = ctx.today - dt.timedelta(days=synth.between(45, 6 * 365))
    actor = ctx.lawyer_for(unit_code)
    force = catalogue.FORCE_CODES.get(unit_code, "01")
    case = service.open_case(
        urn=f"{force}{unit_code[:2].upper()}{1000 + n * 37:05d}{received_on.year % 100:02d}",
        name=operation + (f" {n // len(catalogue.OPERATIONS) + 1}" if n >= len(catalogue.OPERATIONS)
                          else ""),
        unit=ctx.units[unit_code], crime_type=ctx.crime_types[crime_type],
        agency=synth.weighted(catalogue.agencies_for(unit_code)),
        received_on=received_on, lead_lawyer=ctx.user_in(Role.LAWYER, unit_code), actor=actor,
    )
    crown, magistrates = synth.pick(catalogue.courts_for(unit_code))
    charged_on = synth.weekday_after(received_on, 20, 150)
    times = _Timetable(charged_on, synth.weekday_after(charged_on, 1, 2),
                       synth.weekday_after(charged_on, 28, 35), synth.weekday_after(charged_on, 240, 560))
    if times.charged_on > ctx.today:
        return []  # still with the investigators: received, not yet charged
    defendants = [_build_defendant(ctx, case, crime_type, times, actor, crown)
                  for _ in range(synth.weighted(DEFENDANTS_PER_CASE))]
    _build_hearings(ctx, case, times, crown, magistrates, actor)
    for demo in defendants:
        _finalise(ctx, demo, times)
    return defendants


def _build_defendant(ctx: DemoContext, case: Case, crime_type: str, times: _Timetable, actor: User,
                     crown: str) -> DemoDefendant:
    synth = ctx.synth
    surname, forenames = synth.person()
    born = times.charged_on - dt.timedelta(days=synth.between(19 * 365, 64 * 365))
    aliases = (f"{synth.fake.first_name_male()} {surname}",) if synth.chance(0.15) else ()
    defendant = service.add_defendant(
        case, surname=surname, forenames=forenames, date_of_birth=born,
        pnc_id=synth.pnc_id(born.year + 18 + synth.between(0, 10)) if synth.chance(0.85) else None,
        aliases=aliases, actor=actor,
    )
    offences = list(catalogue.OFFENCES[crime_type])
    synth.rng.shuffle(offences)
    charges = offences[: synth.weighted(((1, 5), (2, 3), (3, 1)))]
    for offence in charges:
        service.add_charge(defendant, offence=offence.offence, statute=offence.statute,
                           section=offence.section, charged_on=times.charged_on,
                           category=OffenceCategory(offence.category), actor=actor)
    return DemoDefendant(defendant, case, crime_type, charges[0], actor, crown)


def _build_hearings(ctx: DemoContext, case: Case, times: _Timetable, crown: str, magistrates: str,
                    actor: User) -> None:
    listed = (
        (magistrates, times.first_appearance, HearingKind.FIRST_APPEARANCE, "Sent to the Crown Court"),
        (crown, times.ptph, HearingKind.PTPH, "Trial date fixed"),
        (crown, times.trial, HearingKind.TRIAL, None),
    )
    for court, day, kind, notes in listed:
        if day <= ctx.today + dt.timedelta(days=180):
            service.record_hearing(case, court=court, hearing_on=day, kind=kind,
                                   notes=notes if day <= ctx.today else None, actor=actor)


def _finalise(ctx: DemoContext, demo: DemoDefendant, times: _Timetable) -> None:
    """Outcome once the trial date has passed (or a plea or discontinuance before it), then sentence."""
    synth = ctx.synth
    outcome = synth.weighted(OUTCOME_MIX)
    if outcome in (Outcome.GUILTY_PLEA, Outcome.DISCONTINUED, Outcome.ADMINISTRATIVELY_FINALISED):
        finalised_on = synth.weekday_after(times.ptph, 0, max(1, (times.trial - times.ptph).days - 7))
    else:
        finalised_on = synth.weekday_after(times.trial, 5, 45)
    if finalised_on > ctx.today - dt.timedelta(days=3):
        return  # not finalised yet
    principal = (OffenceCategory(demo.offence.category)
                 if outcome != Outcome.ADMINISTRATIVELY_FINALISED else None)
    service.record_outcome(demo.defendant, outcome=outcome, finalised_on=finalised_on,
                           principal_offence=principal, actor=demo.actor)
    if outcome in CONVICTION_OUTCOMES:
        _sentence(ctx, demo, finalised_on)


def _sentence(ctx: DemoContext, demo: DemoDefendant, convicted_on: dt.date) -> None:
    """Custody with automatic release at the halfway point, or two-thirds for sentences of seven
    years or more (Sentencing Act 2020 / CJA 2003 s.244ZA, simplified for demo data)."""
    synth = ctx.synth
    sentenced_on = synth.weekday_after(convicted_on, 0 if synth.chance(0.3) else 21, 70)
    if sentenced_on > ctx.today:
        return
    low, high = demo.offence.custody_months
    months = max(6, round(synth.between(low, high) / 6) * 6)
    served = months * 2 // 3 if months >= 84 else months // 2
    release_on = _add_months(sentenced_on, served) - dt.timedelta(days=synth.between(0, 120))
    service.record_sentence(demo.defendant, sentenced_on=sentenced_on, custody_months=months,
                            release_on=release_on, release_is_actual=release_on <= ctx.today,
                            actor=demo.actor)


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    return day.replace(year=day.year + year, month=month + 1, day=min(day.day, 28))
