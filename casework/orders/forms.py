"""Forms for the orders register. They parse and shape input only; the statutory rules live in
``rules.py`` and are applied by the services (their ValidationError is shown beside the fields).

Field names match the services' error keys so messages land on the right field."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
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
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from casework.core.forms import Form, NumberRange, UKDateField
from casework.orders.models import CheckResult, Prosecution, ServiceMethod
from casework.orders.rules import ConditionKind, CourtLevel, OrderType, StartTrigger


def choices(enum_cls: type, blank: str | None = None) -> list[SelectChoice]:
    items = [SelectChoice(m.value, m.label) for m in enum_cls]  # type: ignore[attr-defined]
    return ([SelectChoice("", blank)] if blank is not None else []) + items


class SmallIntegerField(IntegerField):
    """A whole number of a few digits: a huge one is refused as input, never overflowing
    NumberRange's float check (a 500)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and len(str(valuelist[0]).strip()) > 6:
            self.data = None
            raise ValueError(f"{self.label.text} must be a whole number of 6 digits or fewer")
        super().process_formdata(valuelist)


def _int(label: str, description: str = "", maximum: int = 1200) -> IntegerField:
    return SmallIntegerField(label, widget=GovTextInput(), description=description,
                        validators=[Optional(), NumberRange(0, maximum, f"{label} must be a whole "
                                                                        f"number from 0 to {maximum}")],
                        render_kw={"inputmode": "numeric", "class": "govuk-input--width-3"})


class LengthMixin:
    term_years = _int("Years", maximum=100)
    term_extra_months = _int("Months", maximum=11)

    def term_months(self) -> int | None:
        years, months = self.term_years.data, self.term_extra_months.data  # type: ignore[attr-defined]
        if years is None and months is None:
            return None
        return (years or 0) * 12 + (months or 0)


class VersionedForm(Form):
    """Carries the version the user saw (a stale save is refused: 409) and the newest audit row
    of the case when the form was opened, so the conflict page can say what someone else did."""

    version = HiddenField()
    seen_event = HiddenField()


class OrderForm(LengthMixin, Form):
    type = SelectField("Type of order", widget=GovSelect(), choices=choices(OrderType, "Choose"),
                       validators=[InputRequired("Choose the type of order")])
    court_level = RadioField("Court that made the order", widget=GovRadioInput(),
                             choices=choices(CourtLevel), validate_choice=False,
                             validators=[InputRequired("Select the level of the court")])
    court = StringField("Name of the court", widget=GovTextInput(), validators=[Length(max=150)],
                        description="For example, Southwark Crown Court")
    made_on = UKDateField("Date made", what="the date the order was made")
    start_trigger = RadioField("When does the order start?", widget=GovRadioInput(),
                               choices=choices(StartTrigger), validate_choice=False,
                               default=StartTrigger.ON_MAKING.value,
                               description="A travel restriction order always starts on release")
    starts_on = UKDateField("Date it comes into force", what="the date the order comes into force",
                            required=False, description="Only if the court set a date")
    ends_on = UKDateField("End date", what="the end date", required=False,
                          description="The day the order stops having effect. Leave blank if you "
                                      "give its length or it runs until further order")
    indefinite = BooleanField("Until further order", widget=GovCheckboxInput())
    life_sentence = BooleanField("The person was sentenced to life imprisonment",
                                 widget=GovCheckboxInput())
    served_on = UKDateField("Date served", what="the date of service", required=False,
                            description="Leave blank if it has not been served yet")
    service_method = RadioField("How was it served?", widget=GovRadioInput(),
                                choices=choices(ServiceMethod), validate_choice=False)
    offender_manager = SelectField("Offender manager", widget=GovSelect(), validate_choice=False)
    check_interval_months = _int("Breach check every (months)", "For example, 1 for monthly",
                                 maximum=120)
    reason = TextAreaField("Why is it being replaced?", widget=GovTextArea(),
                           validators=[Length(max=4000)])
    submit = SubmitField("Save order", widget=GovSubmitInput())


