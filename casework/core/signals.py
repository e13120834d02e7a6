"""Blinker signals that let a lower layer announce something a higher layer reacts to.

Dependencies point one way (see pyproject's import-linter contract), so e.g. auth announces a
failed sign-in and audit (a higher layer) records it; orders announce changed dates and alerts
recompute their due dates.
"""

from blinker import Namespace

_signals = Namespace()

#: sender: None; kwargs: action, object_type, object_id, summary, actor_id, changes, reason
audit_event = _signals.signal("audit-event")

#: sender: the defendant; kwargs: old, new (release dates), actor
release_date_changed = _signals.signal("release-date-changed")

#: sender: the order; kwargs: actor
order_dates_changed = _signals.signal("order-dates-changed")

#: sender: the defendant; kwargs: charge, actor
defendant_charged = _signals.signal("defendant-charged")

#: sender: the confiscation order; kwargs: actor
confiscation_changed = _signals.signal("confiscation-changed")
