from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length

from casework.core.forms import Form


class SignInForm(Form):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired("Enter your email address"),
                    Length(max=254, message="Email address must be 254 characters or fewer")],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter your password"),
                    Length(max=256, message="Password must be 256 characters or fewer")],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())
