"""Contacts (with CSV import) and invitations: create, list, status, and issue a link."""

from __future__ import annotations

from typing import Any

from app.api import blueprint as blp
from app.api.auth import current_officer
from app.api.paging import paged
from app.api.schemas import (
    ContactArgs,
    ContactImportInput,
    ContactImportSchema,
    ContactInput,
    ContactSchema,
    InvitationArgs,
    InvitationInput,
    InvitationListSchema,
    InvitationSchema,
    LinkSchema,
    page_of,
)
from app.extensions import db
from surveys.services import contact_import, cursor_pages, invitations, mail, responses, telephone
from surveys.services import contacts as contact_service
from surveys.worker.mail import enqueue_messages


@blp.get("/contacts")
@blp.etag
@blp.arguments(ContactArgs, location="query")
@blp.response(200, page_of(ContactSchema))
def list_contacts(args: dict[str, Any]):
    """List contacts (erased ones are left out), optionally by sector or role."""
    return paged(cursor_pages.contacts(args.get("sector", ""), args.get("role", "")), args)


@blp.get("/contacts/<int:contact_id>")
@blp.etag
@blp.response(200, ContactSchema)
def get_contact(contact_id: int):
    """Show one contact."""
    return contact_service.get_current_contact(contact_id)


@blp.post("/contacts")
@blp.arguments(ContactInput)
@blp.response(201, ContactSchema)
def create_contact(data: dict[str, Any]):
    """Add a contact (and their organisation, if it is new)."""
    contact = contact_service.add_contact(
        contact_service.ContactFields(**data), actor=current_officer()
    )
    db.session.commit()
    return contact


@blp.post("/contacts/import")
@blp.arguments(ContactImportInput)
@blp.response(200, ContactImportSchema)
def import_contacts(data: dict[str, Any]):
    """Import contacts from CSV text: each row's outcome, then (unless dry_run) save them."""
    preview = contact_import.preview("contacts.csv", data["csv"].encode("utf-8"))
    counts = {"added": 0, "updated": 0, "skipped": len(preview.problem_rows)}
    if not data["dry_run"]:
        counts = contact_import.apply(preview, actor=current_officer())
        db.session.commit()
    return {"rows": preview.rows, "applied": not data["dry_run"], **counts}


@blp.get("/invitations")
@blp.etag
@blp.arguments(InvitationArgs, location="query")
@blp.response(200, page_of(InvitationSchema))
def list_invitations(args: dict[str, Any]):
    """List invitations, optionally of one survey or in one status."""
    return paged(cursor_pages.invitations(args.get("survey_id"), args.get("status", "")), args)


@blp.post("/invitations")
@blp.arguments(InvitationInput)
@blp.response(201, InvitationListSchema)
def create_invitations(data: dict[str, Any]):
    """Invite contacts to a survey (its round must be open); inviting again changes nothing."""
    survey = responses.get_survey(data["survey_id"])
    chosen = [contact_service.get_contact(contact_id) for contact_id in data["contact_ids"]]
    created = invitations.invite(survey, chosen)
    messages = mail.queue_invitations(created) if data["send_email"] else []
    db.session.commit()
    enqueue_messages(messages)
    return {"items": created}


@blp.get("/invitations/<int:invitation_id>")
@blp.etag
@blp.response(200, InvitationSchema)
def get_invitation(invitation_id: int):
    """Show an invitation and its status."""
    return telephone.get_invitation(invitation_id)


@blp.post("/invitations/<int:invitation_id>/link")
@blp.response(201, LinkSchema)
def issue_link(invitation_id: int):
    """Issue a fresh personal link (shown once); any older link stops working."""
    invitation = telephone.get_invitation(invitation_id)
    url = invitations.link_url(invitations.issue_link(invitation))
    db.session.commit()
    return {"url": url}
