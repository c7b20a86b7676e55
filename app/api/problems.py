"""Problem+json (RFC 9457) answers for the API, and the checks on request bodies.

Domain errors are mapped here, once: a view calls a service and lets its error rise.
Bodies are checked before any view parses them: JSON only, not nested deeper than
MAX_DEPTH, no array longer than MAX_ITEMS (413), no unstorable text (lone surrogates),
so no request can exhaust the parser or reach the database with what it cannot store.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from app.errors import TITLES, discard_failed_transaction, domain_status
from surveys.errors import DebriefError, InvalidInput
from surveys.services.api_tokens import TokenRefused

MAX_DEPTH = 16
MAX_ITEMS = 1000
BODY_METHODS = ("POST", "PUT", "PATCH")


class BodyRefused(HTTPException):
    """A request body the API will not read."""

    code = 400


class BodyTooLarge(RequestEntityTooLarge):
    description = f"Arrays in the body may hold at most {MAX_ITEMS} items."


def problem(
    status: int, detail: str, errors: dict[str, Any] | None = None, title: str | None = None
) -> Response:
    """Build a problem+json response."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def handle_domain_error(error: DebriefError) -> Response:
    """Answer a service's domain error: 404, 409 or 422 with the fields at fault."""
    discard_failed_transaction()
    if isinstance(error, TokenRefused):
        response = problem(401, str(error), title="Unauthorised")
        response.headers["WWW-Authenticate"] = 'Bearer realm="debrief"'
        return response
    status = domain_status(error)
    errors = error.errors if isinstance(error, InvalidInput) else None
    return problem(status, str(error), errors)


def handle_http_error(error: HTTPException) -> Response:
    """Answer an HTTP error (including webargs' 422 with its messages) as a problem."""
    status = error.code or 500
    if status < 400:  # 304 Not Modified (an ETag matched) has no body to explain
        return error.get_response()
    if status >= 500:
        discard_failed_transaction()
    data = getattr(error, "data", None) or {}
    errors = _flatten(data.get("messages")) if isinstance(data, dict) else None
    detail = "Something went wrong on our side." if status >= 500 else error.description
    response = problem(status, detail or error.name, errors or None, title=error.name)
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _flatten(messages: Any, prefix: str = "") -> dict[str, str]:
    """Turn webargs' nested {location: {field: [messages]}} into {field: message}."""
    flat: dict[str, str] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            if not prefix and key in ("json", "query", "headers", "path"):
                flat |= _flatten(value, "")
            else:
                flat |= _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(messages, list) and all(isinstance(item, str) for item in messages):
        flat[prefix or "body"] = " ".join(messages)
    elif isinstance(messages, list):
        for index, item in enumerate(messages):
            flat |= _flatten(item, f"{prefix}.{index}")
    elif messages is not None:
        flat[prefix or "body"] = str(messages)
    return flat


def check_body() -> None:
    """Refuse a body that is not JSON, not readable, too deep or with oversize arrays."""
    has_body = bool(request.content_length) or "chunked" in request.headers.get(
        "Transfer-Encoding", ""
    )
    if request.method not in BODY_METHODS or not has_body:
        return
    if not request.is_json:
        raise BodyRefused("Send a JSON body with 'Content-Type: application/json'.")
    try:
        data = request.get_json(force=False, silent=False)
    except RecursionError:
        raise BodyRefused(f"JSON may be nested at most {MAX_DEPTH} levels deep.") from None
    except HTTPException:
        raise BodyRefused("The body is not valid JSON.") from None
    _check_shape(data, 1)


def _check_shape(value: Any, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise BodyRefused(f"JSON may be nested at most {MAX_DEPTH} levels deep.")
    if isinstance(value, str):
        _check_text(value)
        return
    if isinstance(value, list):
        if len(value) > MAX_ITEMS:
            raise BodyTooLarge()
        children = value
    elif isinstance(value, dict):
        for key in value:
            _check_text(key)
        children = list(value.values())
    else:
        return
    for child in children:
        _check_shape(child, depth + 1)


def _check_text(text: str) -> None:
    """Refuse a string no database can store: a lone surrogate escape such as "\\ud800"."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BodyRefused("The body contained characters that could not be read.") from None
