"""One record of every kind in an own unit (OCD) and in another (London North), the URL of every
route filled from them, and signed-in clients for each role (cookie and bearer token)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import Flask
from itsdangerous import URLSafeTimedSerializer
from werkzeug.routing import Rule as UrlRule

from casework.alerts.models import Alert, AlertStatus
from casework.auth.models import ApiToken
from casework.auth.service import issue_token
from casework.cases import hearings
from casework.confiscation import restraint as restraint_service
from casework.confiscation import service as confiscation_service
from casework.core import clock
from casework.extensions import db
from casework.orders import monitoring
from casework.reports import monthly
from casework.reports.periods import parse_month
from tests import factories
from tests.conftest import sign_in_as
from tests.integration.security.policy import ANONYMOUS, API_BODIES, ROLES

TODAY = dt.date(2026, 3, 10)
OWN, OTHER = "ocd", "london_north"
MONTH = "2026-02"


def build_unit(code: str, actor: Any) -> dict[str, int]:
    """A case with a convicted defendant, a hearing, an SCPO with a breach, a confiscation order
    with a payment, a restraint order and an open alert, all in unit ``code``."""
    case = factories.case(code, actor=actor)
    defendant = factories.convicted_defendant(case, actor=actor, finalised_on=dt.date(2025, 9, 1))
    hearing = hearings.record_hearing(case, court="Southwark Crown Court",
                                      hearing_on=dt.date(2026, 4, 1), kind="mention", actor=actor)
    order = factories.order(defendant, actor=actor)
    breach = monitoring.record_breach(order, occurred_on=dt.date(2026, 1, 5), description="Probe",
                                      actor=actor, today=TODAY)
    conf = factories.confiscation_order(defendant, actor=actor)
    payment, _ = confiscation_service.record_payment(conf, received_on=dt.date(2026, 1, 5),
                                                     amount=Decimal("100.00"), actor=actor)
    restraint = restraint_service.record_restraint(defendant, condition="proceedings",
                                                   applied_on=dt.date(2025, 3, 1),
                                                   made_on=dt.date(2025, 3, 2), actor=actor)
    restraint_service.set_timetable(defendant, convicted_on=dt.date(2025, 9, 1), actor=actor)
    alert = add_alert(case, order.id, f"probe:{code}")
    return {"case_id": case.id, "defendant_id": defendant.id, "hearing_id": hearing.id,
            "order_id": order.id, "breach_id": breach.id, "confiscation_order_id": conf.id,
            "payment_id": payment.id, "restraint_id": restraint.id, "alert_id": alert.id}


def add_alert(case: Any, order_id: int, key: str) -> Alert:
    alert = Alert(key=key, kind="order_expiry", series=key, subject_type="order",
                  subject_id=order_id, unit_id=case.unit_id, case_id=case.id, due_on=TODAY,
                  status=AlertStatus.SENT, sent_at=clock.now(), message="Probe alert",
                  created_at=clock.now())
    db.session.add(alert)
    db.session.flush()
    return alert


@dataclass
class World:
    users: Any
    own: dict[str, int]
    other: dict[str, int]
    shared: dict[str, Any]

    def url(self, rule: UrlRule, other_unit: bool) -> str:
        records = self.other if other_unit else self.own
        values: dict[str, Any] = {}
        for name in rule.arguments:
            if name == "order_id" and "/confiscation-orders/" in rule.rule:
                values[name] = records["confiscation_order_id"]
            elif name == "filename":
                values[name] = _static_filename(rule)
            elif name in records:
                values[name] = records[name]
            else:
                values[name] = self.shared[name]
        return rule.build(values, append_unknown=False)[1]


def build_world(users: Any) -> World:
    own = build_unit(OWN, users.lawyer)
    other = build_unit(OTHER, users.other_lawyer)
    target = factories.user("lawyer", ("sfd",), name="Tess Target")
    issue_token(target)
    token_id = db.session.execute(
        sa.select(ApiToken.id).where(ApiToken.user_id == target.id)).scalar_one()
    monthly.generate(parse_month(MONTH), trigger="manual")
    db.session.commit()
    shared = {"user_id": target.id, "token_id": token_id, "unit_id": factories.unit("sfd").id,
              "slug": "conviction-rate", "fmt": "csv", "month": MONTH}
    return World(users, own, other, shared)


def _static_filename(rule: UrlRule) -> str:
    return "images/favicon.svg" if rule.endpoint == "core.assets" else "css/app.css"


def csrf_token(app: Flask, client: Any) -> str:
    """The form token for ``client``'s session, as Flask-WTF's generate_csrf makes it."""
    import hashlib
    import os

    with client.session_transaction() as s:
        raw = s.get("csrf_token")
        if raw is None:
            raw = hashlib.sha1(os.urandom(64)).hexdigest()  # noqa: S324 - Flask-WTF's own format
            s["csrf_token"] = raw
    serializer = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token")
    return str(serializer.dumps(raw))


class Actors:
    """A cookie client and a bearer token per role, plus a signed-out client."""

    def __init__(self, app: Flask, users: Any) -> None:
        self.app = app
        self.users = {role: getattr(users, role) for role in ROLES}
        self.clients: dict[str, Any] = {}
        self.tokens: dict[str, str] = {}
        self.csrf: dict[str, str] = {}
        for role in (*ROLES, ANONYMOUS):
            self.clients[role] = app.test_client()
            if role != ANONYMOUS:
                sign_in_as(self.clients[role], self.users[role])
                self.tokens[role] = issue_token(self.users[role])
            self.csrf[role] = csrf_token(app, self.clients[role])
        db.session.commit()

    def resign(self, role: str) -> None:
        if role != ANONYMOUS:
            sign_in_as(self.clients[role], self.users[role])
            self.csrf[role] = csrf_token(self.app, self.clients[role])  # signing out cleared it

    def request(self, role: str, method: str, url: str, endpoint: str, *, other_unit: bool,
                csrf: bool = True) -> Any:
        client = self.clients[role]
        if url.startswith("/api/"):
            headers = {"Content-Type": "application/json"}
            if role != ANONYMOUS:
                headers["Authorization"] = f"Bearer {self.tokens[role]}"
            body = API_BODIES.get(endpoint, {}) if other_unit else {}
            data = None if method == "GET" else json.dumps(body)
            return client.open(url, method=method, headers=headers, data=data)
        if method == "GET":
            return client.get(url)
        data = {"csrf_token": self.csrf[role]} if csrf else {}
        return client.open(url, method=method, data=data)


def walk_gets(app: Flask, world: World, actors: Actors) -> Iterator[Any]:
    """Every GET route as every role and a signed-out visitor, own and other unit: each answer."""
    from tests.integration.security.policy import POLICY

    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        for other in (False, True) if POLICY[rule.endpoint].unit else (False,):
            url = world.url(rule, other)
            for role in (*ROLES, ANONYMOUS):
                yield actors.request(role, "GET", url, rule.endpoint, other_unit=other)
