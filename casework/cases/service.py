"""Changes to cases and defendants. Every service validates (raising ValidationError before
anything is saved), flushes, writes the audit row with old -> new values and the case id (so the
case history shows it), keeps ``Case.stage`` current and emits the signals other domains need.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from casework.audit import service as audit
from casework.auth.models import Role, User
from casework.cases import rules
from casework.cases.hearings import record_hearing, update_hearing
from casework.cases.models import Case, Charge, Defendant, DefendantAlias
from casework.cases.rules import CaseStage, OffenceCategory, Outcome
from casework.cases.service_common import (
    audit_alter,
    check_not_future,
    clean_text,
    ensure_version,
    iso,
    parse_enum,
    refresh_stage,
    values_of,
)
from casework.core import clock, signals
from casework.core.templating import display_value
from casework.core.validation import Problems, ValidationError
from casework.extensions import db
from casework.units.models import CrimeType, Unit

EARLIEST_BIRTH = dt.date(1900, 1, 1)


# --- cases ---------------------------------------------------------------------------------

def urn_taken(urn: str, *, except_id: int | None = None) -> bool:
    stmt = sa.select(Case.id).where(Case.urn == rules.normalise_urn(urn))
    if except_id is not None:
        stmt = stmt.where(Case.id != except_id)
    return db.session.execute(stmt.limit(1)).first() is not None


def open_case(*, urn: str, name: str, unit: Unit | None, crime_type: CrimeType | None,
              agency: str | None = None, received_on: dt.date | None = None, lead_lawyer: User | None = None,
              actor: User | None) -> Case:
    """Open a case. The URN is unique across Casework; a lawyer opens cases only in their units."""
    problems = Problems()
    urn_error = rules.urn_problem(urn)
    if urn_error:
        problems.add("urn", urn_error)
    elif urn_taken(urn):
        problems.add("urn", "A case with this URN already exists")
    name = clean_text(problems, "name", name, label="the operation name", max_len=120)
    _check_case_refs(problems, unit=unit, agency=agency, received_on=received_on,
                     lead_lawyer=lead_lawyer, actor=actor)
    if crime_type is None:
        problems.add("crime_type", "Select the type of organised crime")
    problems.raise_if_any()
    assert unit is not None and crime_type is not None
    case = Case(urn=rules.normalise_urn(urn), name=name, unit=unit, crime_type=crime_type,
                agency=agency or None, received_on=received_on, lead_lawyer=lead_lawyer,
                stage=CaseStage.PRE_CHARGE, created_at=clock.now())
    db.session.add(case)
    db.session.flush()
    audit.record("collect", object_type="case", object_id=case.id, case_id=case.id, actor=actor,
                 summary=f"Case {case.urn} ({case.name}) opened in {unit.name}",
                 changes={k: audit._jsonable(v) for k, v in _case_values(case).items()})
    return case


def update_case(case: Case, *, name: str, crime_type: CrimeType | None, agency: str | None,
                received_on: dt.date | None, lead_lawyer: User | None, actor: User | None,
                version: int | None = None) -> Case:
    """Correct a case's details (the URN and unit stay fixed once opened)."""
    ensure_version(case, version)
    problems = Problems()
    name = clean_text(problems, "name", name, label="the operation name", max_len=120)
    if crime_type is None:
        problems.add("crime_type", "Select the type of organised crime")
    _check_case_refs(problems, unit=case.unit, agency=agency, received_on=received_on,
                     lead_lawyer=lead_lawyer, actor=None)
    problems.raise_if_any()
    assert crime_type is not None
    old = _case_values(case)
    case.name, case.crime_type, case.agency = name, crime_type, agency or None
    case.received_on, case.lead_lawyer = received_on, lead_lawyer
    db.session.flush()
    audit_alter(case, "case", case.id, CASE_LABELS, old, _case_values(case), actor,
                 f"Case {case.urn} details changed")
    return case


CASE_LABELS = {"name": "Operation name", "crime_type": "Crime type", "agency": "Investigating agency",
               "received_on": "Date received", "lead_lawyer": "Lead lawyer"}


