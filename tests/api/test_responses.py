"""Responses: list with answers and filters; submit a whole one through the walk; idempotency."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from surveys.db import db
from surveys.models import Response, utcnow
from tests.factories import (
    ANALYSIS_DEFINITION,
    BRANCHING_DEFINITION,
    make_invitation,
    make_round,
    make_submitted_response,
    make_survey,
)


def count_responses() -> int:
    return db.session.scalar(select(func.count(Response.id)))


def test_list_with_answers_and_filters(api) -> None:
    survey = make_survey(definition=ANALYSIS_DEFINITION)
    old = make_submitted_response(survey, {"went_well": "Clear forms"}, channel="telephone")
    old.updated_at = utcnow() - timedelta(days=30)
    new = make_submitted_response(survey, {"improve": "More time"})
    other = make_submitted_response(make_survey(definition=ANALYSIS_DEFINITION), {"improve": "x"})
    db.session.commit()
    everything = api.get("/responses").get_json()["items"]
    assert {item["id"] for item in everything} == {old.id, new.id, other.id}
    by_round = api.get(f"/responses?round_id={survey.round_id}").get_json()["items"]
    assert {item["id"] for item in by_round} == {old.id, new.id}
    by_channel = api.get("/responses?channel=telephone").get_json()["items"]
    assert [item["id"] for item in by_channel] == [old.id]
    assert by_channel[0]["answers"][0] | {"sentiment": None, "theme_id": None} == {
        "question_id": "went_well",
        "value": "Clear forms",
        "kind": "went_well",
        "sentiment": None,
        "theme_id": None,
    }
    since = (utcnow() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
    recent = api.get(f"/responses?survey_id={survey.id}&updated_since={since}").get_json()
    assert [item["id"] for item in recent["items"]] == [new.id]
    assert api.get("/responses?status=draft").get_json()["items"] == []
    assert api.get(f"/responses/{new.id}").get_json()["reference"] == new.reference


def test_submit_walks_the_pages_with_show_if(api) -> None:
    survey = make_survey(definition=BRANCHING_DEFINITION)
    invitation = make_invitation(survey=survey)
    db.session.commit()
    body = {
        "invitation_id": invitation.id,
        "channel": "telephone",
        "answers": {"applied": "yes", "why_not": "ignored: hidden", "clarity": "4"},
    }
    created = api.post("/responses", json=body)
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    assert data["status"] == "submitted" and data["channel"] == "telephone"
    assert {a["question_id"]: a["value"] for a in data["answers"]} == {
        "applied": True,
        "clarity": 4,
    }
    db.session.refresh(invitation)
    assert invitation.status == "completed"
    again = api.post("/responses", json=body)
    assert again.status_code == 409  # the invitation has its response already


def test_submit_reports_the_fields_at_fault(api) -> None:
    survey = make_survey(definition=BRANCHING_DEFINITION, open_link=True)
    db.session.commit()
    missing = api.post("/responses", json={"survey_id": survey.id, "answers": {"applied": "no"}})
    assert missing.status_code == 422
    assert "why_not" in missing.get_json()["errors"]
    bad = api.post(
        "/responses",
        json={"survey_id": survey.id, "answers": {"applied": "yes", "clarity": "9"}},
    )
    assert bad.status_code == 422 and "clarity" in bad.get_json()["errors"]
    assert count_responses() == 0  # nothing half-written


def test_submit_to_a_closed_round_is_409(api) -> None:
    survey = make_survey(definition=BRANCHING_DEFINITION, round=make_round(status="closed"))
    db.session.commit()
    body = {"survey_id": survey.id, "channel": "telephone", "answers": {"applied": "yes"}}
    assert api.post("/responses", json=body).status_code == 409


def test_web_channel_without_an_invitation_needs_an_open_link(api) -> None:
    survey = make_survey(definition=BRANCHING_DEFINITION)
    db.session.commit()
    answers = {"applied": "yes", "clarity": "3"}
    assert (
        api.post("/responses", json={"survey_id": survey.id, "answers": answers}).status_code == 404
    )
    assert api.post("/responses", json={"answers": answers}).status_code == 422


def test_same_key_and_body_store_once(api) -> None:
    survey = make_survey(definition=BRANCHING_DEFINITION)
    db.session.commit()
    body = {
        "survey_id": survey.id,
        "channel": "telephone",
        "answers": {"applied": "yes", "clarity": "2"},
    }
    key = {"Idempotency-Key": "retry-1"}
    first = api.post("/responses", json=body, headers=key)
    second = api.post("/responses", json=body, headers=key)
    assert first.status_code == second.status_code == 201
    assert first.get_json() == second.get_json()
    assert count_responses() == 1
    changed = api.post("/responses", json=body | {"channel": "import"}, headers=key)
    assert changed.status_code == 422 and "Idempotency-Key" in changed.get_json()["errors"]
    assert count_responses() == 1
    other_key = api.post("/responses", json=body, headers={"Idempotency-Key": "retry-2"})
    assert other_key.status_code == 201 and count_responses() == 2


def test_failed_request_does_not_burn_the_key(api) -> None:
    survey = make_survey(definition=BRANCHING_DEFINITION)
    db.session.commit()
    key = {"Idempotency-Key": "k"}
    bad = {"survey_id": survey.id, "channel": "telephone", "answers": {"applied": "yes"}}
    assert api.post("/responses", json=bad, headers=key).status_code == 422
    good = {**bad, "answers": {"applied": "yes", "clarity": "5"}}
    assert api.post("/responses", json=good, headers=key).status_code == 201


def test_keys_belong_to_one_officer(app, api) -> None:
    from tests.api.conftest import ApiClient, make_token

    survey = make_survey(definition=BRANCHING_DEFINITION)
    db.session.commit()
    body = {
        "survey_id": survey.id,
        "channel": "telephone",
        "answers": {"applied": "yes", "clarity": "1"},
    }
    other = ApiClient(app, make_token("write"))
    assert api.post("/responses", json=body, headers={"Idempotency-Key": "same"}).status_code == 201
    assert (
        other.post("/responses", json=body, headers={"Idempotency-Key": "same"}).status_code == 201
    )
    assert count_responses() == 2


def test_bad_idempotency_key_is_422(api) -> None:
    survey = make_survey(definition=BRANCHING_DEFINITION)
    db.session.commit()
    body = {
        "survey_id": survey.id,
        "channel": "telephone",
        "answers": {"applied": "yes", "clarity": "1"},
    }
    response = api.post("/responses", json=body, headers={"Idempotency-Key": "x" * 201})
    assert response.status_code == 422


def test_answers_must_be_text_or_lists_of_text(api) -> None:
    survey = make_survey(definition=BRANCHING_DEFINITION)
    db.session.commit()
    for value in (5, None, {"a": "b"}, [1], ["x"] * 101, "x" * 10_001):
        body = {"survey_id": survey.id, "channel": "telephone", "answers": {"applied": value}}
        response = api.post("/responses", json=body)
        assert response.status_code == 422, value
        assert "answers.applied.value" in response.get_json()["errors"]
    assert count_responses() == 0


def test_an_answer_no_question_reads_is_422_not_dropped(api) -> None:
    survey = make_survey(definition=BRANCHING_DEFINITION, open_link=True)
    db.session.commit()
    answers = {"applied": "yes", "clarity": "4", "went_wel": "A typo of a real question"}
    refused = api.post("/responses", json={"survey_id": survey.id, "answers": answers})
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {
        "went_wel": "No question in this questionnaire has this field"
    }
    assert count_responses() == 0
