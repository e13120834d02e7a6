"""The alert-source interface: each domain says which alerts *should* exist; the engine makes the
rows match (inserting missing keys, cancelling pending ones that are no longer true).

A source is set-based: ``expected(today=..., subject_ids=None)`` answers for every subject with
a handful of SQL queries (joins, no per-subject loops), and ``subject_ids={...}`` narrows the
same queries to a few subjects when one record changes. The engine compares keys in bulk, so a
sweep over 300,000 alerts is a few statements, not 300,000.

Writing a source (e.g. ``sources/confiscation.py``)::

    from casework.alerts.sources import ExpectedAlert, register

    class ConfiscationSource:
        name = "confiscation"
        subject_type = "confiscation_order"
        kinds = {"poca_payment_due": "Confiscation payment due"}

        def expected(self, *, today, subject_ids=None):
            stmt = sa.select(ConfiscationOrder.id, ConfiscationOrder.due_on, ...)
            if subject_ids is not None:
                stmt = stmt.where(ConfiscationOrder.id.in_(subject_ids))
            for row in db.session.execute(stmt):
                yield ExpectedAlert(
                    key=f"confiscation_order:{row.id}:payment_due:{row.due_on}",
                    series=f"confiscation_order:{row.id}:payment:{row.due_on}",
                    kind="poca_payment_due", subject_type="confiscation_order",
                    subject_id=row.id, unit_id=row.unit_id, case_id=row.case_id,
                    due_on=row.due_on - dt.timedelta(days=14), message="...")

    register(ConfiscationSource())

and add ``"confiscation"`` to ``SOURCE_MODULES`` below. To recompute when a record changes, call
``casework.alerts.service.recompute_for("confiscation_order", [order.id])`` from a signal
receiver (see ``sources/orders.py``).

Rules a source must follow:
- ``key`` is unique and stable: include every date the alert was computed from, so a changed
  date gives a new key (the old pending alert is then cancelled as no longer true).
- ``due_on`` is the day the alert should reach people; the engine sends it on or after that day.
- ``message`` must be true on the day it is read (``rules.when`` with ``rules.reading_day``).
- ``suppressed`` (a reason) marks an alert that exists but must not be sent (its order ended);
  ``suppressed_if_new`` only when the row does not exist yet (historic data, not an outage).
- Only return kinds listed in ``kinds``; the engine cancels pending alerts of those kinds only.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)

#: Modules under casework.alerts.sources that call ``register`` when imported.
SOURCE_MODULES = ("orders", "confiscation")


@dataclass(frozen=True)
class ExpectedAlert:
    key: str
    kind: str
    series: str
    subject_type: str
    subject_id: int
    unit_id: int
    case_id: int | None
    due_on: dt.date
    message: str
    assignee_id: int | None = None  # the offender manager responsible, if any
    lawyer_id: int | None = None  # the case's lawyer, if any
    suppressed: str | None = None  # why it must not be sent ("The order was discharged ...")
    #: Why it must not be sent *if it is only now computed* (an order entered long after it
    #: ended); an alert already waiting (missed during an outage) is still delivered.
    suppressed_if_new: str | None = None


class AlertSource(Protocol):
    name: str
    subject_type: str
    kinds: dict[str, str]  # kind -> label shown to users

    def expected(self, *, today: dt.date,
                 subject_ids: Collection[int] | None = None) -> Iterable[ExpectedAlert]: ...


_SOURCES: dict[str, AlertSource] = {}
_loaded = False


def register(source: AlertSource) -> None:
    _SOURCES[source.name] = source


def unregister(name: str) -> None:
    _SOURCES.pop(name, None)


def load() -> None:
    """Import the source modules once; a domain not built yet is skipped (logged)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    for name in SOURCE_MODULES:
        try:
            importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:  # the domain's models are not in this tree yet
            log.warning("alert source %s not loaded: %s", name, exc)


def all_sources() -> list[AlertSource]:
    load()
    return list(_SOURCES.values())


def sources_for(subject_type: str) -> list[AlertSource]:
    return [s for s in all_sources() if s.subject_type == subject_type]


def kind_label(kind: str) -> str:
    for source in all_sources():
        if kind in source.kinds:
            return source.kinds[kind]
    return kind.replace("_", " ").capitalize()


def all_kinds() -> dict[str, str]:
    kinds: dict[str, str] = {}
    for source in all_sources():
        kinds.update(source.kinds)
    return kinds
