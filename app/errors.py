"""Error pages: friendly GOV.UK-style pages for people, JSON problems for machines.

Paths under `/api/` and `/slack/` get `application/problem+json` (RFC 9457);
everything else gets a page from `templates/errors/`. No response ever shows a
traceback: an unexpected error is logged by Flask and answered with a plain
"there is a problem" page, which falls back to static HTML if even the page
template fails.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db
from surveys.db import DATABASE_FAULTS
from surveys.errors import AlreadySubmitted, DebriefError, InvalidInput, NotFound, SurveyClosed

MACHINE_PREFIXES = ("/api/", "/slack/")

# Shown when the error page itself cannot be rendered.
FALLBACK_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Sorry, there is a problem with the service</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Sorry, there is a problem with the service</h1>
<p>Try again later.</p></main></body></html>
"""

TITLES = {
    400: "Sorry, there is a problem with your request",
    404: "Page not found",
    405: "Sorry, you cannot do that on this page",
    409: "Sorry, that cannot be done now",
    413: "The information you sent is too large",
    422: "There is a problem with what you sent",
    429: "Sorry, there have been too many attempts",
    500: "Sorry, there is a problem with the service",
    503: "Sorry, the service is unavailable",
}


UNAVAILABLE_DETAIL = (
    "The service is unavailable for a moment. Nothing already saved is lost; try again shortly."
)


def init_app(app: Flask) -> None:
    """Answer every HTTP error, and any unexpected exception, with a friendly response."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(DebriefError, domain_error_page)
    for fault in DATABASE_FAULTS:
        app.register_error_handler(fault, handle_database_fault)


def wants_problem_json() -> bool:
    """Whether this request is from a machine client (the JSON API or Slack)."""
    return request.path.startswith(MACHINE_PREFIXES)


def handle_csrf_error(error: CSRFError) -> tuple[Response | str, int]:
    """The form's security token was missing or expired: explain, and link back to the form."""
    if wants_problem_json():
        return problem(400, "Bad request", "The request's security token was missing or invalid.")
    return render_template("errors/csrf.html", title=TITLES[400], retry_url=retry_url()), 400


def handle_http_error(error: HTTPException) -> tuple[Response | str, int, list]:
    """Render the page (or JSON problem) for an HTTP error, keeping headers such as Allow."""
    code = error.code or 500
    if code >= 500:
        discard_failed_transaction()
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    title = TITLES.get(code, error.name)
    if wants_problem_json():
        response = problem(code, error.name, problem_detail(error))
        return response, code, headers
    try:
        page = render_error_page(code, title)
    except Exception:  # noqa: BLE001 - the error page must not fail in turn
        current_app.logger.exception("Could not render the %s error page", code)
        page = FALLBACK_PAGE
    return page, code, headers


def render_error_page(code: int, title: str) -> str:
    context = {
        "title": title,
        "code": code,
        "retry_url": retry_url(),
        "max_size": readable_size(current_app.config.get("MAX_CONTENT_LENGTH")),
    }
    try:
        return render_template(f"errors/{code}.html", **context)
    except TemplateNotFound:
        return render_template("errors/generic.html", **context)


def problem_detail(error: HTTPException) -> str:
    if isinstance(error, InternalServerError):
        return "Something went wrong on our side. Try again later."
    return error.description or error.name


def problem(status: int, title: str, detail: str) -> Response:
    """Build an RFC 9457 problem response body."""
    response = jsonify(type="about:blank", title=title, status=status, detail=detail)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def retry_url() -> str | None:
    """The page to try again from: this path, for a failed form post to it."""
    if request.method == "POST" and request.path.startswith("/"):
        return request.path
    return None


def readable_size(size: int | None) -> str | None:
    """Say how big a byte count is, in the units people know (2 MB, 500 KB)."""
    if not size:
        return None
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{max(1, size // 1024)} KB"


def discard_failed_transaction() -> None:
    """Roll back whatever the failed request left in the session."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - nothing more can be done here
        current_app.logger.exception("Rolling back after an error failed")


# Domain errors a view did not handle itself, by the status that says what happened.
DOMAIN_STATUSES: tuple[tuple[type[DebriefError], int], ...] = (
    (NotFound, 404),
    (SurveyClosed, 409),
    (AlreadySubmitted, 409),
    (InvalidInput, 422),
)


def domain_status(error: DebriefError) -> int:
    """Return the HTTP status for a domain error (409 for any conflict not listed)."""
    return next((code for kind, code in DOMAIN_STATUSES if isinstance(error, kind)), 409)


def domain_error_page(error: DebriefError) -> tuple[Response | str, int]:
    """Answer a domain error with a page (or JSON problem) saying what happened."""
    db.session.rollback()
    code = domain_status(error)
    if wants_problem_json():
        return problem(code, TITLES[code], str(error)), code
    if code == 404:
        # Never say which records exist: every missing thing gets the one 404 page.
        return render_error_page(404, TITLES[404]), 404
    problems = error.errors if isinstance(error, InvalidInput) else {}
    page = render_template(
        "errors/domain.html", title=TITLES[code], message=str(error), problems=problems
    )
    return page, code


def handle_database_fault(error: Exception) -> tuple[Response | str, int, dict]:
    """Answer a database fault with 503 (the answers so far are kept), logged once, tersely."""
    discard_failed_transaction()
    current_app.logger.error(
        "Database unavailable during %s %s: %s",
        request.method,
        request.endpoint or "unknown endpoint",
        fault_summary(error),
    )
    headers = {"Retry-After": "30"}
    if wants_problem_json():
        return problem(503, "Service unavailable", UNAVAILABLE_DETAIL), 503, headers
    try:
        page = render_error_page(503, TITLES[503])
    except Exception:  # noqa: BLE001 - the error page must not fail in turn
        page = FALLBACK_PAGE
    return page, 503, headers


def fault_summary(error: Exception) -> str:
    """Name a database error without its statement or parameters (they may hold answers)."""
    original = getattr(error, "orig", None) or error
    code = getattr(original, "sqlstate", None) or getattr(original, "sqlite_errorname", None)
    label = type(original).__name__ + (f" {code}" if code else "")
    if type(original).__module__.startswith("sqlite3"):
        label += f" ({str(original).splitlines()[0][:80]})"
    return label
