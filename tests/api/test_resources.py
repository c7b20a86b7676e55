"""Each resource through the API: reads, and writes that go through the services."""

from __future__ import annotations

from sqlalchemy import select

from surveys.db import db
from surveys.models import Action, AuditEvent, Contact, Invitation, Lesson, Theme
from surveys.services.privacy import erase_contact
from tests.factories import (
    ANALYSIS_DEFINITION,
    make_contact,
    make_organisation,
    make_programme,
    make_round,
    make_submitted_response,
    make_survey,
)


def commit(record):
    db.session.commit()
    return record


def test_programmes_and_rounds(api) -> None:
    programme = commit(make_programme(name="Children's centres"))
    round_ = commit(make_round(programme=programme, status="draft"))
    assert api.get("/programmes").get_json()["items"][0]["name"] == "Children's centres"
    assert api.get(f"/programmes/{programme.id}").get_json()["slug"] == programme.slug
    listed = api.get(f"/rounds?programme_id={programme.id}&status=draft").get_json()
    assert [item["id"] for item in listed["items"]] == [round_.id]
    assert api.get("/rounds?status=open").get_json()["items"] == []
    assert api.get(f"/rounds/{round_.id}").get_json()["status"] == "draft"


def test_create_round_goes_through_the_service_rules(api) -> None:
    programme = commit(make_programme())
    created = api.post("/rounds", json={"programme_id": programme.id, "name": "Phase 4"})
    assert created.status_code == 201 and created.get_json()["slug"] == "phase-4"
    again = api.post("/rounds", json={"programme_id": programme.id, "name": "Phase 4"})
    assert again.status_code == 422
    assert again.get_json()["errors"] == {"name": "A round with this name already exists"}
    assert api.post("/rounds", json={"programme_id": 999999, "name": "X"}).status_code == 404


def test_open_needs_a_survey_then_open_and_close(api) -> None:
    round_ = commit(make_round(status="draft"))
    refused = api.post(f"/rounds/{round_.id}/open")
    assert refused.status_code == 422 and "round" in refused.get_json()["errors"]
    commit(make_survey(round=round_))
    assert api.post(f"/rounds/{round_.id}/open").get_json()["status"] == "open"
    assert api.post(f"/rounds/{round_.id}/close").get_json()["status"] == "closed"
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert {"round.opened", "round.closed"} <= set(actions)


def test_surveys_with_their_definition_versions(api) -> None:
    survey = commit(make_survey())
    listed = api.get(f"/surveys?round_id={survey.round_id}").get_json()["items"]
    assert [item["id"] for item in listed] == [survey.id]
    shown = api.get(f"/surveys/{survey.id}").get_json()
    assert shown["versions"][0]["version"] == 1
    assert shown["versions"][0]["definition"]["id"] == "minimal"


def test_contacts_list_add_and_import(api) -> None:
    commit(make_contact(name="Ada"))
    assert api.get("/contacts").get_json()["items"][0]["name"] == "Ada"
    added = api.post(
        "/contacts",
        json={"organisation": "Hope Trust", "sector": "Voluntary/Charity", "name": "Bo"},
    )
    assert added.status_code == 201 and added.get_json()["sector"] == "voluntary"
    bad = api.post("/contacts", json={"organisation": "X", "sector": "nonsense", "name": "C"})
    assert bad.status_code == 422 and "sector" in bad.get_json()["errors"]
    csv_text = "organisation,sector,name,email\nOak School,school_fe,Cy,cy@example.org\n,,,\n"
    preview = api.post("/contacts/import", json={"csv": csv_text, "dry_run": True}).get_json()
    assert preview["applied"] is False and preview["rows"][0]["action"] == "add"
    assert db.session.scalars(select(Contact).where(Contact.name == "Cy")).first() is None
    applied = api.post("/contacts/import", json={"csv": csv_text}).get_json()
    assert applied["applied"] is True and applied["added"] == 1
    assert db.session.scalars(select(Contact).where(Contact.name == "Cy")).one()


