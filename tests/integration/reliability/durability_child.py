"""The writer that the durability test kills. It runs in a forked child of the test (the app is
already built, so each of the 20 rounds costs milliseconds to start, not an interpreter and an
app) with connections of its own: the inherited pool is dropped, so each connection is opened
in the child with the app's engine settings (SQLite: WAL, synchronous=FULL, BEGIN IMMEDIATE).

It records payments through the confiscation service, one committed transaction each, and only
after the commit returns sends ``(payment id, key, amount)`` down the pipe: its acknowledgement.
The parent SIGKILLs it at a random moment and checks every acknowledged payment is there."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

TODAY = dt.date(2026, 6, 1)


def write(app: Any, round_no: int, order_id: int, acks: Any) -> None:
    from casework.confiscation import service
    from casework.confiscation.models import ConfiscationOrder
    from casework.core import clock
    from casework.extensions import db

    with app.app_context(), clock.frozen(TODAY):
        db.engine.dispose(close=False)  # never touch the parent's connections
        order = db.session.get(ConfiscationOrder, order_id)
        assert order is not None
        n = 0
        while True:
            n += 1
            key = f"r{round_no}-{n}"
            amount = Decimal(n % 97 + 1) / 100
            payment, created = service.record_payment(
                order, received_on=TODAY, amount=amount, idempotency_key=key, actor=None)
            db.session.commit()
            assert created
            acks.send((payment.id, key, str(amount)))
