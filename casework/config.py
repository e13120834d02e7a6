"""Configuration: defaults -> instance/config.py -> CASEWORK_* environment -> test_config -> checks.

The factory refuses to start outside debug/testing without a real SECRET_KEY; for local runs a
random key is created once and kept in the instance folder (never committed).
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

WEAK_SECRETS = {"", "dev", "change-me", "secret", "changeme"}


class ConfigError(RuntimeError):
    pass


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        "ENV_NAME": "local",
        "SECRET_KEY": None,
        "DATABASE_URL": f"sqlite:///{Path(instance_path) / 'casework.db'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "SQLALCHEMY_RECORD_QUERIES": False,
        # Sessions: server-side records, 30 min idle, 12 h absolute (ASVS 4.0.3 3.3.2).
        "SESSION_IDLE_MINUTES": 30,
        "SESSION_ABSOLUTE_HOURS": 12,
        "SESSION_WARNING_MINUTES": 5,
        "SESSION_COOKIE_NAME": "casework_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=12),
        # Long forms: a lawyer's form must not fail after an hour (Flask-WTF default).
        "WTF_CSRF_TIME_LIMIT": 12 * 3600,
        # Failed sign-ins: lockout after this many failures in the window (counted in the DB).
        "LOGIN_FAILURE_LIMIT": 10,
        "LOGIN_FAILURE_WINDOW_MINUTES": 15,
        "MAIL_SERVER": None,
        "MAIL_PORT": 25,
        "MAIL_FROM": "casework@localhost",
        "ALERTS_DAILY_TIME": "06:30",
        "MONTHLY_REPORT_TIME": "07:00",
        "PAGE_SIZE": 50,
        "HSTS_SECONDS": 31536000,
        # argon2id costs; None keeps argon2-cffi's RFC 9106 defaults (tests lower them).
        "ARGON2_TIME_COST": None,
        "ARGON2_MEMORY_KIB": None,
    }


def _instance_secret(instance_path: str) -> str:
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def load(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.update(defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("CASEWORK")
    if test_config:
        app.config.update(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_db_url(app.config["DATABASE_URL"])
    validate(app)


def normalise_db_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use psycopg 3 for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def validate(app: Flask) -> None:
    key = app.config.get("SECRET_KEY")
    production = app.config.get("ENV_NAME") == "production"
    if not key or str(key) in WEAK_SECRETS or len(str(key)) < 32:
        if production:
            raise ConfigError(
                "CASEWORK_SECRET_KEY must be set to a random value of at least 32 characters "
                "in production"
            )
        app.config["SECRET_KEY"] = _instance_secret(app.instance_path)
    if production:
        app.config["SESSION_COOKIE_SECURE"] = True
    if app.config.get("MAIL_PORT") is not None:
        app.config["MAIL_PORT"] = int(app.config["MAIL_PORT"])