def test_contacts_list_leaves_out_erased_contacts_and_filters_by_sector_and_role(api) -> None:
    health, voluntary = (
        make_organisation(name="A", sector="health"),
        make_organisation(name="B", sector="voluntary"),
    )
    make_contact(name="Ada", role="provider", organisation=health)
    make_contact(name="Bo", role="partner", organisation=voluntary)
    erase_contact(make_contact(name="Cy", organisation=health))
    db.session.commit()

    def names(query: str) -> list[str]:
        return [item["name"] for item in api.get("/contacts" + query).get_json()["items"]]

    assert names("") == ["Ada", "Bo"]
    ada, cy = db.session.scalars(select(Contact).order_by(Contact.id)).all()[::2]
    assert api.get(f"/contacts/{ada.id}").get_json()["name"] == "Ada"
    assert api.get(f"/contacts/{cy.id}").status_code == 404
    assert names("?sector=health") == ["Ada"]
    assert names("?role=partner") == ["Bo"]
    assert names("?sector=health&role=partner") == []
    first = api.get("/contacts?limit=1").get_json()
    assert [item["organisation"] for item in first["items"]] == ["A"]
    rest = api.get(f"/contacts?limit=1&cursor={first['next_cursor']}").get_json()
    assert [item["organisation"] for item in rest["items"]] == ["B"]
    assert rest["next_cursor"] is None


def test_invitations_create_list_status_and_link(api) -> None:
    survey = commit(make_survey())
    contact = commit(make_contact())
    created = api.post("/invitations", json={"survey_id": survey.id, "contact_ids": [contact.id]})
    assert created.status_code == 201
    invitation_id = created.get_json()["items"][0]["id"]
    again = api.post("/invitations", json={"survey_id": survey.id, "contact_ids": [contact.id]})
    assert again.get_json()["items"][0]["id"] == invitation_id  # inviting again changes nothing
    assert len(db.session.scalars(select(Invitation)).all()) == 1
    listed = api.get(f"/invitations?survey_id={survey.id}&status=pending").get_json()
    assert [item["id"] for item in listed["items"]] == [invitation_id]
    link = api.post(f"/invitations/{invitation_id}/link").get_json()["url"]
    token = link.rsplit("/", 1)[-1]
    assert api.client.get(f"/r/{token}").status_code in (200, 302)
    assert api.get(f"/invitations/{invitation_id}").get_json()["status"] == "opened"


def test_invitations_need_an_open_round(api) -> None:
    survey = commit(make_survey(round=make_round(status="draft")))
    contact = commit(make_contact())
    refused = api.post("/invitations", json={"survey_id": survey.id, "contact_ids": [contact.id]})
    assert refused.status_code == 409


def _themed_round():
    survey = make_survey(definition=ANALYSIS_DEFINITION)
    round_ = survey.round
    one = Theme(
        programme_id=round_.programme_id, key="timeframe", label="Timeframe", kind="improve"
    )
    two = Theme(programme_id=round_.programme_id, key="time", label="Time", kind="improve")
    db.session.add_all([one, two])
    db.session.flush()
    response = make_submitted_response(survey, {"improve": "More time please"})
    response.answers[0].theme_id = two.id
    db.session.commit()
    return round_, one, two


def test_themes_list_rename_and_merge(api) -> None:
    round_, one, two = _themed_round()
    listed = api.get(f"/themes?programme_id={round_.programme_id}").get_json()["items"]
    assert {item["label"] for item in listed} == {"Timeframe", "Time"}
    renamed = api.post(f"/themes/{one.id}/rename", json={"label": "  Longer   window "})
    assert renamed.get_json()["label"] == "Longer window"
    assert api.post(f"/themes/{one.id}/rename", json={"label": " "}).status_code == 422
    merged = api.post(f"/themes/{two.id}/merge", json={"into_id": one.id})
    assert merged.status_code == 200 and merged.get_json()["id"] == one.id
    assert api.get(f"/themes/{two.id}").get_json()["merged_into_id"] == one.id
    assert api.post(f"/themes/{one.id}/merge", json={"into_id": one.id}).status_code == 422


def test_round_summary_is_the_stored_summary(api) -> None:
    round_, _, _ = _themed_round()
    body = api.get(f"/rounds/{round_.id}/summary").get_json()
    assert body["round_id"] == round_.id and body["updating"] is False
    assert isinstance(body["summary"], dict) and body["summary"]


