"""Forms for cases and defendants. They only parse and shape input; the rules live in the
services (which raise ValidationError shown beside the fields)."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
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

from casework.cases.rules import Agency, HearingKind, OffenceCategory, Outcome
from casework.core.forms import Form, NumberRange, UKDateField


def _choices(enum_cls: type, blank: str | None = None) -> list[SelectChoice]:
    items = [SelectChoice(m.value, m.label) for m in enum_cls]  # type: ignore[attr-defined]
    return ([SelectChoice("", blank)] if blank is not None else []) + items


class VersionedForm(Form):
    """Carries the record's ``version`` (stale edits are refused) and the newest audit row the
    user had seen, so a conflict can say what someone else changed."""

    version = HiddenField()
    seen_event = HiddenField()


class CaseDetailsForm(VersionedForm):
    name = StringField("Operation name", widget=GovTextInput(),
                       validators=[InputRequired("Enter the operation name"), Length(max=120)],
                       description="For example, Operation Nightjar")
    crime_type = SelectField("Organised crime type", widget=GovSelect(),
                             validators=[InputRequired("Select the type of organised crime")])
    agency = RadioField("Investigating agency", widget=GovRadioInput(),
                        choices=_choices(Agency), validate_choice=False,
                        description="The agency that investigated and referred the case",
                        validators=[InputRequired("Select the investigating agency")])
    received_on = UKDateField("Date received", what="the date the case was received",
                              required=False, description="For example, 27 3 2026")
    lead_lawyer = SelectField("Lead lawyer", widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Save", widget=GovSubmitInput())


class OpenCaseForm(CaseDetailsForm):
    urn = StringField("Unique reference number (URN)", widget=GovTextInput(),
                      validators=[InputRequired("Enter the unique reference number (URN)")],
                      description="For example, 01YE1234524",
                      render_kw={"spellcheck": "false", "autocomplete": "off"})
    unit = SelectField("Unit", widget=GovSelect(), validators=[InputRequired("Select the unit")])
    submit = SubmitField("Open case", widget=GovSubmitInput())


class DefendantForm(Form):
    surname = StringField("Surname", widget=GovTextInput(),
                          validators=[InputRequired("Enter the surname"), Length(max=100)],
                          render_kw={"spellcheck": "false", "autocomplete": "off"})
    forenames = StringField("Forenames", widget=GovTextInput(),
                            validators=[InputRequired("Enter the forenames"), Length(max=150)],
                            render_kw={"spellcheck": "false", "autocomplete": "off"})
    date_of_birth = UKDateField("Date of birth", what="the date of birth", required=False,
                                description="For example, 27 3 1985")
    pnc_id = StringField("PNC ID (optional)", widget=GovTextInput(),
                         description="Police National Computer ID, for example 98/123456X",
                         render_kw={"spellcheck": "false", "autocomplete": "off"})
    aliases = TextAreaField("Other names (optional)", widget=GovTextArea(),
                            description="One name on each line")
    submit = SubmitField("Add defendant", widget=GovSubmitInput())


class EditDefendantForm(VersionedForm, DefendantForm):
    submit = SubmitField("Save details", widget=GovSubmitInput())


class ChargeForm(Form):
    offence = StringField("Offence", widget=GovTextInput(),
                          validators=[InputRequired("Enter the offence")],
                          description="For example, Conspiracy to supply a controlled drug of Class A")
    statute = StringField("Statute", widget=GovTextInput(),
                          validators=[InputRequired("Enter the statute")],
                          description="For example, Criminal Law Act 1977")
    section = StringField("Section", widget=GovTextInput(),
                          validators=[InputRequired("Enter the section")],
                          description="For example, s.1")
    charged_on = UKDateField("Date charged", what="the date charged")
    category = SelectField("Principal offence category", widget=GovSelect(),
                           choices=_choices(OffenceCategory, "Select a category"),
                           validators=[InputRequired("Select the principal offence category")],
                           description="The CPS category used in the case outcome figures")
    submit = SubmitField("Add charge", widget=GovSubmitInput())


class HearingForm(Form):
    court = StringField("Court", widget=GovTextInput(), validators=[InputRequired("Enter the court")],
                        description="For example, Southwark Crown Court")
    hearing_on = UKDateField("Date of hearing", what="the date of the hearing")
    kind = SelectField("Type of hearing", widget=GovSelect(),
                       choices=_choices(HearingKind, "Select the type"),
                       validators=[InputRequired("Select the type of hearing")])
    defendant = SelectField("Defendant", widget=GovSelect(), validate_choice=False)
    notes = TextAreaField("Notes (optional)", widget=GovTextArea(), validators=[Length(max=2000)])
    submit = SubmitField("Record hearing", widget=GovSubmitInput())


class EditHearingForm(VersionedForm, HearingForm):
    submit = SubmitField("Save hearing", widget=GovSubmitInput())


class OutcomeForm(VersionedForm):
    outcome = RadioField("Outcome", widget=GovRadioInput(), choices=_choices(Outcome),
                         description="How the case ended for this defendant (CPS outcome categories)",
                         validate_choice=False, validators=[InputRequired("Select the outcome")])
    finalised_on = UKDateField("Date finalised", what="the date the case was finalised",
                               description="The date of the plea, verdict or decision")
    principal_offence = SelectField(
        "Principal offence category", widget=GovSelect(), validate_choice=False,
        choices=_choices(OffenceCategory, "The most serious charge (worked out for you)"),
        description="Not used for administrative finalisations")
    submit = SubmitField("Save outcome", widget=GovSubmitInput())


class WholeNumberField(IntegerField):
    """An integer field with a GOV.UK message instead of "Not a valid integer value"."""

    def __init__(self, *args: object, message: str = "Enter a whole number", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.message = message

    def process_formdata(self, valuelist: list[str]) -> None:
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        if not text.isdigit():
            raise ValueError(self.message)
        self.data = int(text)


class SentenceForm(VersionedForm):
    sentenced_on = UKDateField("Date of sentence", what="the date of sentence")
    custody_months = WholeNumberField(
        "Custody (months, optional)", widget=GovTextInput(),
        message="Custody length must be a whole number of months, like 96",
        validators=[Optional(), NumberRange(min=1, max=1200,
                                            message="Custody length must be between 1 and 1200 months")],
        description="Leave empty for a non-custodial sentence",
        render_kw={"inputmode": "numeric", "spellcheck": "false"})
    release_on = UKDateField("Release date (optional)", what="the release date", required=False,
                             description="Orders that run from release start on this date")
    release_is_actual = RadioField(
        "Is the release date actual or expected?", widget=GovRadioInput(), validate_choice=False,
        choices=[SelectChoice("expected", "Expected"), SelectChoice("actual", "Actual (released)")],
        description="Choose actual once the defendant has been released",
        default="expected")
    submit = SubmitField("Save sentence", widget=GovSubmitInput())
