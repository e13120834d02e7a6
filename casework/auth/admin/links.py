"""The admin home's list of links. Other areas append theirs at import time, e.g.

    from casework.auth.admin.links import register_admin_link
    register_admin_link("Alert sweep runs", "alerts.runs", "When each sweep ran and what it sent", 40)

A link whose endpoint is not registered (its blueprint not loaded) is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for


@dataclass(frozen=True)
class AdminLink:
    text: str
    endpoint: str
    description: str
    order: int


_LINKS: dict[str, AdminLink] = {}


def register_admin_link(text: str, endpoint: str, description: str, order: int = 50) -> None:
    _LINKS[endpoint] = AdminLink(text, endpoint, description, order)


def admin_links() -> list[tuple[AdminLink, str]]:
    return [(link, url_for(link.endpoint)) for link in sorted(_LINKS.values(), key=lambda x: x.order)
            if link.endpoint in current_app.view_functions]


register_admin_link("Users", "admin.users", "Add users, change roles and units, disable accounts, "
                    "unlock sign-in, end sessions and manage API tokens", 10)
register_admin_link("Units", "units.index", "CPS Areas and central divisions: add, rename or "
                    "deactivate a unit", 20)
register_admin_link("Audit log", "audit.log", "Who did what and when (Data Protection Act 2018, "
                    "section 62)", 30)