def test_lessons_and_actions_crud(api) -> None:
    round_ = commit(make_round())
    created = api.post("/lessons", json={"round_id": round_.id, "title": "Give more time"})
    assert created.status_code == 201
    lesson_id = created.get_json()["id"]
    assert api.post("/lessons", json={"round_id": round_.id, "title": " "}).status_code == 422
    listed = api.get(f"/lessons?round_id={round_.id}").get_json()["items"]
    assert [item["id"] for item in listed] == [lesson_id]
    updated = api.patch(f"/lessons/{lesson_id}", json={"what_we_did": "Twelve weeks"})
    assert updated.get_json()["what_we_did"] == "Twelve weeks"
    action = api.post(
        f"/lessons/{lesson_id}/actions", json={"description": "Extend", "owner": "Sam"}
    )
    assert action.status_code == 201
    action_id = action.get_json()["id"]
    added = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "action.add")).one()
    assert (added.actor_type, added.target_id) == ("officer", action_id) and added.actor_id
    refused = api.patch(f"/actions/{action_id}", json={"status": "done"})
    assert refused.status_code == 422 and "evidence" in refused.get_json()["errors"]
    done = api.patch(
        f"/actions/{action_id}", json={"status": "done", "evidence": "Window is 12 weeks"}
    )
    assert done.get_json()["status"] == "done"
    assert api.get(f"/lessons/{lesson_id}").get_json()["actions"][0]["id"] == action_id
    assert api.delete(f"/actions/{action_id}").status_code == 204
    assert db.session.get(Action, action_id) is None
    assert api.delete(f"/lessons/{lesson_id}").status_code == 204
    assert db.session.get(Lesson, lesson_id) is None
    assert api.get(f"/lessons/{lesson_id}").status_code == 404


def test_unknown_ids_are_404_problems(api) -> None:
    for path in (
        "/rounds/999",
        "/surveys/999",
        "/contacts/999",
        "/invitations/999",
        "/responses/999",
        "/themes/999",
        "/lessons/999",
        "/actions/999",
        "/programmes/999",
        "/rounds/999/summary",
    ):
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.mimetype == "application/problem+json"


def test_a_lesson_a_survey_asks_about_cannot_be_deleted(api) -> None:
    round_ = commit(make_round())
    lesson_id = api.post(
        "/lessons", json={"round_id": round_.id, "title": "Longer window"}
    ).get_json()["id"]
    asking = {
        "id": "followup",
        "title": "Follow-up",
        "pages": [
            {
                "id": "you_said_we_did",
                "questions": [
                    {
                        "id": f"lesson_{lesson_id}_improved",
                        "type": "yes_no",
                        "text": "Has this improved?",
                    }
                ],
            }
        ],
    }
    commit(make_survey(definition=asking, round=make_round(programme_id=round_.programme_id)))
    refused = api.delete(f"/lessons/{lesson_id}")
    assert refused.status_code == 422 and "lesson" in refused.get_json()["errors"]
    assert db.session.get(Lesson, lesson_id) is not None


def test_a_contacts_import_reports_slack_users_taken_and_overlong_text_per_row(api) -> None:
    # These rows used to reach the database: a UNIQUE or length violation, and a 500.
    commit(make_contact(name="Ada", email="ada@example.org", slack_user_id="U1"))
    csv_text = (
        "organisation,sector,name,email,slack_user_id\n"
        "Oak School,school_fe,Bo,bo@example.org,U2\n"
        "Elm School,school_fe,Cy,cy@example.org,U2\n"
        "Ash School,school_fe,Di,di@example.org,U1\n"
        "Ada's Trust,health,Ada,ada@example.org,U1\n"
        f"{'O' * 201},health,Ed,ed@example.org,\n"
        f"Fir School,school_fe,Fi,fi@example.org,{'U' * 33}\n"
    )
    answer = api.post("/contacts/import", json={"csv": csv_text})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    rows = {row["number"]: row for row in answer.get_json()["rows"]}
    assert rows[2]["action"] == "add" and rows[5]["action"] == "update"
    assert rows[3]["problems"] == ["Duplicate of row 2 (same Slack user)"]
    assert rows[4]["problems"] == ["Another contact already has this Slack user"]
    assert rows[6]["problems"] == ["Organisation names must be 200 characters or fewer"]
    assert rows[7]["problems"] == ["Slack user IDs must be 32 characters or fewer"]
    assert answer.get_json()["added"] == 1 and answer.get_json()["skipped"] == 4
