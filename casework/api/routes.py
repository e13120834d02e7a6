"""JSON API v1 under /api/v1: the blueprint, its endpoint modules and the OpenAPI document.

Each module in ENDPOINT_MODULES declares its endpoints with ``api.endpoint`` (see
casework/api/framework.py for how); importing it registers them on ``bp``. Add your module's
name here (one line) when you create casework/api/<domain>.py.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

from casework.api.framework import api, bp
from casework.api.openapi import document

ENDPOINT_MODULES = (
    "reference",
    "cases",
    "defendants",
    "orders",
    "confiscation",
    "restraint",
    "reports",
    "alerts",
)

for _name in ENDPOINT_MODULES:
    importlib.import_module(f"casework.api.{_name}")


@functools.cache
def _document() -> dict[str, Any]:
    return document(api.endpoints)


@api.endpoint("GET", "/openapi.json", roles=(), public=True, tags=["meta"],
              summary="This API described as OpenAPI 3.1")
def openapi() -> dict[str, Any]:
    """The contract, generated from the schemas the handlers validate with. Open to all: it
    describes the interface and holds no data."""
    return _document()


__all__ = ["bp"]
