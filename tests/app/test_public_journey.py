"""The respondent's journey through a personal link, from the start page to confirmation."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from surveys.db import db
from surveys.models import Answer, Response
from surveys.services.invitations import issue_link, revoke
from tests.app.public_helpers import answer_everything, csrf_token, post, provider_link
from tests.factories import make_invitation, make_survey


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_start_page_says_who_is_asking_why_how_long_and_how_answers_are_used(client):
    token, invitation = provider_link()

    page = client.get(f"/r/{token}")
    html = page.get_data(as_text=True)

    assert page.status_code == 200
    assert "Tell us how this commissioning round went for you" in html
    assert "Who is asking" in html
    assert "about 10 minutes" in html
    assert "How we use your answers" in html
    assert "Start now" in html
    assert f'href="/s/{invitation.survey.slug}/accessibility"' in html
    assert invitation.status == "opened"
    assert _count(Response) == 0  # opening the link stores no response


def test_whole_journey_ends_on_confirmation_and_stores_exactly_once(client):
    token, invitation = provider_link()

    started = post(client, f"/r/{token}", {})
    assert started.status_code == 303
    assert started.headers["Location"] == f"/r/{token}/heard"
    answer_everything(client, token)

    check = client.get(f"/r/{token}/check")
    html = check.get_data(as_text=True)
    assert "Check your answers before sending them" in html
    assert "An advert in the press or a publication<br>Somewhere else: A neighbour" in html
    assert "The documents were &lt;easy&gt; to find &amp; read." in html
    assert f'href="/r/{token}/window?change=1"' in html

    token_value = csrf_token(client, f"/r/{token}/check")
    sent = client.post(f"/r/{token}/check", data={"csrf_token": token_value})
    assert sent.status_code == 303
    assert sent.headers["Location"] == f"/r/{token}/confirmation"
    again = client.post(f"/r/{token}/check", data={"csrf_token": token_value})
    assert again.status_code == 303

    confirmation = client.get(f"/r/{token}/confirmation").get_data(as_text=True)
    response = db.session.scalars(select(Response)).one()
    assert "Answers sent" in confirmation
    assert f"Your reference number<br><strong>{response.reference}</strong>" in confirmation
    assert response.status == "submitted"
    assert invitation.status == "completed"
    stored = {a.question_id: a.value for a in response.answers}
    assert stored["went_well"] == "The documents were <easy> to find & read."
    assert stored["window_weeks"] == 12
    assert stored["heard_about"] == ["press_advert", {"other": "A neighbour"}]
    assert "anything_else" not in stored  # left blank
    assert _count(Response) == 1


def test_reopening_a_submitted_link_says_so_and_shows_a_copy(client):
    token, _ = provider_link()
    post(client, f"/r/{token}", {})
    answer_everything(client, token)
    post(client, f"/r/{token}/check", {})

    page = client.get(f"/r/{token}").get_data(as_text=True)
    copy = client.get(f"/r/{token}/answers").get_data(as_text=True)
    restart = client.get(f"/r/{token}/heard")

    assert "You have already sent your answers" in page
    assert "Your answers" in copy and "A neighbour" in copy
    assert restart.status_code == 303
    assert _count(Response) == 1


def test_draft_resumes_where_the_respondent_left_off_on_another_device(app, client):
    token, _ = provider_link()
    post(client, f"/r/{token}", {})
    post(client, f"/r/{token}/heard", {"heard_about": "cvs"})
    db.session.remove()  # as if the server restarted

    other_device = app.test_client()
    start = other_device.get(f"/r/{token}").get_data(as_text=True)
    resumed = post(other_device, f"/r/{token}", {})

    assert "Continue where you left off" in start
    assert resumed.headers["Location"] == f"/r/{token}/before_applying"
    heard = other_device.get(f"/r/{token}/heard").get_data(as_text=True)
    assert 'value="cvs" checked' in heard


def test_errors_show_a_summary_linked_to_fields_and_an_error_title(client):
    token, _ = provider_link()
    post(client, f"/r/{token}", {})

    page = post(client, f"/r/{token}/before_applying", {"rating_advertising": "4"})
    html = page.get_data(as_text=True)

    assert page.status_code == 422
    assert "<title>Error: Finding out and applying" in html
    assert "There is a problem" in html
    assert 'href="#rating_documents"' in html
    assert "Select a rating for the application documents" in html
    assert 'id="rating_documents-error"' in html
    assert 'value="4" checked' in html  # what they entered is kept
    assert _count(Answer) == 0


def test_too_long_answer_is_refused_with_a_clear_message_and_kept_for_editing(client):
    token, _ = provider_link()
    post(client, f"/r/{token}", {})
    text = "Too long. " * 201

    page = post(client, f"/r/{token}/went_well", {"went_well": text})
    html = page.get_data(as_text=True)

    assert page.status_code == 422
    assert "Your answer must be 2,000 characters or fewer (it is 2,010 characters)" in html
    assert "Too long. Too long." in html


def test_show_if_question_is_skipped_when_not_needed(client):
    token, _ = provider_link()
    post(client, f"/r/{token}", {})

    answered = post(client, f"/r/{token}/window", {"window_long_enough": "yes"})
    hidden = client.get(f"/r/{token}/window_weeks")

    assert answered.headers["Location"] == f"/r/{token}/anything_else"
    assert hidden.status_code == 303  # not part of this journey, back to the first gap
    assert hidden.headers["Location"] == f"/r/{token}/heard"


def test_back_links_follow_the_journey(client):
    token, _ = provider_link()
    post(client, f"/r/{token}", {})
    post(client, f"/r/{token}/window", {"window_long_enough": "no"})

    first = client.get(f"/r/{token}/heard").get_data(as_text=True)
    after_weeks = client.get(f"/r/{token}/anything_else").get_data(as_text=True)

    assert f'href="/r/{token}"' in first and "govuk-back-link" in first
    assert f'href="/r/{token}/window_weeks" class="govuk-back-link"' in after_weeks


def test_change_link_returns_to_check_answers_or_to_a_newly_needed_question(client):
    token, _ = provider_link()
    post(client, f"/r/{token}", {})
    answer_everything(client, token)

    same = post(client, f"/r/{token}/improve?change=1", {"improve": "Shorter forms."})
    more = post(client, f"/r/{token}/contact?change=1", {"may_contact": "yes"})

    assert same.headers["Location"] == f"/r/{token}/check"
    assert more.headers["Location"] == f"/r/{token}/contact_email?change=1"


def test_closed_round_shows_a_clear_page_and_stores_nothing(client):
    token, invitation = provider_link(status="closed")
    open_token, _ = provider_link()
    form = {"csrf_token": csrf_token(client, f"/r/{open_token}")}

    page = client.get(f"/r/{token}")
    posted = client.post(f"/r/{token}", data=form)
    question = client.get(f"/r/{token}/heard")

    assert "This questionnaire is closed" in page.get_data(as_text=True)
    assert "This questionnaire is closed" in posted.get_data(as_text=True)
    assert question.status_code == 303
    assert invitation.status == "pending"
    assert _count(Response) == 0


def test_round_closing_mid_journey_keeps_the_draft_but_stores_no_more(client):
    token, invitation = provider_link()
    post(client, f"/r/{token}", {})
    post(client, f"/r/{token}/heard", {"heard_about": "cvs"})
    url = f"/r/{token}/before_applying"
    form = {"csrf_token": csrf_token(client, url), "rating_advertising": "4"}
    invitation.survey.round.status = "closed"
    db.session.commit()

    page = client.post(url, data=form)

    assert "This questionnaire is closed" in page.get_data(as_text=True)
    assert _count(Answer) == 1


@pytest.mark.parametrize("how", ["unknown", "rotated", "revoked"])
def test_unknown_rotated_and_revoked_links_get_the_same_404(client, how):
    invitation = make_invitation(survey=make_survey())
    old = issue_link(invitation)
    if how == "rotated":
        issue_link(invitation)
    elif how == "revoked":
        revoke(invitation)
    db.session.commit()
    token = "not-a-real-token-at-all" if how == "unknown" else old

    page = client.get(f"/r/{token}")

    assert page.status_code == 404
    assert "Page not found" in page.get_data(as_text=True)
    assert client.get(f"/r/{token}/check").status_code == 404


def test_token_guessing_is_rate_limited_per_address(app, client):
    token, _ = provider_link()
    db.session.commit()
    for n in range(20):
        assert client.get(f"/r/guess-{n}").status_code == 404

    blocked = client.get("/r/guess-21")
    good_link_too = client.get(f"/r/{token}")
    elsewhere = app.test_client().get(f"/r/{token}", environ_base={"REMOTE_ADDR": "10.0.0.9"})

    assert blocked.status_code == 429
    assert good_link_too.status_code == 429
    assert elsewhere.status_code == 200


def test_every_form_needs_the_csrf_token(client):
    token, _ = provider_link()
    assert client.post(f"/r/{token}", data={}).status_code == 400
    assert _count(Response) == 0


def test_accessibility_statement(client):
    survey = make_survey(title="Partner consultation")
    page = client.get(f"/s/{survey.slug}/accessibility")

    assert page.status_code == 200
    assert "Accessibility statement for this questionnaire" in page.get_data(as_text=True)
    assert client.get("/s/no-such-survey/accessibility").status_code == 404
