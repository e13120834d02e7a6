"""Administration pages: the admin home, the user list, creating and editing users, and each
user's own password change. Actions on one user (disable, unlock, tokens...) are in actions.py."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from casework.auth.admin import forms, queries, service
from casework.auth.admin.links import admin_links
from casework.auth.models import User
from casework.core import navigation
from casework.core.auth import ALL_ROLES, any_signed_in, roles_required
from casework.core.forms import apply_service_errors
from casework.core.pagination import CursorError, paginate
from casework.core.routes import HOME_LINKS
from casework.core.validation import ValidationError, has_control_chars
from casework.extensions import db
from casework.units.queries import all_units, unit_by_code

bp = Blueprint("admin", __name__)
navigation.register("Users", "admin.users", "/admin/users", ("admin",), 80)
HOME_LINKS.append((("admin",), "Administration", "admin.home"))
HOME_LINKS.append((ALL_ROLES, "Change your password", "admin.change_password"))


def load_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/admin")
@roles_required("admin")
def home() -> str:
    return render_template("admin/home.html", links=admin_links())


@bp.route("/admin/users")
@roles_required("admin")
def users() -> str:
    args = {k: v for k, v in request.args.items() if not has_control_chars(v)}
    unit = unit_by_code(args["unit"][:40]) if args.get("unit") else None
    active = {"active": True, "disabled": False}.get(args.get("status", ""))
    search = (args.get("q") or "").strip()[:100] or None
    stmt = queries.users(role=args.get("role") or None, unit_id=unit.id if unit else None,
                         active=active, search=search)
    try:
        page = paginate(stmt, queries.BY_NAME, after=args.get("after"),
                        limit=current_app.config["PAGE_SIZE"], key_of=queries.sort_key)
    except CursorError as exc:
        abort(400, str(exc))
    filters = {"role": args.get("role", ""), "unit": unit.code if unit else "",
               "status": args.get("status", ""), "q": search or ""}
    return render_template("admin/users.html", page=page, filters=filters,
                           locked=queries.locked_emails([u.email for u in page.items]),
                           roles=forms.role_choices(), units=all_units())


@bp.route("/admin/users/new", methods=["GET", "POST"])
@roles_required("admin")
def new_user() -> Response | str:
    form = forms.CreateUserForm()
    form.role.choices = forms.role_choices()
    form.units.choices = forms.unit_choices(queries.unit_choices())
    if form.validate_on_submit():
        try:
            user = service.create_user(email=form.email.data or "", name=form.name.data or "",
                                       role=form.role.data or "", unit_codes=form.units.data or [],
                                       password=form.password.data or "", actor=current_user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            db.session.commit()
            flash(f"User {user.name} created", "success")
            return redirect(url_for("admin.user", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/admin/users/<int:user_id>")
@roles_required("admin")
def user(user_id: int) -> str:
    user = load_user(user_id)
    return render_template("admin/user.html", user=user, form=forms.ActionForm(),
                           throttle=service.lock_state(user), locked=service.is_locked(user),
                           tokens=queries.tokens_for(user),
                           open_sessions=queries.open_session_count(user.id))


@bp.route("/admin/users/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def edit_user(user_id: int) -> Response | str:
    user = load_user(user_id)
    form = forms.EditUserForm(data={"name": user.name, "role": user.role.value, "version": user.version,
                                    "units": [u.code for u in user.units]})
    form.role.choices = forms.role_choices()
    form.units.choices = forms.unit_choices(queries.unit_choices(include=list(user.units)))
    if form.validate_on_submit():
        try:
            service.update_user(user, name=form.name.data or "", role=form.role.data or "",
                                unit_codes=form.units.data or [], actor=current_user,
                                expected_version=_int(form.version.data))
        except service.StaleEdit as exc:
            form.form_errors.append(exc.message)
            form.version.data = str(user.version)  # saving again overwrites knowingly
            return render_template("admin/user_form.html", form=form, user=user, current=exc.current)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Changes to {user.name} saved", "success")
            return redirect(url_for("admin.user", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=user)


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return -1


@bp.route("/account/password", methods=["GET", "POST"])
@any_signed_in
def change_password() -> Response | str:
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        record = g.get("user_session")
        try:
            service.change_own_password(
                current_user, current=form.current_password.data or "",
                new=form.new_password.data or "", confirm=form.confirm_password.data or "",
                session_id=record.id if record else None)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            db.session.commit()
            flash("Your password has been changed. You have been signed out everywhere else.",
                  "success")
            return redirect(url_for("core.home"))
    return render_template("admin/change_password.html", form=form)


from casework.auth.admin import actions  # noqa: E402,F401  (attaches the per-user actions to bp)
