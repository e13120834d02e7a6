"""One editor process for the lost-update test: a forked child of the test (the app is already
built) that opens connections of its own. Each edit is a read-modify-write of one order, as a
person does it through the form: read the order and its version in one transaction, then, in
another, vary it to end one day later than what was read, sending the version read. A stale
version is refused (StaleDataError, the 409 path): read again and retry, after a short random
pause as a client retrying a 409 would (without it eight editors mostly collide with each other
on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import random
import time
import traceback
from typing import Any

TODAY = dt.date(2026, 6, 1)


def edit(app: Any, order_id: int, actor_id: int, proc: int, edits: int, barrier: Any,
         results: Any) -> None:
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm.exc import StaleDataError

    from casework.auth.models import User
    from casework.core import clock
    from casework.extensions import db
    from casework.orders import service
    from casework.orders.models import AncillaryOrder
    rng = random.Random(proc)
    acknowledged: list[str] = []
    conflicts = 0
    kinds: dict[str, int] = {}
    errors: list[str] = []
    with app.app_context(), clock.frozen(TODAY):
        db.engine.dispose(close=False)  # never touch the parent's connections
        barrier.wait(timeout=120)
        started = time.monotonic()
        for n in range(edits):
            token = f"p{proc}-e{n}"
            tries = 0
            while True:
                try:
                    order = db.session.get(AncillaryOrder, order_id)
                    assert order is not None and order.ends_on is not None
                    seen_version, seen_end = order.version, order.ends_on
                    db.session.commit()  # the form is open; others may save meanwhile
                    order = db.session.get(AncillaryOrder, order_id)
                    assert order is not None
                    service.vary_order(order, varied_on=TODAY, reason=token,
                                       ends_on=seen_end + dt.timedelta(days=1),
                                       actor=db.session.get(User, actor_id), version=seen_version)
                    db.session.commit()
                except StaleDataError as exc:
                    db.session.rollback()
                    # The service's version check, or the version column at flush (a save that
                    # landed between this process's read and its UPDATE).
                    where = "check" if "since it was read" in str(exc) else "flush"
                    kinds[where] = kinds.get(where, 0) + 1
                    conflicts += 1
                    tries += 1
                    time.sleep(rng.uniform(0, 0.004 * min(tries, 10)))
                    continue
                except OperationalError as exc:
                    # SQLite: no write lock within busy_timeout (writers are not queued fairly).
                    # Nothing was saved; the client sees an error and tries again.
                    db.session.rollback()
                    if "database is locked" not in str(exc):
                        raise
                    kinds["locked"] = kinds.get("locked", 0) + 1
                    continue
                except Exception:  # reported to the parent, which fails the test
                    db.session.rollback()
                    errors.append(traceback.format_exc(limit=3))
                    if len(errors) > 5:
                        break
                    continue
                acknowledged.append(token)  # committed: only now is the edit acknowledged
                break
            if len(errors) > 5:
                break
        results.put({"proc": proc, "acknowledged": acknowledged, "conflicts": conflicts,
                     "errors": errors, "kinds": kinds, "seconds": round(time.monotonic() - started, 1)})
