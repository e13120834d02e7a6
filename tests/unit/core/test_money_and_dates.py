from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from casework.core import clock
from casework.core.money import MoneyError, format_gbp, parse_money, to_api
from casework.core.templating import format_uk_date


@pytest.mark.parametrize("raw, expected", [
    ("600000", Decimal("600000.00")), (600000, Decimal("600000.00")),
    ("1,234.5", Decimal("1234.50")), ("£10.01", Decimal("10.01")), (10.1, Decimal("10.10")),
])
def test_parse_money(raw, expected):
    assert parse_money(raw) == expected


@pytest.mark.parametrize("raw", ["", "abc", "1.001", "NaN", "Infinity", None, True, "1e400"])
def test_parse_money_refuses_junk(raw):
    with pytest.raises(MoneyError):
        parse_money(raw)


def test_money_display_and_api():
    assert format_gbp(Decimal("1234567.891")) == "£1,234,567.89"
    assert to_api(Decimal("600000")) == "600000.00"


def test_uk_dates():
    assert format_uk_date(dt.date(2027, 3, 1)) == "1 March 2027"


def test_today_is_the_london_date_not_utc():
    # 23:30 UTC on 30 June is already 1 July in London (BST).
    with clock.frozen(dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)):
        assert clock.today() == dt.date(2026, 7, 1)
    with clock.frozen(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)):
        assert clock.today() == dt.date(2026, 12, 31)
