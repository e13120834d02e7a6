"""Confiscation orders: make, view (balance as of any date), payments and reversals, extension,
enforcement, reconsideration, write-off."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from casework.audit import service as audit
from casework.confiscation import enforcement, ledger, queries, rules, service
from casework.confiscation.forms import (
    EnforcementForm,
    ExtensionForm,
    OrderForm,
    PaymentForm,
    ReconsiderationForm,
    ReversalForm,
    WriteOffForm,
)
from casework.confiscation.models import ConfiscationOrder
from casework.confiscation.routes import (
    EDIT_ROLES,
    READ_ROLES,
    bp,
    can_edit,
    defendant_or_404,
    order_or_404,
)
from casework.confiscation.transactions import commit_with_retry
from casework.core import clock
from casework.core.auth import roles_required
from casework.core.forms import apply_service_errors, form_version
from casework.core.validation import ValidationError
from casework.extensions import db


def v(field: Any) -> Any:
    """A validated field's value (typed loosely: the service checks it)."""
    return field.data


def _order_page(order: ConfiscationOrder) -> str:
    return url_for("confiscation.order", order_id=order.id)


def _form_page(form: object, title: str, order: ConfiscationOrder) -> str:
    return render_template("confiscation/form.html", form=form, title=title, case=order.defendant.case,
                           back=_order_page(order))


