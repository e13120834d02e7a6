"""The order page and the forms that record and change an order (blueprint in routes.py).

Each route: access check -> load (404 outside the user's units) -> form -> service -> commit ->
flash -> redirect; a ValidationError is shown beside the fields with everything typed kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from casework.audit import service as audit
from casework.cases.queries import get_defendant_for
from casework.cases.routes import changes_since, latest_event_id, render_panels
from casework.core import clock
from casework.core.auth import roles_required
from casework.core.db import commit_keeping_loaded
from casework.core.forms import apply_service_errors
from casework.core.validation import ValidationError
from casework.extensions import db
from casework.orders import forms, queries, service
from casework.orders.models import AncillaryOrder, OrderBreach
from casework.orders.routes import EDIT_ROLES, ORDER_PANELS, READ_ROLES, bp
from casework.orders.rules import OrderType, rule_for


def order_or_404(order_id: int, *, full: bool = False) -> AncillaryOrder:
    load = queries.order_with_everything if full else queries.get_order_for
    order = load(current_user, order_id)
    if order is None:
        abort(404)
    return order


def _version(value: str | None) -> int | None:
    return int(value) if value and value.isdecimal() else None


def _save(form: Any, action: Callable[[], Any], done: str, target: str, template: str = "orders/form.html",
          on_conflict: Callable[[], list[Any]] | None = None, **context: Any) -> Response | tuple[str, int]:
    """Run the service if the form is valid, commit, flash and redirect; else show the form. A
    stale save (409) re-shows what was typed with ``on_conflict()``: what someone else changed."""
    status, conflict = 200, None
    if form.validate_on_submit():
        try:
            action()
            db.session.commit()
            flash(done, "success")
            return redirect(target)
        except ValidationError as err:
            apply_service_errors(form, err)
        except StaleDataError:
            db.session.rollback()
            conflict = on_conflict() if on_conflict is not None else []
            status = 409
    return render_template(template, form=form, back=target, conflict=conflict, **context), status


@bp.route("/orders/<int:order_id>")
@roles_required(*READ_ROLES)
def show(order_id: int) -> str:
    order = order_or_404(order_id, full=True)
    audit.record("consult", object_type="ancillary_order", object_id=order.id,
                 case_id=order.defendant.case_id, actor=current_user,
                 summary=f"{order.rule.short} for {order.defendant.full_name} viewed")
    commit_keeping_loaded(db.session())
    return render_template("orders/show.html", order=order, rule=order.rule, today=clock.today(),
                           panels=render_panels(ORDER_PANELS, order),
                           can_edit=str(current_user.role) in EDIT_ROLES)


def _order_values(form: forms.OrderForm) -> dict[str, Any]:
    managers = {str(m.id): m for m in queries.managers_for(current_user)}
    trigger = form.start_trigger.data or None
    if form.type.data in {t.value for t in OrderType} and len(rule_for(form.type.data).triggers) == 1:
        trigger = None  # a TRO always starts on release; an FRO or CDDA order on making
    return {"type": form.type.data, "made_on": form.made_on.data, "court_level": form.court_level.data,
            "court": form.court.data, "start_trigger": trigger,
            "starts_on": form.starts_on.data, "ends_on": form.ends_on.data,
            "term_months": form.term_months(), "indefinite": form.indefinite.data,
            "life_sentence": form.life_sentence.data, "served_on": form.served_on.data,
            "service_method": form.service_method.data or None,
            "offender_manager": managers.get(form.offender_manager.data or ""),
            "check_interval_months": form.check_interval_months.data or None, "actor": current_user}


ORDER_FIELDS = ["type", "court_level", "court", "made_on", "start_trigger", "starts_on", "ends_on",
                "term", "indefinite", "life_sentence", "served_on", "service_method", "offender_manager",
                "check_interval_months"]


@bp.route("/defendants/<int:defendant_id>/orders/new", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def record(defendant_id: int) -> Response | tuple[str, int]:
    defendant = get_defendant_for(current_user, defendant_id)
    if defendant is None:
        abort(404)
    form = forms.OrderForm()
    form.offender_manager.choices = forms.manager_choices(queries.managers_for(current_user))
    if request.method == "GET" and request.args.get("type") in {t.value for t in OrderType}:
        form.type.data = request.args["type"]
    created: list[AncillaryOrder] = []
    result = _save(form, lambda: created.append(service.record_order(defendant, **_order_values(form))),
                   "Order recorded", "", title=f"Record an ancillary order for {defendant.full_name}",
                   fields=ORDER_FIELDS, defendant=defendant)
    if created:
        return redirect(url_for("orders.show", order_id=created[0].id))
    return result


@bp.route("/orders/<int:order_id>/replace", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def replace(order_id: int) -> Response | tuple[str, int]:
    old = order_or_404(order_id)
    form = forms.OrderForm()
    form.offender_manager.choices = forms.manager_choices(queries.managers_for(current_user))
    if request.method == "GET":
        form.type.data = old.type.value
        form.offender_manager.data = str(old.offender_manager_id or "")
    created: list[AncillaryOrder] = []

    def action() -> None:
        values = _order_values(form)
        actor = values.pop("actor")
        created.append(service.replace_order(old, actor=actor, reason=form.reason.data, **values))

    result = _save(form, action, "New order recorded; the old order is replaced", "",
                   title=f"Replace {old.title}", fields=[*ORDER_FIELDS, "reason"], order=old)
    if created:
        return redirect(url_for("orders.show", order_id=created[0].id))
    return result


def _order_form(order_id: int, form_cls: type, action: Callable[[AncillaryOrder, Any], Any], done: str,
                title: str, fields: list[str], prefill: Callable[[AncillaryOrder, Any], None] | None = None,
                version_of: Callable[[AncillaryOrder], int] | None = None,
                ) -> Response | tuple[str, int]:
    """An order's edit form. Versioned forms carry the version the user saw and the case's newest
    audit row; a stale save answers 409 with what was changed since (who, what, when) and the
    current version, so saving again is a deliberate overwrite."""
    order = order_or_404(order_id, full=True)
    case_id = order.defendant.case_id
    current = version_of or (lambda o: o.version)
    form = form_cls()
    versioned = hasattr(form, "version")
    if versioned and request.method == "GET":
        form.version.data = str(current(order))
        form.seen_event.data = str(latest_event_id(case_id))
    if prefill is not None:
        prefill(order, form)

    def conflict() -> list[Any]:
        changed = changes_since(case_id, "ancillary_order", order.id, form.seen_event.data)
        form.seen_event.data = str(latest_event_id(case_id))
        form.version.data = str(current(order))
        return changed

    return _save(form, lambda: action(order, form), done, url_for("orders.show", order_id=order.id),
                 on_conflict=conflict if versioned else None,
                 title=f"{title}: {order.title}", fields=fields, order=order)


@bp.route("/orders/<int:order_id>/vary", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def vary(order_id: int) -> Response | tuple[str, int]:
    return _order_form(order_id, forms.VaryForm, lambda o, f: service.vary_order(
        o, varied_on=f.varied_on.data, reason=f.reason.data, ends_on=f.ends_on.data,
        term_months=f.term_months(), indefinite=True if f.indefinite.data else None,
        extended_pending_charge=f.extended_pending_charge.data, served_on=f.served_on.data,
        actor=current_user, version=_version(f.version.data)),
        "Variation saved", "Vary or renew",
        ["varied_on", "ends_on", "term", "indefinite", "extended_pending_charge", "served_on", "reason"])


@bp.route("/orders/<int:order_id>/discharge", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def discharge(order_id: int) -> Response | tuple[str, int]:
    return _order_form(order_id, forms.DischargeForm, lambda o, f: service.discharge_order(
        o, discharged_on=f.discharged_on.data, reason=f.reason.data, consents=f.consents.data,
        actor=current_user, version=_version(f.version.data)),
        "Order discharged", "Discharge", ["discharged_on", "reason", "consents"])


@bp.route("/orders/<int:order_id>/service", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def record_service(order_id: int) -> Response | tuple[str, int]:
    return _order_form(order_id, forms.ServiceForm, lambda o, f: service.record_service(
        o, served_on=f.served_on.data, method=f.method.data, actor=current_user,
        version=_version(f.version.data)), "Service recorded", "Record service", ["served_on", "method"])


@bp.route("/orders/<int:order_id>/breaches/new", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def record_breach(order_id: int) -> Response | tuple[str, int]:
    return _order_form(order_id, forms.BreachForm, lambda o, f: service.record_breach(
        o, occurred_on=f.occurred_on.data, description=f.description.data, prosecution=f.prosecution.data,
        outcome=f.outcome.data, outcome_on=f.outcome_on.data, actor=current_user),
        "Breach recorded", "Record a breach",
        ["occurred_on", "description", "prosecution", "outcome", "outcome_on"])


@bp.route("/orders/<int:order_id>/breaches/<int:breach_id>", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def edit_breach(order_id: int, breach_id: int) -> Response | tuple[str, int]:
    def find(order: AncillaryOrder) -> OrderBreach:
        found = next((b for b in order.breaches if b.id == breach_id), None)
        if found is None:
            abort(404)
        return found

    def prefill(order: AncillaryOrder, form: Any) -> None:
        breach = find(order)
        if request.method == "GET":
            form.prosecution.data, form.outcome.data = breach.prosecution.value, breach.outcome
            form.outcome_on.data = breach.outcome_on

    return _order_form(order_id, forms.BreachUpdateForm, lambda o, f: service.update_breach(
        find(o), prosecution=f.prosecution.data, outcome=f.outcome.data, outcome_on=f.outcome_on.data,
        actor=current_user, version=_version(f.version.data)),
        "Breach updated", "Update breach", ["prosecution", "outcome", "outcome_on"], prefill,
        version_of=lambda o: find(o).version)


@bp.route("/orders/<int:order_id>/checks/new", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def record_check(order_id: int) -> Response | tuple[str, int]:
    def prefill(order: AncillaryOrder, form: Any) -> None:
        form.condition.choices = [forms.SelectChoice("", "The whole order (breach check)")] + [
            forms.SelectChoice(str(c.id), f"{c.kind.label}: {c.text[:80]}") for c in order.conditions]

    def action(order: AncillaryOrder, form: Any) -> Any:
        condition = next((c for c in order.conditions if str(c.id) == form.condition.data), None)
        return service.record_compliance_check(order, checked_on=form.checked_on.data,
                                               result=form.result.data, notes=form.notes.data,
                                               condition=condition, actor=current_user)

    return _order_form(order_id, forms.CheckForm, action, "Check recorded", "Record a check",
                       ["checked_on", "condition", "result", "notes"], prefill)


@bp.route("/orders/<int:order_id>/conditions/new", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def add_condition(order_id: int) -> Response | tuple[str, int]:
    return _order_form(order_id, forms.ConditionForm, lambda o, f: service.add_condition(
        o, condition=service.ConditionInput(kind=f.kind.data, text=f.text.data or "",
                                            starts_on=f.starts_on.data, ends_on=f.ends_on.data,
                                            report_every_months=f.report_every_months.data or None),
        actor=current_user), "Condition added", "Add a condition",
        ["kind", "text", "starts_on", "ends_on", "report_every_months"])


@bp.route("/orders/<int:order_id>/schedule", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def schedule(order_id: int) -> Response | tuple[str, int]:
    def prefill(order: AncillaryOrder, form: Any) -> None:
        if request.method == "GET":
            form.interval_months.data = order.check_interval_months

    return _order_form(order_id, forms.ScheduleForm, lambda o, f: service.set_check_schedule(
        o, interval_months=f.interval_months.data or None, next_due_on=f.next_due_on.data,
        actor=current_user, version=_version(f.version.data)),
        "Check schedule saved", "Breach-check schedule", ["interval_months", "next_due_on"], prefill)


@bp.route("/orders/<int:order_id>/suspensions/new", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def suspend(order_id: int) -> Response | tuple[str, int]:
    return _order_form(order_id, forms.SuspensionForm, lambda o, f: service.record_suspension(
        o, starts_on=f.starts_on.data, ends_on=f.ends_on.data, reason=f.reason.data, actor=current_user),
        "Suspension recorded", "Suspend a travel restriction order", ["starts_on", "ends_on", "reason"])