def _case_values(case: Case) -> dict[str, Any]:
    return {"urn": case.urn, "name": case.name, "unit": case.unit.name if case.unit else None,
            "crime_type": case.crime_type.name if case.crime_type else None,
            "agency": rules.agency_label(case.agency) or None, "received_on": case.received_on,
            "lead_lawyer": case.lead_lawyer.name if case.lead_lawyer else None}


def _check_case_refs(problems: Problems, *, unit: Unit | None, agency: str | None,
                     received_on: dt.date | None, lead_lawyer: User | None,
                     actor: User | None) -> None:
    if unit is None:
        problems.add("unit", "Select the unit")
    elif actor is not None and not actor.sees_all_units and unit.id not in actor.unit_ids:
        problems.add("unit", "You can only open cases in your own units")
    if agency and agency not in {a.value for a in rules.Agency}:
        problems.add("agency", "Select the investigating agency")
    check_not_future(problems, "received_on", received_on, "The date received")
    if lead_lawyer is not None and (lead_lawyer.role != Role.LAWYER or unit is None
                                    or unit.id not in lead_lawyer.unit_ids):
        problems.add("lead_lawyer", "The lead lawyer must be a lawyer in the case's unit")


# --- defendants and charges ----------------------------------------------------------------

def add_defendant(case: Case, *, surname: str, forenames: str, date_of_birth: dt.date | None = None,
                  pnc_id: str | None = None, aliases: Iterable[str] = (),
                  actor: User | None) -> Defendant:
    """Add a person to the case (collection of personal data, DPA 2018 s.62)."""
    problems = Problems()
    surname = clean_text(problems, "surname", surname, label="the surname", max_len=100)
    forenames = clean_text(problems, "forenames", forenames, label="the forenames", max_len=150)
    _check_birth(problems, date_of_birth)
    pnc_error = rules.pnc_problem(pnc_id)
    if pnc_error:
        problems.add("pnc_id", pnc_error)
    names = [a.strip() for a in aliases if a and a.strip()]
    if any(len(a) > 200 for a in names):
        problems.add("aliases", "Each alias must be 200 characters or fewer")
    problems.raise_if_any()
    defendant = Defendant(case=case, surname=surname, forenames=forenames,
                          date_of_birth=date_of_birth, pnc_id=rules.normalise_pnc(pnc_id),
                          release_is_actual=False,
                          aliases=[DefendantAlias(name=a) for a in dict.fromkeys(names)])
    db.session.add(defendant)
    db.session.flush()
    audit.record("collect", object_type="defendant", object_id=defendant.id, case_id=case.id,
                 actor=actor, summary=f"Defendant {defendant.full_name} added to case {case.urn}",
                 changes={"surname": surname, "forenames": forenames,
                          "date_of_birth": iso(date_of_birth), "pnc_id": defendant.pnc_id,
                          "aliases": names or None})
    refresh_stage(case, actor=actor)
    return defendant


DEFENDANT_LABELS = {"surname": "Surname", "forenames": "Forenames", "date_of_birth": "Date of birth",
                    "pnc_id": "PNC ID", "aliases": "Other names"}


def update_defendant(defendant: Defendant, *, surname: str, forenames: str,
                     date_of_birth: dt.date | None = None, pnc_id: str | None = None,
                     aliases: Iterable[str] = (), actor: User | None,
                     version: int | None = None) -> Defendant:
    """Correct a defendant's identifying details (alteration of personal data, DPA 2018 s.62)."""
    ensure_version(defendant, version)
    problems = Problems()
    surname = clean_text(problems, "surname", surname, label="the surname", max_len=100)
    forenames = clean_text(problems, "forenames", forenames, label="the forenames", max_len=150)
    _check_birth(problems, date_of_birth)
    pnc_error = rules.pnc_problem(pnc_id)
    if pnc_error:
        problems.add("pnc_id", pnc_error)
    names = list(dict.fromkeys(a.strip() for a in aliases if a and a.strip()))
    if any(len(a) > 200 for a in names):
        problems.add("aliases", "Each alias must be 200 characters or fewer")
    problems.raise_if_any()
    old = _defendant_values(defendant)
    defendant.surname, defendant.forenames = surname, forenames
    defendant.date_of_birth, defendant.pnc_id = date_of_birth, rules.normalise_pnc(pnc_id)
    if [a.name for a in defendant.aliases] != names:
        defendant.aliases = [DefendantAlias(name=a) for a in names]
    db.session.flush()
    audit_alter(defendant, "defendant", defendant.case_id, DEFENDANT_LABELS, old,
                 _defendant_values(defendant), actor, f"Details of {defendant.full_name} changed")
    return defendant


