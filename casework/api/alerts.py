"""Alerts: the list visible to the user (their units) and acknowledging one (API.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from casework.alerts import queries, service
from casework.alerts.models import Alert, AlertStatus
from casework.api import schemas as s
from casework.api.framework import api, not_found, page_of
from casework.auth.models import User

ROLES = ("admin", "lawyer", "offender_manager")


class AlertQuery(s.ListQuery):
    status: s.OptionalChoice[AlertStatus] = Field(default=None, title="the status")
    kind: s.OptionalText = Field(default=None, title="the kind of alert")
    due_before: s.OptionalDate = Field(default=None, title="due before this date")


class AlertOut(s.ResponseModel):
    id: int
    version: int
    kind: str
    due_on: dt.date
    status: str
    subject_type: str
    subject_id: int
    message: str


def alert_json(alert: Alert) -> dict[str, Any]:
    return {"id": alert.id, "version": alert.version, "kind": alert.kind, "due_on": alert.due_on,
            "status": alert.status.value, "subject_type": alert.subject_type,
            "subject_id": alert.subject_id, "message": alert.message}


@api.endpoint("GET", "/alerts", roles=ROLES, query=AlertQuery, response=s.Page[AlertOut],
              tags=["alerts"], summary="Alerts in the user's units, latest due first")
def list_alerts(query: AlertQuery, user: User) -> dict[str, Any]:
    stmt = queries.visible_alerts(user, status=query.status.value if query.status else None,
                                  kind=query.kind, due_before=query.due_before)
    return page_of(stmt, queries.NEWEST_DUE_FIRST, query, alert_json,
                   key_of=lambda a: [a.due_on, a.id])


@api.endpoint("POST", "/alerts/<int:alert_id>/acknowledge", roles=ROLES, response=AlertOut,
              tags=["alerts"], summary="Acknowledge an alert that has been sent")
def acknowledge_alert(alert_id: int, user: User) -> dict[str, Any]:
    """Only a sent (or already acknowledged) alert can be acknowledged; others answer 422."""
    alert = queries.get_alert_for(user, alert_id) or not_found()
    return alert_json(service.acknowledge(alert, actor=user))
