"""The fuzz tests' figures, repeated in the terminal summary."""

from __future__ import annotations

from typing import Any

from tests.integration.fuzz.checks import FIGURES


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FIGURES:
        terminalreporter.section("fuzz figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
