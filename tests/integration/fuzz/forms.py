"""A hypothesis strategy for a WTForms form: junk for each field the form class declares, by the
field's type (dates get impossible day/month/year parts, money gets formula and huge amounts,
choices get their real values and junk), each field sometimes missing or sent twice."""

from __future__ import annotations

import datetime as dt
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


Pair = tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]

RECENT = st.dates(min_value=dt.date(2025, 6, 1), max_value=dt.date(2026, 6, 30)).map(
    lambda d: [str(d.day), str(d.month), str(d.year)])
PLAIN = st.text(st.characters(categories=("Lu", "Ll", "Nd", "Zs")), min_size=1, max_size=60)


def field_parts(field: Any) -> Pair | None:
    """(a value the field accepts, junk) for a field; None for fields that carry no input
    (submit buttons, the CSRF token)."""
    if isinstance(field, SubmitField | CSRFTokenField):
        return None
    if isinstance(field, UKDateField):
        return RECENT, DATE_PARTS
    if isinstance(field, MoneyField):
        return st.decimals(min_value=1, max_value=100_000, places=2).map(str), st.one_of(MONEY_TEXT, MONEY)
    if isinstance(field, IntegerField | DecimalField) or type(field).__name__.endswith("NumberField"):
        return st.integers(min_value=1, max_value=60).map(str), INT_TEXT
    if isinstance(field, BooleanField):
        return st.sampled_from(["y", ""]), FORM_VALUE
    if isinstance(field, SelectMultipleField):
        values = st.sampled_from(_choice_values(field) or ["1"])
        return st.lists(values, min_size=1, max_size=2), st.lists(mixed(values, FORM_VALUE), max_size=4)
    if isinstance(field, SelectField | RadioField):
        values = [v for v in _choice_values(field) if v]
        return (st.sampled_from(values) if values else FORM_VALUE), FORM_VALUE
    if isinstance(field, HiddenField):
        if field.name == "version":
            return st.just(""), st.one_of(st.sampled_from(["0", "1", "2", "3", "4"]), NUMBER_TEXT)
        return st.uuids().map(str), TEXT
    if isinstance(field, PasswordField):
        return st.sampled_from([PASSWORD, "a much longer new password 2026"]), TEXT
    if isinstance(field, EmailField):
        return st.emails().filter(lambda e: len(e) < 250), TEXT
    return PLAIN.filter(lambda t: len(t) <= _max_length(field)), TEXT


def form_fields(app: Flask, form_cls: type) -> dict[str, Pair]:
    with app.test_request_context("/", method="GET"):
        form = form_cls(meta={"csrf": False})
        out = {}
        for name, field in form._fields.items():
            parts = field_parts(field)
            if parts is None:
                continue
            good, junk = parts
            many = isinstance(field, UKDateField | SelectMultipleField)
            out[name] = (good, junk if many else _sometimes_twice(junk))
        return out


def _sometimes_twice(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, strategy, strategy, st.lists(FORM_VALUE, min_size=2, max_size=3))


def form_data(fields: dict[str, Pair]) -> st.SearchStrategy[dict[str, Any]]:
    """Half the time every field valid but one junk (so junk reaches the services' rules and
    some submissions are accepted); otherwise each field missing, valid, junk or repeated, plus
    fields the form does not have."""
    names = sorted(fields)
    extras = {"extra_field": FORM_VALUE, "submit": st.sampled_from(["Save", "", "\x00"])}

    def one_bad(bad: str | None) -> st.SearchStrategy[dict[str, Any]]:
        return st.fixed_dictionaries({n: fields[n][1] if n == bad else fields[n][0] for n in names})

    nearly = st.sampled_from([None, *names]).flatmap(one_bad) if names else st.just({})
    loose = st.fixed_dictionaries({}, optional={**{n: mixed(g, j) for n, (g, j) in fields.items()},
                                                **extras})
    return st.one_of(nearly, loose)