@bp.route("/defendants/<int:defendant_id>/confiscation-orders/new", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def new_order(defendant_id: int) -> Response | str:
    defendant = defendant_or_404(defendant_id)
    form = OrderForm()
    if form.validate_on_submit():
        try:
            order = service.make_order(
                defendant, made_on=v(form.made_on), benefit=v(form.benefit),
                available_amount=v(form.available_amount), amount=v(form.amount),
                due_on=v(form.due_on), court=v(form.court),
                compensation_amount=v(form.compensation_amount),
                default_term_months=v(form.default_term_months), actor=current_user)
            db.session.commit()
            flash("Confiscation order recorded", "success")
            return redirect(_order_page(order))
        except ValidationError as err:
            apply_service_errors(form, err)
    return render_template("confiscation/form.html", form=form, title="Record a confiscation order",
                           case=defendant.case,
                           back=url_for("confiscation.defendant_tab", defendant_id=defendant.id))


@bp.route("/confiscation-orders/<int:order_id>")
@roles_required(*READ_ROLES)
def order(order_id: int) -> str:
    """The order, its ledger and its balance on any day (``?as_of=YYYY-MM-DD``); viewing it is a
    consultation of the defendant's personal data (DPA 2018 s.62), audited once per view."""
    record = order_or_404(order_id)
    try:
        as_of = dt.date.fromisoformat(request.args["as_of"]) if request.args.get("as_of") else clock.today()
    except ValueError:
        abort(400, "Enter the date as YYYY-MM-DD")
    try:
        balance = ledger.balance(record, as_of)
    except ValueError as exc:  # no judgment-debt rate that far back
        abort(400, str(exc))
    paid_now = ledger.paid_total(record.id)
    audit.record("consult", object_type="confiscation_order", object_id=record.id, case_id=record.case_id,
                 actor=current_user, summary=f"{current_user.name} viewed the confiscation order against "
                                              f"{record.defendant.full_name}")
    db.session.commit()
    return render_template(
        "confiscation/order.html", order=record, defendant=record.defendant, case=record.defendant.case,
        balance=balance, as_of=as_of, entries=queries.ledger_entries(record.id),
        reversed_ids=queries.reversed_ids(record.id), steps=queries.enforcement_steps(record.id),
        reconsiderations=queries.reconsiderations(record.id), can_edit=can_edit(),
        compensation_paid=rules.compensation_paid(paid_now, record.compensation_amount),
        limits=rules.time_to_pay_limits(record.made_on), describe_months=rules.describe_months)


@bp.route("/confiscation-orders/<int:order_id>/payments/new", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def new_payment(order_id: int) -> Response | str:
    """A one-use key in the form makes a double-submitted payment one ledger row."""
    record = order_or_404(order_id)
    form = PaymentForm()
    if not form.is_submitted():
        form.idempotency_key.data = uuid.uuid4().hex
    if form.validate_on_submit():
        try:
            _, created = commit_with_retry(lambda: service.record_payment(
                record, received_on=v(form.received_on), amount=v(form.amount),
                idempotency_key=v(form.idempotency_key) or None, reference=v(form.reference),
                note=v(form.note), actor=current_user))
            flash("Payment recorded" if created else "That payment was already recorded", "success")
            return redirect(_order_page(record))
        except ValidationError as err:
            apply_service_errors(form, err)
    return _form_page(form, "Record a payment", record)


@bp.route("/confiscation-orders/<int:order_id>/payments/<int:payment_id>/reverse", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def reverse_payment(order_id: int, payment_id: int) -> Response | str:
    record = order_or_404(order_id)
    payment = queries.get_payment_for(current_user, record, payment_id)
    if payment is None:
        abort(404)
    form = ReversalForm()
    if form.validate_on_submit():
        try:
            commit_with_retry(lambda: service.reverse_payment(
                payment, reversed_on=v(form.reversed_on), reason=v(form.reason) or "",
                actor=current_user))
            flash("Payment reversed", "success")
            return redirect(_order_page(record))
        except ValidationError as err:
            apply_service_errors(form, err)
    return _form_page(form, "Reverse a payment", record)


@bp.route("/confiscation-orders/<int:order_id>/extension", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def extension(order_id: int) -> Response | str:
    record = order_or_404(order_id)
    form = ExtensionForm(version=record.version, extension_applied_on=record.extension_applied_on,
                         decided_on=record.extension_decided_on, extended_due_on=record.extended_due_on)
    if form.validate_on_submit():
        try:
            service.record_extension(record, applied_on=v(form.extension_applied_on),
                                     decided_on=v(form.decided_on),
                                     extended_due_on=v(form.extended_due_on),
                                     version=form_version(form.version.data), actor=current_user)
            db.session.commit()
            flash("Time to pay updated", "success")
            return redirect(_order_page(record))
        except ValidationError as err:
            apply_service_errors(form, err)
    return _form_page(form, "Application to extend time to pay", record)


@bp.route("/confiscation-orders/<int:order_id>/enforcement/new", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def new_enforcement(order_id: int) -> Response | str:
    record = order_or_404(order_id)
    form = EnforcementForm()
    if form.validate_on_submit():
        try:
            enforcement.record_enforcement(record, kind=v(form.kind) or "", taken_on=v(form.taken_on),
                                           result=v(form.result), next_due_on=v(form.next_due_on),
                                           actor=current_user)
            db.session.commit()
            flash("Enforcement step recorded", "success")
            return redirect(_order_page(record))
        except ValidationError as err:
            apply_service_errors(form, err)
    return _form_page(form, "Record an enforcement step", record)


@bp.route("/confiscation-orders/<int:order_id>/reconsiderations/new", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def new_reconsideration(order_id: int) -> Response | str:
    record = order_or_404(order_id)
    form = ReconsiderationForm()
    if form.validate_on_submit():
        try:
            enforcement.record_reconsideration(
                record, section=v(form.section) or "", applied_on=v(form.applied_on),
                outcome=v(form.outcome) or "pending", decided_on=v(form.decided_on),
                new_benefit=v(form.new_benefit), new_available_amount=v(form.new_available_amount),
                new_amount=v(form.new_amount), new_default_term_months=v(form.new_default_term_months),
                actor=current_user)
            db.session.commit()
            flash("Application recorded", "success")
            return redirect(_order_page(record))
        except ValidationError as err:
            apply_service_errors(form, err)
    return _form_page(form, "Record a reconsideration application", record)


@bp.route("/confiscation-orders/<int:order_id>/write-off", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def write_off(order_id: int) -> Response | str:
    record = order_or_404(order_id)
    form = WriteOffForm()
    if form.validate_on_submit():
        try:
            enforcement.write_off_order(record, written_off_on=v(form.written_off_on),
                                        reason=v(form.reason) or "", actor=current_user)
            db.session.commit()
            flash("Order written off", "success")
            return redirect(_order_page(record))
        except ValidationError as err:
            apply_service_errors(form, err)
    return _form_page(form, "Write off the order", record)
