"""Form-filling helpers for GOV.UK components, and test records built through the services."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from playwright.sync_api import Page

from casework.auth.models import User
from casework.cases import service as cases
from casework.cases.rules import OffenceCategory, Outcome
from casework.extensions import db
from casework.units.models import CrimeType, Unit

_urns = itertools.count(1)


def fill_date(page: Page, field: str, value: dt.date) -> None:
    """A GOV.UK date input by field name: ``<field>-day``, ``-month`` and ``-year`` boxes."""
    page.locator(f"#{field}-day").fill(str(value.day))
    page.locator(f"#{field}-month").fill(str(value.month))
    page.locator(f"#{field}-year").fill(str(value.year))


def fill_date_group(page: Page, legend: str, value: dt.date) -> None:
    """A GOV.UK date input found by its legend, as a screen-reader user would find it."""
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day", exact=True).fill(str(value.day))
    group.get_by_label("Month", exact=True).fill(str(value.month))
    group.get_by_label("Year", exact=True).fill(str(value.year))


def money(text: str) -> Decimal:
    return Decimal(text.replace("£", "").replace(",", "").strip())


def _one(model: Any, **where: Any) -> Any:
    return db.session.execute(sa.select(model).filter_by(**where)).scalar_one()


def user_with(email: str) -> User:
    return _one(User, email=email)  # type: ignore[no-any-return]


def sentenced_defendant(*, surname: str, crime: str = "drugs", convicted_days_ago: int = 400,
                        custody_months: int | None = 60, release_on: dt.date | None = None,
                        convicted: bool = True, today: dt.date) -> dict[str, int]:
    """A fresh OCD case with one defendant who pleaded guilty and was sentenced, via the services."""
    lawyer = _one(User, email="lawyer@casework.example")
    n = next(_urns)
    case = cases.open_case(urn=f"01BT{n:05d}26", name=f"Browser {surname}", unit=_one(Unit, code="ocd"),
                           crime_type=_one(CrimeType, code=crime), agency="nca",
                           received_on=today - dt.timedelta(days=convicted_days_ago + 300),
                           lead_lawyer=lawyer, actor=lawyer)
    defendant = cases.add_defendant(case, surname=surname, forenames="Test", actor=lawyer,
                                    date_of_birth=dt.date(1985, 5, 5))
    charged_on = today - dt.timedelta(days=convicted_days_ago + 200)
    cases.add_charge(defendant, offence="Conspiracy to supply a controlled drug of Class A",
                     statute="Criminal Law Act 1977", section="s.1", charged_on=charged_on,
                     category=OffenceCategory.DRUGS, actor=lawyer)
    convicted_on = today - dt.timedelta(days=convicted_days_ago)
    if not convicted:
        return {"case": case.id, "defendant": defendant.id}
    cases.record_outcome(defendant, outcome=Outcome.GUILTY_PLEA, finalised_on=convicted_on, actor=lawyer)
    if custody_months is not None:
        cases.record_sentence(defendant, sentenced_on=convicted_on + dt.timedelta(days=28),
                              custody_months=custody_months, release_on=release_on, actor=lawyer)
    return {"case": case.id, "defendant": defendant.id}
