"""Attaches each domain's click group to ``flask --app casework``."""

from __future__ import annotations

import importlib

from flask import Flask

# Domains whose cli.py exposes ``commands`` (a list of click commands or groups).
DOMAINS_WITH_CLI = ("auth", "audit", "demo", "alerts", "reports", "backup")


def init_app(app: Flask) -> None:
    for name in DOMAINS_WITH_CLI:
        try:
            module = importlib.import_module(f"casework.{name}.cli")
        except ModuleNotFoundError as exc:
            if exc.name == f"casework.{name}.cli":
                continue
            raise
        for command in module.commands:
            app.cli.add_command(command)
