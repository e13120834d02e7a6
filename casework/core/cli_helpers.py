"""Shared CLI behaviour: exit status 0 on success, non-zero with one line on stderr otherwise."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = 1) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def one_line_errors(*handled: type[Exception]) -> Callable[[F], F]:
    """Turn the named domain errors into a one-line reason on stderr and exit status 1."""

    def decorator(func: F) -> F:
        @functools.wraps(func)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except handled as exc:
                from casework.extensions import db

                db.session.rollback()
                fail(str(getattr(exc, "message", exc)).replace("\n", " "))
            return None

        return wrapped  # type: ignore[return-value]

    return decorator
