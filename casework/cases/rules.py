"""Pure rules for cases and defendants: CPS outcome categories, principal offence categories,
case stages and record formats. No database access here.

Outcomes are counted per defendant (CPS Annual Report 2004-05 Annex A; DOMAIN.md 3.1):
convictions = guilty pleas + convictions after trial + proved in absence; every other outcome,
including dropped cases, directed acquittals and administrative finalisations, is unsuccessful
and stays in the conviction-rate denominator (DOMAIN.md 3.2).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass


class Outcome(enum.StrEnum):
    """CPS finalisation outcome of one defendant in one set of proceedings."""

    GUILTY_PLEA = "guilty_plea"
    CONVICTED_AFTER_TRIAL = "convicted_after_trial"
    PROVED_IN_ABSENCE = "proved_in_absence"
    ACQUITTED_AFTER_TRIAL = "acquitted_after_trial"
    DIRECTED_ACQUITTAL = "directed_acquittal"
    DISCONTINUED = "discontinued"
    ADMINISTRATIVELY_FINALISED = "administratively_finalised"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]

    @property
    def hint(self) -> str:
        return OUTCOME_HINTS[self]

    @property
    def is_conviction(self) -> bool:
        return self in CONVICTION_OUTCOMES


OUTCOME_LABELS = {
    Outcome.GUILTY_PLEA: "Guilty plea",
    Outcome.CONVICTED_AFTER_TRIAL: "Convicted after trial",
    Outcome.PROVED_IN_ABSENCE: "Proved in absence",
    Outcome.ACQUITTED_AFTER_TRIAL: "Acquitted after trial",
    Outcome.DIRECTED_ACQUITTAL: "Judge directed or ordered acquittal",
    Outcome.DISCONTINUED: "Prosecution dropped",
    Outcome.ADMINISTRATIVELY_FINALISED: "Administratively finalised",
}

OUTCOME_HINTS = {
    Outcome.GUILTY_PLEA: "The defendant pleaded guilty to at least one charge.",
    Outcome.CONVICTED_AFTER_TRIAL: "A jury or bench found the defendant guilty after a trial.",
    Outcome.PROVED_IN_ABSENCE: "The case was proved without the defendant being present.",
    Outcome.ACQUITTED_AFTER_TRIAL: "The defendant was found not guilty after a trial.",
    Outcome.DIRECTED_ACQUITTAL: (
        "The judge stopped the case after the prosecution evidence (no case to answer, "
        "R v Galbraith [1981] 1 WLR 1039), or an acquittal was entered without a verdict."),
    Outcome.DISCONTINUED: (
        "The prosecution ended the case: discontinued, withdrawn, no evidence offered, "
        "indictment or prosecution stayed, or left to lie on file."),
    Outcome.ADMINISTRATIVELY_FINALISED: (
        "The case cannot go on: warrant not executed, defendant cannot be traced, has died or "
        "was found unfit to plead."),
}

#: Convictions in the CPS sense (DOMAIN.md 3.1).
CONVICTION_OUTCOMES = frozenset(
    {Outcome.GUILTY_PLEA, Outcome.CONVICTED_AFTER_TRIAL, Outcome.PROVED_IN_ABSENCE})


class OffenceCategory(enum.StrEnum):
    """CPS principal offence categories (cps.gov.uk case outcomes; DOMAIN.md 3.1)."""

    HOMICIDE = "homicide"
    AGAINST_THE_PERSON = "offences_against_the_person"
    SEXUAL = "sexual_offences"
    BURGLARY = "burglary"
    ROBBERY = "robbery"
    THEFT_AND_HANDLING = "theft_and_handling"
    FRAUD_AND_FORGERY = "fraud_and_forgery"
    CRIMINAL_DAMAGE = "criminal_damage"
    DRUGS = "drugs_offences"
    PUBLIC_ORDER = "public_order"
    ALL_OTHER = "all_other_offences"
    MOTORING = "motoring"

    @property
    def label(self) -> str:
        return OFFENCE_CATEGORY_LABELS[self]


OFFENCE_CATEGORY_LABELS = {
    OffenceCategory.HOMICIDE: "Homicide",
    OffenceCategory.AGAINST_THE_PERSON: "Offences against the person",
    OffenceCategory.SEXUAL: "Sexual offences",
    OffenceCategory.BURGLARY: "Burglary",
    OffenceCategory.ROBBERY: "Robbery",
    OffenceCategory.THEFT_AND_HANDLING: "Theft and handling",
    OffenceCategory.FRAUD_AND_FORGERY: "Fraud and forgery",
    OffenceCategory.CRIMINAL_DAMAGE: "Criminal damage",
    OffenceCategory.DRUGS: "Drugs offences",
    OffenceCategory.PUBLIC_ORDER: "Public order offences",
    OffenceCategory.ALL_OTHER: "All other offences (excluding motoring)",
    OffenceCategory.MOTORING: "Motoring offences",
}

#: Most serious first: the principal offence is the most serious charge at finalisation.
SERIOUSNESS = list(OffenceCategory)


def principal_offence(categories: Iterable[OffenceCategory]) -> OffenceCategory | None:
    """The most serious category among a defendant's charges (DOMAIN.md 3.1), or None."""
    found = set(categories)
    return next((c for c in SERIOUSNESS if c in found), None)


