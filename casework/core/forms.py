"""Form pieces every domain uses: a GOV.UK date field that cannot crash, money and choice fields,
error-summary links that land on the right input, and service errors shown beside fields.

govuk-frontend-wtf's date widget unpacks ``raw_data`` into exactly three parts, so a POST with a
missing or extra part raised a 500; ``UKDateField`` normalises the input first.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.main import wtforms_errors as _wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextInput
from wtforms import Field
from wtforms.validators import StopValidation

from casework.core.money import MoneyError, parse_money
from casework.core.validation import ValidationError


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
        try:
            self.data = dt.date(int(year), int(month), int(day))
        except ValueError:
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


def apply_service_errors(form: FlaskForm, error: ValidationError) -> None:
    """Show a service's ValidationError beside the matching fields (or at the top)."""
    for name, messages in error.errors.items():
        field = form._fields.get(name)
        if field is None:
            form.form_errors.extend(messages)
            continue
        field.errors = list(field.errors or []) + messages


def wtforms_errors(form: FlaskForm, params: dict[str, Any] | None = None) -> Any:
    """Error summary whose links land on the first input of date fields (GOV.UK pattern)."""
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
