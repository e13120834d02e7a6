"""The sweep's hand-written date and money wording is babel's en_GB wording, character for
character: every day over 70 years, and random amounts from a penny to the column's maximum."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency

from casework.alerts.rules import uk_date
from casework.core.money import MAX_AMOUNT, format_gbp, round_pence


def test_uk_date_is_babels_en_gb_long_date_for_every_day():
    day, last, checked = dt.date(1990, 1, 1), dt.date(2060, 1, 1), 0
    while day < last:
        assert uk_date(day) == format_date(day, "d MMMM y", locale="en_GB"), day
        day += dt.timedelta(days=1)
        checked += 1
    print(f"[wording] uk_date: {checked:,} days compared with babel, 0 different")


def test_format_gbp_is_babels_en_gb_currency():
    rng = random.Random(7)
    amounts = [Decimal("0"), Decimal("0.004"), Decimal("0.005"), Decimal("0.01"), Decimal("-0"),
               Decimal("-12.5"), Decimal("999.995"), Decimal("1000"), MAX_AMOUNT]
    for _ in range(50_000):
        digits = rng.randrange(1, 15)
        amounts.append(Decimal(rng.randrange(0, 10 ** digits)).scaleb(-rng.choice((0, 2, 3))))
    for amount in amounts:
        assert format_gbp(amount) == format_currency(round_pence(amount), "GBP", locale="en_GB"), amount
    print(f"[wording] format_gbp: {len(amounts):,} amounts compared with babel, 0 different")
