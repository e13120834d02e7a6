"""Form pieces every domain uses: a GOV.UK date field that cannot crash, money and choice fields,
error-summary links that land on the right input, and service errors shown beside fields.

govuk-frontend-wtf's date widget unpacks ``raw_data`` into exactly three parts, so a POST with a
missing or extra part raised a 500; ``UKDateField`` normalises the input first.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.main import wtforms_errors as _wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextInput
from wtforms import Field
from wtforms import validators as wtf_validators
from wtforms.validators import StopValidation

from casework.core.money import MoneyError, parse_money
from casework.core.validation import ValidationError, has_control_chars

#: Dates outside these years are typing mistakes here, and statutory periods added to them must
#: stay inside what a date can hold (a 9999 start plus any period would overflow).
MIN_YEAR, MAX_YEAR = 1900, 2199


class NumberRange(wtf_validators.NumberRange):
    """WTForms' NumberRange, except that a number too big for a float (hundreds of digits) is
    out of range with the usual message rather than an OverflowError (a 500)."""

    def __call__(self, form: Any, field: Any) -> None:
        try:
            super().__call__(form, field)
        except OverflowError:
            raise wtf_validators.ValidationError(
                self.message or f"Number must be between {self.min} and {self.max}.") from None


class Form(FlaskForm):
    """The base of every form that feeds a record: a control character (NUL, escape, a lone
    surrogate) in any field is refused with a message beside it, as the API's schemas refuse it.
    PostgreSQL cannot store NUL at all, and none belongs in a prosecution record."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            values = field.data if isinstance(field.data, list) else [field.data]
            if any(isinstance(v, str) and has_control_chars(v) for v in values):
                label = field.label.text if field.label else field.name
                field.errors = [*(field.errors or []),
                                f"{label}: remove the control characters (such as NUL) from what you typed"]
                valid = False
        return valid


class SafeGovDateInput(GovDateInput):
    def map_gov_params(self, field: Any, **kwargs: Any) -> Any:
        raw = list(field.raw_data or [])
        if field.raw_data is not None and len(raw) != 3:
            field.raw_data = (raw + ["", "", ""])[:3]
        return super().map_gov_params(field, **kwargs)


class UKDateField(Field):
    """Day / month / year inputs with GOV.UK error messages.

    ``what`` completes "Enter ..." (e.g. "the date the order was made").
    """

    widget = SafeGovDateInput()

    def __init__(self, label: str | None = None, validators: Any = None, *, what: str = "a date",
                 required: bool = True, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.what = what
        self.required = required
        if required:
            self.flags.required = True

    def _value(self) -> str:
        return self.data.strftime("%d %m %Y") if self.data else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        parts = [str(v).strip() for v in valuelist][:3]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        day, month, year = parts
        self.data = None
        if not any(parts):
            return
        missing = [name for name, v in zip(("day", "month", "year"), parts) if not v]
        if missing:
            raise ValueError(f"{self.label.text} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValueError(f"{self.label.text} must be a real date")
        if len(year) != 4:
            raise ValueError("Year must include 4 numbers")
        if not MIN_YEAR <= int(year) <= MAX_YEAR:
            raise ValueError(f"{self.label.text} must be a year from {MIN_YEAR} to {MAX_YEAR}")
        try:
            self.data = dt.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # 31/02, or a month of 400 digits
            raise ValueError(f"{self.label.text} must be a real date") from None

    def pre_validate(self, form: Any) -> None:
        if self.required and self.data is None and not any(self.raw_data or []):
            raise StopValidation(f"Enter {self.what}")


class MoneyField(Field):
    """Pounds and pence as Decimal (never float); shows £ as a prefix."""

    widget = GovTextInput()

    def __init__(self, label: str | None = None, validators: Any = None, *, what: str = "the amount",
                 required: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "spellcheck": "false"})
        super().__init__(label, validators, **kwargs)
        self.what = what
        self.required = required

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return f"{self.data:.2f}" if isinstance(self.data, Decimal) else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        if not valuelist or not str(valuelist[0]).strip():
            return
        try:
            self.data = parse_money(valuelist[0])
        except MoneyError as exc:
            self.data = None
            raise ValueError(str(exc)) from None

    def pre_validate(self, form: Any) -> None:
        if self.required and self.data is None and not (self.raw_data and self.raw_data[0].strip()):
            raise StopValidation(f"Enter {self.what}")


def form_version(value: object) -> int | None:
    """The hidden ``version`` field as the services take it: None when blank or 0 (not checked);
    a tampered value (``0.0``, letters, 400 digits) never matches a record, so the edit is
    refused as stale (409) instead of raising a 500."""
    text = str(value or "").strip()
    if not text or text == "0":
        return None
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else -1


def apply_service_errors(form: FlaskForm, error: ValidationError) -> None:
    """Show a service's ValidationError beside the matching fields (or at the top)."""
    for name, messages in error.errors.items():
        field = form._fields.get(name)
        if field is None:
            form.form_errors.extend(messages)
            continue
        field.errors = list(field.errors or []) + messages


#: WTForms' own wording (which names neither the field nor what to do) -> a GOV.UK message.
_LIBRARY_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"Not a valid choice\.?|'.*' is not a valid choice for this field\.?|Invalid [Cc]hoice.*",
                re.S), "{label}: choose one of the options shown"),
    (re.compile(r"Field cannot be longer than (\d+) characters?\."),
     "{label} must be {0} characters or fewer"),
    (re.compile(r"Field must be at least (\d+) characters? long\."),
     "{label} must be at least {0} characters"),
    (re.compile(r"Field must be between (\d+) and (\d+) characters long\."),
     "{label} must be between {0} and {1} characters"),
    (re.compile(r"Number must be between (\S+) and (\S+)\."), "{label} must be a number from {0} to {1}"),
    (re.compile(r"Number must be at least (\S+)\."), "{label} must be {0} or more"),
    (re.compile(r"Number must be at most (\S+)\."), "{label} must be {0} or less"),
    (re.compile(r"Not a valid integer value\.?"), "{label} must be a whole number, like 12"),
    (re.compile(r"Not a valid (?:decimal|float) value\.?"), "{label} must be a number, like 12.5"),
    (re.compile(r"This field is required\.?"), "Enter {label}"),
    (re.compile(r"Invalid email address\.?"),
     "{label}: enter an email address in the correct format, like name@example.com"),
]


def clarify_errors(form: FlaskForm) -> None:
    """Replace WTForms' default messages with ones that name the field, in place, so the
    summary and the message beside the field agree (run before either is rendered)."""
    for field in form:
        if not field.errors or not isinstance(field.errors, list):
            continue
        label = field.label.text if field.label else field.name
        for i, message in enumerate(field.errors):
            for pattern, wording in _LIBRARY_MESSAGES:
                found = pattern.fullmatch(str(message))
                if found:
                    field.errors[i] = wording.format(*found.groups(), label=label)
                    break


def wtforms_errors(form: FlaskForm, params: dict[str, Any] | None = None) -> Any:
    """Error summary whose links land on the first input of date fields (GOV.UK pattern)."""
    clarify_errors(form)
    result = _wtforms_errors(form, params or {})
    result["errorList"] = [i for i in result["errorList"] if i["href"] != "#None"]
    for item in result["errorList"]:
        name = item["href"].lstrip("#")
        field = form._fields.get(name)
        if isinstance(field, UKDateField):
            item["href"] = f"#{name}-day"
    for message in getattr(form, "form_errors", []) or []:
        result["errorList"].append({"text": message, "href": "#main-content"})
    return result
