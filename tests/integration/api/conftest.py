"""API test helpers: a bearer token per standard user and a client that sends it."""

from __future__ import annotations

import json as jsonlib
from typing import Any

import pytest

from casework.auth.service import issue_token
from casework.extensions import db


class Api:
    def __init__(self, client: Any, users: Any) -> None:
        self.client = client
        self.users = users
        self._tokens: dict[int, str] = {}

    def token(self, user: Any) -> str:
        if user.id not in self._tokens:
            self._tokens[user.id] = issue_token(user)
            db.session.commit()  # a request that fails rolls back to here, as in production
        return self._tokens[user.id]

    def call(self, method: str, path: str, user: Any = None, json: Any = None,
             data: str | bytes | None = None, headers: dict[str, str] | None = None,
             **kwargs: Any) -> Any:
        sent = dict(headers or {})
        if user is not None:
            sent.setdefault("Authorization", f"Bearer {self.token(user)}")
        if json is not None:
            data = jsonlib.dumps(json)
        if data is not None:
            sent.setdefault("Content-Type", "application/json")
        return self.client.open(path, method=method, data=data, headers=sent, **kwargs)

    def get(self, path: str, user: Any = None, **kwargs: Any) -> Any:
        return self.call("GET", path, user or self.users.lawyer, **kwargs)

    def post(self, path: str, json: Any = None, user: Any = None, **kwargs: Any) -> Any:
        return self.call("POST", path, user or self.users.lawyer, json=json, **kwargs)

    def put(self, path: str, json: Any = None, user: Any = None, **kwargs: Any) -> Any:
        return self.call("PUT", path, user or self.users.lawyer, json=json, **kwargs)


@pytest.fixture
def api(client: Any, users: Any) -> Api:
    db.session.commit()
    return Api(client, users)
