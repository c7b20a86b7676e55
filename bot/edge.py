"""Refuse a request to /slack/events before Bolt parses it: bad timestamps, bad signatures
and bodies that are not what Slack sends are answered 400/401 here, never a traceback."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs

from flask import Request, Response, jsonify

UNAVAILABLE = (
    "The service is unavailable for a moment. Nothing already saved is lost; try again shortly."
)
# Slack's own rule: a request signed more than five minutes ago may be a replay.
MAX_AGE_SECONDS = 5 * 60


class Refused(Exception):
    """The request is not one Slack signed and sent; carries the status to answer with."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def check(request: Request, signing_secret: str) -> None:
    """Raise Refused unless the request is fresh, signed with our secret and well formed."""
    timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
    if not timestamp.isascii() or not timestamp.isdigit():
        raise Refused(400, "The request timestamp is missing or not a number.")
    if abs(time.time() - int(timestamp)) > MAX_AGE_SECONDS:
        raise Refused(401, "The request is too old.")
    from slack_sdk.signature import SignatureVerifier  # loaded with the bot, not at start-up

    body = request.get_data(cache=True)
    signature = request.headers.get("X-Slack-Signature", "")
    verifier = SignatureVerifier(signing_secret)
    if not signature.isascii() or not verifier.is_valid(body, timestamp, signature):
        raise Refused(401, "The request signature is not valid.")
    _check_body(body, request.mimetype)


def _check_body(body: bytes, mimetype: str) -> None:
    try:
        text = body.decode("utf-8")
        if mimetype == "application/json":
            if not isinstance(json.loads(text), dict):
                raise ValueError("not an object")
            return
        form = parse_qs(text, strict_parsing=bool(text))
        if "payload" in form and not isinstance(json.loads(form["payload"][0]), dict):
            raise ValueError("payload is not an object")
    except ValueError:
        raise Refused(400, "The request body is not one Slack sends.") from None


def problem(status: int, title: str, detail: str) -> Response:
    """An RFC 9457 problem response, as the web face's error handlers give."""
    response = jsonify(type="about:blank", title=title, status=status, detail=detail)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response
