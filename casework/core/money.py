"""Money is Decimal end to end: parsing, rounding and en_GB display."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency

PENNY = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")  # Numeric(14, 2)


class MoneyError(ValueError):
    pass


def parse_money(value: object) -> Decimal:
    """Accept a decimal string, an int or a Decimal (never a float's binary noise) as pounds."""
    if isinstance(value, bool) or value is None:
        raise MoneyError("Enter an amount in pounds, like 1250.00")
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        value = value.strip().replace(",", "").lstrip("£")
    try:
        amount = Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        raise MoneyError("Enter an amount in pounds, like 1250.00") from None
    if not amount.is_finite():
        raise MoneyError("Enter an amount in pounds, like 1250.00")
    if abs(amount) > MAX_AMOUNT:
        raise MoneyError("Enter an amount less than £1,000,000,000,000")
    if amount != amount.quantize(PENNY):
        raise MoneyError("Enter an amount in pounds and pence, with no more than 2 decimal places")
    return amount.quantize(PENNY)


def round_pence(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def to_api(amount: Decimal | None) -> str | None:
    """Money in API responses: a decimal string with two places."""
    return None if amount is None else f"{round_pence(amount):.2f}"


def format_gbp(amount: Decimal | None) -> str:
    """£1,234,567.89 in en_GB."""
    if amount is None:
        return ""
    pence = round_pence(amount)
    if pence > 0:
        # babel's own wording for a positive amount, without its locale lookup on every call
        # (a sweep words thousands of confiscation orders; tests compare the two)
        return f"£{pence:,.2f}"
    return format_currency(pence, "GBP", locale="en_GB")
