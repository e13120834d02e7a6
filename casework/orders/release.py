"""Orders that run from release follow the defendant's release date (CJPA 2001 s.33(3); SCPOs
that start on release, DOMAIN.md 1.2). The cases service announces a new or moved release date
with ``signals.release_date_changed``; this module listens (cases never imports orders)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from casework.auth.models import User
from casework.cases.models import Defendant
from casework.core import signals
from casework.extensions import db
from casework.orders import rules
from casework.orders.models import AncillaryOrder


def apply_release_date(defendant: Defendant, *, release_on: dt.date | None,
                       actor: User | None) -> list[AncillaryOrder]:
    """Start or move every live order that runs from release (CJPA 2001 s.33(3); SCPOs starting
    on release, DOMAIN.md 1.2): its start becomes the release date and its end the same length
    after it. Without a release date it goes back to pending."""
    from casework.orders import service as svc

    orders = db.session.execute(
        db.select(AncillaryOrder).where(AncillaryOrder.defendant_id == defendant.id,
                                        AncillaryOrder.runs_from_release.is_(True),
                                        AncillaryOrder.discharged_on.is_(None))).scalars().all()
    moved = []
    for order in orders:
        old = svc._snapshot(order)
        order.starts_on = release_on
        order.ends_on = (rules.add_months(release_on, order.term_months)
                         if release_on and order.term_months else None)
        if order.starts_on != old["starts_on"] or order.ends_on != old["ends_on"]:
            if not order.checks:
                order.next_check_due_on = None
                svc._schedule_checks(order)
            for cond in order.conditions:
                if cond.starts_on is None:
                    svc._schedule_condition(order, cond)
            db.session.flush()
            svc._audit_alter(order, old, actor,
                             f"{order.rule.short} for {defendant.full_name} moved with the release date",
                             reason="Release date changed")
            signals.order_dates_changed.send(order, actor=actor)
            moved.append(order)
    return moved


@signals.release_date_changed.connect
def _on_release_date_changed(defendant: Defendant, **kwargs: Any) -> None:
    apply_release_date(defendant, release_on=kwargs.get("new"), actor=kwargs.get("actor"))
