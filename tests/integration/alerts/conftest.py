"""A small fake alert source, so the engine is tested apart from any one domain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from casework.alerts import sources
from casework.alerts.models import Alert
from casework.alerts.sources import ExpectedAlert
from casework.extensions import db


class FakeSource:
    name = "fake"
    subject_type = "widget"
    kinds = {"widget_due": "Widget due", "widget_late": "Widget late"}

    def __init__(self) -> None:
        self.alerts: dict[str, ExpectedAlert] = {}
        self.calls = 0

    def expected(self, *, today: dt.date, subject_ids: Any = None) -> list[ExpectedAlert]:
        self.calls += 1
        return [a for a in self.alerts.values() if subject_ids is None or a.subject_id in subject_ids]

    def add(self, subject_id: int, due_on: dt.date, *, unit_id: int, kind: str = "widget_due",
            token: str | None = None, series: str | None = None, **extra: Any) -> ExpectedAlert:
        token = token or due_on.isoformat()
        alert = ExpectedAlert(
            key=f"widget:{subject_id}:{kind}:{token}", kind=kind,
            series=series or f"widget:{subject_id}:{token}", subject_type="widget",
            subject_id=subject_id, unit_id=unit_id, case_id=None, due_on=due_on,
            message=extra.pop("message", f"Widget {subject_id} is due on {due_on}"), **extra)
        self.alerts[alert.key] = alert
        return alert

    def remove(self, key: str) -> None:
        self.alerts.pop(key)


@pytest.fixture
def fake_source() -> Iterator[FakeSource]:
    source = FakeSource()
    sources.load()
    sources.register(source)
    try:
        yield source
    finally:
        sources.unregister(source.name)


def rows(**where: Any) -> list[Alert]:
    stmt = sa.select(Alert).order_by(Alert.due_on, Alert.id)
    for name, value in where.items():
        stmt = stmt.where(getattr(Alert, name) == value)
    db.session.expire_all()
    return list(db.session.execute(stmt).scalars())


def statuses(**where: Any) -> dict[str, str]:
    return {a.key: a.status.value for a in rows(**where)}
