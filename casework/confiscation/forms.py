"""Forms for restraint and confiscation. They parse input only; the POCA rules live in the
services (ValidationError messages name the section)."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from casework.confiscation.models import (
    EnforcementKind,
    LifestyleBasis,
    ReconsiderationOutcome,
    RestraintEventKind,
)
from casework.confiscation.rules import Reconsideration, RestraintCondition
from casework.core.forms import Form, MoneyField, NumberRange, UKDateField

HINT = "For example, 27 3 2026"


def _choices(enum_cls: Any, members: Any = None) -> list[SelectChoice]:
    return [SelectChoice(m.value, getattr(m, "label", m.value.replace("_", " ").capitalize()))
            for m in (members or enum_cls)]


def _submit(text: str = "Save") -> SubmitField:
    return SubmitField(text, widget=GovSubmitInput())


class RestraintForm(Form):
    condition = RadioField("Condition relied on (POCA s.40)", widget=GovRadioInput(),
                           choices=_choices(RestraintCondition), validate_choice=False,
                           validators=[InputRequired("Select the condition the application relies on")])
    applied_on = UKDateField("Date applied for", what="the date the order was applied for",
                             description=HINT)
    made_on = UKDateField("Date made", what="the date the order was made", required=False,
                          description="Leave blank if the court has not decided yet")
    court = StringField("Court", widget=GovTextInput(), validators=[Optional(), Length(max=150)])
    next_report_due_on = UKDateField(
        "Next progress report to the court due", what="the date the next progress report is due",
        required=False, description="Required for a pre-charge order (POCA s.41)")
    notes = TextAreaField("Notes", widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    submit = _submit()


class RestraintEventForm(Form):
    version = HiddenField()
    kind = RadioField("What happened", widget=GovRadioInput(), choices=_choices(
        RestraintEventKind, [k for k in RestraintEventKind if k is not RestraintEventKind.APPLIED]),
        validate_choice=False, validators=[InputRequired("Select what happened")])
    occurred_on = UKDateField("Date", what="the date", description=HINT)
    next_report_due_on = UKDateField("Next progress report due", what="the date the next report is due",
                                     required=False)
    details = TextAreaField("Details", widget=GovTextArea(), validators=[Optional(), Length(max=2000)],
                            description="Required when the order is discharged")
    submit = _submit()


class TimetableForm(Form):
    version = HiddenField()
    convicted_on = UKDateField("Date of conviction", what="the date of conviction",
                               description="The latest conviction in these proceedings")
    asked_on = UKDateField("Date the prosecutor asked the court to proceed (s.6)",
                           what="the date the prosecutor asked", required=False)
    appeal_determined_on = UKDateField("Date a conviction appeal was decided",
                                       what="the date the appeal was decided", required=False)
    exceptional_circumstances = BooleanField(
        "The court found exceptional circumstances to postpone beyond 2 years (s.14)",
        widget=GovCheckboxInput())
    s16_due_on = UKDateField("Prosecutor's statement of information due (s.16)",
                             what="the date the s.16 statement is due", required=False)
    s16_served_on = UKDateField("Prosecutor's statement served", what="the date it was served",
                                required=False)
    s17_due_on = UKDateField("Defendant's response due (s.17)", what="the date the s.17 response is due",
                             required=False)
    s17_served_on = UKDateField("Defendant's response served", what="the date it was served",
                                required=False)
    hearing_on = UKDateField("Confiscation hearing", what="the hearing date", required=False)
    lifestyle = RadioField("Criminal lifestyle (s.75)", widget=GovRadioInput(), validate_choice=False,
                           choices=[SelectChoice("", "Not decided yet"), SelectChoice("yes", "Yes"),
                                    SelectChoice("no", "No")], default="")
    lifestyle_basis = RadioField("Lifestyle basis", widget=GovRadioInput(), validate_choice=False,
                                 choices=[SelectChoice("", "Not applicable"), *_choices(LifestyleBasis)],
                                 default="")
    submit = _submit()


class OrderForm(Form):
    made_on = UKDateField("Date the order was made", what="the date the order was made", description=HINT)
    court = StringField("Court", widget=GovTextInput(), validators=[Optional(), Length(max=150)])
    benefit = MoneyField("Benefit figure", what="the benefit figure")
    available_amount = MoneyField("Available amount", what="the available amount")
    amount = MoneyField("Order amount (recoverable amount)", what="the order amount")
    compensation_amount = MoneyField("Compensation to be paid out of the order (s.13)",
                                     what="the compensation amount", required=False)
    due_on = UKDateField("Date payment is due", what="the date payment is due", required=False,
                         description="Leave blank if due the day the order was made (s.11)")
    default_term_months = IntegerField(
        "Default term fixed by the court, in months", widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=1, max=1200)],
        description="Leave blank to use the maximum for the amount (s.35(2A)). "
                    "Required for orders made before 1 June 2015.")
    submit = _submit()


class PaymentForm(Form):
    idempotency_key = HiddenField()
    received_on = UKDateField("Date received", what="the date the payment was received", description=HINT)
    amount = MoneyField("Amount", what="the amount")
    reference = StringField("Reference", widget=GovTextInput(), validators=[Optional(), Length(max=100)])
    note = TextAreaField("Note", widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    submit = _submit("Record payment")


class ReversalForm(Form):
    reversed_on = UKDateField("Date reversed", what="the date of the reversal")
    reason = TextAreaField("Why is the payment being reversed?", widget=GovTextArea(),
                           validators=[InputRequired("Enter why the payment is being reversed"),
                                       Length(max=2000)])
    submit = _submit("Reverse payment")


class ExtensionForm(Form):
    version = HiddenField()
    extension_applied_on = UKDateField("Date the defendant applied to extend (s.11(4))",
                                       what="the date of the application")
    decided_on = UKDateField("Date the court decided", what="the date of the decision", required=False,
                             description="Leave blank while the application is pending")
    extended_due_on = UKDateField("New date payment is due", what="the new date", required=False,
                                  description="Leave blank if the court refused")
    submit = _submit()


class EnforcementForm(Form):
    kind = RadioField("Step", widget=GovRadioInput(), choices=_choices(EnforcementKind),
                      validate_choice=False, validators=[InputRequired("Select the enforcement step")])
    taken_on = UKDateField("Date", what="the date of the step", description=HINT)
    result = TextAreaField("Result", widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    next_due_on = UKDateField("Next action due", what="the date the next action is due", required=False)
    submit = _submit()


class ReconsiderationForm(Form):
    section = RadioField("Application under", widget=GovRadioInput(), choices=_choices(Reconsideration),
                         validate_choice=False, validators=[InputRequired("Select the section")])
    applied_on = UKDateField("Date applied", what="the date of the application", description=HINT)
    outcome = RadioField("Decision", widget=GovRadioInput(), choices=_choices(ReconsiderationOutcome),
                         validate_choice=False, default="pending")
    decided_on = UKDateField("Date decided", what="the date of the decision", required=False)
    new_benefit = MoneyField("New benefit figure", what="the new benefit figure", required=False)
    new_available_amount = MoneyField("New available amount", what="the new available amount",
                                      required=False)
    new_amount = MoneyField("New order amount", what="the new order amount", required=False)
    new_default_term_months = IntegerField("New default term in months (s.39)", widget=GovTextInput(),
                                           validators=[Optional(), NumberRange(min=1, max=1200)])
    submit = _submit()


class WriteOffForm(Form):
    written_off_on = UKDateField("Date written off", what="the date")
    reason = TextAreaField("Reason", widget=GovTextArea(),
                           validators=[InputRequired("Enter why the order is being written off"),
                                       Length(max=2000)],
                           description="For example, discharged under s.24 or s.25, or the defendant died")
    submit = _submit("Write off")
