from __future__ import annotations

import datetime as dt

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from casework.core.forms import MoneyField, UKDateField, wtforms_errors


class _Form(FlaskForm):
    class Meta:
        csrf = False

    made_on = UKDateField("Date made", what="the date the order was made")
    amount = MoneyField("Amount", required=False)


def _form(app, data):
    with app.test_request_context(method="POST"):
        form = _Form(formdata=MultiDict(data))
        form.validate()
        rendered = str(form.made_on())
        return form, rendered, wtforms_errors(form)


@pytest.mark.parametrize("parts, message", [
    ([], "Enter the date the order was made"),
    (["", "", ""], "Enter the date the order was made"),
    (["1", "", "2026"], "Date made must include a month"),
    (["31", "2", "2026"], "Date made must be a real date"),
    (["1", "2", "26"], "Year must include 4 numbers"),
    (["x", "2", "2026"], "Date made must be a real date"),
    (["1"], "Date made must include a month and year"),
    (["31", "12", "9999"], "Date made must be a year from 1900 to 2199"),
    (["1", "1", "0001"], "Date made must be a year from 1900 to 2199"),
])
def test_date_field_messages_and_no_crash(app, parts, message):
    data = [("made_on", p) for p in parts]
    form, rendered, summary = _form(app, data)
    assert form.made_on.errors == [message]
    assert summary["errorList"][0]["href"] == "#made_on-day"
    assert 'id="made_on-day"' in rendered


def test_date_field_accepts_a_real_date(app):
    form, _, _ = _form(app, [("made_on", "5"), ("made_on", "3"), ("made_on", "2026")])
    assert form.made_on.data == dt.date(2026, 3, 5)
    assert not form.errors


def test_money_field_keeps_what_was_typed(app):
    form, _, _ = _form(app, [("made_on", "5"), ("made_on", "3"), ("made_on", "2026"),
                             ("amount", "12.345")])
    assert form.amount.errors and "2 decimal places" in form.amount.errors[0]
    assert form.amount._value() == "12.345"


def test_a_number_too_big_for_a_float_is_out_of_range_not_a_crash(app):
    from wtforms import IntegerField

    from casework.core.forms import NumberRange

    class _Months(FlaskForm):
        class Meta:
            csrf = False

        months = IntegerField("Months", validators=[NumberRange(min=1, max=1200)])

    with app.test_request_context(method="POST"):
        form = _Months(formdata=MultiDict([("months", "9" * 400)]))
        assert not form.validate()
        assert form.months.errors == ["Number must be between 1 and 1200."]
