"""Statutory rules for ancillary orders, as data, plus pure date maths (no database).

Every number here comes from DOMAIN.md section 1 with its statute. Nothing else in the
orders package (views, templates, queries) writes a legal number: it asks this module.

Date convention: ``ends_on`` is the day the order stops having effect. An order in force
from 1 March 2026 for 5 years has ``ends_on`` 1 March 2031 (its fifth anniversary): it is in
force on every day before that. So "at most 5 years" means ``ends_on <= start + 5 years`` and
"at least 2 years" means ``ends_on >= start + 2 years``. Anniversaries of 29 February fall on
28 February in common years.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from dataclasses import dataclass


class OrderType(enum.StrEnum):
    SCPO = "scpo"
    TRO = "tro"
    FRO = "fro"
    SHPO = "shpo"
    STPO = "stpo"
    CDDA = "cdda"

    @property
    def label(self) -> str:
        return RULES[self].name


class OrderStatus(enum.StrEnum):
    PENDING_RELEASE = "pending_release"
    ACTIVE = "active"
    EXPIRED = "expired"
    DISCHARGED = "discharged"

    @property
    def label(self) -> str:
        return {"pending_release": "Pending release", "active": "Active", "expired": "Expired",
                "discharged": "Discharged"}[self.value]


class CourtLevel(enum.StrEnum):
    MAGISTRATES = "magistrates"
    CROWN_COURT = "crown_court"
    HIGH_COURT = "high_court"

    @property
    def label(self) -> str:
        return {"magistrates": "Magistrates' court", "crown_court": "Crown Court",
                "high_court": "High Court"}[self.value]


class StartTrigger(enum.StrEnum):
    """When an order comes into force (DOMAIN.md 1.8)."""

    ON_MAKING = "on_making"
    ON_RELEASE = "on_release"
    ON_DATE_SPECIFIED = "on_date_specified"

    @property
    def label(self) -> str:
        return {"on_making": "The day it is made", "on_release": "On release from custody",
                "on_date_specified": "A date the court set"}[self.value]


class ConditionKind(enum.StrEnum):
    PROHIBITION = "prohibition"
    REQUIREMENT = "requirement"
    FINANCIAL_REPORTING = "financial_reporting"
    FOREIGN_TRAVEL = "foreign_travel"
    NOTIFICATION = "notification"

    @property
    def label(self) -> str:
        return {"prohibition": "Prohibition", "requirement": "Requirement",
                "financial_reporting": "Financial reporting", "foreign_travel": "Foreign travel ban",
                "notification": "Notification"}[self.value]


@dataclass(frozen=True)
class Limit:
    years: int
    section: str  # "Serious Crime Act 2007, s.16(2)"


@dataclass(frozen=True)
class OrderRule:
    """One order type's statutory rules (DOMAIN.md 1.1-1.7)."""

    code: OrderType
    name: str
    short: str
    statute: str
    who_makes: str
    courts: frozenset[CourtLevel]
    triggers: tuple[StartTrigger, ...]
    duration_text: str
    min_years: Limit | None
    max_years: dict[CourtLevel, Limit]  # by the making court; missing = no maximum
    max_years_life: Limit | None  # FRO: longer cap where the person was sentenced to life
    indefinite: Limit | None  # "until further order" allowed, under this section
    travel_max: Limit | None  # cap on foreign-travel prohibitions
    condition_min: Limit | None  # each prohibition/requirement's own minimum period
    discharge_bar: Limit | None  # no discharge within N years without consents
    breach_offence: str
    breach_penalty: str
    replacement: str
    made_until: tuple[dt.date, str] | None = None  # no new orders from this date (repeal)
    extension: str | None = None

    def max_for(self, court: CourtLevel | None, life_sentence: bool = False) -> Limit | None:
        if life_sentence and self.max_years_life is not None:
            return self.max_years_life
        if court is None:
            caps = list(self.max_years.values())
            return max(caps, key=lambda c: c.years) if caps else None
        return self.max_years.get(court)


