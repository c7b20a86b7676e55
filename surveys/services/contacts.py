"""Organisations and their contacts: list, search, add and edit."""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import contains_eager

from surveys.db import db
from surveys.errors import InvalidInput, NotFound
from surveys.models import CONTACT_ROLES, SECTORS, Contact, Officer, Organisation
from surveys.services import audit, lists
from surveys.services.lists import Listing, Sort


@dataclass(frozen=True)
class ContactFields:
    """What an officer types for a contact."""

    organisation: str
    sector: str
    name: str
    email: str = ""
    phone: str = ""
    role: str = "provider"
    slack_user_id: str = ""


def may_contact(contact: Contact) -> bool:
    """Say whether a contact may be sent anything (by email or Slack): not opted out or erased."""
    return not contact.opted_out and contact.erased_at is None


def normalise_email(email: str) -> tuple[str | None, str | None]:
    """Return (normalised email or None, error message or None)."""
    email = (email or "").strip()
    if not email:
        return None, None
    try:
        result = validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return None, "Enter an email address in the correct format, like name@example.org"
    return result.normalized.lower(), None


def sector_key(text: str) -> str | None:
    """Return the sector key for a key or label typed in any case, or None."""
    wanted = (text or "").strip().lower()
    for key, label in SECTORS.items():
        if wanted in (key, label.lower()):
            return key
    aliases = {
        "voluntary": "voluntary",
        "charity": "voluntary",
        "vcs": "voluntary",
        "school": "school_fe",
        "private": "private",
        "pct": "health",
        "nhs": "health",
        "district": "district_council",
        "council": "district_council",
    }
    return aliases.get(wanted)


def role_key(text: str) -> str | None:
    """Return the contact role key for a key or label typed in any case, or None."""
    wanted = (text or "").strip().lower().replace(" ", "_")
    if not wanted:
        return "provider"
    for key, label in CONTACT_ROLES.items():
        if wanted in (key, label.lower().replace(" ", "_")):
            return key
    return None


def list_contacts(
    *,
    search: str = "",
    sector: str = "",
    role: str = "",
    include_erased: bool = False,
    limit: int | None = None,
) -> list[Contact]:
    """Return contacts matching a search (name, email, organisation) and filters."""
    query = select(Contact).join(Organisation).order_by(Organisation.name, Contact.name)
    if search.strip():
        query = query.where(_matching(search.strip()))
    if sector:
        query = query.where(Organisation.sector == sector)
    if role:
        query = query.where(Contact.role == role)
    if not include_erased:
        query = query.where(Contact.erased_at.is_(None))
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def current_contacts() -> Select[tuple[Contact]]:
    """Select the contacts not erased, each with its organisation (joined, to filter on)."""
    return (
        select(Contact)
        .join(Organisation, Contact.organisation_id == Organisation.id)
        .where(Contact.erased_at.is_(None))
        .options(contains_eager(Contact.organisation))
    )


def contact_listing() -> Listing:
    """Contacts (not erased) with their organisations, to search, filter, sort and page."""
    return Listing(
        query=current_contacts(),
        sorts={
            "name": Sort(Contact.name),
            "organisation": Sort(Organisation.name),
            "sector": Sort(Organisation.sector),
            "role": Sort(Contact.role),
        },
        default_sort="organisation",
        tiebreak=Contact.id,
        filters={
            "q": _matching,
            "sector": lists.one_of(Organisation.sector, SECTORS),
            "role": lists.one_of(Contact.role, CONTACT_ROLES),
        },
    )


def _matching(search: str):
    like = f"%{search.lower()}%"
    return or_(
        func.lower(Contact.name).like(like),
        func.lower(Contact.email).like(like),
        func.lower(Organisation.name).like(like),
    )


def get_contact(contact_id: int) -> Contact:
    """Return a contact or raise NotFound."""
    contact = db.session.get(Contact, contact_id)
    if contact is None:
        raise NotFound("contact")
    return contact


def get_current_contact(contact_id: int) -> Contact:
    """Return a contact whose data is still held, or raise NotFound (also for an erased one)."""
    contact = get_contact(contact_id)
    if contact.erased_at is not None:
        raise NotFound("contact")
    return contact


def contact_by_email(email: str) -> Contact | None:
    """Return the contact with this email address, if any."""
    normalised, _ = normalise_email(email)
    if not normalised:
        return None
    return db.session.scalars(select(Contact).where(Contact.email == normalised)).first()