class HearingKind(enum.StrEnum):
    FIRST_APPEARANCE = "first_appearance"
    PTPH = "ptph"
    MENTION = "mention"
    TRIAL = "trial"
    SENTENCE = "sentence"
    CONFISCATION = "confiscation"
    APPEAL = "appeal"
    OTHER = "other"

    @property
    def label(self) -> str:
        return HEARING_KIND_LABELS[self]


HEARING_KIND_LABELS = {
    HearingKind.FIRST_APPEARANCE: "First appearance",
    HearingKind.PTPH: "Plea and trial preparation hearing",
    HearingKind.MENTION: "Mention",
    HearingKind.TRIAL: "Trial",
    HearingKind.SENTENCE: "Sentence",
    HearingKind.CONFISCATION: "Confiscation (POCA 2002)",
    HearingKind.APPEAL: "Appeal",
    HearingKind.OTHER: "Other hearing",
}


class Agency(enum.StrEnum):
    """The investigating agency that referred the case."""

    NCA = "nca"
    ROCU = "rocu"
    POLICE = "police"
    HMRC = "hmrc"
    SFO = "sfo"
    IMMIGRATION_ENFORCEMENT = "immigration_enforcement"
    OTHER = "other"

    @property
    def label(self) -> str:
        return AGENCY_LABELS[self]


AGENCY_LABELS = {
    Agency.NCA: "National Crime Agency",
    Agency.ROCU: "Regional Organised Crime Unit",
    Agency.POLICE: "Police force",
    Agency.HMRC: "HM Revenue and Customs",
    Agency.SFO: "Serious Fraud Office",
    Agency.IMMIGRATION_ENFORCEMENT: "Home Office Immigration Enforcement",
    Agency.OTHER: "Other agency",
}


def agency_label(code: str | None) -> str:
    if not code:
        return ""
    try:
        return Agency(code).label
    except ValueError:
        return code


class CaseStage(enum.StrEnum):
    """Where a case stands, kept on the case so lists can filter by it in SQL."""

    PRE_CHARGE = "pre_charge"
    CHARGED = "charged"
    TRIAL = "trial"
    AWAITING_SENTENCE = "awaiting_sentence"
    SENTENCED = "sentenced"
    FINALISED = "finalised"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS = {
    CaseStage.PRE_CHARGE: "Pre-charge",
    CaseStage.CHARGED: "Charged",
    CaseStage.TRIAL: "Trial",
    CaseStage.AWAITING_SENTENCE: "Awaiting sentence",
    CaseStage.SENTENCED: "Sentenced",
    CaseStage.FINALISED: "Finalised",
}


@dataclass(frozen=True)
class DefendantState:
    """What stage derivation needs to know about one defendant."""

    charged: bool
    outcome: Outcome | None
    sentenced: bool


