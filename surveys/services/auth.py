"""Signing officers in: password checks, throttled attempts and password-reset tokens."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from surveys.db import db
from surveys.errors import DebriefError
from surveys.models import Officer, utcnow
from surveys.services import audit, officers, throttle

# Counters are keyed `signin:...`, apart from the respondents' token throttling. Guesses
# count per account *and* address, so someone guessing an officer's password from one
# address never locks that officer (or anyone else) out elsewhere; the per-address limit
# is higher, for one address trying many accounts.
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 100
WINDOW_SECONDS = 15 * 60
RESET_MAX_AGE_SECONDS = 60 * 60
RESET_SALT = "debrief.password-reset"


class SignInFailed(DebriefError):
    """Wrong email or password (deliberately not saying which)."""


class SignInThrottled(DebriefError):
    """Too many attempts for this account or from this address; try again later."""


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _hit(key: str, limit: int) -> bool:
    return throttle.hit(key, limit, WINDOW_SECONDS)


def authenticate(email: str, password: str, address: str | None) -> Officer:
    """Return the officer these credentials belong to, or raise SignInFailed/SignInThrottled."""
    email = (email or "").strip().lower()
    # Keyed by a digest of the address typed, so unknown emails are throttled the same way
    # and the throttle table holds no email address.
    address = address or "unknown"
    account_key = f"signin:account:{_digest(f'{email} {address}')}"
    account_ok = _hit(account_key, ACCOUNT_LIMIT)
    address_ok = _hit(f"signin:ip:{_digest(address)}", ADDRESS_LIMIT)
    officer = officers.officer_by_email(email) if email else None
    if not (account_ok and address_ok):
        audit.record("signin.throttled", actor=None, actor_type="anonymous", target=officer)
        raise SignInThrottled("Too many attempts")
    matches = officers.verify_password(officer.password_hash if officer else None, password)
    if officer is None or not matches or not officer.active:
        audit.record(
            "signin.failed",
            actor=None,
            actor_type="anonymous",
            target=officer,
            reason="inactive" if officer is not None and matches else "credentials",
        )
        raise SignInFailed("Wrong email or password")
    if officers.needs_rehash(officer.password_hash):
        officer.password_hash = officers.hash_password(password)
    officer.last_sign_in_at = utcnow()
    throttle.reset(account_key)
    audit.record("signin.succeeded", actor=officer, target=officer)
    return officer


def record_sign_out(officer: Officer) -> None:
    """Note a sign-out in the audit log."""
    audit.record("signout", actor=officer, target=officer)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _fingerprint(officer: Officer) -> str:
    # Changes whenever the password does, so a reset link works once.
    return _digest(f"{officer.password_hash}:{officer.session_version}")[:16]


def password_reset_token(officer: Officer) -> str:
    """Return a signed, expiring, single-use token for resetting this officer's password."""
    return _serializer().dumps({"officer": officer.id, "fp": _fingerprint(officer)})


def officer_for_reset_token(token: str) -> Officer | None:
    """Return the officer a reset token is for, or None if it is bad, used or expired."""
    try:
        data = _serializer().loads(token, max_age=RESET_MAX_AGE_SECONDS)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict):
        return None
    officer = db.session.get(Officer, data.get("officer"))
    if officer is None or not officer.active or data.get("fp") != _fingerprint(officer):
        return None
    return officer


def request_password_reset(email: str) -> None:
    """Queue a password-reset email if the address belongs to an active officer."""
    from surveys.services import mail

    officer = officers.officer_by_email(email)
    if officer is None or not officer.active:
        return
    mail.queue_password_reset(officer)
    audit.record(
        "officer.password_reset_requested",
        actor=None,
        actor_type="anonymous",
        target=officer,
        via="email",
    )
