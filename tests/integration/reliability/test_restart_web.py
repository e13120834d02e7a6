"""The web app restarting mid-sweep of writes (QUALITY.md durability; API.md idempotency): a
client posts payments through the JSON API to gunicorn (2 workers), which is SIGKILLed twice
and stopped with SIGTERM once while requests are in flight, and restarted each time. The client
does what API.md asks: a request that got no answer is sent again with the same
Idempotency-Key. Every acknowledged payment must be present once, and none doubled."""

from __future__ import annotations

import datetime as dt
import json
import random
import signal
import threading
import time
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.integration.reliability import dbs, servers

PAYMENTS = 90
CLIENTS = 3
STOPS = [signal.SIGKILL, signal.SIGTERM, signal.SIGKILL]
SEED = 7

pytestmark = pytest.mark.slow


def _seed(app: Any) -> tuple[int, str]:
    from casework.auth import service as auth_service
    from casework.core import clock
    from casework.extensions import db
    from tests import factories

    with app.app_context(), clock.frozen(dt.date(2026, 6, 1)):
        users = factories.standard_users()
        defendant = factories.convicted_defendant(finalised_on=dt.date(2025, 9, 1), actor=users.lawyer)
        order = factories.confiscation_order(defendant, actor=users.lawyer)
        token = auth_service.issue_token(users.lawyer)
        db.session.commit()
        seeded = (order.id, token)
        db.session.remove()
        db.engine.dispose()
        return seeded


class Client:
    """Posts its payments one by one; an unanswered request is retried with the same key."""

    def __init__(self, base: list[str], order_id: int, token: str, keys: list[str]) -> None:
        self.base, self.order_id, self.token, self.keys = base, order_id, token, keys
        self.acked: dict[str, tuple[int, str]] = {}
        self.retries = self.replayed = 0
        self.problems: list[str] = []

    def post(self, key: str, amount: str) -> tuple[int, dict[str, Any], bool]:
        body = json.dumps({"received_on": "2026-05-01", "amount": amount}).encode()
        request = urllib.request.Request(  # noqa: S310 - local server
            f"{self.base[0]}/api/v1/confiscation-orders/{self.order_id}/payments", data=body,
            method="POST", headers={"Authorization": f"Bearer {self.token}", "Idempotency-Key": key,
                                    "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return (response.status, json.loads(response.read()),
                    response.headers.get("Idempotent-Replayed") == "true")

    def run(self) -> None:
        for n, key in enumerate(self.keys):
            amount = f"{n % 50 + 1}.{n % 100:02d}"
            while True:
                try:
                    status, payload, replayed = self.post(key, amount)
                except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
                    if isinstance(exc, urllib.error.HTTPError):
                        self.problems.append(f"{key}: HTTP {exc.code} {exc.read()[:200]!r}")
                        return
                    self.retries += 1  # no answer: the server went away; same key again
                    time.sleep(0.05)
                    continue
                self.replayed += replayed
                if status not in (200, 201):
                    self.problems.append(f"{key}: {status}")
                    return
                self.acked[key] = (payload["id"], payload["amount"])
                break


def test_web_app_killed_mid_writes_loses_and_doubles_no_payment(tmp_path: Path) -> None:
    from casework.confiscation import ledger
    from casework.confiscation.models import Payment
    from casework.extensions import db

    t0 = time.monotonic()
    url = dbs.own_database(tmp_path, "restart_web")
    app = dbs.migrated_app(url)
    order_id, token = _seed(app)
    rng = random.Random(SEED)
    port, log = servers.free_port(), tmp_path / "gunicorn.log"
    base = [f"http://127.0.0.1:{port}"]
    server = servers.gunicorn(url, port, log)
    keys = [f"pay-{i}" for i in range(PAYMENTS)]
    clients = [Client(base, order_id, token, keys[i::CLIENTS]) for i in range(CLIENTS)]
    threads = [threading.Thread(target=c.run, daemon=True) for c in clients]
    stops = []
    try:
        for t in threads:
            t.start()
        for sig in STOPS:
            before = sum(len(c.acked) for c in clients)
            while sum(len(c.acked) for c in clients) < before + rng.randint(3, 12):
                assert any(t.is_alive() for t in threads), [p for c in clients for p in c.problems]
                time.sleep(0.01)
            stops.append((signal.Signals(sig).name, servers.stop(server, sig)))
            server = servers.gunicorn(url, port, log)
        for t in threads:
            t.join(120)
    finally:
        servers.stop(server, signal.SIGTERM)

    problems = [p for c in clients for p in c.problems]
    assert not problems, problems[:5]
    acked = {k: v for c in clients for k, v in c.acked.items()}
    with app.app_context():
        rows = db.session.execute(sa.select(Payment.idempotency_key, Payment.id, Payment.amount)
                                  .where(Payment.order_id == order_id)).all()
        paid = ledger.paid_total(order_id)
        db.session.remove()
        db.engine.dispose()
    by_key: dict[str, list[tuple[int, Decimal]]] = {}
    for key, pid, amount in rows:
        by_key.setdefault(key, []).append((pid, amount))
    lost = [k for k, (pid, amount) in acked.items()
            if by_key.get(k) != [(pid, Decimal(amount))]]
    doubled = sum(len(v) - 1 for v in by_key.values())
    retries = sum(c.retries for c in clients)
    replayed = sum(c.replayed for c in clients)
    print(f"\n[restart-web] {dbs.label(url)}: {PAYMENTS} payments from {CLIENTS} clients through "
          f"gunicorn stopped {len(stops)} times {stops} and restarted; {len(acked)} acknowledged, "
          f"{retries} requests retried after no answer, {replayed} answered as replays of a "
          f"payment already saved, {len(lost)} lost, {doubled} doubled; "
          f"{time.monotonic() - t0:.1f}s")
    assert len(acked) == PAYMENTS and not lost and doubled == 0
    assert len(rows) == PAYMENTS
    assert paid == sum((Decimal(a) for _, a in acked.values()), Decimal(0))
    assert [code for _, code in stops] and all(code is not None for _, code in stops)
