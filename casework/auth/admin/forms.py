from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from casework.auth.models import Role
from casework.auth.passwords import MAX_LENGTH, MIN_LENGTH
from casework.units.models import Unit


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(r.value, r.label) for r in Role]


def unit_choices(units: list[Unit]) -> list[SelectChoice]:
    return [SelectChoice(u.code, u.name + ("" if u.active else " (no longer in use)")) for u in units]


class _UserFields(FlaskForm):
    name = StringField("Full name", widget=GovTextInput(),
                       validators=[DataRequired("Enter the user's full name"),
                                   Length(max=120, message="Full name must be 120 characters or fewer")],
                       render_kw={"autocomplete": "off", "spellcheck": "false"})
    role = RadioField("Role", widget=GovRadioInput(), validate_choice=False,
                      validators=[InputRequired("Choose a role")])
    units = SelectMultipleField(
        "Units", widget=GovCheckboxesInput(), validate_choice=False,
        description="Choose at least one unit, unless the user is an administrator. Users see "
                    "only their units' records.")


class CreateUserForm(_UserFields):
    email = EmailField("Email address", widget=GovTextInput(),
                       validators=[DataRequired("Enter the user's email address"),
                                   Length(max=254, message="Email address must be 254 characters or fewer")],
                       render_kw={"autocomplete": "off", "spellcheck": "false"})
    password = PasswordField(
        "Initial password", widget=GovPasswordInput(),  # length checked here too, for one round
        validators=[DataRequired("Enter an initial password"),
                    Length(min=MIN_LENGTH, message=f"Password must be at least {MIN_LENGTH} characters"),
                    Length(max=MAX_LENGTH, message=f"Password must be {MAX_LENGTH} characters or fewer")],
        description="At least 12 characters. Give it to the user securely; they should change it "
                    "when they first sign in.",
        render_kw={"autocomplete": "new-password"})
    submit = SubmitField("Create user", widget=GovSubmitInput())


class EditUserForm(_UserFields):
    version = HiddenField()
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token is sent."""


_TOO_LONG = "Password must be 128 characters or fewer"


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", widget=GovPasswordInput(),
        validators=[DataRequired("Enter your current password"), Length(max=128, message=_TOO_LONG)],
        render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(
        "New password", widget=GovPasswordInput(), description="At least 12 characters.",
        validators=[DataRequired("Enter a new password"), Length(max=128, message=_TOO_LONG)],
        render_kw={"autocomplete": "new-password"})
    confirm_password = PasswordField(
        "Confirm new password", widget=GovPasswordInput(),
        validators=[DataRequired("Enter your new password again"), Length(max=128, message=_TOO_LONG)],
        render_kw={"autocomplete": "new-password"})
    submit = SubmitField("Change password", widget=GovSubmitInput())
