"""Builders for test records. They go through the service layer where a service exists, so
test data obeys the same rules as real data."""

from __future__ import annotations

import functools
import itertools
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from casework.auth.models import Role, User
from casework.auth.passwords import hash_password
from casework.core import clock
from casework.extensions import db
from casework.units.models import Unit

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


@functools.cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def unit(code: str) -> Unit:
    found = db.session.execute(sa.select(Unit).where(Unit.code == code)).scalar_one()
    return found


def user(role: str = "lawyer", units: tuple[str, ...] = ("ocd",), name: str | None = None,
         email: str | None = None, active: bool = True) -> User:
    n = next(_seq)
    record = User(
        email=email or f"user{n}@cps.example.gov.uk",
        name=name or f"Test {role.replace('_', ' ').title()} {n}",
        role=Role(role),
        password_hash=_password_hash(),
        active=active,
        created_at=clock.now(),
        units=[unit(code) for code in units],
    )
    db.session.add(record)
    db.session.flush()
    return record


def standard_users() -> Any:
    """One user per role in the OCD, plus a lawyer in another unit."""
    return SimpleNamespace(
        admin=user("admin", (), name="Ada Admin"),
        lawyer=user("lawyer", ("ocd",), name="Lee Lawyer"),
        other_lawyer=user("lawyer", ("london_north",), name="Olu Otherunit"),
        offender_manager=user("offender_manager", ("ocd",), name="Omar Manager"),
        analyst=user("analyst", ("ocd",), name="Ann Analyst"),
    )


# --- cases (cases engineer) ----------------------------------------------------------------

def crime_type(code: str = "drugs") -> Any:
    from casework.units.models import CrimeType

    return db.session.execute(sa.select(CrimeType).where(CrimeType.code == code)).scalar_one()


def case(unit_code: str = "ocd", *, urn: str | None = None, name: str | None = None,
         crime: str = "drugs", agency: str | None = "nca", received_on: Any = None,
         lead_lawyer: User | None = None, actor: User | None = None) -> Any:
    """A case opened through the service (audited, stage pre_charge)."""
    import datetime as dt

    from casework.cases import service

    n = next(_seq)
    return service.open_case(
        urn=urn or f"01XX{n:05d}26", name=name or f"Operation Test{n}", unit=unit(unit_code),
        crime_type=crime_type(crime), agency=agency,
        received_on=received_on or dt.date(2025, 1, 6), lead_lawyer=lead_lawyer, actor=actor)


def defendant(case_record: Any = None, *, surname: str | None = None, forenames: str = "Sam",
              date_of_birth: Any = None, pnc_id: str | None = None, aliases: tuple[str, ...] = (),
              charged_on: Any = None, category: str = "drugs_offences",
              actor: User | None = None) -> Any:
    """A defendant (on a new OCD case unless one is given), charged once when ``charged_on``."""
    from casework.cases import service

    n = next(_seq)
    case_record = case_record or case(actor=actor)
    record = service.add_defendant(case_record, surname=surname or f"Testperson{n}",
                                   forenames=forenames, date_of_birth=date_of_birth,
                                   pnc_id=pnc_id, aliases=aliases, actor=actor)
    if charged_on is not None:
        charge(record, charged_on=charged_on, category=category, actor=actor)
    return record


def charge(defendant_record: Any, *, charged_on: Any = None, category: str = "drugs_offences",
           offence: str = "Conspiracy to supply a controlled drug of Class A",
           statute: str = "Criminal Law Act 1977", section: str = "s.1",
           actor: User | None = None) -> Any:
    import datetime as dt

    from casework.cases import service

    return service.add_charge(defendant_record, offence=offence, statute=statute, section=section,
                              charged_on=charged_on or dt.date(2025, 2, 3), category=category,
                              actor=actor)


def convicted_defendant(case_record: Any = None, *, finalised_on: Any = None,
                        outcome: str = "guilty_plea", sentenced_on: Any = None,
                        custody_months: int | None = 96, release_on: Any = None,
                        release_is_actual: bool = False, actor: User | None = None,
                        **kwargs: Any) -> Any:
    """A charged defendant with a conviction outcome and (unless ``sentenced_on=False``) a sentence."""
    import datetime as dt

    from casework.cases import service

    record = defendant(case_record, charged_on=kwargs.pop("charged_on", dt.date(2025, 2, 3)),
                       actor=actor, **kwargs)
    finalised_on = finalised_on or dt.date(2025, 9, 1)
    service.record_outcome(record, outcome=outcome, finalised_on=finalised_on, actor=actor)
    if sentenced_on is not False:
        service.record_sentence(record, sentenced_on=sentenced_on or finalised_on,
                                custody_months=custody_months, release_on=release_on,
                                release_is_actual=release_is_actual, actor=actor)
    return record


def order(defendant_record: Any = None, *, type: str = "scpo", made_on: Any = None,
          court_level: str = "crown_court", actor: User | None = None, **kwargs: Any) -> Any:
    """An ancillary order recorded through the service (default: a 5-year Crown Court SCPO)."""
    import datetime as dt

    from casework.orders import service

    made_on = made_on or dt.date(2025, 10, 1)
    if not any(k in kwargs for k in ("ends_on", "term_months", "indefinite")):
        kwargs["term_months"] = 60
    return service.record_order(defendant_record or convicted_defendant(), type=type,
                                made_on=made_on, court_level=court_level, actor=actor,
                                court=kwargs.pop("court", "Southwark Crown Court"), **kwargs)


# --- confiscation (confiscation engineer) ----------------------------------------------------

def confiscation_order(defendant_record: Any = None, *, made_on: Any = None, amount: str = "36500.00",
                       benefit: str | None = None, available_amount: str | None = None,
                       due_on: Any = None, actor: User | None = None, **kwargs: Any) -> Any:
    """A confiscation order against a convicted defendant (made 1 October 2025 unless given)."""
    import datetime as dt
    from decimal import Decimal

    from casework.confiscation import service

    defendant_record = defendant_record or convicted_defendant(actor=actor)
    return service.make_order(
        defendant_record, made_on=made_on or dt.date(2025, 10, 1), amount=Decimal(amount),
        benefit=Decimal(benefit or amount), available_amount=Decimal(available_amount or amount),
        due_on=due_on, actor=actor, **kwargs)
