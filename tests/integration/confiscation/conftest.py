from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from casework.core import clock

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _today() -> Any:
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def convicted(session: Any, users: Any) -> Any:
    from tests import factories

    return factories.convicted_defendant(finalised_on=dt.date(2025, 9, 1), actor=users.lawyer)


@pytest.fixture
def order(convicted: Any, users: Any) -> Any:
    from tests import factories

    return factories.confiscation_order(convicted, actor=users.lawyer)


def money(value: str) -> Decimal:
    return Decimal(value)
