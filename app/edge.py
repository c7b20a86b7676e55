"""The edge of the web face: what is refused before any view, service or database sees it.

- Bytes that are not UTF-8, and characters no database column can hold (NUL), in the
  path, the query string or a form field: 400 with a page that says so, before the CSRF
  check (which would otherwise blame an expired page).
- Ids in URLs are bounded to the database's integer range, so an id too large for a
  column is the 404 of any unknown id, not an overflow.
- Behind `DEBRIEF_TRUSTED_PROXIES` reverse proxies, the client's own address (from
  X-Forwarded-For) is `request.remote_addr`, which every throttle keys on.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import BadRequest
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

# PostgreSQL's INTEGER, the narrowest id column we have.
MAX_ID = 2**31 - 1
UNSTORABLE = "\x00"
# Paths whose bodies are checked by their own face before parsing (Slack signs them).
SIGNED_PREFIXES = ("/slack/",)


class UnreadableRequest(BadRequest):
    """The request held bytes or characters that cannot be read or stored."""

    description = "The request contained characters that could not be read."


class BoundedIntConverter(IntegerConverter):
    """`<int:id>` that only matches ids a database column can hold."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - Werkzeug's signature
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_url_converters(app: Flask) -> None:
    """Bound `<int:...>`; call before any blueprint adds its routes."""
    app.url_map.converters["int"] = BoundedIntConverter


def init_app(app: Flask) -> None:
    """Trust the configured proxies and refuse unreadable requests before anything else runs."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    # First in line: before CSRF protection and the session expiry check.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_unreadable_input)
    app.register_error_handler(UnreadableRequest, handle_unreadable)


def refuse_unreadable_input() -> None:
    """Raise UnreadableRequest for undecodable bytes or NUL anywhere in the request."""
    environ = request.environ
    path = environ.get("PATH_INFO", "").encode("latin-1", "replace")
    query = unquote_to_bytes(environ.get("QUERY_STRING", "").encode("latin-1", "replace"))
    for raw in (path, query):
        _check_bytes(raw)
    if request.path.startswith(SIGNED_PREFIXES) or request.method in ("GET", "HEAD"):
        return
    if request.mimetype == "application/x-www-form-urlencoded":
        _check_bytes(unquote_to_bytes(request.get_data(cache=True)))
    elif request.mimetype == "multipart/form-data":
        for key, value in request.form.items(multi=True):
            if UNSTORABLE in key or UNSTORABLE in value:
                raise UnreadableRequest()
    elif request.is_json:
        body = request.get_data(cache=True)
        if b"\x00" in body or b"\\u0000" in body:
            raise UnreadableRequest()
        _check_bytes(body)


def _check_bytes(raw: bytes) -> None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableRequest() from None
    if UNSTORABLE in text:
        raise UnreadableRequest()


def handle_unreadable(error: UnreadableRequest) -> tuple[Response | str, int]:
    """Say plainly that the characters sent could not be read; nothing was saved."""
    from app.errors import TITLES, problem, retry_url, wants_problem_json

    if wants_problem_json():
        return problem(400, "Bad request", error.description), 400
    return render_template("errors/unreadable.html", title=TITLES[400], retry_url=retry_url()), 400
