"""Code run in separate processes (multiprocessing "spawn": each builds its own app)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any


def app_for(url: str, **config: Any) -> Any:
    from tests.conftest import make_app

    return make_app(url, **config)


def _slow_claims(pause: float) -> None:
    """Hold each claimed batch open a moment before committing, so a kill lands mid-transaction."""
    from casework.alerts import engine

    original = engine.claim_due

    def claim_due(today: Any, *, limit: int) -> list[int]:
        ids = original(today, limit=limit)
        time.sleep(pause)
        return ids

    engine.claim_due = claim_due  # type: ignore[assignment]


def sweep(url: str, today: str, batch: int, barrier: Any, results: Any, name: str,
          pause: float = 0.0) -> None:
    """One sweep in its own process, started together with the others at the barrier."""
    from casework.alerts.service import send_due_alerts

    if pause:
        _slow_claims(pause)

    app = app_for(url, ALERTS_SEND_BATCH=batch)
    with app.app_context():
        if barrier is not None:
            barrier.wait(timeout=60)
            results.put(("started", name))
        started = time.monotonic()
        result = send_due_alerts(dt.date.fromisoformat(today), trigger=name)
        results.put((name, {**result.counts(), "seconds": round(time.monotonic() - started, 2)}))