SCA = "Serious Crime Act 2007"
CJPA = "Criminal Justice and Police Act 2001"
SOCPA = "Serious Organised Crime and Police Act 2005"
SA20 = "Sentencing Act 2020"
MSA = "Modern Slavery Act 2015"
CDDA_ACT = "Company Directors Disqualification Act 1986"
_ALL = frozenset(CourtLevel)

RULES: dict[OrderType, OrderRule] = {
    OrderType.SCPO: OrderRule(
        OrderType.SCPO, "Serious Crime Prevention Order", "SCPO",
        f"{SCA}, s.1 (High Court) and s.19 (Crown Court)",
        "The High Court on a standalone application (s.1), or the Crown Court after conviction "
        "of a serious offence or committal for sentence (s.19). Not magistrates' courts.",
        frozenset({CourtLevel.HIGH_COURT, CourtLevel.CROWN_COURT}),
        (StartTrigger.ON_MAKING, StartTrigger.ON_RELEASE, StartTrigger.ON_DATE_SPECIFIED),
        "At most 5 years from coming into force; the order sets its start date and provisions may "
        "start on different dates (s.16(2)-(4)).",
        None,
        {CourtLevel.HIGH_COURT: Limit(5, f"{SCA}, s.16(2)"),
         CourtLevel.CROWN_COURT: Limit(5, f"{SCA}, s.16(2)")},
        None, None, None, None, None,
        f"Offence under {SCA}, s.25", "5 years' imprisonment or a fine, or both (on indictment)",
        "A new order to the same or similar effect may be made before the old one ends "
        "(s.16(5)-(6)); a Crown Court making a new s.19 order must discharge the existing one "
        "(s.19(2A)).",
        extension="If the subject is charged with a serious offence or with breach, the Crown Court "
                  "may keep the order in force until the charge is dealt with (s.22E).",
    ),
    OrderType.TRO: OrderRule(
        OrderType.TRO, "Travel Restriction Order", "TRO", f"{CJPA}, s.33",
        "The court sentencing a drug-trafficking offence where 4 or more years' custody is "
        "appropriate (in practice the Crown Court).",
        frozenset({CourtLevel.CROWN_COURT, CourtLevel.MAGISTRATES}),
        (StartTrigger.ON_RELEASE,),
        "Starts on release from custody and lasts at least 2 years after release; no statutory "
        "maximum (s.33(3)).",
        Limit(2, f"{CJPA}, s.33(3)"), {}, None, None, None, None, None,
        f"Offence under {CJPA}, s.36", "5 years' imprisonment or a fine, or both (on indictment)",
        "Revocation or suspension on application (s.35).",
    ),
    OrderType.FRO: OrderRule(
        OrderType.FRO, "Financial Reporting Order (legacy)", "FRO", f"{SOCPA}, s.76",
        "Any court sentencing for a listed offence (magistrates or higher).",
        _ALL, (StartTrigger.ON_MAKING,),
        "In force when made and runs from that day: at most 5 years if made by a magistrates' "
        "court, 15 years by another court, 20 years if the person was sentenced to life "
        "(s.76(5)-(7)).",
        None,
        {CourtLevel.MAGISTRATES: Limit(5, f"{SOCPA}, s.76(5)"),
         CourtLevel.CROWN_COURT: Limit(15, f"{SOCPA}, s.76(6)"),
         CourtLevel.HIGH_COURT: Limit(15, f"{SOCPA}, s.76(6)")},
        Limit(20, f"{SOCPA}, s.76(7)"), None, None, None, None,
        f"Offence under {SOCPA}, s.79", "Not confirmed (believed summary only)",
        "Replaced by financial reporting terms in SCPOs (Serious Crime Act 2015, s.50).",
        made_until=(dt.date(2015, 5, 3), "Serious Crime Act 2015, s.50(1) (SI 2015/820)"),
    ),
    OrderType.SHPO: OrderRule(
        OrderType.SHPO, "Sexual Harm Prevention Order", "SHPO",
        f"{SA20}, s.345 (on conviction); Sexual Offences Act 2003, s.103A (standalone)",
        "A magistrates' court or the Crown Court on conviction for an offence in Schedule 3 or 5 "
        "to the Sexual Offences Act 2003; a magistrates' court on complaint by the police or NCA.",
        frozenset({CourtLevel.MAGISTRATES, CourtLevel.CROWN_COURT}),
        (StartTrigger.ON_MAKING, StartTrigger.ON_RELEASE),
        "Each prohibition or requirement lasts a fixed period of at least 5 years, or until "
        "further order; foreign travel bans at most 5 years, renewable.",
        Limit(5, f"{SA20}, Part 11 Chapter 2 (Sexual Offences Act 2003, s.103C)"), {}, None,
        Limit(5, f"{SA20}, Part 11 Chapter 2 (Sexual Offences Act 2003, s.103C)"),
        Limit(5, f"{SA20}, s.348 (Sexual Offences Act 2003, s.103D)"),
        Limit(5, f"{SA20}, Part 11 Chapter 2 (Sexual Offences Act 2003, s.103C)"),
        Limit(5, f"{SA20}, s.350"),
        f"Offence under {SA20}, s.354", "5 years' imprisonment or a fine, or both (on indictment)",
        "A new SHPO replaces an earlier one.",
    ),
    OrderType.STPO: OrderRule(
        OrderType.STPO, "Slavery and Trafficking Prevention Order", "STPO",
        f"{MSA}, s.14 (on sentencing) and s.15 (on application)",
        "The court dealing with a slavery or trafficking offence (s.14); a magistrates' court on "
        "application by the police, an immigration officer, the NCA or the GLAA (s.15).",
        frozenset({CourtLevel.MAGISTRATES, CourtLevel.CROWN_COURT}),
        (StartTrigger.ON_MAKING, StartTrigger.ON_RELEASE),
        "Prohibitions last a fixed period of at least 5 years, or until further order (s.17); "
        "foreign travel bans at most 5 years, renewable (s.18).",
        Limit(5, f"{MSA}, s.17"), {}, None, Limit(5, f"{MSA}, s.17"), Limit(5, f"{MSA}, s.18"),
        Limit(5, f"{MSA}, s.17"), Limit(5, f"{MSA}, s.20"),
        f"Offence under {MSA}, s.30", "5 years' imprisonment (on indictment)",
        "A new STPO ends an earlier one (s.17(6)).",
    ),
    OrderType.CDDA: OrderRule(
        OrderType.CDDA, "Director disqualification", "CDDA", f"{CDDA_ACT}, s.2",
        "The convicting court (magistrates' court or Crown Court) or a court with winding-up "
        "jurisdiction.",
        _ALL, (StartTrigger.ON_MAKING,),
        "Runs from the date of the order (s.1(1)): at most 5 years if made by a court of summary "
        "jurisdiction, 15 years otherwise (s.2(3)); runs concurrently with any other order (s.1(3)).",
        None,
        {CourtLevel.MAGISTRATES: Limit(5, f"{CDDA_ACT}, s.2(3)"),
         CourtLevel.CROWN_COURT: Limit(15, f"{CDDA_ACT}, s.2(3)"),
         CourtLevel.HIGH_COURT: Limit(15, f"{CDDA_ACT}, s.2(3)")},
        None, None, None, None, None,
        f"Offence under {CDDA_ACT}, s.13", "2 years' imprisonment or a fine, or both (on indictment)",
        "A further order runs concurrently (s.1(3)).",
    ),
}

