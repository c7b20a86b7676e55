"""Fresh invitation links for a round, for officers to mail-merge."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from surveys.errors import InvalidInput
from surveys.models import CONTACT_ROLES, Invitation, Round
from surveys.services.invitations import issue_link, link_url, pending_invitations


@dataclass(frozen=True)
class IssuedLink:
    invitation: Invitation
    email: str | None
    url: str


def links_to_issue(
    round_: Round, roles: Collection[str] = (), surveys: Collection[str] = ()
) -> list[Invitation]:
    """Return a round's pending invitations, only for these contact roles and surveys (slug
    or template name) when given; InvalidInput names a survey the round does not have."""
    known = {name for survey in round_.surveys for name in (survey.slug, survey.template)}
    unknown = sorted(set(surveys) - known)
    if unknown:
        choices = ", ".join(sorted({survey.template for survey in round_.surveys})) or "none"
        raise InvalidInput(
            f"{round_.name} has no survey called {', '.join(unknown)} (it has: {choices})",
            {"survey": "Unknown survey"},
        )
    return [
        invitation
        for invitation in pending_invitations(round_)
        if (not roles or invitation.contact.role in roles)
        and (not surveys or {invitation.survey.slug, invitation.survey.template} & set(surveys))
    ]


def describe(links: list[IssuedLink]) -> str:
    """Say who the links are for: "3 providers, 1 partner"."""
    counts = Counter(link.invitation.contact.role for link in links)
    parts = []
    for role, label in CONTACT_ROLES.items():
        if counts[role]:
            parts.append(f"{counts[role]} {label.lower()}{'' if counts[role] == 1 else 's'}")
    return ", ".join(parts) or "nobody"


def issue_round_links(
    round_: Round, roles: Collection[str] = (), surveys: Collection[str] = ()
) -> list[IssuedLink]:
    """Give each pending invitation chosen by `links_to_issue` a new link and return the new
    links; the earlier link of each stops working."""
    return [
        IssuedLink(invitation, invitation.contact.email, link_url(issue_link(invitation)))
        for invitation in links_to_issue(round_, roles, surveys)
    ]
