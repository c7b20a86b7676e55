"""API tokens: create (shown once), check, list and revoke; and submission idempotency keys.

A token is `dbt_` and 43 characters from `secrets`; only its SHA-256 is stored, so a
leaked database gives no usable token. A token acts for its officer, within its scope
and the officer's role: a write token of an officer since made a viewer can only read.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from surveys.db import db
from surveys.errors import DebriefError, InvalidInput, NotFound
from surveys.models import API_SCOPES, ApiToken, IdempotencyKey, Officer, utcnow
from surveys.services import audit
from surveys.services.officers import has_role

TOKEN_PREFIX = "dbt_"  # noqa: S105 - a marker, not a secret
MAX_TOKEN_LENGTH = 100
MAX_EXPIRY_DAYS = 3650
MAX_KEY_LENGTH = 200


class TokenRefused(DebriefError):
    """The bearer token is missing, unknown, revoked or expired."""


class KeyReused(InvalidInput):
    """An Idempotency-Key came back with a different request."""


def token_hash(token: str) -> str:
    """Return the stored form of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def looks_like_token(text: str) -> bool:
    """Say whether text carries one of our tokens (to refuse it in a query string)."""
    return TOKEN_PREFIX in text


@dataclass(frozen=True)
class NewToken:
    """A token just created: the secret is here once and never again."""

    record: ApiToken
    secret: str


def scopes_for(officer: Officer) -> tuple[str, ...]:
    """Return the scopes an officer's tokens may have: write needs an officer (not a viewer)."""
    return API_SCOPES if has_role(officer, "officer") else ("read",)


def create_token(
    officer: Officer,
    scope: str,
    *,
    name: str = "",
    expires_days: int | None = None,
    actor: Officer | None = None,
) -> NewToken:
    """Create a token for an officer; write scope needs an officer (not a viewer)."""
    errors: dict[str, str] = {}
    name = " ".join((name or "").split())
    if scope not in API_SCOPES:
        errors["scope"] = "Choose read or write"
    elif scope not in scopes_for(officer):
        errors["scope"] = "A viewer can only have a read token"
    if not officer.active:
        errors["officer"] = "This officer's account is deactivated"
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRY_DAYS:
        errors["expires_days"] = f"Expiry must be between 1 and {MAX_EXPIRY_DAYS} days"
    if len(name) > 100:
        errors["name"] = "Names must be 100 characters or fewer"
    if errors:
        raise InvalidInput(next(iter(errors.values())), errors)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(days=expires_days) if expires_days else None
    record = ApiToken(
        officer_id=officer.id,
        token_hash=token_hash(secret),
        prefix=secret[:10],
        name=name,
        scope=scope,
        expires_at=expires_at,
    )
    db.session.add(record)
    db.session.flush()
    audit.record("api_token.created", actor=actor, target=record, scope=scope)
    return NewToken(record, secret)


def authenticate(secret: str | None) -> ApiToken:
    """Return the live token for a bearer secret, or raise TokenRefused."""
    if not secret or len(secret) > MAX_TOKEN_LENGTH or not secret.startswith(TOKEN_PREFIX):
        raise TokenRefused("Send a valid API token as 'Authorization: Bearer <token>'.")
    token = db.session.scalars(
        select(ApiToken).where(ApiToken.token_hash == token_hash(secret))
    ).first()
    if token is None or token.revoked_at is not None or not token.officer.active:
        raise TokenRefused("This API token is not valid.")
    if has_expired(token):
        raise TokenRefused("This API token has expired.")
    return token


def has_expired(token: ApiToken) -> bool:
    """Say whether a token's expiry has passed."""
    return token.expires_at is not None and token.expires_at <= utcnow()


def token_status(token: ApiToken) -> tuple[str, datetime | None]:
    """Say what state a token is in and since or until when.

    ("revoked", when), ("expired", when), ("expires", when) or ("live", None).
    """
    if token.revoked_at is not None:
        return "revoked", token.revoked_at
    if token.expires_at is None:
        return "live", None
    return ("expired" if has_expired(token) else "expires"), token.expires_at


def may_write(token: ApiToken) -> bool:
    """Say whether a token may change data: write scope, held by an officer or admin."""
    return token.scope == "write" and has_role(token.officer, "officer")


def list_tokens(officer: Officer | None = None) -> list[ApiToken]:
    """Return tokens, newest first (one officer's, or everyone's)."""
    query = select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if officer is not None:
        query = query.where(ApiToken.officer_id == officer.id)
    return list(db.session.scalars(query))


def tokens_visible_to(officer: Officer) -> list[ApiToken]:
    """Return the tokens an officer may see, newest first: an admin's everyone's, else their own."""
    return list_tokens(None if has_role(officer, "admin") else officer)


def may_revoke(officer: Officer, token: ApiToken) -> bool:
    """Say whether an officer may revoke a token: their own, or anyone's for an admin."""
    return token.officer_id == officer.id or has_role(officer, "admin")


def get_token(token_id: int) -> ApiToken:
    """Return a token by id, or raise NotFound."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound("No such API token.")
    return token


def revoke_token(token: ApiToken, *, actor: Officer | None = None) -> None:
    """Revoke a token at once; revoking twice changes nothing."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    db.session.flush()
    audit.record("api_token.revoked", actor=actor, target=token, scope=token.scope)


# ---------------------------------------------------------------------------- idempotency


def request_fingerprint(method: str, path: str, body: Any) -> str:
    """Return a hash of a request: the same method, path and JSON body give the same hash."""
    canonical = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_key(key: str) -> str:
    """Return a usable Idempotency-Key, or raise InvalidInput."""
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(
            "Bad Idempotency-Key",
            {"Idempotency-Key": f"Use 1 to {MAX_KEY_LENGTH} printable characters"},
        )
    return key


def replay(officer: Officer, key: str, fingerprint: str) -> IdempotencyKey | None:
    """Return the stored answer for a key sent before with this request (KeyReused otherwise)."""
    stored = db.session.scalars(
        select(IdempotencyKey).where(
            IdempotencyKey.officer_id == officer.id, IdempotencyKey.key == key
        )
    ).first()
    if stored is not None and stored.request_hash != fingerprint:
        raise KeyReused(
            "This Idempotency-Key was used with a different request.",
            {"Idempotency-Key": "Already used with a different request body"},
        )
    return stored


def remember(
    officer: Officer, key: str, fingerprint: str, status_code: int, body: dict[str, Any]
) -> bool:
    """Store a key with its answer; False when a concurrent request stored it first."""
    try:
        with db.session.begin_nested():
            db.session.add(
                IdempotencyKey(
                    officer_id=officer.id,
                    key=key,
                    request_hash=fingerprint,
                    status_code=status_code,
                    body=body,
                )
            )
    except IntegrityError:
        return False
    return True
