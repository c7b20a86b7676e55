"""Invitations and their links: one per contact, tokens stored only as hashes, rotation."""

from __future__ import annotations

import hashlib

import pytest

from surveys.errors import InvalidInput, NotFound
from surveys.models import utcnow
from surveys.services.invitations import (
    invitation_for_token,
    invite,
    issue_link,
    link_url,
    mark_opened,
    pending_invitations,
    revoke,
)
from surveys.services.links import issue_round_links
from tests.factories import make_contact, make_invitation, make_survey

pytestmark = pytest.mark.usefixtures("app")


def test_invite_is_idempotent_and_skips_opted_out_and_erased_contacts():
    survey = make_survey()
    keen, shy, gone = make_contact(), make_contact(opted_out=True), make_contact()
    gone.erased_at = utcnow()

    first = invite(survey, [keen, shy, gone])
    second = invite(survey, [keen, shy, gone])

    assert [i.contact for i in first] == [keen]
    assert second == first


def test_issue_link_stores_only_the_hash_of_a_long_token():
    invitation = make_invitation()

    token = issue_link(invitation)

    assert len(token) >= 32  # 24 random bytes = 192 bits
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    assert invitation_for_token(token) is invitation


def test_rotating_the_link_kills_the_old_one():
    invitation = make_invitation()
    old = issue_link(invitation)
    new = issue_link(invitation)

    assert old != new
    with pytest.raises(NotFound):
        invitation_for_token(old)
    assert invitation_for_token(new) is invitation


@pytest.mark.parametrize("token", ["", "nope", "x" * 500])
def test_unknown_tokens_are_not_found(token):
    make_invitation()
    with pytest.raises(NotFound):
        invitation_for_token(token)


def test_revoked_invitation_link_is_not_found_and_cannot_be_reissued():
    invitation = make_invitation()
    token = issue_link(invitation)

    revoke(invitation)

    with pytest.raises(NotFound):
        invitation_for_token(token)
    with pytest.raises(InvalidInput):
        issue_link(invitation)


def test_link_url_uses_base_url(app):
    app.config["BASE_URL"] = "https://debrief.example"
    assert link_url("abc") == "https://debrief.example/r/abc"


def test_mark_opened_records_the_first_opening_only():
    invitation = make_invitation(status="sent")
    mark_opened(invitation)
    first = invitation.opened_at
    mark_opened(invitation)

    assert invitation.status == "opened"
    assert invitation.opened_at == first


def test_round_links_cover_pending_invitations_only():
    survey = make_survey()
    waiting = make_invitation(survey=survey)
    opened = make_invitation(survey=survey, status="opened")
    make_invitation(survey=survey, status="completed")
    make_invitation(survey=survey, status="revoked")

    links = issue_round_links(survey.round)

    assert pending_invitations(survey.round) == [waiting, opened]
    assert [link.invitation for link in links] == [waiting, opened]
    assert links[0].email == waiting.contact.email
    token = links[0].url.rsplit("/", 1)[1]
    assert links[0].url == f"http://localhost/r/{token}"
    assert invitation_for_token(token) is waiting
