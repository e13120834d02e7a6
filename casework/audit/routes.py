from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from casework.audit import queries
from casework.audit.models import Action
from casework.core import navigation
from casework.core.auth import roles_required
from casework.core.pagination import CursorError, paginate
from casework.core.validation import has_control_chars

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
navigation.register("Audit log", "audit.log", "/admin/audit", ("admin",), 90)


@bp.route("")
@roles_required("admin")
def log() -> str:
    action = request.args.get("action") or None
    if action and action not in {a.value for a in Action}:
        action = None
    object_type = (request.args.get("object_type") or "").strip()[:40] or None
    if object_type and has_control_chars(object_type):
        object_type = None  # PostgreSQL refuses NUL in a query; no object type has one
    try:
        page = paginate(queries.audit_log(action=action, object_type=object_type),
                        queries.NEWEST_FIRST, after=request.args.get("after"),
                        limit=current_app.config["PAGE_SIZE"], key_of=lambda e: [e.id])
    except CursorError as exc:
        abort(400, str(exc))
    return render_template("audit/log.html", page=page, actions=list(Action), action=action,
                           object_type=object_type or "")
