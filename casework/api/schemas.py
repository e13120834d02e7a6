"""Field types and base models for the JSON API, and the plain-English error messages.

The same pydantic models validate requests and generate the OpenAPI document, so what is
documented is what is enforced. The field types here are strict where JSON is loose (``true`` is
not a number, ``"2026-02-30"`` is not a date, a lone surrogate or NUL is not text) and every
failure becomes a GOV.UK-style message that names the rule, never pydantic's own wording.

Give each request field a ``title`` that reads well after "Enter" ("the URN", "the date of
birth"): the messages are built from it ("Enter the URN", "The date of birth must be a real
date, like 2026-03-27").
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)
from pydantic import ValidationError as PydanticError
from pydantic_core import PydanticCustomError

from casework.core.money import MoneyError, parse_money, to_api

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)
MAX_INT = 2**31 - 1  # the database's INTEGER
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# ---------------------------------------------------------------------------------------------
# Validators: each raises a PydanticCustomError whose type the message table below understands.

def _text(value: Any) -> Any:
    if not isinstance(value, str):
        raise PydanticCustomError("cw_text_type", "not text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("cw_control", "invalid characters") from None
    if _CONTROL.search(value):
        raise PydanticCustomError("cw_control", "control characters")
    return value.strip()


def _required_text(value: Any) -> Any:
    value = _text(value)
    if not value:
        raise PydanticCustomError("cw_blank", "blank")
    return value


def _optional_text(value: Any) -> Any:
    if value is None:
        return None
    value = _text(value)
    return value or None


def _int(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("cw_int_type", "not a whole number")
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 12:
        value = int(value.strip())  # query strings
    if not isinstance(value, int):
        raise PydanticCustomError("cw_int_type", "not a whole number")
    if abs(value) > MAX_INT:
        raise PydanticCustomError("cw_int_range", "too large", {"max": MAX_INT})
    return value


def _optional_int(value: Any) -> Any:
    return None if value is None else _int(value)


def _date(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str) and _DATE.fullmatch(value.strip()):
        try:
            parsed = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("cw_date_real", "not a real date") from None
    else:
        raise PydanticCustomError("cw_date_format", "not YYYY-MM-DD")
    if not EARLIEST <= parsed <= LATEST:
        raise PydanticCustomError("cw_date_range", "out of range")
    return parsed


def _optional_date(value: Any) -> Any:
    return None if value is None or value == "" else _date(value)


def _money(value: Any) -> Any:
    if isinstance(value, str) and _CONTROL.search(value):
        raise PydanticCustomError("cw_money", "Enter an amount in pounds, like 1250.00")
    try:
        return parse_money(value)
    except MoneyError as exc:
        raise PydanticCustomError("cw_money", str(exc)) from None


def _optional_money(value: Any) -> Any:
    return None if value is None or value == "" else _money(value)


def _bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"  # query strings
    raise PydanticCustomError("cw_bool_type", "not true or false")


def _choice_validator(enum_cls: type[enum.Enum]) -> Any:
    allowed = [str(m.value) for m in enum_cls]

    def check(value: Any) -> Any:
        if isinstance(value, enum_cls):
            return value
        if not isinstance(value, str) or value not in allowed:
            raise PydanticCustomError("cw_choice", "not allowed", {"allowed": ", ".join(allowed)})
        return enum_cls(value)

    return check


# ---------------------------------------------------------------------------------------------
# Field types for request models. Text is trimmed, free of control characters and at most 255
# characters (LongText: 4,000); a required Text may be limited further with Field(max_length=N).

def _limited(validate: Any, max_length: int) -> Any:
    def check(value: Any) -> Any:
        value = validate(value)
        if value is not None and len(value) > max_length:
            raise PydanticCustomError("cw_too_long", "too long", {"max_length": max_length})
        return value

    return check


def _lengths(max_length: int) -> Any:
    """Document the built-in limits unless the field sets a tighter Field(max_length=...)."""
    def extra(schema: dict[str, Any]) -> None:
        schema.setdefault("minLength", 1)
        schema.setdefault("maxLength", max_length)

    return extra


def _choice(enum_cls: type[enum.Enum]) -> Any:
    """One of an enum's values; the message lists them."""
    return Annotated[enum_cls, BeforeValidator(_choice_validator(enum_cls)),  # type: ignore[valid-type]
                     WithJsonSchema({"type": "string", "enum": [str(m.value) for m in enum_cls]})]


