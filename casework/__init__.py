"""Casework: organised-crime prosecutions, POCA confiscation and the ancillary-order register."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from flask import Flask

from casework import config
from casework.core import templating
from casework.extensions import csrf, db, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent

# Each domain package that has web routes exposes ``bp`` in routes.py; order is irrelevant.
DOMAINS_WITH_ROUTES = (
    "auth", "core", "audit", "units", "cases",
    "auth.admin", "api", "reports", "alerts", "orders", "confiscation",
)


class Casework(Flask):
    jinja_environment = templating.Environment


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Casework(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    config.load(app, test_config)
    register_extensions(app)
    register_templates(app)
    register_blueprints(app)
    register_security(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    from casework.auth import sessions

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    sessions.init_app(app)  # before CSRF, so a CSRF failure still knows who is signed in
    csrf.init_app(app)
    # Import every model so metadata is complete for Alembic and relationships resolve.
    from casework import models  # noqa: F401
    from casework.audit import service as audit_service  # noqa: F401  (connects audit signals)


def register_templates(app: Flask) -> None:

    templating.init_app(app)


def register_blueprints(app: Flask) -> None:
    for name in DOMAINS_WITH_ROUTES:
        module = importlib.import_module(f"casework.{name}.routes")
        app.register_blueprint(module.bp)


def register_security(app: Flask) -> None:
    from casework.core import errors, security

    security.init_app(app)
    errors.init_app(app)


def register_cli(app: Flask) -> None:
    from casework import cli

    cli.init_app(app)
