"""Pure POCA 2002 Part 2 rules: default-term bands, time to pay, postponement, interest,
reconsideration deadlines. No database access; every number here carries its source
(DOMAIN.md section 2, which cites the statute and where it was read).

Design choices (not law) are marked **design** and explained where they are made.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")

#: Serious Crime Act 2015 commencement for POCA Part 2 (SCA 2015 s.5 substituted s.11; s.10
#: inserted s.35(2A)): orders made on or after this day use the new regime (DOMAIN.md 2.4).
SCA_2015_COMMENCEMENT = dt.date(2015, 6, 1)


# --- small date helpers ------------------------------------------------------------------

def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months; a day that does not exist in the target month falls back to its last day
    (31 August + 3 months = 30 November). Falling back, never forward, keeps a statutory
    maximum on the safe side."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    """29 February + 1 year = 28 February (the earlier date: a deadline is never overshot)."""
    return add_months(day, 12 * years)


# --- regimes ----------------------------------------------------------------------------

class Regime(enum.StrEnum):
    """Which version of POCA Part 2 governs an order, by the day it was made."""

    PRE_2015 = "pre_2015"
    SCA_2015 = "sca_2015"


def regime_for(made_on: dt.date) -> Regime:
    return Regime.SCA_2015 if made_on >= SCA_2015_COMMENCEMENT else Regime.PRE_2015


# --- default terms: POCA s.35(2A) (inserted by SCA 2015 s.10) ------------------------------

@dataclass(frozen=True)
class Band:
    up_to: Decimal | None  # inclusive upper limit of the order amount; None = no limit
    max_months: int
    label: str


#: Maximum default terms for orders made on or after 1 June 2015 (POCA s.35(2A); DOMAIN.md 2.4).
DEFAULT_TERM_BANDS: tuple[Band, ...] = (
    Band(Decimal("10000.00"), 6, "£10,000 or less"),
    Band(Decimal("500000.00"), 5 * 12, "more than £10,000 but no more than £500,000"),
    Band(Decimal("1000000.00"), 7 * 12, "more than £500,000 but no more than £1 million"),
    Band(None, 14 * 12, "more than £1 million"),
)


def default_term_band(amount: Decimal) -> Band:
    """The s.35(2A) band for an order amount (each limit belongs to the lower band)."""
    for band in DEFAULT_TERM_BANDS:
        if band.up_to is None or amount <= band.up_to:
            return band
    raise AssertionError("unreachable: the last band has no limit")


def max_default_term_months(amount: Decimal, made_on: dt.date) -> int | None:
    """The statutory maximum default term, or None for orders made before 1 June 2015.

    DOMAIN.md records only that the old regime had 12 bands with a 10-year maximum, not the
    bands themselves, so for older orders the court-fixed term is stored as given and not
    validated against a band (no invented numbers).
    """
    if regime_for(made_on) is Regime.PRE_2015:
        return None
    return default_term_band(amount).max_months


def check_default_term(months: int | None, amount: Decimal, made_on: dt.date) -> str | None:
    """An error message if a court-fixed default term is outside the s.35(2A) band."""
    if months is None:
        if regime_for(made_on) is Regime.PRE_2015:
            return ("Enter the default term the court fixed: for orders made before 1 June 2015 "
                    "it cannot be worked out from the amount")
        return None
    if months < 1:
        return "The default term must be at least 1 month"
    maximum = max_default_term_months(amount, made_on)
    if maximum is not None and months > maximum:
        band = default_term_band(amount)
        return (f"The default term must be no more than {describe_months(maximum)} for an order "
                f"of {band.label} (Proceeds of Crime Act 2002, s.35(2A))")
    return None


def describe_months(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return f"{years} year" + ("s" if years != 1 else "")
    return f"{months} month" + ("s" if months != 1 else "")


#: No automatic early release from the default term for orders of £10 million or more made on or
#: after 1 June 2015 (NOMS PSI 16/2010 revised 28 July 2015; DOMAIN.md 2.4, alert A21).
NO_AUTOMATIC_RELEASE_THRESHOLD = Decimal("10000000.00")


def no_automatic_release(amount: Decimal, made_on: dt.date) -> bool:
    return made_on >= SCA_2015_COMMENCEMENT and amount >= NO_AUTOMATIC_RELEASE_THRESHOLD


# --- time to pay: POCA s.11 --------------------------------------------------------------

#: (initial period limit, extended period limit) in months from the order date (DOMAIN.md 2.4):
#: s.11 as substituted by SCA 2015 s.5 -> 3 and 6; before 1 June 2015 -> 6 and 12.
TIME_TO_PAY_MONTHS = {Regime.SCA_2015: (3, 6), Regime.PRE_2015: (6, 12)}


@dataclass(frozen=True)
class TimeToPay:
    latest_due_on: dt.date  # the latest initial due date the court may allow
    latest_extended_on: dt.date  # hard stop for any extension


def time_to_pay_limits(made_on: dt.date) -> TimeToPay:
    first, extended = TIME_TO_PAY_MONTHS[regime_for(made_on)]
    return TimeToPay(add_months(made_on, first), add_months(made_on, extended))


def check_due_on(made_on: dt.date, due_on: dt.date) -> str | None:
    """s.11: payable on the day the order is made, or within a period of up to 3 months (6 before
    1 June 2015) starting on that day."""
    limit = time_to_pay_limits(made_on).latest_due_on
    months = TIME_TO_PAY_MONTHS[regime_for(made_on)][0]
    if due_on < made_on:
        return "The date payment is due cannot be before the order was made"
    if due_on > limit:
        return (f"The date payment is due must be within {months} months of the order, so no later "
                f"than {limit:%-d %B %Y} (Proceeds of Crime Act 2002, s.11)")
    return None


def check_extension(made_on: dt.date, due_on: dt.date, applied_on: dt.date | None,
                    extended_due_on: dt.date) -> dict[str, str]:
    """s.11(4)-(5): the defendant must apply within the period allowed; the extended period may
    not exceed 6 months (12 before 1 June 2015) from the order."""
    errors: dict[str, str] = {}
    limits = time_to_pay_limits(made_on)
    months = TIME_TO_PAY_MONTHS[regime_for(made_on)][1]
    if applied_on is not None and applied_on > due_on:
        errors["extension_applied_on"] = (
            "The application to extend must be made before the time to pay ends "
            "(Proceeds of Crime Act 2002, s.11)")
    if extended_due_on <= due_on:
        errors["extended_due_on"] = "The extended date must be after the current date payment is due"
    elif extended_due_on > limits.latest_extended_on:
        errors["extended_due_on"] = (
            f"Time to pay can be extended to no more than {months} months from the order, so no "
            f"later than {limits.latest_extended_on:%-d %B %Y} (Proceeds of Crime Act 2002, s.11)")
    return errors


# --- postponement: POCA s.14 --------------------------------------------------------------

#: Permitted period: 2 years from the (latest) conviction, or 3 months after a conviction appeal
#: is determined if later (s.14(5)-(6); DOMAIN.md 2.3).
POSTPONEMENT_YEARS = 2
POSTPONEMENT_AFTER_APPEAL_MONTHS = 3
#: **design**: warn 18 months after conviction (DOMAIN.md 5, A16 suggests 18 months).
POSTPONEMENT_WARNING_MONTHS = 18


def postponement_limit(convicted_on: dt.date, appeal_determined_on: dt.date | None = None) -> dt.date:
    limit = add_years(convicted_on, POSTPONEMENT_YEARS)
    if appeal_determined_on is not None:
        limit = max(limit, add_months(appeal_determined_on, POSTPONEMENT_AFTER_APPEAL_MONTHS))
    return limit


def check_postponement(convicted_on: dt.date, hearing_on: dt.date, *,
                       appeal_determined_on: dt.date | None, exceptional: bool) -> str | None:
    limit = postponement_limit(convicted_on, appeal_determined_on)
    if hearing_on > limit and not exceptional:
        return (f"Confiscation cannot be postponed beyond {limit:%-d %B %Y}, 2 years from conviction, "
                "unless the court finds exceptional circumstances (Proceeds of Crime Act 2002, s.14)")
    return None


# --- reconsideration: POCA ss.19-22 ---------------------------------------------------------

#: s.19-21 applications must be made within 6 years of conviction; s.22 has no time limit
#: (DOMAIN.md 2.4, alert A22).
RECONSIDERATION_YEARS = 6


class Reconsideration(enum.StrEnum):
    S19 = "s19"
    S20 = "s20"
    S21 = "s21"
    S22 = "s22"
    S23 = "s23"
    S24 = "s24"
    S25 = "s25"

    @property
    def label(self) -> str:
        return RECONSIDERATION_LABELS[self]

    @property
    def time_limited(self) -> bool:
        return self in (Reconsideration.S19, Reconsideration.S20, Reconsideration.S21)


RECONSIDERATION_LABELS = {
    Reconsideration.S19: "s.19: no order was made (new evidence)",
    Reconsideration.S20: "s.20: no benefit was found (new evidence)",
    Reconsideration.S21: "s.21: increase the benefit figure",
    Reconsideration.S22: "s.22: increase the available amount",
    Reconsideration.S23: "s.23: available amount inadequate",
    Reconsideration.S24: "s.24: discharge (inadequate amount)",
    Reconsideration.S25: "s.25: discharge (small amount)",
}


def reconsideration_deadline(convicted_on: dt.date) -> dt.date:
    """Last day to apply under ss.19-21: 6 years from conviction (s.21(1)(d))."""
    return add_years(convicted_on, RECONSIDERATION_YEARS) - dt.timedelta(days=1)


def check_reconsideration(section: Reconsideration, *, convicted_on: dt.date | None,
                          applied_on: dt.date, benefit: Decimal | None,
                          new_available_amount: Decimal | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if section.time_limited and convicted_on is not None:
        deadline = reconsideration_deadline(convicted_on)
        if applied_on > deadline:
            errors["applied_on"] = (
                f"An application under {section.value.replace('s', 's.')} must be made within 6 years "
                f"of conviction, so by {deadline:%-d %B %Y} (Proceeds of Crime Act 2002, "
                f"{section.value.replace('s', 's.')})")
    if (section is Reconsideration.S22 and benefit is not None and new_available_amount is not None
            and new_available_amount > benefit):
        errors["new_available_amount"] = (
            "The new available amount cannot be more than the benefit figure "
            "(Proceeds of Crime Act 2002, s.22)")
    return errors


# --- interest: POCA s.12 ------------------------------------------------------------------

#: **design**: simple interest, a day's interest = balance x annual rate / 365 in every year,
#: leap or not (the usual way a judgment-debt daily rate is stated). A 366-day leap year
#: therefore carries 366 days of interest.
DAYS_IN_YEAR = Decimal(365)


@dataclass(frozen=True)
class Rate:
    effective_from: dt.date
    percent: Decimal  # a year


@dataclass(frozen=True)
class Balance:
    as_of: dt.date
    amount: Decimal  # the order amount in force on as_of
    paid: Decimal
    interest: Decimal
    principal_outstanding: Decimal
    outstanding: Decimal


def rate_on(rates: Sequence[Rate], day: dt.date) -> Decimal:
    current: Decimal | None = None
    for rate in sorted(rates, key=lambda r: r.effective_from):
        if rate.effective_from <= day:
            current = rate.percent
    if current is None:
        raise ValueError(f"no judgment-debt rate in force on {day.isoformat()}")
    return current


def _in(day: dt.date, windows: Iterable[tuple[dt.date, dt.date]]) -> bool:
    return any(start <= day <= end for start, end in windows)


def interest_free_windows(*, made_on: dt.date, extension_applied_on: dt.date | None,
                          extension_decided_on: dt.date | None) -> list[tuple[dt.date, dt.date]]:
    """s.12: no interest while a s.11(4) application to extend is pending, but only within the
    extended-period limit (6 months from the order; 12 before 1 June 2015)."""
    if extension_applied_on is None:
        return []
    stop = time_to_pay_limits(made_on).latest_extended_on
    end = min(extension_decided_on or stop, stop)
    return [(extension_applied_on, end)] if end >= extension_applied_on else []


def compute_balance(*, amounts: Sequence[tuple[dt.date, Decimal]], due_on: dt.date,
                    payments: Sequence[tuple[dt.date, Decimal]], rates: Sequence[Rate],
                    as_of: dt.date, interest_free: Sequence[tuple[dt.date, dt.date]] = ()) -> Balance:
    """Balance of a confiscation order on ``as_of`` (end of that day).

    Interest (s.12) runs from the day after ``due_on`` at the judgment-debt rate in force each day,
    simple (never on interest), on the unpaid *principal* only.

    Allocation rule (**design**): every payment reduces the order amount first; only money paid
    beyond the whole amount reduces interest. Unpaid principal on a day is therefore
    max(0, amount - paid to date), which depends only on dated totals, so reversals and
    back-dated entries give the same answer whatever order they were keyed in, and the debt is
    never overstated. A payment counts from the day it is received (no interest that day on
    the part it pays). Several amounts dated the same day: the later one in ``amounts`` wins.
    Interest is exact until it is rounded half up to the penny once, for the whole order.

    ``amounts`` is the order amount over time (made_on, amount) plus later variations (s.21-25);
    ``payments`` are (received_on, amount) ledger totals (reversals negative).
    """
    amount_changes = sorted(amounts, key=lambda entry: entry[0])  # stable: same day, later entry wins
    pay = sorted(payments)
    breaks = {d for d, _ in amount_changes} | {d for d, _ in pay} | {r.effective_from for r in rates}
    for start, end in interest_free:
        breaks |= {start, end + dt.timedelta(days=1)}
    first_day = due_on + dt.timedelta(days=1)
    breaks = {d for d in breaks if first_day < d <= as_of} | {first_day}
    points = sorted(breaks) + [as_of + dt.timedelta(days=1)]
    accrued = Decimal(0)  # sum of principal x percent x days: exact (no division yet)
    with localcontext(prec=60):
        for start, stop in zip(points, points[1:]):
            if start > as_of or _in(start, interest_free):
                continue
            principal = _total_to(amount_changes, start, last=True) - _total_to(pay, start)
            if principal > 0:
                accrued += principal * rate_on(rates, start) * (stop - start).days
        # One division, rounded once: the exact sum divided by 100 x 365 lies on a half penny
        # only when it is exactly one, so this is the exact interest rounded half up to the penny
        # (the SQL balances compute the same in whole pence x basis points x days).
        interest = (accrued / (100 * DAYS_IN_YEAR)).quantize(PENNY, rounding=ROUND_HALF_UP)
    amount, paid = _total_to(amount_changes, as_of, last=True), _total_to(pay, as_of)
    return Balance(as_of, amount, paid, interest, max(amount - paid, ZERO),
                   amount + interest - paid)


def _total_to(entries: Sequence[tuple[dt.date, Decimal]], day: dt.date, last: bool = False) -> Decimal:
    """Sum of entries dated on or before ``day`` (``last``: the latest value instead, for amounts)."""
    total = Decimal(0)
    for when, value in entries:
        if when <= day:
            total = value if last else total + value
    return total


def compensation_paid(paid: Decimal, compensation: Decimal | None) -> Decimal:
    """s.13(5)-(6): where the court directs it, compensation is paid first out of sums recovered."""
    if not compensation or paid <= 0:
        return ZERO
    return min(paid, compensation)


# --- restraint: POCA ss.40-42 --------------------------------------------------------------

class RestraintCondition(enum.StrEnum):
    """The s.40 condition relied on (DOMAIN.md 2.2)."""

    INVESTIGATION = "investigation"  # s.40(2): investigation started, pre-charge
    PROCEEDINGS = "proceedings"  # s.40(3): proceedings started and not concluded
    RECONSIDERATION = "reconsideration"  # later conditions: reconsideration applications

    @property
    def label(self) -> str:
        return {
            "investigation": "s.40(2): a criminal investigation has started (pre-charge)",
            "proceedings": "s.40(3): proceedings have started and not concluded",
            "reconsideration": "Later s.40 conditions: a reconsideration application",
        }[self.value]

    @property
    def pre_charge(self) -> bool:
        return self is RestraintCondition.INVESTIGATION


# --- alert lead times (all **design**; DOMAIN.md section 5) ---------------------------------

#: A14: review a pre-charge restraint order with no charge after this many months (s.42(7):
#: the court must discharge if proceedings are not started within a reasonable time).
RESTRAINT_DRIFT_MONTHS = 6
#: A13 / A17: remind this many days before a progress report, s.16 statement or s.17 response.
STATEMENT_REMINDER_DAYS = 14
#: A18: remind this many days before payment is due (the extension must be applied for in time).
PAYMENT_REMINDER_DAYS = 14
#: A20: apply for a receiver (s.50) or default-term activation (s.35) this many days after the
#: due date if unpaid: inordinate delay can breach Art 6 ECHR (CPS enforcement guidance).
ENFORCEMENT_AFTER_DAYS = 28
#: A22: warn this many months before the 6-year reconsideration deadline.
RECONSIDERATION_WARNING_MONTHS = 6
#: A23: re-check assets for a s.22 application this often while a balance is outstanding.
ASSET_RECHECK_MONTHS = 12
