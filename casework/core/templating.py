"""Jinja set-up: GOV.UK macro loaders, en_GB date and money filters, shared globals."""

from __future__ import annotations

import datetime as dt
import enum
from collections import ChainMap
from collections.abc import Callable, KeysView, MutableMapping
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from flask import Flask, current_app, g, request
from flask.templating import Environment as FlaskEnvironment
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from casework.core import clock
from casework.core.money import format_gbp


class _TemplateGlobals(ChainMap[str, Any]):
    """A template's globals (its own over the environment's) whose ``keys()`` is a real dict view.

    Every ``{% import %}``/``{% from ... import %}`` runs ``context.globals_keys -
    template.globals.keys()``; on a plain ChainMap that is a Python-level membership test per
    global, and the GOV.UK templates import about 20 macro files per page.
    """

    def keys(self) -> KeysView[str]:  # type: ignore[override]
        return dict.fromkeys(self).keys()


class Environment(FlaskEnvironment):
    """Flask's Jinja environment with cheaper template globals (see ``_TemplateGlobals``)."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return _TemplateGlobals({} if d is None else d, self.globals)


def cached_html(*key: Any, caller: Callable[[], str]) -> str:
    """``{% call cached_html(k, ...) %}...{% endcall %}``: the block's HTML, rendered once per
    process for each key (and URL root) and reused.

    For the page frame only: GOV.UK header, service navigation and footer, whose macros cost
    more than most page bodies. The key must name everything the block depends on; never
    anything personal (the block is shared by every user with the same key).
    """
    cache: dict[tuple[Any, ...], str] = current_app.extensions.setdefault("cached_html", {})
    full = (request.script_root, *key)
    html = cache.get(full)
    if html is None:
        html = cache[full] = caller()  # Markup: the block was rendered with autoescape
    return html


def format_uk_date(value: dt.date | dt.datetime | None, fmt: str = "d MMMM y") -> str:
    """1 March 2027 (GOV.UK style)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = clock.to_london(value) if value.tzinfo else value
        return format_date(value.date(), fmt, locale="en_GB")
    return format_date(value, fmt, locale="en_GB")


def format_uk_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = clock.to_london(value)
    return f"{format_date(local.date(), 'd MMMM y', locale='en_GB')} at {local:%H:%M}"


def display_value(value: Any) -> str:
    """Plain-language rendering of a stored value for audit sentences and summaries."""
    if value is None or value == "":
        return "not set"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return format_uk_datetime(value)
    if isinstance(value, dt.date):
        return format_uk_date(value)
    if isinstance(value, enum.Enum):  # before str: a StrEnum is a str
        return str(getattr(value, "label", value.value))
    if isinstance(value, str):
        try:
            return format_uk_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, Decimal):
        return format_gbp(value)
    if isinstance(value, enum.Enum):
        return str(getattr(value, "label", value.value))
    return str(value)


def init_app(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(  # type: ignore[assignment]
        [
            FileSystemLoader(app.template_folder),  # type: ignore[arg-type]
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    from casework.core.forms import wtforms_errors

    app.jinja_env.globals["wtforms_errors"] = wtforms_errors
    app.jinja_env.filters.update(
        uk_date=format_uk_date,
        uk_datetime=format_uk_datetime,
        gbp=format_gbp,
        display=display_value,
    )

    from casework.core.navigation import nav_items

    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.globals["cached_html"] = cached_html

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {
            "csp_nonce": g.get("csp_nonce", ""),
            "today": clock.today(),
            "session_idle_minutes": app.config["SESSION_IDLE_MINUTES"],
            "session_warning_minutes": app.config["SESSION_WARNING_MINUTES"],
        }
