"""Fresh invitation links for a round, for officers to mail-merge."""

from __future__ import annotations

from dataclasses import dataclass

from surveys.models import Invitation, Round
from surveys.services.invitations import issue_link, link_url, pending_invitations


@dataclass(frozen=True)
class IssuedLink:
    invitation: Invitation
    email: str | None
    url: str


def issue_round_links(round_: Round) -> list[IssuedLink]:
    """Rotate the link of every pending invitation in a round and return the new links."""
    return [
        IssuedLink(invitation, invitation.contact.email, link_url(issue_link(invitation)))
        for invitation in pending_invitations(round_)
    ]
