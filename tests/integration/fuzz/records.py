"""Real records for fuzzed URLs, built on first use, so junk reaches the forms' and services'
rules rather than stopping at a 404. Built through the services (tests/factories.py)."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from casework.extensions import db
from tests import factories


class World:
    def __init__(self, users: Any) -> None:
        self.users = users

    @property
    def actor(self) -> Any:
        return self.users.lawyer

    @functools.cached_property
    def case(self) -> Any:
        return factories.case(actor=self.actor, lead_lawyer=self.users.lawyer)

    @functools.cached_property
    def defendant(self) -> Any:
        """Charged, no outcome yet."""
        return factories.defendant(self.case, charged_on=dt.date(2025, 2, 3), actor=self.actor)

    @functools.cached_property
    def convicted(self) -> Any:
        """Convicted and sentenced (96 months), so orders and confiscation may follow."""
        return factories.convicted_defendant(self.case, actor=self.actor)

    @functools.cached_property
    def hearing(self) -> Any:
        from casework.cases.hearings import record_hearing

        return record_hearing(self.case, court="Southwark Crown Court", hearing_on=dt.date(2025, 3, 4),
                              kind="trial", defendant=self.defendant, actor=self.actor)

    @functools.cached_property
    def order(self) -> Any:
        return factories.order(self.convicted, actor=self.actor,
                               offender_manager=self.users.offender_manager)

    @functools.cached_property
    def tro(self) -> Any:
        """A travel restriction order (only these may be suspended)."""
        return factories.order(self.convicted, type="tro", actor=self.actor)

    @functools.cached_property
    def breach(self) -> Any:
        from casework.orders import service

        return service.record_breach(self.order, occurred_on=dt.date(2025, 11, 3),
                                     description="Used an unregistered phone", actor=self.actor)

    @functools.cached_property
    def confiscation(self) -> Any:
        return factories.confiscation_order(self.convicted, actor=self.actor)

    @functools.cached_property
    def payment(self) -> Any:
        from casework.confiscation import service

        payment, _ = service.record_payment(self.confiscation, received_on=dt.date(2025, 11, 1),
                                            amount=Decimal("100.00"), actor=self.actor)
        return payment

    @functools.cached_property
    def restraint(self) -> Any:
        from casework.confiscation.restraint import record_restraint

        return record_restraint(self.convicted, condition="investigation", applied_on=dt.date(2025, 6, 1),
                                made_on=dt.date(2025, 6, 2), next_report_due_on=dt.date(2025, 9, 1),
                                actor=self.actor)

    @functools.cached_property
    def alert(self) -> Any:
        from casework.alerts.models import Alert, AlertStatus
        from casework.core import clock

        unit = factories.unit("ocd")
        alert = Alert(key=f"fuzz:{self.case.id}", kind="fuzz_check", series=f"fuzz:{self.case.id}",
                      subject_type="case", subject_id=self.case.id, unit_id=unit.id,
                      case_id=self.case.id, assignee_id=self.users.lawyer.id,
                      lawyer_id=self.users.lawyer.id, due_on=clock.today(),
                      status=AlertStatus.SENT, message="A check is due", created_at=clock.now())
        db.session.add(alert)
        db.session.flush()
        return alert

    @functools.cached_property
    def unit(self) -> Any:
        return factories.unit("london_north")

    @functools.cached_property
    def target_user(self) -> Any:
        """The user an administrator's actions are aimed at (never the administrator)."""
        return self.users.other_lawyer

    @functools.cached_property
    def token_id(self) -> int:
        from casework.auth.models import ApiToken
        from casework.auth.service import issue_token

        issue_token(self.target_user)
        return int(db.session.scalar(sa.select(sa.func.max(ApiToken.id))))