def organisation_by_name(name: str) -> Organisation | None:
    """Return the organisation with this name (any case), if any."""
    query = select(Organisation).where(func.lower(Organisation.name) == name.strip().lower())
    return db.session.scalars(query).first()


def find_or_create_organisation(name: str, sector: str) -> Organisation:
    """Return the organisation with this name, creating it in `sector` if it is new."""
    organisation = organisation_by_name(name)
    if organisation is None:
        organisation = Organisation(name=name.strip(), sector=sector)
        db.session.add(organisation)
        db.session.flush()
    return organisation


# The longest text each column stores (`Organisation.name`, `Contact.*`).
MAX_LENGTHS = {
    "organisation": (200, "Organisation names"),
    "name": (200, "Names"),
    "email": (254, "Email addresses"),
    "phone": (40, "Phone numbers"),
    "slack_user_id": (32, "Slack user IDs"),
}


def length_errors(fields: ContactFields) -> dict[str, str]:
    """Return an error for each detail longer than the database can store."""
    errors: dict[str, str] = {}
    for name, (most, what) in MAX_LENGTHS.items():
        if len(getattr(fields, name).strip()) > most:
            errors[name] = f"{what} must be {most} characters or fewer"
    return errors


def validate_fields(fields: ContactFields, contact: Contact | None = None) -> dict[str, str]:
    """Return field errors for a contact's details."""
    errors: dict[str, str] = {}
    if not fields.organisation.strip():
        errors["organisation"] = "Enter the organisation's name"
    if sector_key(fields.sector) is None:
        errors["sector"] = "Select the organisation's sector"
    if not fields.name.strip():
        errors["name"] = "Enter the contact's name"
    email, problem = normalise_email(fields.email)
    if problem:
        errors["email"] = problem
    elif email:
        other = contact_by_email(email)
        if other is not None and (contact is None or other.id != contact.id):
            errors["email"] = "Another contact already has this email address"
    if role_key(fields.role) is None:
        errors["role"] = "Select the contact's role"
    if fields.slack_user_id.strip():
        other = contact_by_slack_user(fields.slack_user_id)
        if other is not None and (contact is None or other.id != contact.id):
            errors["slack_user_id"] = "Another contact already has this Slack user"
    return length_errors(fields) | errors


def contact_by_slack_user(slack_user_id: str) -> Contact | None:
    """Return the contact with this Slack user ID, if any."""
    query = select(Contact).where(Contact.slack_user_id == slack_user_id.strip())
    return db.session.scalars(query).first()


def _apply(contact: Contact, fields: ContactFields) -> None:
    sector = sector_key(fields.sector)
    contact.organisation = find_or_create_organisation(fields.organisation, sector)
    contact.name = fields.name.strip()
    contact.email = normalise_email(fields.email)[0]
    contact.phone = fields.phone.strip() or None
    contact.role = role_key(fields.role)
    contact.slack_user_id = fields.slack_user_id.strip() or None


def add_contact(fields: ContactFields, *, actor: Officer | None = None) -> Contact:
    """Add a contact (and their organisation if it is new)."""
    errors = validate_fields(fields)
    if errors:
        raise InvalidInput("The contact could not be added", errors)
    contact = Contact()
    _apply(contact, fields)
    db.session.add(contact)
    db.session.flush()
    audit.record("contact.created", actor=actor, target=contact)
    return contact


def update_contact(
    contact: Contact, fields: ContactFields, *, actor: Officer | None = None
) -> None:
    """Change a contact's details."""
    if contact.erased_at is not None:
        raise InvalidInput("Erased", {"name": "This contact has been erased"})
    errors = validate_fields(fields, contact)
    if errors:
        raise InvalidInput("The contact could not be saved", errors)
    _apply(contact, fields)
    db.session.flush()
    audit.record("contact.updated", actor=actor, target=contact)


def fields_of(contact: Contact) -> ContactFields:
    """Return a contact's details as form fields."""
    return ContactFields(
        organisation=contact.organisation.name,
        sector=contact.organisation.sector,
        name=contact.name,
        email=contact.email or "",
        phone=contact.phone or "",
        role=contact.role,
        slack_user_id=contact.slack_user_id or "",
    )