#: Design (DOMAIN.md 5, A4): chase service when an order is unserved this many days after making.
SERVICE_CHASE_DAYS = 7
#: Design: the "this week" dashboard looks this many days ahead.
DASHBOARD_HORIZON_DAYS = 7
#: Design (DOMAIN.md 5, A1): orders ending within this many days are shown as "ending soon".
ENDING_SOON_DAYS = 183
#: Design: pending-release orders whose release falls within this many days need preparing.
RELEASE_NEAR_DAYS = 28


def rule_for(order_type: OrderType | str) -> OrderRule:
    return RULES[OrderType(order_type)]


# ---------------------------------------------------------------- date maths

def add_months(start: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the last day of the month where that day does not exist."""
    total = start.year * 12 + (start.month - 1) + months
    year, month = divmod(total, 12)
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day)


def add_years(start: dt.date, years: int) -> dt.date:
    return add_months(start, 12 * years)


def _years(n: int) -> str:
    return f"{n} year" if n == 1 else f"{n} years"


def _date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


# ---------------------------------------------------------------- checks

def check_court(rule: OrderRule, court_level: CourtLevel | None) -> list[tuple[str, str]]:
    if court_level is None:
        return [("court_level", "Select the level of the court that made the order")]
    if court_level not in rule.courts:
        return [("court_level", f"A {court_level.label.lower()} cannot make a {rule.short}: "
                                f"{rule.who_makes}")]
    return []


def check_made_on(rule: OrderRule, made_on: dt.date, today: dt.date) -> list[tuple[str, str]]:
    if made_on > today:
        return [("made_on", "The date the order was made must be today or in the past")]
    if rule.made_until and made_on >= rule.made_until[0]:
        return [("made_on", f"No new {rule.short}s can be made from {_date(rule.made_until[0])} "
                            f"({rule.made_until[1]}): record the order as an SCPO with financial "
                            "reporting terms")]
    return []


def check_trigger(rule: OrderRule, trigger: StartTrigger) -> list[tuple[str, str]]:
    if trigger not in rule.triggers:
        allowed = " or ".join(t.label.lower() for t in rule.triggers)
        return [("start_trigger", f"A {rule.short} starts {allowed} ({rule.duration_text})")]
    return []


def check_duration(
    rule: OrderRule,
    *,
    court_level: CourtLevel | None,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    indefinite: bool,
    term_months: int | None = None,
    life_sentence: bool = False,
    extended_pending_charge: bool = False,
) -> list[tuple[str, str]]:
    """Refuse a duration the statute does not allow; each message names the limit and section.

    Either ``ends_on`` (with a known start) or ``term_months`` (a start not yet known, e.g. a
    TRO awaiting release) is checked against the minimum and the court's maximum. An SCPO kept
    in force pending a charge (SCA 2007 s.22E) is not held to its 5-year cap.
    """
    if indefinite:
        if rule.indefinite is None and not (extended_pending_charge and rule.extension):
            return [("indefinite", f"A {rule.short} cannot be made until further order: it must "
                                   f"have an end date ({rule.duration_text})")]
        return []
    if ends_on is None and term_months is None:
        return [("ends_on", "Enter the date the order ends, or its length")]
    if term_months is not None and term_months <= 0:
        return [("term_months", "The length of the order must be more than 0 months")]
    if starts_on is not None and ends_on is None and term_months is not None:
        ends_on = add_months(starts_on, term_months)
    field = "ends_on" if ends_on is not None else "term_months"
    problems: list[tuple[str, str]] = []
    if ends_on is not None and starts_on is not None and ends_on <= starts_on:
        return [("ends_on", "The end date must be after the date the order starts")]
    cap = None if extended_pending_charge else rule.max_for(court_level, life_sentence)
    if rule.min_years is not None and _shorter(starts_on, ends_on, term_months, rule.min_years.years):
        problems.append((field, f"A {rule.short} must last at least {_years(rule.min_years.years)}"
                                f"{' after release' if rule.code == OrderType.TRO else ''} "
                                f"({rule.min_years.section})"))
    if cap is not None and _longer(starts_on, ends_on, term_months, cap.years):
        court = f" made by a {court_level.label.lower()}" if court_level and len(
            {c.years for c in rule.max_years.values()}) > 1 else ""
        life = " for a person sentenced to life" if cap is rule.max_years_life else ""
        problems.append((field, f"A {rule.short}{court}{life} can last at most {_years(cap.years)}"
                                f" from the day it starts ({cap.section})"))
    return problems


def _shorter(start: dt.date | None, end: dt.date | None, term: int | None, years: int) -> bool:
    if start is not None and end is not None:
        return end < add_years(start, years)
    return term is not None and term < 12 * years


def _longer(start: dt.date | None, end: dt.date | None, term: int | None, years: int) -> bool:
    if start is not None and end is not None:
        return end > add_years(start, years)
    return term is not None and term > 12 * years


def check_condition(
    rule: OrderRule,
    *,
    kind: ConditionKind,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    order_ends_on: dt.date | None,
    order_indefinite: bool,
    field: str = "conditions",
) -> list[tuple[str, str]]:
    """Per-condition periods: foreign travel bans at most 5 years (SOA 2003 s.103D; MSA 2015
    s.18); SHPO/STPO prohibitions and requirements at least 5 years or until further order; no
    condition may outlast a fixed-term order."""
    end = ends_on if ends_on is not None else (None if order_indefinite else order_ends_on)
    if starts_on is not None and ends_on is not None and ends_on <= starts_on:
        return [(field, "A condition's end date must be after its start date")]
    if kind == ConditionKind.FOREIGN_TRAVEL and rule.travel_max is not None:
        if end is None:
            return [(field, f"A foreign travel ban must have an end date: at most "
                            f"{_years(rule.travel_max.years)}, renewable ({rule.travel_max.section})")]
        if starts_on is not None and end > add_years(starts_on, rule.travel_max.years):
            return [(field, f"A foreign travel ban can last at most {_years(rule.travel_max.years)} "
                            f"({rule.travel_max.section})")]
    elif (rule.condition_min is not None
          and kind in (ConditionKind.PROHIBITION, ConditionKind.REQUIREMENT)
          and starts_on is not None and end is not None
          and end < add_years(starts_on, rule.condition_min.years)):
        return [(field, f"Each {kind.label.lower()} in a {rule.short} must last at least "
                        f"{_years(rule.condition_min.years)} or until further order "
                        f"({rule.condition_min.section})")]
    if ends_on is not None and not order_indefinite and order_ends_on is not None \
            and ends_on > order_ends_on:
        return [(field, "A condition cannot end after the order ends")]
    return []


def check_discharge(rule: OrderRule, *, started_on: dt.date | None, made_on: dt.date,
                    discharged_on: dt.date, consents: bool) -> list[tuple[str, str]]:
    """SHPO/STPO: no discharge within 5 years of the order without the consent of the offender
    and the relevant chief officer (SA 2020 s.350; MSA 2015 s.20)."""
    if discharged_on < made_on:
        return [("discharged_on", "The discharge date must be on or after the date the order was made")]
    bar = rule.discharge_bar
    if bar is not None and not consents and discharged_on < add_years(made_on, bar.years):
        return [("consents", f"A {rule.short} cannot be discharged within {_years(bar.years)} of "
                             f"being made without the consent of the offender and the chief "
                             f"officer of police ({bar.section})")]
    return []


def status_of(*, starts_on: dt.date | None, ends_on: dt.date | None, indefinite: bool,
              discharged_on: dt.date | None, today: dt.date) -> OrderStatus:
    """Computed from the dates and today, never stored: discharged, then not yet started
    (pending release), then expired on ``ends_on``, else active."""
    if discharged_on is not None and discharged_on <= today:
        return OrderStatus.DISCHARGED
    if starts_on is None or starts_on > today:
        return OrderStatus.PENDING_RELEASE
    if not indefinite and ends_on is not None and ends_on <= today:
        return OrderStatus.EXPIRED
    return OrderStatus.ACTIVE
