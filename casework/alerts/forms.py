from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from casework.alerts.models import EmailMode
from casework.core.forms import Form


class EmailSettingsForm(Form):
    email_mode = RadioField(
        "How do you want to hear about new alerts?", widget=GovRadioInput(),
        choices=[SelectChoice(EmailMode.IMMEDIATE.value, "An email for each new alert"),
                 SelectChoice(EmailMode.DIGEST.value, "One email a day listing how many are new"),
                 SelectChoice(EmailMode.OFF.value, "No emails: I will check my alerts in Casework")],
        validators=[InputRequired("Choose how you want to hear about new alerts")])
    submit = SubmitField("Save", widget=GovSubmitInput())


class ActionForm(Form):
    """Acknowledge (no fields) or resolve (an optional note of what was done)."""

    note = TextAreaField("What was done (optional)", widget=GovTextArea(),
                         validators=[Length(max=500, message="The note must be 500 characters or fewer")])
