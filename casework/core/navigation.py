"""Service navigation: each domain registers its sections; the header shows those the role may use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, url_for


@dataclass(frozen=True)
class NavItem:
    text: str
    endpoint: str
    prefix: str
    roles: tuple[str, ...]
    order: int
    href: str = ""


_ITEMS: dict[str, NavItem] = {}


def register(text: str, endpoint: str, prefix: str, roles: tuple[str, ...], order: int) -> None:
    _ITEMS[endpoint] = NavItem(text, endpoint, prefix, roles, order)


def nav_items(user: Any) -> list[NavItem]:
    role = str(user.role)
    items = sorted((i for i in _ITEMS.values() if role in i.roles), key=lambda i: i.order)
    return [
        NavItem(i.text, i.endpoint, i.prefix, i.roles, i.order, url_for(i.endpoint))
        for i in items
        if i.endpoint in current_app.view_functions
    ]
