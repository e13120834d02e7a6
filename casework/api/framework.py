"""The JSON API v1 framework: bearer tokens, declared endpoints, JSON errors, keyset lists.

How to add an endpoint (in a new module ``casework/api/<domain>.py``, then add the module's name
to ``ENDPOINT_MODULES`` in ``casework/api/routes.py``)::

    from pydantic import Field

    from casework.api import schemas as s
    from casework.api.framework import api, check_version, not_found

    class OrderIn(s.RequestModel):
        type: s.Choice[OrderType] = Field(title="the order type")
        made_on: s.ApiDate = Field(title="the date the order was made")

    class OrderOut(s.ResponseModel):
        id: int
        version: int
        type: str
        made_on: dt.date

    @api.endpoint("POST", "/defendants/<int:defendant_id>/orders", roles=("admin", "lawyer"),
                  body=OrderIn, response=OrderOut, status=201, summary="Make an ancillary order")
    def create_order(defendant_id: int, body: OrderIn, user: User) -> dict[str, Any]:
        defendant = get_defendant_for(user, defendant_id) or not_found()
        order = service.make_order(defendant, type=body.type, made_on=body.made_on, actor=user)
        return order_json(order)

The handler receives the path parameters, plus ``body`` (the validated request model), ``query``
(the validated query-string model, declared with ``query=``) and ``user`` if it names them. It
returns a dict (or object) that the ``response`` model checks and serialises; money fields are
``s.Money`` (a two-place string), request money ``s.MoneyIn`` (string or number). A list
declares ``query=`` a subclass of ``s.ListQuery`` and ``response=s.Page[OrderOut]`` and returns
``page_of(stmt, sort_keys, query, to_json, key_of)``. A change to an existing record takes an
``s.VersionedRequest`` body and calls ``check_version(record, body.version)``. Request field
types (``s.Text``, ``s.OptionalText``, ``s.ApiDate``, ``s.Choice[Enum]``, ``s.Int``...) turn
every failure into a plain-English message built from the field's ``title``. The framework
commits once after the handler succeeds and answers every failure as JSON:

* 401 no, bad or revoked token, or a disabled user (cookies are never accepted here);
* 403 the user's role is not in ``roles``; 404 ``not_found()`` (another unit's record too);
* 400 malformed JSON or a body that is not an object; 413 a body over 1 MiB;
* 422 ``{"errors": {"field": ["message"]}}`` from the schema or a service's ValidationError;
* 409 ``check_version(record, body.version)`` with a stale version, or a StaleDataError.

Tests: tests/integration/api/test_policy.py and test_access.py pick new endpoints up from the URL
map (roles, 403s, OpenAPI coverage); tests/integration/fuzz/test_api.py fuzzes every documented
operation, so add a record to its PATH_RECORDS for a new kind of path parameter.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from flask import Blueprint, Response, jsonify, make_response, request
from pydantic import BaseModel, TypeAdapter
from pydantic import ValidationError as PydanticError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import RequestEntityTooLarge

from casework.api import schemas
from casework.audit import service as audit
from casework.auth.models import User
from casework.auth.service import user_for_token
from casework.core.auth import ALL_ROLES
from casework.core.pagination import CursorError, SortKey, paginate
from casework.core.validation import ValidationError
from casework.extensions import csrf, db

MAX_BODY = 1024 * 1024
PREFIX = "/api/v1"

bp = Blueprint("api", __name__, url_prefix=PREFIX)
csrf.exempt(bp)  # bearer tokens only: no cookie is ever read, so there is nothing to forge


class ApiAbort(Exception):  # noqa: N818  (an answer, not a failure)
    """Stop handling and answer ``status`` with ``body`` (raised by the helpers below)."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


def error(status: int, title: str, message: str | None = None, **extra: Any) -> ApiAbort:
    return ApiAbort(status, {"error": title, "message": message, **extra})


def not_found() -> NoReturn:
    """404: the record does not exist or is outside the user's units (never say which)."""
    raise error(404, "Not found", "There is no record with that id, or you may not see it")


def invalid(errors: dict[str, list[str]]) -> NoReturn:
    raise ApiAbort(422, {"errors": errors})


def check_version(record: Any, sent: int | None) -> None:
    """409 when the client sent a ``version`` other than the record's current one."""
    if sent is not None and sent != record.version:
        raise error(409, "Someone else changed this record",
                    f"You sent version {sent} but the record is now at version {record.version}. "
                    "Fetch it again, check their change, then send yours with the new version.",
                    version=record.version)


def page_of(stmt: Any, keys: Sequence[SortKey], query: schemas.ListQuery,
            to_json: Callable[[Any], Any], key_of: Callable[[Any], Sequence[Any]],
            *, scalars: bool = True) -> dict[str, Any]:
    """Run a keyset-paginated query; ``{"items": [...], "next": cursor | None}``."""
    try:
        page = paginate(stmt, keys, after=query.after, limit=query.limit, key_of=key_of,
                        scalars=scalars)
    except CursorError:
        invalid({"after": ["The after cursor must be the next value from a previous page"]})
    return {"items": [to_json(row) for row in page.items], "next": page.next}