def _defendant_values(d: Defendant) -> dict[str, Any]:
    return {"surname": d.surname, "forenames": d.forenames, "date_of_birth": d.date_of_birth,
            "pnc_id": d.pnc_id, "aliases": ", ".join(a.name for a in d.aliases) or None}


def _check_birth(problems: Problems, date_of_birth: dt.date | None) -> None:
    if date_of_birth is None:
        return
    if date_of_birth > clock.today():
        problems.add("date_of_birth", "Date of birth must be in the past")
    elif date_of_birth < EARLIEST_BIRTH:
        problems.add("date_of_birth", "Date of birth must be after 1 January 1900")


def add_charge(defendant: Defendant, *, offence: str, statute: str, section: str,
               charged_on: dt.date | None, category: OffenceCategory | str,
               actor: User | None) -> Charge:
    """Record a charge; the first one moves the case out of pre-charge."""
    problems = Problems()
    offence = clean_text(problems, "offence", offence, label="the offence", max_len=255)
    statute = clean_text(problems, "statute", statute, label="the statute", max_len=150)
    section = clean_text(problems, "section", section, label="the section", max_len=40)
    if charged_on is None:
        problems.add("charged_on", "Enter the date charged")
    check_not_future(problems, "charged_on", charged_on, "The date charged")
    cat: OffenceCategory = parse_enum(problems, "category", OffenceCategory, category,
                                 "Select the principal offence category")
    problems.raise_if_any()
    charge = Charge(defendant=defendant, offence=offence, statute=statute, section=section,
                    charged_on=charged_on, category=cat)
    db.session.add(charge)
    db.session.flush()
    audit.record("collect", object_type="charge", object_id=charge.id,
                 case_id=defendant.case_id, actor=actor,
                 summary=(f"{defendant.full_name} charged on {display_value(charged_on)} with "
                          f"{offence} ({statute} {section})"),
                 changes={"offence": offence, "statute": statute, "section": section,
                          "charged_on": iso(charged_on), "category": cat.value})
    refresh_stage(defendant.case, actor=actor)
    signals.defendant_charged.send(defendant, charge=charge, actor=actor)
    return charge


# --- outcomes and sentences ----------------------------------------------------------------

OUTCOME_LABELS = {"outcome": "Outcome", "finalised_on": "Date finalised",
                  "principal_offence": "Principal offence category"}

SENTENCE_LABELS = {"sentenced_on": "Date of sentence", "custody_months": "Custody (months)",
                   "release_on": "Release date", "release_is_actual": "Release date is actual"}


def first_charged_on(defendant: Defendant) -> dt.date | None:
    return db.session.execute(
        sa.select(sa.func.min(Charge.charged_on)).where(Charge.defendant_id == defendant.id)
    ).scalar_one_or_none()


