"""The CPS conviction-rate formula, in one place (DOMAIN.md 3.1 and 3.2).

Outcomes are counted per defendant finalised in the period (DOMAIN.md 3.1: "CPS outcomes are
counted per defendant, not per case").

- Convictions = guilty pleas + convictions after trial + proofs in absence (DOMAIN.md 3.1).
- Finalised = ALL seven outcomes: convictions + acquittals after trial + judge directed or
  ordered acquittals + prosecutions dropped (discontinued, withdrawn, no evidence offered,
  stayed, lie on file) + administrative finalisations. Dropped cases and directed acquittals
  are in the denominator; published CPS Organised Crime Division rates only reproduce with
  them included, and the national cross-check (Hansard HC 15 Jan 2009, calendar 2005:
  946,467 / 1,158,402 = 81.7%) includes administrative finalisations (DOMAIN.md 3.2).
- Conviction rate = convictions / finalised x 100, kept to ONE decimal place rounded half-up
  (published figures are whole percentages rounded half-up; DOMAIN.md 3.2), as a string such
  as "84.7"; None when nothing was finalised (no rate, rather than 0%).
- Trial conviction rate (DOMAIN.md 3.2 design note, after the Policy Exchange 2012 critique
  that including pleas flatters the figure): convictions after trial / trials, where trials =
  convictions after trial + acquittals after trial + judge directed (or ordered) acquittals.
  Guilty pleas, proofs in absence, dropped cases and administrative finalisations are not
  trials and are left out of both sides. Shown separately, never in place of the CPS rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

#: The seven outcome codes in report column order (API.md; cases.rules.Outcome values).
OUTCOME_COLUMNS: tuple[str, ...] = (
    "guilty_plea",
    "convicted_after_trial",
    "proved_in_absence",
    "acquitted_after_trial",
    "directed_acquittal",
    "discontinued",
    "administratively_finalised",
)

OUTCOME_LABELS: dict[str, str] = {
    "guilty_plea": "Guilty plea",
    "convicted_after_trial": "Convicted after trial",
    "proved_in_absence": "Proved in absence",
    "acquitted_after_trial": "Acquitted after trial",
    "directed_acquittal": "Judge directed or ordered acquittal",
    "discontinued": "Dropped (discontinued, withdrawn, no evidence)",
    "administratively_finalised": "Administratively finalised",
}

#: Numerator of the CPS conviction rate (DOMAIN.md 3.1).
CONVICTION_OUTCOMES: frozenset[str] = frozenset(
    {"guilty_plea", "convicted_after_trial", "proved_in_absence"})

#: Outcomes that followed a trial (denominator of the trial conviction rate; DOMAIN.md 3.2 design).
TRIAL_OUTCOMES: frozenset[str] = frozenset(
    {"convicted_after_trial", "acquitted_after_trial", "directed_acquittal"})


def convictions(counts: Mapping[str, int]) -> int:
    """GP + CAT + PIA."""
    return sum(int(counts.get(code, 0)) for code in OUTCOME_COLUMNS if code in CONVICTION_OUTCOMES)


def finalised(counts: Mapping[str, int]) -> int:
    """All seven outcomes (the denominator includes dropped cases, directed acquittals and admin)."""
    return sum(int(counts.get(code, 0)) for code in OUTCOME_COLUMNS)


def trials(counts: Mapping[str, int]) -> int:
    return sum(int(counts.get(code, 0)) for code in OUTCOME_COLUMNS if code in TRIAL_OUTCOMES)


def percentage(numerator: int, denominator: int, places: int = 1) -> str | None:
    """numerator / denominator as a percentage string, rounded half-up exactly (integer maths).

    None when the denominator is 0. ``places`` = 1 internally and in CSV; 0 for the published
    whole-percent figure.
    """
    if denominator <= 0:
        return None
    if numerator < 0 or numerator > denominator:
        raise ValueError("a rate's numerator must be between 0 and its denominator")
    scale = 10**places
    # half-up: floor(n * 100 * scale / d + 1/2) computed without floating point
    units = (2 * numerator * 100 * scale + denominator) // (2 * denominator)
    return str((Decimal(units) / scale).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def conviction_rate(counts: Mapping[str, int]) -> str | None:
    """CPS conviction rate to one decimal place ("81.7"), or None when nothing was finalised."""
    return percentage(convictions(counts), finalised(counts))


def trial_conviction_rate(counts: Mapping[str, int]) -> str | None:
    """CAT / (CAT + acquitted after trial + directed acquittal), one decimal place, or None."""
    return percentage(int(counts.get("convicted_after_trial", 0)), trials(counts))


def published_rate(counts: Mapping[str, int]) -> str | None:
    """The whole-percent figure as the CPS publishes it ("82"), rounded half-up."""
    return percentage(convictions(counts), finalised(counts), places=0)


#: Age of an outstanding confiscation balance, counted from the day payment fell due (the
#: extended due date where the court extended time under POCA s.11(4)). **design**: the bands
#: follow the usual debt-ageing practice; (label, overdue by at most this many days).
AGE_BANDS: tuple[tuple[str, int | None], ...] = (
    ("Not yet due", 0),
    ("Overdue up to 1 year", 365),
    ("Overdue 1 to 2 years", 730),
    ("Overdue 2 to 5 years", 1826),
    ("Overdue more than 5 years", None),
)


def change(current: int | Decimal, previous: int | Decimal) -> str:
    """Signed change for the quarterly review ("+3", "-2", "0", "+1234.50" for money)."""
    delta = current - previous
    text = f"{delta:.2f}" if isinstance(delta, Decimal) else str(delta)
    return f"+{text}" if delta > 0 else text


def rate_change(current: str | None, previous: str | None) -> str | None:
    """Change in a rate in percentage points ("+1.5"), or None when either has no rate."""
    if current is None or previous is None:
        return None
    delta = Decimal(current) - Decimal(previous)
    return f"+{delta}" if delta > 0 else str(delta)