def _optional_choice(enum_cls: type[enum.Enum]) -> Any:
    check = _choice_validator(enum_cls)
    return Annotated[enum_cls | None,  # type: ignore[valid-type]
                     BeforeValidator(lambda v: None if v is None or v == "" else check(v)),
                     WithJsonSchema({"type": ["string", "null"],
                                     "enum": [*(str(m.value) for m in enum_cls), None]})]


if TYPE_CHECKING:  # to mypy, Choice[Outcome] is an Outcome
    _E = TypeVar("_E")
    Choice = Annotated[_E, "choice"]
    OptionalChoice = Annotated[_E | None, "choice"]
else:
    class Choice:
        """``Choice[Outcome]``: one of the enum's values (``OptionalChoice[...]`` allows null)."""

        def __class_getitem__(cls, enum_cls: type[enum.Enum]) -> Any:
            return _choice(enum_cls)

    class OptionalChoice:
        def __class_getitem__(cls, enum_cls: type[enum.Enum]) -> Any:
            return _optional_choice(enum_cls)


Text = Annotated[str, BeforeValidator(_limited(_required_text, 255)),
                 Field(json_schema_extra=_lengths(255))]
OptionalText = Annotated[str | None, BeforeValidator(_limited(_optional_text, 255)),
                         WithJsonSchema({"type": ["string", "null"], "maxLength": 255})]
LongText = Annotated[str, BeforeValidator(_limited(_required_text, 4000)),
                     Field(json_schema_extra=_lengths(4000))]
OptionalLongText = Annotated[str | None, BeforeValidator(_limited(_optional_text, 4000)),
                             WithJsonSchema({"type": ["string", "null"], "maxLength": 4000})]
Int = Annotated[int, BeforeValidator(_int)]
OptionalInt = Annotated[int | None, BeforeValidator(_optional_int),
                        WithJsonSchema({"type": ["integer", "null"]})]
Bool = Annotated[bool, BeforeValidator(_bool)]
ApiDate = Annotated[dt.date, BeforeValidator(_date),
                    WithJsonSchema({"type": "string", "format": "date", "examples": ["2026-03-27"]})]
OptionalDate = Annotated[dt.date | None, BeforeValidator(_optional_date),
                         WithJsonSchema({"type": ["string", "null"], "format": "date"})]
_MONEY_IN = {"oneOf": [{"type": "string", "pattern": r"^-?£?[0-9,]+(\.[0-9]{1,2})?$"},
                       {"type": "number"}],
             "description": "Pounds, as a string (\"600000.00\") or a number"}
MoneyIn = Annotated[Decimal, BeforeValidator(_money), WithJsonSchema(_MONEY_IN)]
OptionalMoneyIn = Annotated[Decimal | None, BeforeValidator(_optional_money),
                            WithJsonSchema({"oneOf": [*_MONEY_IN["oneOf"], {"type": "null"}]})]

# Response types: money is a decimal string with two places; dates are YYYY-MM-DD.
_MONEY_OUT = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$", "examples": ["600000.00"]}
Money = Annotated[Decimal, PlainSerializer(to_api, return_type=str),
                  WithJsonSchema(_MONEY_OUT, mode="serialization")]
OptionalMoney = Annotated[Decimal | None, PlainSerializer(to_api, return_type=str | None),
                          WithJsonSchema({"type": ["string", "null"],
                                          "pattern": _MONEY_OUT["pattern"]}, mode="serialization")]


class RequestModel(BaseModel):
    """Base for request bodies and query strings. Unknown fields are ignored (clients may send
    back a record they fetched); known fields are checked strictly."""

    model_config = ConfigDict(extra="ignore", hide_input_in_errors=True)