def record_outcome(defendant: Defendant, *, outcome: Outcome | str, finalised_on: dt.date | None,
                   principal_offence: OffenceCategory | str | None = None, actor: User | None,
                   version: int | None = None) -> Defendant:
    """Record (or correct) how the defendant's case was finalised (CPS categories, DOMAIN.md 3.1).

    The finalisation date cannot be before the first charge or in the future. The principal
    offence defaults to the most serious charge; administrative finalisations have none, and a
    defendant finalised before any charge was recorded here (e.g. recorded through the API from
    another system) keeps no principal offence until one is given.
    """
    ensure_version(defendant, version)
    problems = Problems()
    result: Outcome = parse_enum(problems, "outcome", Outcome, outcome, "Select the outcome")
    earliest = first_charged_on(defendant)
    if finalised_on is None:
        problems.add("finalised_on", "Enter the date the case was finalised")
    else:
        date_error = rules.outcome_date_problem(finalised_on, first_charged_on=earliest,
                                                today=clock.today())
        if date_error:
            problems.add("finalised_on", date_error)
    if principal_offence:
        principal_offence = parse_enum(problems, "principal_offence", OffenceCategory,
                                  principal_offence, "Select the principal offence category")
    problems.raise_if_any()
    if result == Outcome.ADMINISTRATIVELY_FINALISED:
        principal_offence = None
    elif not principal_offence:
        principal_offence = rules.principal_offence(c.category for c in defendant.charges)
    old = values_of(defendant, OUTCOME_LABELS)
    defendant.outcome, defendant.finalised_on = result, finalised_on
    defendant.principal_offence = principal_offence  # type: ignore[assignment]
    db.session.flush()
    if old["outcome"] is None:
        summary = (f"Outcome for {defendant.full_name} recorded as {result.label} on "
                   f"{display_value(finalised_on)}")
    else:
        summary = f"Outcome for {defendant.full_name} changed"
    audit_alter(defendant, "defendant", defendant.case_id, OUTCOME_LABELS, old,
                 values_of(defendant, OUTCOME_LABELS), actor, summary, detail=old["outcome"] is not None)
    refresh_stage(defendant.case, actor=actor)
    return defendant


def record_sentence(defendant: Defendant, *, sentenced_on: dt.date | None, custody_months: int | None = None,
                    release_on: dt.date | None = None, release_is_actual: bool = False,
                    actor: User | None, version: int | None = None) -> Defendant:
    """Record (or correct) the sentence. A new or moved release date is announced through
    ``signals.release_date_changed`` so orders that run from release start (DOMAIN.md 1.8)."""
    ensure_version(defendant, version)
    problems = Problems()
    if sentenced_on is None:
        problems.add("sentenced_on", "Enter the date of sentence")
    else:
        for field, message in rules.sentence_problems(
                sentenced_on=sentenced_on, finalised_on=defendant.finalised_on,
                outcome=defendant.outcome, custody_months=custody_months, release_on=release_on,
                release_is_actual=release_is_actual, today=clock.today()).items():
            problems.add(field, message)
    problems.raise_if_any()
    old = values_of(defendant, SENTENCE_LABELS)
    defendant.sentenced_on, defendant.custody_months = sentenced_on, custody_months
    defendant.release_on = release_on
    defendant.release_is_actual = bool(release_is_actual and release_on)
    db.session.flush()
    new = values_of(defendant, SENTENCE_LABELS)
    first = old["sentenced_on"] is None
    audit_alter(defendant, "defendant", defendant.case_id, SENTENCE_LABELS, old, new, actor,
                 _sentence_summary(defendant) if first else f"Sentence for {defendant.full_name} changed",
                 detail=not first)
    refresh_stage(defendant.case, actor=actor)
    if old["release_on"] != defendant.release_on:
        signals.release_date_changed.send(defendant, old=old["release_on"],
                                          new=defendant.release_on, actor=actor)
    return defendant


def _sentence_summary(d: Defendant) -> str:
    custody = f"{d.custody_months} months' custody" if d.custody_months else "non-custodial"
    release = ""
    if d.release_on:
        release = (f", released {display_value(d.release_on)}" if d.release_is_actual
                   else f", expected release {display_value(d.release_on)}")
    return f"Sentence for {d.full_name} recorded as {custody} on {display_value(d.sentenced_on)}{release}"


__all__ = ["ValidationError", "add_charge", "add_defendant", "ensure_version", "open_case",
           "record_hearing", "record_outcome", "record_sentence", "refresh_stage", "update_case",
           "update_defendant", "update_hearing"]