@dataclass
class Endpoint:
    method: str
    rule: str
    func: Callable[..., Any]
    roles: tuple[str, ...]
    summary: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: Any = None
    status: int = 200
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    public: bool = False

    @property
    def endpoint(self) -> str:
        return f"api.{self.func.__name__}"


class Api:
    """Registry of the API's endpoints: routes them on ``bp`` and feeds the OpenAPI document."""

    def __init__(self) -> None:
        self.endpoints: list[Endpoint] = []

    def endpoint(self, method: str, rule: str, *, roles: Sequence[str], summary: str,
                 body: type[BaseModel] | None = None, query: type[BaseModel] | None = None,
                 response: Any = None, status: int = 200, description: str | None = None,
                 tags: Sequence[str] = (), public: bool = False) -> Callable[[Any], Any]:
        unknown = set(roles) - set(ALL_ROLES)
        if unknown or (not roles and not public):
            raise ValueError(f"{rule}: roles must be a non-empty subset of {ALL_ROLES}")

        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            spec = Endpoint(method.upper(), rule, func, tuple(roles), summary, body, query,
                            response, status, description or inspect.getdoc(func),
                            list(tags) or [func.__module__.rsplit(".", 1)[-1]], public)
            view = _make_view(spec)
            bp.add_url_rule(rule, func.__name__, view, methods=[spec.method])
            self.endpoints.append(spec)
            return func

        return decorator


api = Api()


def _make_view(spec: Endpoint) -> Callable[..., Any]:
    wanted = set(inspect.signature(spec.func).parameters)

    @functools.wraps(spec.func)
    def view(**path: Any) -> Response:
        try:
            return _handle(spec, wanted, path)
        except ApiAbort as stop:
            db.session.rollback()
            if stop.status == 403:
                _audit_refusal(spec)
            response = make_response(jsonify(stop.body), stop.status)
            response.headers.update(stop.headers)
            return response

    view.allowed_roles = ("public",) if spec.public else spec.roles  # type: ignore[attr-defined]
    return view


def _audit_refusal(spec: Endpoint) -> None:
    """A refused use of a function is recorded (its own transaction: the request's was undone)."""
    user = getattr(request, "api_user", None)
    audit.record("authz_denied", object_type="api", object_id=None, actor=user,
                 summary=f"{user.name if user else 'Someone'} was refused {spec.method} "
                         f"{request.path} (role {user.role.label if user else 'unknown'})")
    db.session.commit()


def _handle(spec: Endpoint, wanted: set[str], path: dict[str, Any]) -> Response:
    user = None if spec.public else _authenticate(spec)
    if any(isinstance(v, int) and v > schemas.MAX_INT for v in path.values()):
        not_found()
    kwargs = dict(path)
    if "user" in wanted:
        kwargs["user"] = user
    if spec.query is not None:
        kwargs["query"] = _validate(spec.query, request.args.to_dict())
    if spec.body is not None:
        kwargs["body"] = _validate(spec.body, _json_body())
    try:
        result = spec.func(**kwargs)
        if isinstance(result, Response):
            db.session.commit()
            return result
        payload = _serialise(spec, result)
        db.session.commit()
    except ValidationError as exc:
        invalid(exc.errors)
    except StaleDataError:
        raise error(409, "Someone else changed this record",
                    "Someone else saved a change to this record at the same time. Fetch it again "
                    "and make your change again.") from None
    except IntegrityError:
        raise error(409, "This conflicts with another record",
                    "Another record saved at the same time conflicts with this one. "
                    "Fetch the records again and retry.") from None
    return make_response(jsonify(payload), spec.status)


def _authenticate(spec: Endpoint) -> User:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = None
    if scheme.lower() == "bearer" and token.strip() and len(token) < 512:
        user = user_for_token(token.strip())
    if user is None:
        raise ApiAbort(401, {"error": "You need a valid API token",
                             "message": "Send an Authorization: Bearer <token> header with a "
                                        "token from 'flask users token EMAIL' for an active user"},
                       {"WWW-Authenticate": 'Bearer realm="casework"'})
    request.api_user = user  # type: ignore[attr-defined]  # audit rows name this user
    if str(user.role) not in spec.roles:
        raise error(403, "You do not have permission to do that",
                    f"Your role ({user.role.label}) may not use this endpoint")
    return user


def _json_body() -> Any:
    request.max_content_length = MAX_BODY
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise error(413, "That request is too large", "Send a body of at most 1 MiB") from None
    try:
        data = json.loads(raw, parse_constant=_not_json)
    except (ValueError, RecursionError):
        raise error(400, "The body is not valid JSON",
                    "Send a JSON object, with the header Content-Type: application/json") from None
    if not isinstance(data, dict):
        raise error(400, "The body must be a JSON object",
                    'Send a JSON object, like {"name": "value"}')
    return data


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _validate(model: type[BaseModel], data: Any) -> Any:
    try:
        return model.model_validate(data)
    except PydanticError as exc:
        invalid(schemas.messages_for(model, exc))


def _serialise(spec: Endpoint, result: Any) -> Any:
    if spec.response is None:
        return result
    adapter = _adapter(spec.response)
    return adapter.dump_python(adapter.validate_python(result), mode="json")


@functools.cache
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)