class VaryForm(LengthMixin, VersionedForm):
    varied_on = UKDateField("Date varied", what="the date the order was varied")
    ends_on = UKDateField("New end date", what="the new end date", required=False)
    indefinite = BooleanField("Until further order", widget=GovCheckboxInput())
    extended_pending_charge = BooleanField(
        "Kept in force pending a charge (Serious Crime Act 2007, s.22E)", widget=GovCheckboxInput())
    served_on = UKDateField("Date the variation was served", what="the date of service",
                            required=False)
    reason = TextAreaField("Reason", widget=GovTextArea(),
                           validators=[InputRequired("Enter the reason for the variation"),
                                       Length(max=4000)])
    submit = SubmitField("Save variation", widget=GovSubmitInput())


class DischargeForm(VersionedForm):
    discharged_on = UKDateField("Date discharged", what="the date the order was discharged")
    reason = TextAreaField("Reason", widget=GovTextArea(),
                           validators=[InputRequired("Enter the reason for the discharge"),
                                       Length(max=4000)])
    consents = BooleanField("The offender and the chief officer of police consented",
                            widget=GovCheckboxInput())
    submit = SubmitField("Discharge order", widget=GovSubmitInput())


class BreachUpdateForm(VersionedForm):
    """The prosecution's progress on a recorded breach (what happened and when stay as recorded)."""

    prosecution = RadioField("Prosecution", widget=GovRadioInput(), choices=choices(Prosecution),
                             default=Prosecution.NOT_DECIDED.value, validate_choice=False)
    outcome = TextAreaField("Outcome", widget=GovTextArea(), validators=[Length(max=4000)])
    outcome_on = UKDateField("Date of outcome", what="the date of the outcome", required=False)
    submit = SubmitField("Save breach", widget=GovSubmitInput())


class BreachForm(BreachUpdateForm):
    occurred_on = UKDateField("Date of the breach", what="the date of the breach")
    description = TextAreaField("What happened", widget=GovTextArea(),
                                validators=[InputRequired("Enter what happened"), Length(max=4000)])


class CheckForm(Form):
    checked_on = UKDateField("Date of check", what="the date of the check")
    result = RadioField("Result", widget=GovRadioInput(), choices=choices(CheckResult),
                        validate_choice=False, validators=[InputRequired("Choose the result")])
    condition = SelectField("What was checked", widget=GovSelect(), validate_choice=False)
    notes = TextAreaField("Notes", widget=GovTextArea(), validators=[Length(max=4000)])
    submit = SubmitField("Save check", widget=GovSubmitInput())


class ServiceForm(VersionedForm):
    served_on = UKDateField("Date served", what="the date of service")
    method = RadioField("How was it served?", widget=GovRadioInput(), choices=choices(ServiceMethod),
                        validate_choice=False, validators=[InputRequired("Choose how it was served")])
    submit = SubmitField("Save service", widget=GovSubmitInput())


class ConditionForm(Form):
    kind = RadioField("Kind of condition", widget=GovRadioInput(), choices=choices(ConditionKind),
                      validate_choice=False, validators=[InputRequired("Choose the kind of condition")])
    text = TextAreaField("Wording of the condition", widget=GovTextArea(),
                         validators=[InputRequired("Enter the wording of the condition"),
                                     Length(max=4000)])
    starts_on = UKDateField("Start date", what="the start date", required=False,
                            description="Leave blank if it starts with the order")
    ends_on = UKDateField("End date", what="the end date", required=False,
                          description="Leave blank if it ends with the order")
    report_every_months = _int("Reports due every (months)",
                               "For financial reporting or notification terms", maximum=120)
    submit = SubmitField("Add condition", widget=GovSubmitInput())


class ScheduleForm(VersionedForm):
    interval_months = _int("Breach check every (months)", "Leave blank for no regular check",
                           maximum=120)
    next_due_on = UKDateField("Next check due", what="the date the next check is due", required=False)
    submit = SubmitField("Save schedule", widget=GovSubmitInput())


class SuspensionForm(Form):
    starts_on = UKDateField("Suspended from", what="the date the suspension starts")
    ends_on = UKDateField("Must be back in the UK by", what="the date the suspension ends")
    reason = TextAreaField("Reason", widget=GovTextArea(),
                           validators=[InputRequired("Enter the reason"), Length(max=4000)])
    submit = SubmitField("Save suspension", widget=GovSubmitInput())


def manager_choices(managers: list[Any], blank: str = "Not assigned") -> list[SelectChoice]:
    return [SelectChoice("", blank)] + [SelectChoice(str(m.id), m.name) for m in managers]
