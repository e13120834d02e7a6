"""Cases, defendants, charges, hearings and outcomes for the bulk profiles.

Cases belong to organised crime groups (see ``plan``): each group has a home unit and a main
crime type, and its cases ("phases" of one operation) are spread over the ten years. The case
timetable, outcome mix (about 83% convictions) and sentencing follow the ``small`` profile's
builders (casework.demo.cases), and each case's stage is derived with the cases domain's own
``derive_stage``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from casework.cases.rules import (
    CONVICTION_OUTCOMES,
    CaseStage,
    DefendantState,
    HearingKind,
    Outcome,
    derive_stage,
)
from casework.demo import catalogue
from casework.demo.bulk import plan as sizes
from casework.demo.bulk.people import Person, Staff, alias_for, make_person, unit_weights
from casework.demo.bulk.plan import Plan
from casework.demo.bulk.writer import Writer
from casework.demo.cases import OUTCOME_MIX
from casework.demo.catalogue import Offence

YEARS = 10
CONVICTIONS = {o.value for o in CONVICTION_OUTCOMES}
SENT_BEFORE_TRIAL = {Outcome.GUILTY_PLEA, Outcome.DISCONTINUED, Outcome.ADMINISTRATIVELY_FINALISED}


@dataclass(slots=True)
class Accused:
    """What the orders and confiscation generators need to know about one defendant row."""

    id: int
    case_id: int
    unit: str
    crime: str
    offence: Offence
    lawyer_id: int | None
    crown: str
    charged_on: dt.date | None
    outcome: str | None = None
    finalised_on: dt.date | None = None
    sentenced_on: dt.date | None = None
    custody_months: int | None = None
    release_on: dt.date | None = None

    @property
    def convicted(self) -> bool:
        return self.outcome in CONVICTIONS


@dataclass
class Group:
    name: str
    unit: str
    crime: str
    members: list[int] = field(default_factory=list)  # indexes into the people pool
    phases: int = 0


@dataclass
class CaseBook:
    accused: list[Accused] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    cases: int = 0


def _weekday_after(rng: random.Random, start: dt.date, low: int, high: int) -> dt.date:
    day = start + dt.timedelta(days=rng.randint(low, high))
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _weighted(rng: random.Random, pairs: tuple[tuple[object, int], ...] | list[tuple[str, int]]) -> object:
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs], k=1)[0]


def _groups(rng: random.Random, plan: Plan, staff: Staff) -> list[Group]:
    words = catalogue.OPERATIONS
    weights = unit_weights(staff)
    groups = []
    for k in range(plan.ocgs):
        name = f"{words[k % len(words)]} {words[(k // len(words) + 7 * k) % len(words)]}"
        if k >= len(words) ** 2:
            name += f" {k // len(words) ** 2 + 1}"
        unit = str(_weighted(rng, weights))
        crime = str(_weighted(rng, _crime_mix(unit)))
        groups.append(Group(name, unit, crime))
    return groups


def _crime_mix(unit: str) -> tuple[tuple[str, int], ...]:
    if unit == "pocd" or unit.endswith("_pocu"):
        return sizes.PROCEEDS_MIX
    return catalogue.crime_mix_for(_mix_key(unit))


def _mix_key(unit: str) -> str:
    """Which crime mix, agencies and courts a unit follows (synthetic units: their Area's)."""
    for suffix in ("_ccu", "_pocu"):
        if unit.endswith(suffix):
            return unit.removesuffix(suffix)
    return "ocd" if unit.startswith("ocd_") else unit


def build_cases(writer: Writer, staff: Staff, plan: Plan, seed: str, today: dt.date) -> CaseBook:
    rng = random.Random(f"{seed}:cases")
    groups = _groups(rng, plan, staff)
    start = today - dt.timedelta(days=365 * YEARS)
    span = (today - dt.timedelta(days=45) - start).days
    # Every group has at least one case; the rest go to groups at random. Ids follow the date
    # received, as they would in a live system.
    drafts = sorted((start + dt.timedelta(days=rng.randint(0, span)),
                      n if n < len(groups) else rng.randrange(len(groups)))
                     for n in range(plan.cases))
    writer.columns("cases", ("id", "urn", "name", "unit_id", "crime_type_id", "agency", "received_on",
                             "lead_lawyer_id", "stage", "created_at", "version"))
    writer.columns("defendants", ("id", "case_id", "surname", "forenames", "date_of_birth", "pnc_id",
                                  "outcome", "finalised_on", "principal_offence", "sentenced_on",
                                  "custody_months", "release_on", "release_is_actual", "version"))
    writer.columns("defendant_aliases", ("id", "defendant_id", "name"))
    writer.columns("charges", ("id", "defendant_id", "offence", "statute", "section", "charged_on",
                               "category", "version"))
    writer.columns("hearings", ("id", "case_id", "defendant_id", "court", "hearing_on", "kind", "notes",
                                "version"))
    book = CaseBook()
    per_defendant = plan.defendants / plan.cases
    scale_defendants = per_defendant / _mean(sizes.DEFENDANTS_PER_CASE)
    people_share = min(1.0, plan.people / plan.defendants)
    for received_on, g in drafts:
        _case(writer, rng, staff, book, groups[g], received_on, today, scale_defendants, people_share)
        writer.progress.advance()
    writer.flush()
    return book


def _mean(pairs: tuple[tuple[int, int], ...]) -> float:
    return sum(v * w for v, w in pairs) / sum(w for _, w in pairs)


def _case(writer: Writer, rng: random.Random, staff: Staff, book: CaseBook, group: Group,
          received_on: dt.date, today: dt.date, scale_defendants: float, people_share: float) -> None:
    case_id = writer.next_id("cases")
    book.cases += 1
    group.phases += 1
    unit = group.unit if rng.random() < 0.9 else str(_weighted(rng, unit_weights(staff)))
    key = _mix_key(unit)
    crime = group.crime if rng.random() < 0.8 else str(_weighted(rng, _crime_mix(unit)))
    lawyer = staff.pick(rng, "lawyer", unit)
    force = catalogue.FORCE_CODES.get(key, f"{staff.unit_ids[unit] * 7 % 60 + 1:02d}")
    name = group.name if group.phases == 1 else f"{group.name} (phase {group.phases})"
    crown, magistrates = rng.choice(catalogue.courts_for(key))
    charged_on = _weekday_after(rng, received_on, 20, 150)
    first = _weekday_after(rng, charged_on, 1, 2)
    ptph = _weekday_after(rng, charged_on, 28, 35)
    trial = _weekday_after(rng, charged_on, 240, 560)
    charged = charged_on <= today
    size = int(str(_weighted(rng, sizes.DEFENDANTS_PER_CASE))) * scale_defendants
    wanted = max(1, int(size) + (rng.random() < size - int(size)))
    accused_here = []
    in_case: set[int] = set()
    for _ in range(wanted):
        person = book.people[_person(rng, book, group, in_case, today, people_share)]
        accused = Accused(writer.next_id("defendants"), case_id, unit, crime,
                          rng.choice(catalogue.OFFENCES[crime]), lawyer, crown,
                          charged_on if charged else None)
        if charged:
            _finalise(rng, accused, ptph, trial, today)
        accused_here.append((accused, person))
    _sentence_together(rng, [a for a, _ in accused_here if a.convicted], today)
    hearings = []
    if charged:
        for court, day, kind, notes in (
                (magistrates, first, HearingKind.FIRST_APPEARANCE, "Sent to the Crown Court"),
                (crown, ptph, HearingKind.PTPH, "Trial date fixed"),
                (crown, trial, HearingKind.TRIAL, None)):
            if day <= today + dt.timedelta(days=180):
                hearings.append((court, day, kind, notes if day <= today else None))
    for day in sorted({a.sentenced_on for a, _ in accused_here if a.sentenced_on is not None}):
        hearings.append((crown, day, HearingKind.SENTENCE, "Sentence passed"))
    states = [DefendantState(charged, Outcome(a.outcome) if a.outcome else None, a.sentenced_on is not None)
              for a, _ in accused_here]
    trial_listed = any(kind == HearingKind.TRIAL for _, _, kind, _ in hearings)
    stage = derive_stage(states, trial_listed=trial_listed) if charged else CaseStage.PRE_CHARGE
    created = dt.datetime.combine(received_on, dt.time(9, rng.randint(0, 59), rng.randint(0, 59)))
    writer.add("cases", (case_id, f"{force}{key[:2].upper()}{case_id:05d}{received_on.year % 100:02d}",
                         name, staff.unit_ids[unit], staff.crime_type_ids[crime],
                         str(_weighted(rng, catalogue.agencies_for(key))), received_on, lawyer,
                         stage.value, created, 1))
    for court, day, kind, notes in hearings:
        writer.add("hearings", (writer.next_id("hearings"), case_id, None, court, day, kind.value, notes, 1))
    for accused, person in accused_here:
        writer.add("defendants", (
            accused.id, case_id, person.surname, person.forenames, person.born, person.pnc_id,
            accused.outcome, accused.finalised_on, _principal(accused), accused.sentenced_on,
            accused.custody_months, accused.release_on,
            accused.release_on is not None and accused.release_on <= today, 1))
        _charges(writer, rng, accused, person)
        book.accused.append(accused)


def _person(rng: random.Random, book: CaseBook, group: Group, in_case: set[int], today: dt.date,
            people_share: float) -> int:
    """A new person while there are fewer people than planned for the defendants so far;
    otherwise someone prosecuted before: mostly a member of this group, now and then of another."""
    index = -1
    if len(book.people) >= people_share * (len(book.accused) + len(in_case) + 1):
        if group.members and rng.random() < 0.85:
            index = rng.choice(group.members)
        elif book.people:
            index = rng.randrange(len(book.people))
    if index < 0 or index in in_case:
        book.people.append(make_person(rng, today))
        index = len(book.people) - 1
    if index not in group.members:
        group.members.append(index)
    in_case.add(index)
    return index


def _charges(writer: Writer, rng: random.Random, accused: Accused, person: Person) -> None:
    """Aliases and the counts on the indictment (the first is the principal offence)."""
    if rng.random() < 0.15:
        writer.add("defendant_aliases", (writer.next_id("defendant_aliases"), accused.id,
                                         alias_for(rng, person)))
    if accused.charged_on is None:
        return
    offences = catalogue.OFFENCES[accused.crime]
    counts = int(str(_weighted(rng, sizes.CHARGES_PER_DEFENDANT)))
    for n in range(counts):
        offence = accused.offence if n == 0 else rng.choice(offences)
        writer.add("charges", (writer.next_id("charges"), accused.id, offence.offence, offence.statute,
                               offence.section, accused.charged_on, offence.category, 1))


def _finalise(rng: random.Random, accused: Accused, ptph: dt.date, trial: dt.date, today: dt.date) -> None:
    """As casework.demo.cases._finalise: pleas before trial, verdicts after it."""
    outcome = Outcome(str(_weighted(rng, OUTCOME_MIX)))
    if outcome in SENT_BEFORE_TRIAL:
        finalised_on = _weekday_after(rng, ptph, 0, max(1, (trial - ptph).days - 7))
    else:
        finalised_on = _weekday_after(rng, trial, 5, 45)
    if finalised_on <= today - dt.timedelta(days=3):
        accused.outcome, accused.finalised_on = outcome.value, finalised_on


def _sentence_together(rng: random.Random, convicted: list[Accused], today: dt.date) -> None:
    """Co-defendants are sentenced together once the last of them is convicted; custody with
    automatic release at the halfway point, or two-thirds for seven years or more."""
    if not convicted:
        return
    last = max(a.finalised_on for a in convicted if a.finalised_on is not None)
    sentenced_on = _weekday_after(rng, last, 0 if rng.random() < 0.3 else 21, 70)
    if sentenced_on > today:
        return
    for accused in convicted:
        low, high = accused.offence.custody_months
        months = max(6, round(rng.randint(low, high) / 6) * 6)
        served = months * 2 // 3 if months >= 84 else months // 2
        release_on = _add_months(sentenced_on, served) - dt.timedelta(days=rng.randint(0, 120))
        accused.sentenced_on, accused.custody_months = sentenced_on, months
        accused.release_on = max(release_on, sentenced_on)


def _principal(accused: Accused) -> str | None:
    if accused.outcome is None or accused.outcome == Outcome.ADMINISTRATIVELY_FINALISED:
        return None
    return accused.offence.category


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    return day.replace(year=day.year + year, month=month + 1, day=min(day.day, 28))
