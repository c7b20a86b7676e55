"""Bearer tokens for the API: who is asking, and whether their token's scope allows it.

Tokens travel only in the Authorization header. One in the query string is refused
outright (it would be kept in proxies' and browsers' histories); the log scrubber in
`app.logs` masks it in case a client sends one anyway.
"""

from __future__ import annotations

from flask import g, request
from werkzeug.exceptions import BadRequest, Forbidden

from surveys.models import ApiToken, Officer
from surveys.services import api_tokens

READ_METHODS = ("GET", "HEAD", "OPTIONS")
QUERY_TOKEN_NAMES = ("access_token", "token", "api_key", "apikey", "bearer")


class TokenInQuery(BadRequest):
    description = (
        "API tokens are refused in the query string; send 'Authorization: Bearer <token>'."
    )


def authenticate_request() -> None:
    """Find the request's token (TokenRefused for 401) and check its scope (403)."""
    for name, value in request.args.items(multi=True):
        if name.lower() in QUERY_TOKEN_NAMES or api_tokens.looks_like_token(value):
            raise TokenInQuery()
    token = api_tokens.authenticate(bearer_secret())
    g.api_token = token
    if request.method not in READ_METHODS and not api_tokens.may_write(token):
        raise Forbidden("This API token may only read; changes need a write token.")


def bearer_secret() -> str | None:
    """Return the secret from 'Authorization: Bearer <secret>', if there is one."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return secret.strip() or None


def current_token() -> ApiToken:
    return g.api_token


def current_officer() -> Officer:
    """The officer the request's token acts for."""
    return g.api_token.officer
