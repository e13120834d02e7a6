"""A hypothesis strategy for a WTForms form: junk for each field the form class declares, by the
field's type (dates get impossible day/month/year parts, money gets formula and huge amounts,
choices get their real values and junk), each field sometimes missing or sent twice."""

from __future__ import annotations

from typing import Any

from flask import Flask
from hypothesis import strategies as st
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
)
from wtforms.csrf.core import CSRFTokenField
from wtforms.validators import Length

from casework.core.forms import MoneyField, UKDateField
from tests.factories import PASSWORD
from tests.integration.fuzz.junk import (
    DATE_PARTS,
    FORM_VALUE,
    INT_TEXT,
    MONEY,
    MONEY_TEXT,
    NUMBER_TEXT,
    TEXT,
    mixed,
)


def _max_length(field: Any) -> int:
    for validator in field.validators:
        if isinstance(validator, Length) and validator.max and validator.max > 0:
            return int(validator.max)
    return 200


def _choice_values(field: Any) -> list[str]:
    values = []
    for choice in field.choices or []:
        value = choice[0] if isinstance(choice, tuple | list) else getattr(choice, "value", choice)
        values.append(str(value))
    return values


def field_strategy(field: Any) -> st.SearchStrategy[Any] | None:
    """None for fields that carry no user input (submit buttons, the CSRF token)."""
    if isinstance(field, SubmitField | CSRFTokenField):
        return None
    if isinstance(field, UKDateField):
        return DATE_PARTS
    if isinstance(field, MoneyField):
        return mixed(MONEY_TEXT, MONEY)
    if isinstance(field, IntegerField | DecimalField) or type(field).__name__.endswith("NumberField"):
        return INT_TEXT
    if isinstance(field, BooleanField):
        return st.one_of(st.sampled_from(["y", ""]), FORM_VALUE)
    if isinstance(field, SelectMultipleField):
        values = _choice_values(field) or ["1"]
        return st.lists(mixed(st.sampled_from(values), FORM_VALUE), max_size=4)
    if isinstance(field, SelectField | RadioField):
        values = _choice_values(field)
        return mixed(st.sampled_from(values), FORM_VALUE) if values else FORM_VALUE
    if isinstance(field, HiddenField):
        if field.name == "version":
            return mixed(st.sampled_from(["0", "1", "2", "3", "4", ""]), NUMBER_TEXT)
        return mixed(st.uuids().map(str), TEXT)
    if isinstance(field, PasswordField):
        return mixed(st.sampled_from([PASSWORD, "a much longer new password 2026"]), TEXT)
    if isinstance(field, EmailField):
        return mixed(st.emails().filter(lambda e: len(e) < 250), TEXT)
    return mixed(st.text(min_size=1, max_size=min(_max_length(field), 300)), TEXT)


def form_fields(app: Flask, form_cls: type) -> dict[str, st.SearchStrategy[Any]]:
    with app.test_request_context("/", method="GET"):
        form = form_cls(meta={"csrf": False})
        out = {}
        for name, field in form._fields.items():
            strategy = field_strategy(field)
            if strategy is None:
                continue
            many = isinstance(field, UKDateField | SelectMultipleField)
            out[name] = strategy if many else _sometimes_twice(strategy)
        return out


def _sometimes_twice(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, strategy, strategy, st.lists(FORM_VALUE, min_size=2, max_size=3))


def form_data(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Each field missing, one value (or a list for dates and multi-selects), or repeated;
    sometimes fields the form does not have."""
    optional = dict(fields)
    optional["extra_field"] = FORM_VALUE
    optional["submit"] = st.sampled_from(["Save", "", "\x00"])
    return st.fixed_dictionaries({}, optional=optional)
