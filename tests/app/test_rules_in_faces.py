"""The rules that moved into services hold on the web pages and in telephone entry.

Each face answers the service's refusal itself (a form error, a page, a flash message)
and stores nothing.
"""

from __future__ import annotations

from sqlalchemy import func, select

from surveys.db import db
from surveys.models import Answer, Invitation, Response
from tests.app.test_admin_workspace import post, signed_in
from tests.factories import make_contact, make_invitation, make_round, make_survey


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_web_invite_in_a_closed_round_is_refused_by_the_service(client):
    round_ = make_round(status="closed")
    survey = make_survey(round=round_)
    contact = make_contact()
    db.session.commit()
    signed_in(client)
    page = f"/admin/rounds/{round_.id}/invite"

    refused = post(client, page, {"survey": str(survey.id), "contact": str(contact.id)}, page)

    assert refused.status_code == 422
    assert "Open the round before sending invitations" in refused.get_data(as_text=True)
    assert _count(Invitation) == 0


def test_telephone_entry_in_a_closed_round_says_so_and_stores_nothing(client):
    invitation = make_invitation(survey=make_survey(round=make_round(status="closed")))
    db.session.commit()
    signed_in(client)

    entry = client.get(f"/admin/invitations/{invitation.id}/telephone")

    assert entry.status_code == 302
    assert entry.headers["Location"].endswith(f"/admin/rounds/{invitation.survey.round_id}/chase")
    chase = client.get(entry.headers["Location"]).get_data(as_text=True)
    assert "This questionnaire is closed" in chase
    assert _count(Response) == 0


def test_telephone_entry_of_a_submitted_response_says_it_was_submitted(client):
    invitation = make_invitation(survey=make_survey(), status="sent")
    db.session.commit()
    signed_in(client)
    page = f"/admin/invitations/{invitation.id}/telephone/feedback"
    post(client, page, {"went_well": "Clear"}, page)
    check = f"/admin/invitations/{invitation.id}/telephone-check"
    post(client, check, {}, check)

    again = client.get(page)

    assert again.status_code == 302
    assert "already been submitted" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert _count(Answer) == 1


def test_an_unknown_telephone_page_is_a_404_from_the_error_handler(client):
    invitation = make_invitation(survey=make_survey(), status="sent")
    db.session.commit()
    signed_in(client)

    missing = client.get(f"/admin/invitations/{invitation.id}/telephone/no_such_page")

    assert missing.status_code == 404
    assert "Page not found" in missing.get_data(as_text=True)
    assert client.get("/admin/invitations/999999/call").status_code == 404


def test_the_call_form_shows_the_services_error_in_the_gov_uk_error_summary(client):
    invitation = make_invitation(survey=make_survey(), status="sent")
    db.session.commit()
    signed_in(client)
    page = f"/admin/invitations/{invitation.id}/call"

    refused = post(client, page, {"note": "No outcome chosen"}, page)

    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'class="govuk-error-summary"' in text
    assert text.count("Select the outcome of the call") == 2  # in the summary and on the field
    assert "govuk-radios__input" in text and "No outcome chosen" in text


def test_the_programme_form_shows_parse_and_service_errors_in_the_summary(client):
    signed_in(client, "admin")
    page = "/admin/programmes/new"

    not_a_number = post(client, page, {"name": "Youth", "retention_days": "ten"}, page)
    superscript = post(client, page, {"name": "Youth", "retention_days": "²"}, page)
    too_long = post(client, page, {"name": "Youth", "retention_days": "9" * 5000}, page)
    no_name = post(client, page, {"name": "", "retention_days": "30"}, page)

    for refused, message in [
        (not_a_number, "Enter a number of days, like 2555"),
        (superscript, "Enter a number of days, like 2555"),
        (too_long, "Enter a number of days, like 2555"),
        (no_name, "Enter the programme"),
    ]:
        text = refused.get_data(as_text=True)
        assert refused.status_code == 422
        assert 'class="govuk-error-summary"' in text and message in text
