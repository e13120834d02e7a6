"""Web pages for cases and defendants.

Access: lawyers edit cases in their own units; offender managers read them; administrators read
every unit; analysts have no case pages (403). A case outside the user's units is a 404.

Extension points for higher layers (cases never imports them; they append at import time):
- ``DEFENDANT_PANELS``: (template name, context function) pairs shown on the defendant page,
  e.g. orders adds ``("orders/_defendant_panel.html", orders_for_defendant)``. The context
  function takes (defendant, user) and returns the template's variables, or None to skip.
- ``CASE_PANELS``: the same for the case page, taking (case, user).
- ``TIMELINE_SOURCES``: functions (case) -> iterable of ``timeline.Entry`` merged into the
  case timeline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from casework.audit.models import AuditEvent
from casework.cases import queries
from casework.cases.models import Case, Defendant
from casework.cases.timeline import Entry
from casework.core import navigation
from casework.core.forms import apply_service_errors
from casework.core.routes import HOME_LINKS
from casework.core.validation import ValidationError
from casework.extensions import db

bp = Blueprint("cases", __name__)

READ_ROLES = ("lawyer", "offender_manager", "admin")
EDIT_ROLES = ("lawyer",)

Panel = tuple[str, Callable[[Any, Any], dict[str, Any] | None]]
DEFENDANT_PANELS: list[Panel] = []
CASE_PANELS: list[Panel] = []
TIMELINE_SOURCES: list[Callable[[Case], Iterable[Entry]]] = []

navigation.register("Cases", "cases.index", "/cases", READ_ROLES, 10)
HOME_LINKS.append((("lawyer",), "My cases", "cases.mine"))
HOME_LINKS.append((READ_ROLES, "Find a case", "cases.index"))


def case_or_404(case_id: int) -> Case:
    case = queries.get_case_for(current_user, case_id)
    if case is None:
        abort(404)
    return case


def defendant_or_404(defendant_id: int) -> Defendant:
    defendant = queries.get_defendant_with_case(current_user, defendant_id)
    if defendant is None:
        abort(404)
    return defendant


def render_panels(panels: list[Panel], record: Any) -> list[tuple[str, dict[str, Any]]]:
    rendered = []
    for template, context in panels:
        values = context(record, current_user)
        if values is not None:
            rendered.append((template, values))
    return rendered


def latest_event_id(case_id: int) -> int:
    import sqlalchemy as sa

    return db.session.execute(  # type: ignore[no-any-return]
        sa.select(sa.func.coalesce(sa.func.max(AuditEvent.id), 0))
        .where(AuditEvent.case_id == case_id)).scalar_one()


def changes_since(case_id: int, object_type: str, object_id: int, seen: str | None) -> list[AuditEvent]:
    """Audit rows for a record written after the user opened the form (what someone else did)."""
    import sqlalchemy as sa

    try:
        after = int(seen or 0)
    except ValueError:
        after = 0
    if not 0 <= after < 2**63:  # a tampered field; the database's integers stop there
        after = 0
    return list(db.session.execute(
        sa.select(AuditEvent).where(AuditEvent.case_id == case_id, AuditEvent.id > after,
                                    AuditEvent.object_type == object_type,
                                    AuditEvent.object_id == object_id)
        .order_by(AuditEvent.id)).scalars())


def form_version(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return -1  # a tampered version is always stale


def versioned_edit(record: Any, form: Any, save: Callable[[int | None], None], *, object_type: str,
                   case_id: int, reload: Callable[[], Any], title: str, done: str, message: str,
                   back: str, **extra: Any) -> tuple[str, int] | Response:
    """The edit-form cycle for versioned records. GET stamps the record's version and the newest
    audit row into the form; POST saves through ``save(version)`` and redirects to ``done``, or
    re-shows the form with what was typed and the service's messages, or (409) with what someone
    else changed since the form was opened and the current version, so saving again is a
    deliberate overwrite."""
    conflict = None
    if request.method == "GET":
        form.version.data, form.seen_event.data = str(record.version), str(latest_event_id(case_id))
    elif form.validate_on_submit():
        try:
            save(form_version(form.version.data))
            db.session.commit()
            flash(message, "success")
            return redirect(done)
        except ValidationError as err:
            apply_service_errors(form, err)
        except StaleDataError:
            db.session.rollback()
            conflict = changes_since(case_id, object_type, record.id, form.seen_event.data)
            form.seen_event.data = str(latest_event_id(case_id))
            form.version.data = str(reload().version)
    return render_template("cases/form.html", form=form, title=title, conflict=conflict, back=back,
                           **extra), 409 if conflict is not None else 200


from casework.cases import views_case, views_defendant, views_list  # noqa: E402,F401
