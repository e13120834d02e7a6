from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Regexp

NAME_TOO_LONG = "Unit name must be 120 characters or fewer"
CODE_RULE = "Code must use only lowercase letters, digits and underscores, like london_north"


class UnitForm(FlaskForm):
    code = StringField(
        "Code", widget=GovTextInput(),
        description="Lowercase letters, digits and underscores, like london_north. It cannot be "
                    "changed later.",
        validators=[DataRequired("Enter a code for the unit"),
                    Length(max=40, message="Code must be 40 characters or fewer"),
                    Regexp(r"^[a-z0-9_]+\Z", message=CODE_RULE)],
        render_kw={"spellcheck": "false", "autocomplete": "off"})
    name = StringField("Name", widget=GovTextInput(),
                       validators=[DataRequired("Enter the unit's name"),
                                   Length(max=120, message=NAME_TOO_LONG)])
    kind = RadioField(
        "Kind of unit", widget=GovRadioInput(), validate_choice=False,
        choices=[SelectChoice("area", "CPS Area (its Complex Casework Unit)"),
                 SelectChoice("division", "Central casework division")],
        validators=[InputRequired("Choose whether the unit is a CPS Area or a central division")])
    submit = SubmitField("Add unit", widget=GovSubmitInput())


class RenameUnitForm(FlaskForm):
    name = StringField("Name", widget=GovTextInput(),
                       validators=[DataRequired("Enter the unit's name"),
                                   Length(max=120, message=NAME_TOO_LONG)])
    submit = SubmitField("Save name", widget=GovSubmitInput())