def derive_stage(defendants: Iterable[DefendantState], *, trial_listed: bool) -> CaseStage:
    """The case's stage from its defendants' progress.

    Pre-charge until someone is charged; then charged (or trial once a trial hearing is
    recorded) until every defendant has an outcome; then awaiting sentence while a convicted
    defendant has no sentence; sentenced when every convicted defendant is sentenced; finalised
    when everyone has an outcome and nobody was convicted.
    """
    states = list(defendants)
    if not any(s.charged or s.outcome for s in states):
        return CaseStage.PRE_CHARGE
    if any(s.outcome is None for s in states):
        return CaseStage.TRIAL if trial_listed else CaseStage.CHARGED
    convicted = [s for s in states if s.outcome in CONVICTION_OUTCOMES]
    if not convicted:
        return CaseStage.FINALISED
    if any(not s.sentenced for s in convicted):
        return CaseStage.AWAITING_SENTENCE
    return CaseStage.SENTENCED


# --- formats -------------------------------------------------------------------------------

URN_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9/\-]{3,29}$")
PNC_PATTERN = re.compile(r"^(\d{2}|\d{4})/(\d{1,7})([A-Z])$")


def normalise_urn(value: str) -> str:
    """URNs are compared without spaces and in capitals (01YE1234524 = 01 ye 12345 24)."""
    return re.sub(r"\s+", "", value or "").upper()


def urn_problem(value: str) -> str | None:
    urn = normalise_urn(value)
    if not urn:
        return "Enter the unique reference number (URN)"
    if not URN_PATTERN.match(urn):
        return "URN must be 4 to 30 letters, numbers, slashes or hyphens, like 01YE1234524"
    return None


def normalise_pnc(value: str | None) -> str | None:
    """PNC ids are written year/serial plus check letter: 98/123456X (leading zeros dropped)."""
    text = re.sub(r"\s+", "", value or "").upper()
    if not text:
        return None
    match = PNC_PATTERN.match(text)
    if not match:
        return text
    year, serial, letter = match.groups()
    return f"{year}/{int(serial)}{letter}"


def pnc_problem(value: str | None) -> str | None:
    text = normalise_pnc(value)
    if text is None:
        return None
    if not PNC_PATTERN.match(text):
        return ("PNC ID must be a 2 or 4 digit year, a slash, up to 7 numbers and a letter, "
                "like 98/123456X")
    return None


def outcome_date_problem(finalised_on: dt.date, *, first_charged_on: dt.date | None,
                         today: dt.date) -> str | None:
    """A finalisation cannot predate the charge it finalises, nor be in the future."""
    if finalised_on > today:
        return "The date the case was finalised must be today or in the past"
    if first_charged_on is not None and finalised_on < first_charged_on:
        return "The date the case was finalised must be on or after the date charged"
    return None


def sentence_problems(*, sentenced_on: dt.date, finalised_on: dt.date | None,
                      outcome: Outcome | None, custody_months: int | None,
                      release_on: dt.date | None, release_is_actual: bool,
                      today: dt.date) -> dict[str, str]:
    """Checks on a sentence record: only after a conviction, dated sensibly."""
    problems: dict[str, str] = {}
    if outcome not in CONVICTION_OUTCOMES:
        problems["sentenced_on"] = "Record a conviction outcome before recording a sentence"
    elif sentenced_on > today:
        problems["sentenced_on"] = "The date of sentence must be today or in the past"
    elif finalised_on is not None and sentenced_on < finalised_on:
        problems["sentenced_on"] = "The date of sentence must be on or after the outcome date"
    if custody_months is not None and not 0 < custody_months <= 1200:
        problems["custody_months"] = "Custody length must be between 1 and 1200 months"
    if release_on is not None:
        if release_on < sentenced_on:
            problems["release_on"] = "The release date must be on or after the date of sentence"
        elif release_is_actual and release_on > today:
            problems["release_on"] = "An actual release date must be today or in the past"
    return problems
