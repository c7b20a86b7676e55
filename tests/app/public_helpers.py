"""Helpers for request tests of the questionnaire pages."""

from __future__ import annotations

import re
from typing import Any

from surveys.definitions import load_template
from surveys.services.invitations import issue_link
from tests.factories import make_invitation, make_round, make_survey

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

PROVIDER_PAGES: list[tuple[str, dict[str, Any]]] = [
    ("heard", {"heard_about": ["press_advert", "other"], "heard_about-other": "A neighbour"}),
    (
        "before_applying",
        {
            "rating_advertising": "4",
            "rating_documents": "5",
            "rating_guidance": "4",
            "rating_briefings": "na",
            "rating_window": "2",
        },
    ),
    (
        "during_process",
        {"rating_communication": "2", "rating_panel": "3", "rating_presentations": "na"},
    ),
    ("went_well", {"went_well": "The documents were <easy> to find & read."}),
    ("improve", {"improve": "Tell us sooner what the lead agency does."}),
    ("window", {"window_long_enough": "no"}),
    ("window_weeks", {"window_weeks": "12"}),
    ("anything_else", {"anything_else": ""}),
    ("contact", {"may_contact": "no"}),
]


def csrf_token(client, url: str) -> str:
    """Fetch a page and return the CSRF token from its form."""
    page = client.get(url)
    match = CSRF.search(page.get_data(as_text=True))
    assert match, f"no form on {url}: {page.status_code}"
    return match.group(1)


def post(client, url: str, data: dict[str, Any], **kwargs):
    """Post a form with a fresh CSRF token from the same page."""
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data}, **kwargs)


def provider_link(**round_fields) -> tuple[str, Any]:
    """Return (token, invitation) for the provider questionnaire in a fresh round."""
    survey = make_survey(
        load_template("provider-post-round").to_dict(),
        round=make_round(**round_fields),
        template="provider-post-round",
        title="Provider questionnaire",
    )
    invitation = make_invitation(survey=survey)
    return issue_link(invitation), invitation


def answer_everything(client, token: str) -> None:
    """Walk every provider page, answering as PROVIDER_PAGES says."""
    for page_id, data in PROVIDER_PAGES:
        response = post(client, f"/r/{token}/{page_id}", data)
        assert response.status_code == 303, (page_id, response.get_data(as_text=True)[:2000])
