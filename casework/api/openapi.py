"""The OpenAPI 3.1 document, generated from the same pydantic models the handlers validate with.

OpenAPI 3.1 uses JSON Schema 2020-12, which is what pydantic's ``model_json_schema`` writes, so
the component schemas are pydantic's own output with references rewritten to
``#/components/schemas/...``.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import JsonSchemaMode

from casework.api import schemas
from casework.api.framework import PREFIX, Endpoint

_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
REF = "#/components/schemas/{model}"

ERRORS = {
    400: ("The body is not valid JSON, or not a JSON object", "ApiError"),
    401: ("No token, a bad or revoked token, or a disabled user", "ApiError"),
    403: ("Your role may not use this endpoint", "ApiError"),
    404: ("No such record, or it belongs to a unit you may not see", "ApiError"),
    409: ("The version you sent is stale: someone else changed the record", "ApiError"),
    422: ("Invalid values: each field's messages name the rule broken", "ValidationErrors"),
}


def openapi_path(rule: str) -> str:
    """``/cases/<int:case_id>`` -> ``/api/v1/cases/{case_id}``."""
    return PREFIX + _PARAM.sub(r"{\2}", rule)


def _path_parameters(rule: str) -> list[dict[str, Any]]:
    params = []
    for converter, name in _PARAM.findall(rule):
        kind = {"type": "integer", "minimum": 1} if converter == "int" else {"type": "string"}
        params.append({"name": name, "in": "path", "required": True, "schema": kind})
    return params


class _Schemas:
    """Collects component schemas; the same model is emitted once per mode."""

    def __init__(self) -> None:
        self.components: dict[str, Any] = {}

    def ref(self, model: Any, mode: JsonSchemaMode) -> dict[str, Any]:
        schema = TypeAdapter(model).json_schema(mode=mode, ref_template=REF)
        self._add_defs(schema)
        name = str(schema.get("title") or getattr(model, "__name__", "Body"))
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", name).strip("_")
        self._add(name, schema)
        return {"$ref": REF.format(model=name)}

    def _add(self, name: str, schema: dict[str, Any]) -> None:
        existing = self.components.setdefault(name, schema)
        if existing != schema:
            raise ValueError(f"Two different API schemas are both called {name}: rename one")

    def _add_defs(self, schema: dict[str, Any]) -> None:
        for name, definition in schema.pop("$defs", {}).items():
            self._add(name, definition)

    def parameters(self, model: type[BaseModel]) -> list[dict[str, Any]]:
        schema = model.model_json_schema(mode="validation", ref_template=REF)
        self._add_defs(schema)
        required = set(schema.get("required", []))
        out = []
        for name, prop in schema.get("properties", {}).items():
            param = {"name": name, "in": "query", "required": name in required, "schema": prop}
            description = prop.get("description") or prop.get("title")
            if description:
                param["description"] = description
            out.append(param)
        return out


def _operation(spec: Endpoint, schemas_: _Schemas) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": spec.func.__name__,
        "summary": spec.summary,
        "tags": spec.tags,
        "parameters": _path_parameters(spec.rule),
        "responses": {},
    }
    if spec.description:
        op["description"] = spec.description
    if spec.public:
        op["security"] = []
    else:
        op["x-roles"] = list(spec.roles)
    if spec.query is not None:
        op["parameters"] += schemas_.parameters(spec.query)
    if spec.body is not None:
        op["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": schemas_.ref(spec.body, "validation")}}}
    ok: dict[str, Any] = {"description": "Success"}
    if spec.response is not None:
        ok["content"] = {"application/json": {"schema": schemas_.ref(spec.response, "serialization")}}
    op["responses"][str(spec.status)] = ok
    for code, (text, model) in ERRORS.items():
        if spec.public and code in (401, 403):
            continue
        if code == 400 and spec.body is None:
            continue
        if code == 422 and spec.body is None and spec.query is None:
            continue
        if code == 409 and spec.method not in ("POST", "PUT", "PATCH", "DELETE"):
            continue
        if code == 404 and "<" not in spec.rule:
            continue
        op["responses"][str(code)] = {"description": text, "content": {
            "application/json": {"schema": {"$ref": REF.format(model=model)}}}}
    return op


def document(endpoints: list[Endpoint]) -> dict[str, Any]:
    schemas_ = _Schemas()
    schemas_.ref(schemas.ApiError, "serialization")
    schemas_.ref(schemas.ValidationErrors, "serialization")
    paths: dict[str, dict[str, Any]] = {}
    for spec in sorted(endpoints, key=lambda e: (e.rule, e.method)):
        paths.setdefault(openapi_path(spec.rule), {})[spec.method.lower()] = _operation(spec, schemas_)
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Casework API",
            "version": "1",
            "description": (
                "Organised-crime prosecutions, POCA confiscation and the ancillary-order register. "
                "Dates are YYYY-MM-DD; money in responses is a decimal string with two places and "
                "requests accept a string or a number; every record has id and version; lists "
                "are {items, next} with ?after=<next> keyset pagination."),
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "A token printed by 'flask users token EMAIL'"}},
            "schemas": schemas_.components,
        },
    }
