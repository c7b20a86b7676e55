"""Officers: accounts, roles and passwords (Argon2id at OWASP's recommended parameters)."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select

from surveys.db import db
from surveys.errors import InvalidInput, NotFound
from surveys.models import OFFICER_ROLES, Officer
from surveys.services import audit

# OWASP Password Storage Cheat Sheet: Argon2id, 19 MiB memory, 2 iterations, 1 lane.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verified against when the email is unknown, so a wrong email costs the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

ROLE_RANK = {"viewer": 1, "officer": 2, "admin": 3}
MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    """Hash a password with Argon2id."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password against a hash; an unknown or malformed hash never matches."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Say whether a hash was made with weaker parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def has_role(officer: Officer, role: str) -> bool:
    """Say whether an officer may act as `role` (admin includes officer includes viewer)."""
    return bool(officer.active) and ROLE_RANK.get(officer.role, 0) >= ROLE_RANK[role]


def one_time_password() -> str:
    """Return a random password for a new or reset account, to be changed at first sign-in."""
    return secrets.token_urlsafe(15)


def _normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def officer_by_email(email: str) -> Officer | None:
    """Return the officer with this email address (any case), if there is one."""
    query = select(Officer).where(func.lower(Officer.email) == _normalise_email(email))
    return db.session.scalars(query).first()


def officer_for_slack_user(slack_user_id: str) -> Officer | None:
    """Return the active officer linked to a Slack user, if there is one."""
    if not slack_user_id:
        return None
    query = select(Officer).where(Officer.slack_user_id == slack_user_id, Officer.active)
    return db.session.scalars(query).first()


def get_officer(officer_id: int) -> Officer:
    """Return an officer by id, or raise NotFound."""
    officer = db.session.get(Officer, officer_id)
    if officer is None:
        raise NotFound("officer")
    return officer


def list_officers() -> list[Officer]:
    """Return every officer, by email."""
    return list(db.session.scalars(select(Officer).order_by(Officer.email)))


def create_officer(
    email: str,
    role: str,
    name: str = "",
    slack_user_id: str | None = None,
    *,
    actor: Officer | None = None,
) -> tuple[Officer, str]:
    """Create an officer with a one-time password that must be changed at first sign-in."""
    email = _normalise_email(email)
    errors: dict[str, str] = {}
    if "@" not in email or len(email) > 254:
        errors["email"] = "Enter an email address in the correct format, like name@example.org"
    elif officer_by_email(email) is not None:
        errors["email"] = "An officer with this email address already exists"
    if role not in OFFICER_ROLES:
        errors["role"] = "Select admin, officer or viewer"
    if slack_user_id and officer_for_slack_user(slack_user_id) is not None:
        errors["slack_user_id"] = "Another officer already has this Slack user"
    if errors:
        raise InvalidInput("The officer could not be created", errors)
    password = one_time_password()
    officer = Officer(
        email=email,
        name=name.strip(),
        role=role,
        slack_user_id=slack_user_id or None,
        password_hash=hash_password(password),
        must_change_password=True,
    )
    db.session.add(officer)
    db.session.flush()
    audit.record("officer.created", actor=actor, target=officer, role=role)
    return officer, password


def change_role(officer: Officer, role: str, *, actor: Officer | None = None) -> None:
    """Change an officer's role, signing them out everywhere."""
    if role not in OFFICER_ROLES:
        raise InvalidInput("Unknown role", {"role": "Select admin, officer or viewer"})
    if role == officer.role:
        return
    previous = officer.role
    officer.role = role
    officer.session_version += 1
    audit.record(
        "officer.role_changed", actor=actor, target=officer, role=role, previous_role=previous
    )


def set_active(officer: Officer, active: bool, *, actor: Officer | None = None) -> None:
    """Deactivate or reactivate an officer's account."""
    officer.active = active
    officer.session_version += 1
    audit.record(
        "officer.deactivated" if not active else "officer.reactivated", actor=actor, target=officer
    )


def validate_new_password(password: str, confirm: str, officer: Officer) -> dict[str, str]:
    """Return field errors for a proposed new password (empty when it is acceptable)."""
    errors: dict[str, str] = {}
    if len(password) < MIN_PASSWORD_LENGTH:
        errors["new_password"] = f"Password must be {MIN_PASSWORD_LENGTH} characters or more"
    elif len(password) > 256:
        errors["new_password"] = "Password must be 256 characters or fewer"  # noqa: S105
    elif password.strip().lower() == officer.email.lower():
        errors["new_password"] = "Password must not be your email address"  # noqa: S105
    if not errors and password != confirm:
        errors["confirm_password"] = "Passwords do not match"  # noqa: S105
    return errors


def set_password(officer: Officer, password: str, *, actor: Officer | None = None) -> None:
    """Set a new password, clear the must-change flag and end the officer's other sessions."""
    officer.password_hash = hash_password(password)
    officer.must_change_password = False
    officer.session_version += 1
    audit.record("officer.password_changed", actor=actor or officer, target=officer)


def reset_to_one_time_password(officer: Officer, *, actor: Officer | None = None) -> str:
    """Give an officer a new one-time password (for `debrief officer reset`)."""
    password = one_time_password()
    officer.password_hash = hash_password(password)
    officer.must_change_password = True
    officer.session_version += 1
    audit.record("officer.password_reset", actor=actor, target=officer, via="command")
    return password


def officer_choices() -> list[tuple[int, str]]:
    """Return (id, name and email) of every officer, by name."""
    officers = db.session.scalars(select(Officer).order_by(Officer.name, Officer.email))
    return [(officer.id, officer_name(officer)) for officer in officers]


def officer_name(officer: Officer) -> str:
    """Name an officer as people know them: name and email, or the email alone."""
    return f"{officer.name} ({officer.email})" if officer.name else officer.email
