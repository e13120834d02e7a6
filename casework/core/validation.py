"""One error type for rule violations, shared by services, forms, the API and the CLI.

Services raise ``ValidationError({"field": ["message", ...]})`` with GOV.UK-style messages that
name the rule (and statute where one applies). Routes show them beside the fields; the API
answers 422 with ``{"errors": ...}``; the CLI prints one line. Nothing is saved when it is raised.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class ValidationError(ValueError):
    def __init__(self, errors: dict[str, list[str]] | None = None, **fields: str) -> None:
        merged: dict[str, list[str]] = {k: list(v) for k, v in (errors or {}).items()}
        for name, message in fields.items():
            merged.setdefault(name, []).append(message)
        self.errors = merged
        super().__init__("; ".join(m for msgs in merged.values() for m in msgs))

    @property
    def message(self) -> str:
        return str(self)


class Problems:
    """Collect several problems, then raise them together."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def has_control_chars(text: str) -> bool:
    """NUL and other control characters (or lone surrogates) are never valid in a text field;
    PostgreSQL refuses NUL outright, so services reject them with a message instead of a 500."""
    return bool(_CONTROL.search(text))
