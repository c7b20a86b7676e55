"""The JSON API at /api/v1: flask-smorest views over the same services as every face.

`init_app` registers one blueprint (`api`, CSRF-exempt: it takes no cookies, only bearer
tokens), its OpenAPI 3.1 document at /api/v1/openapi.json and the interactive docs at
/api/v1/docs. Each request is checked in order: its token (auth.authenticate_request), then its
body (problems.check_body). Errors become problem+json in `problems`.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_smorest import Api, Blueprint
from marshmallow import RAISE
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from app.api import auth, problems
from app.api.schemas import ProblemSchema
from app.extensions import csrf
from surveys.errors import DebriefError

PREFIX = "/api/v1"
PROBLEM_JSON = "application/problem+json"


class ApiParser(FlaskParser):
    """webargs' parser, refusing unknown query parameters as it refuses unknown JSON fields."""

    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": RAISE,
        "querystring": RAISE,
    }


blueprint = Blueprint(
    "api", __name__, url_prefix=PREFIX, description="Debrief's programmes, rounds and feedback."
)
blueprint.ARGUMENTS_PARSER = ApiParser()


class DebriefApi(Api):
    """flask-smorest's Api, with problem+json errors and no app-wide error handler."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        # The rest of the app keeps its own error pages; the API blueprint has its handlers.
        return None

    def _register_responses(self) -> None:
        super()._register_responses()
        for response in self.spec.components.responses_lazy.values():
            _as_problem(response)


def _as_problem(response: dict[str, Any]) -> None:
    content = response.get("content")
    if content and "application/json" in content:
        response["content"] = {PROBLEM_JSON: content["application/json"]}


SETTINGS = {
    "API_TITLE": "Debrief API",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": PREFIX,
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "security": [{"bearerAuth": []}],
        "info": {"description": "See docs/api.md for tokens, paging, errors and idempotency."},
    },
}


def init_app(app: Flask) -> None:
    """Register the API, its OpenAPI document and its docs page."""
    from app.api import (  # noqa: F401  (registers the routes)
        docs,
        views_learning,
        views_people,
        views_responses,
        views_rounds,
    )

    for key, value in SETTINGS.items():
        app.config.setdefault(key, value)
    api = DebriefApi(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "dbt_… token"}
    )
    api.register_blueprint(blueprint)
    csrf.exempt(blueprint)
    app.register_blueprint(docs.blueprint)


@blueprint.before_request
def check_request() -> None:
    auth.authenticate_request()
    problems.check_body()


blueprint.register_error_handler(DebriefError, problems.handle_domain_error)
blueprint.register_error_handler(HTTPException, problems.handle_http_error)