class VersionedRequest(RequestModel):
    """A change to an existing record. Send the ``version`` you last read to be told (409) if
    someone else changed the record since; leave it out to overwrite."""

    version: OptionalInt = Field(default=None, title="the version of the record you last read")


class ListQuery(RequestModel):
    """Keyset pagination: pass the previous page's ``next`` as ``after``."""

    after: OptionalText = Field(default=None, title="the cursor")
    limit: Annotated[int, BeforeValidator(_int), Field(ge=1, le=200)] = Field(
        default=50, title="the page size")


class ResponseModel(BaseModel):
    """Base for response bodies. Build them from dicts or from objects with the same names."""

    model_config = ConfigDict(from_attributes=True)


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """A list: ``next`` is the cursor for the following page, or null on the last page."""

    items: list[T]
    next: str | None


class ApiError(BaseModel):
    error: str
    message: str | None = None


class ValidationErrors(BaseModel):
    errors: dict[str, list[str]] = Field(
        examples=[{"urn": ["Enter the URN"], "received_on": ["Enter the date received in the "
                                                             "format YYYY-MM-DD"]}])


# ---------------------------------------------------------------------------------------------
# Messages.

_MESSAGES = {
    "missing": "Enter {what}",
    "string_too_short": "Enter {what}",
    "cw_blank": "Enter {what}",
    "string_too_long": "{What} must be {max_length} characters or fewer",
    "cw_too_long": "{What} must be {max_length} characters or fewer",
    "cw_text_type": "{What} must be text",
    "cw_control": "{What} must not contain control characters (such as NUL) or invalid characters",
    "cw_int_type": "{What} must be a whole number",
    "cw_int_range": "{What} must be a whole number no larger than {max}",
    "greater_than_equal": "{What} must be {ge} or more",
    "greater_than": "{What} must be more than {gt}",
    "less_than_equal": "{What} must be {le} or less",
    "less_than": "{What} must be less than {lt}",
    "cw_date_format": "Enter {what} in the format YYYY-MM-DD",
    "cw_date_real": "{What} must be a real date, like 2026-03-27",
    "cw_date_range": "{What} must be between 1900-01-01 and 2199-12-31",
    "cw_bool_type": "{What} must be true or false",
    "cw_choice": "{What} must be one of: {allowed}",
    "list_type": "{What} must be a list",
    "too_long": "{What} must have {max_length} items or fewer",
    "too_long_text": "{What} must be {max_length} characters or fewer",
    "model_type": "{What} must be an object",
    "model_attributes_type": "{What} must be an object",
    "dict_type": "{What} must be an object",
}


def _field_title(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    """The field's title (its "what"), following nested models and lists."""
    current: Any = model
    title = None
    for part in loc:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        info = current.model_fields.get(part)
        if info is None:
            break
        title = info.title
        current = _inner_model(info.annotation)
    return title or str(loc[-1] if loc else "the request").replace("_", " ")


def _inner_model(annotation: Any) -> Any:
    for arg in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        inner = getattr(arg, "__args__", ())
        for sub in inner:
            if isinstance(sub, type) and issubclass(sub, BaseModel):
                return sub
    return None


def messages_for(model: type[BaseModel], exc: PydanticError) -> dict[str, list[str]]:
    """Turn pydantic's errors into ``{"field": ["plain English message", ...]}``."""
    out: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False, include_input=False):
        loc = tuple(error["loc"])
        key = ".".join(str(p) for p in loc) or "body"
        what = _field_title(model, loc)
        kind = error["type"]
        if kind == "too_long" and (error.get("ctx") or {}).get("field_type") != "List":
            kind = "too_long_text"
        template = _MESSAGES.get(kind)
        if error["type"] == "cw_money":
            message = error["msg"]
        elif template is None:
            message = f"{what[:1].upper()}{what[1:]} is not valid"
        else:
            ctx = dict(error.get("ctx") or {})
            try:
                message = template.format(what=what, What=what[:1].upper() + what[1:], **ctx)
            except (KeyError, IndexError):
                message = f"{what[:1].upper()}{what[1:]} is not valid"
        if message not in out.setdefault(key, []):
            out[key].append(message)
    return out
