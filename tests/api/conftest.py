"""API test helpers: tokens made through the token service, and a client that sends them."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from surveys.db import db
from surveys.services import api_tokens
from tests.factories import make_officer


def make_token(scope: str = "write", role: str = "officer", **options: Any) -> str:
    """Create an officer and a token for them; return the secret."""
    officer = make_officer(role=role)
    secret = api_tokens.create_token(officer, scope, **options).secret
    db.session.commit()
    return secret


class ApiClient:
    """The Flask test client with a bearer token and JSON bodies."""

    def __init__(self, app: Flask, token: str | None) -> None:
        self.client = app.test_client()
        self.token = token

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return headers | (extra or {})

    def get(self, path: str, **kwargs: Any):
        return self.client.get(
            f"/api/v1{path}", headers=self.headers(kwargs.pop("headers", None)), **kwargs
        )

    def post(self, path: str, json: Any = None, **kwargs: Any):
        headers = self.headers(kwargs.pop("headers", None))
        return self.client.post(f"/api/v1{path}", json=json, headers=headers, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any):
        headers = self.headers(kwargs.pop("headers", None))
        return self.client.patch(f"/api/v1{path}", json=json, headers=headers, **kwargs)

    def delete(self, path: str, **kwargs: Any):
        return self.client.delete(
            f"/api/v1{path}", headers=self.headers(kwargs.pop("headers", None)), **kwargs
        )


@pytest.fixture
def api(app: Flask) -> ApiClient:
    """A client holding a write token of an officer."""
    return ApiClient(app, make_token("write"))


@pytest.fixture
def reader(app: Flask) -> ApiClient:
    """A client holding a read token."""
    return ApiClient(app, make_token("read"))
