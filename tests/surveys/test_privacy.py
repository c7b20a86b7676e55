"""Data protection (issue #4): subject-access export, erasure, the retention purge, the
audit log's promise to hold no personal data, the `debrief privacy` commands and the
admin pages for export and erasure."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from surveys import worker
from surveys.db import db
from surveys.models import (
    Answer,
    AuditEvent,
    CallLog,
    Contact,
    Invitation,
    OutboundMessage,
    Programme,
    Response,
    Theme,
    utcnow,
)
from surveys.services import audit, mail, officers, privacy, responses, telephone
from surveys.services.invitations import invite, issue_link
from tests.app.public_helpers import csrf_token
from tests.factories import (
    make_contact,
    make_invitation,
    make_officer,
    make_organisation,
    make_programme,
    make_round,
    make_survey,
)

PASSWORD = "correct horse battery staple"
WRONG_PASSWORD = "Tr0ub4dor&3-not-it"

DEFINITION = {
    "id": "privacy",
    "title": "Feedback with contact details",
    "pages": [
        {
            "id": "feedback",
            "title": "Your feedback",
            "questions": [
                {
                    "id": "went_well",
                    "type": "long_text",
                    "text": "What went well?",
                    "kind": "went_well",
                    "required": False,
                },
                {
                    "id": "improve",
                    "type": "long_text",
                    "text": "What could we improve?",
                    "kind": "improve",
                    "required": False,
                },
            ],
        },
        {
            "id": "contact",
            "questions": [
                {
                    "id": "contact_email",
                    "type": "email",
                    "text": "What email address should we use?",
                    "required": False,
                }
            ],
        },
    ],
}

# Distinctive values, so a stray copy anywhere is easy to spot.
NAME = "Priya Ramanathan"
EMAIL = "priya.ramanathan@sunflower-trust.example.org"
PHONE = "01632 960777"
SLACK = "U0PRIYA0001"
WENT_WELL = "The Marlowfield briefing was superb, thanks to Priya Ramanathan's questions"
IMPROVE = "Quinceborough panel papers arrived too late to read properly"


def make_priya(**overrides) -> Contact:
    fields = {
        "name": NAME,
        "email": EMAIL,
        "phone": PHONE,
        "slack_user_id": SLACK,
        "organisation": make_organisation(name="Sunflower Trust", sector="voluntary"),
    }
    return make_contact(**(fields | overrides))


def answered(contact: Contact, survey=None, *, went_well=WENT_WELL, improve=IMPROVE):
    """Give the contact a live link and a submitted response; return (token, response)."""
    survey = survey or make_survey(DEFINITION, title="Phase 2 provider feedback")
    [invitation] = invite(survey, [contact])
    token = issue_link(invitation)
    response = responses.start_or_resume(invitation)
    responses.save_page(response, "feedback", {"went_well": went_well, "improve": improve})
    responses.save_page(response, "contact", {"contact_email": contact.email})
    responses.submit_response(response)
    return token, response


def answer_values(response_id: int) -> dict[str, object]:
    query = select(Answer).where(Answer.response_id == response_id)
    return {answer.question_id: answer.value for answer in db.session.scalars(query)}


def events(action: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(db.session.scalars(query))


# --- Subject-access export -----------------------------------------------------------


def test_contact_export_holds_their_details_invitations_responses_and_answers(app):
    contact = make_priya(role="provider")
    officer = make_officer(role="admin")
    _, response = answered(contact)
    invitation = db.session.get(Invitation, response.invitation_id)
    telephone.record_call(invitation, officer, "call_back", "Ring after 3pm")
    mail.queue_invitation(invitation)
    make_invitation(contact=make_contact())  # someone else's, never in Priya's export

    data = privacy.contact_data(contact, actor=officer)

    json.dumps(data)  # a download, so it must serialise as it is
    assert data["contact"] | {"created_at": None} == {
        "name": NAME,
        "email": EMAIL,
        "phone": PHONE,
        "role": "provider",
        "slack_user_id": SLACK,
        "opted_out": False,
        "created_at": None,
        "erased_at": None,
    }
    assert data["organisation"] == {"name": "Sunflower Trust", "sector": "voluntary"}
    [entry] = data["invitations"]
    assert entry["survey"] == "Phase 2 provider feedback"
    assert entry["round"] == invitation.survey.round.name
    assert entry["status"] == "completed"
    assert [call["note"] for call in entry["calls"]] == ["Ring after 3pm"]
    assert [message["to"] for message in entry["emails"]] == []  # completed: none queued
    [given] = entry["responses"]
    assert given["reference"] == response.reference and given["status"] == "submitted"
    assert given["answers"] == [
        {"question": "What went well?", "answer": WENT_WELL},
        {"question": "What could we improve?", "answer": IMPROVE},
        {"question": "What email address should we use?", "answer": EMAIL},
    ]
    [event] = events("contact.data_exported")
    assert (event.actor_id, event.target_type, event.target_id) == (
        officer.id,
        "contact",
        contact.id,
    )
    assert event.detail == {"format": "json"}


def test_contact_export_lists_emails_sent_to_them(app):
    contact = make_priya()
    invitation = make_invitation(contact=contact, status="sent")
    mail.queue_invitation(invitation)

    [entry] = privacy.contact_data(contact)["invitations"]

    assert [(m["kind"], m["to"], m["status"]) for m in entry["emails"]] == [
        ("invitation", EMAIL, "queued")
    ]
    assert entry["responses"] == []


# --- Erasure ---------------------------------------------------------------------------


def test_erasure_deletes_personal_data_kills_links_and_unlinks_the_answers(app, client):
    contact = make_priya()
    officer = make_officer(role="admin")
    token, response = answered(contact)
    invitation = db.session.get(Invitation, response.invitation_id)
    telephone.record_call(invitation, officer, "completed", "Spoke to Priya on 01632 960777")
    db.session.commit()
    assert client.get(f"/r/{token}").status_code == 200  # the link works before erasure
    answers_before = set(answer_values(response.id))

    privacy.erase_contact(contact, actor=officer)
    db.session.commit()

    db.session.expire_all()
    contact = db.session.get(Contact, contact.id)
    assert contact.name == privacy.ERASED_NAME
    assert (contact.email, contact.phone, contact.slack_user_id) == (None, None, None)
    assert contact.erased_at is not None and contact.opted_out
    for path in (f"/r/{token}", f"/r/{token}/answers", f"/r/{token}/feedback"):
        assert client.get(path).status_code == 404, path
    kept = db.session.get(Response, response.id)
    assert kept.status == "submitted"  # the round still learns from it...
    assert kept.invitation_id is None  # ...but it is no longer tied to the person
    assert {"went_well", "improve"} <= set(answer_values(response.id)) <= answers_before
    linked = select(func.count(Response.id)).join(
        Invitation, Response.invitation_id == Invitation.id
    )
    assert db.session.scalar(linked.where(Invitation.contact_id == contact.id)) == 0
    assert db.session.get(Invitation, invitation.id).status == "revoked"
    assert [c.note for c in db.session.scalars(select(CallLog))] == [""]
    [event] = events("contact.erased")
    assert (event.actor_id, event.target_id, event.detail) == (
        officer.id,
        contact.id,
        {"count": 1, "removed": 4, "redacted": 1},
    )


def test_erasure_removes_contact_details_given_in_the_answers(app):
    """An email-address answer is the person's contact details, and their name in their own
    free text would identify them: neither may outlive the erasure."""
    contact = make_priya()
    _, response = answered(contact)
    db.session.commit()

    privacy.erase_contact(contact)
    db.session.commit()

    db.session.expire_all()
    values = answer_values(response.id)
    assert "contact_email" not in values
    assert values["improve"] == IMPROVE  # nothing personal, left as it was
    assert "Marlowfield briefing was superb" in values["went_well"]
    assert NAME not in values["went_well"] and "Priya" not in values["went_well"]
    everything = json.dumps(
        [a.value for a in db.session.scalars(select(Answer))], ensure_ascii=False
    )
    assert EMAIL not in everything and NAME not in everything


def test_erasure_redacts_the_person_from_theme_exemplars(app):
    """Codebook themes keep copies of answer text; the person's name must not survive there."""
    from surveys.services.analysis_runs import analyse_round

    contact = make_priya()
    survey = make_survey(DEFINITION, title="Phase 2 provider feedback")
    answered(contact, survey)
    analyse_round(survey.round)
    db.session.commit()
    stored = json.dumps([t.exemplars for t in db.session.scalars(select(Theme))])
    assert "Priya" in stored  # the analysis copied her answer into the codebook

    privacy.erase_contact(contact)
    db.session.commit()

    db.session.expire_all()
    stored = json.dumps([t.exemplars for t in db.session.scalars(select(Theme))])
    assert "Priya" not in stored and "Ramanathan" not in stored
    assert "Marlowfield briefing was superb" in stored


def test_erasure_clears_addresses_and_errors_of_emails_sent_to_them(app):
    contact = make_priya()
    invitation = make_invitation(contact=contact, status="sent")
    queued = mail.queue_invitation(invitation)
    failed = mail.queue_reminder(invitation, "1")
    failed.status = "failed"
    failed.last_error = f"SMTPRecipientsRefused: {{'{EMAIL}': (550, b'No such user')}}"
    db.session.commit()

    privacy.erase_contact(contact)
    db.session.commit()

    db.session.expire_all()
    for message in db.session.scalars(select(OutboundMessage)):
        assert message.to_address is None
        assert EMAIL not in (message.last_error or "")
        assert EMAIL not in message.body_text + message.body_html
    assert db.session.get(OutboundMessage, queued.id).status == "cancelled"  # never sent now


def test_an_erased_contact_is_never_invited_again_and_erasing_twice_changes_nothing(app):
    contact = make_priya()
    survey = make_survey(DEFINITION)
    privacy.erase_contact(contact)
    privacy.erase_contact(contact)

    assert invite(survey, [contact]) == []
    assert len(events("contact.erased")) == 1


def test_other_contacts_are_untouched_by_an_erasure(app):
    survey = make_survey(DEFINITION)
    priya = make_priya()
    other = make_contact(name="Tom Other", phone="01632 960001")
    _, priya_response = answered(priya, survey)
    other_token, other_response = answered(other, survey, went_well="Tom thought it was fine")
    db.session.commit()

    privacy.erase_contact(priya)
    db.session.commit()

    db.session.expire_all()
    other = db.session.get(Contact, other.id)
    assert other.name == "Tom Other" and other.email and other.phone == "01632 960001"
    assert db.session.get(Response, other_response.id).invitation_id is not None
    assert answer_values(other_response.id)["went_well"] == "Tom thought it was fine"
    assert answer_values(other_response.id)["contact_email"] == other.email


# --- The audit log holds no personal data -----------------------------------------------


def sign_in(client, email: str, password: str = PASSWORD):
    token = csrf_token(client, "/sign-in")
    return client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token})


def test_audit_log_records_the_events_and_never_personal_data_tokens_or_answers(
    app, client, runner
):
    admin = make_officer(role="admin", password_hash=officers.hash_password(PASSWORD))
    colleague = make_officer(role="officer", email="colleague.person@council.example")
    contact = make_priya()
    token, response = answered(contact)
    round_id = response.survey.round_id
    db.session.commit()
    admin_email = admin.email
    secrets_ = [NAME, EMAIL, PHONE, SLACK, token, WENT_WELL, IMPROVE, PASSWORD, WRONG_PASSWORD]
    secrets_ += [admin_email, "colleague.person@council.example", admin.password_hash]

    assert sign_in(client, admin_email, WRONG_PASSWORD).status_code == 422
    assert sign_in(client, "nobody.at.all@council.example", WRONG_PASSWORD).status_code == 422
    assert sign_in(client, admin_email).status_code == 302
    assert client.get(f"/admin/rounds/{round_id}/export.csv").status_code == 200
    assert client.get(f"/admin/contacts/{contact.id}/data.json").status_code == 200
    assert runner.invoke(args=["privacy", "export-contact", EMAIL]).exit_code == 0
    form = {"csrf_token": csrf_token(client, "/admin/officers"), "role": "viewer"}
    assert client.post(f"/admin/officers/{colleague.id}/role", data=form).status_code == 302
    erase_page = f"/admin/contacts/{contact.id}/erase"
    form = {"csrf_token": csrf_token(client, erase_page), "confirm": "yes"}
    assert client.post(erase_page, data=form).status_code == 302

    rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    actions = {row.action for row in rows}
    assert {
        "signin.failed",
        "signin.succeeded",
        "export.responses",
        "contact.data_exported",
        "officer.role_changed",
        "contact.erased",
    } <= actions
    assert len([row for row in rows if row.action == "signin.failed"]) == 2
    for row in rows:
        stored = json.dumps(
            [row.action, row.actor_type, row.target_type, row.detail], ensure_ascii=False
        ).lower()
        for secret in secrets_:
            assert secret.lower() not in stored, (row.action, secret)
        assert "@" not in stored, row.action
        assert "argon2" not in stored and "went well" not in stored


@pytest.mark.parametrize(
    "detail",
    [
        {"email": "someone@example.org"},
        {"answer": "It went well"},
        {"token": "abc"},
        {"reason": "x" * 81},
        {"count": ["not", "plain"]},
    ],
)
def test_audit_log_refuses_details_that_could_hold_personal_data(app, detail):
    with pytest.raises(ValueError):
        audit.record("contact.updated", **detail)
    assert db.session.scalars(select(AuditEvent)).all() == []


# --- Retention purge -------------------------------------------------------------------


def _closed_round(programme, days_ago: int, **fields):
    today = utcnow().date()
    return make_round(
        programme=programme,
        status="closed",
        opens_on=today - timedelta(days=days_ago + 40),
        closes_on=today - timedelta(days=days_ago),
        **fields,
    )


def _round_with_a_response(round_, contact=None):
    survey = make_survey(DEFINITION, round=round_)
    round_.status, status = "open", round_.status  # responses are taken while open
    token, response = answered(contact or make_contact(), survey)
    round_.status = status
    return token, response


def test_purge_deletes_responses_past_retention_and_keeps_newer_ones(app, client):
    programme = make_programme(retention_days=365)
    forever = make_programme()
    forever.retention_days = None  # kept until erased
    old_token, old = _round_with_a_response(_closed_round(programme, days_ago=400))
    _, recent = _round_with_a_response(_closed_round(programme, days_ago=300))
    _, still_open = _round_with_a_response(make_round(programme=programme, status="open"))
    _, kept_forever = _round_with_a_response(_closed_round(forever, days_ago=4000))
    old_invitation = db.session.get(Invitation, old.invitation_id)
    telephone.record_call(old_invitation, make_officer(), "completed", "Spoke to Ann at home")
    old_id, old_round_id = old.id, old.survey.round_id
    db.session.commit()

    assert privacy.purge_expired() == 1
    db.session.commit()

    db.session.expire_all()
    assert db.session.get(Response, old_id) is None
    assert answer_values(old_id) == {}
    assert client.get(f"/r/{old_token}").status_code == 404
    for response in (recent, still_open, kept_forever):
        assert db.session.get(Response, response.id) is not None
        assert answer_values(response.id)["went_well"] == WENT_WELL
    assert [note for note in db.session.scalars(select(CallLog.note))] == [""]
    [event] = events("responses.purged")
    assert (event.target_type, event.target_id, event.detail) == (
        "round",
        old_round_id,
        {"count": 1},
    )
    assert privacy.purge_expired() == 0  # nothing left to purge; no second event
    assert len(events("responses.purged")) == 1


def test_purge_follows_each_programmes_own_retention_period(app):
    short = make_programme(retention_days=30)
    long = make_programme(retention_days=3650)
    _, in_short = _round_with_a_response(_closed_round(short, days_ago=60))
    _, in_long = _round_with_a_response(_closed_round(long, days_ago=60))
    db.session.commit()
    ids = (in_short.id, in_long.id)

    assert privacy.purge_expired() == 1

    assert db.session.get(Response, ids[0]) is None
    assert db.session.get(Response, ids[1]) is not None


def test_purge_on_a_given_day_counts_from_the_closing_date(app):
    programme = make_programme(retention_days=100)
    round_ = _closed_round(programme, days_ago=10)
    _round_with_a_response(round_)
    db.session.commit()

    assert privacy.expired_rounds(on=round_.closes_on + timedelta(days=100)) == []
    assert privacy.expired_rounds(on=round_.closes_on + timedelta(days=101)) == [round_]
    assert privacy.purge_expired(on=round_.closes_on + timedelta(days=101)) == 1


def test_a_programme_created_to_keep_responses_until_erased_is_never_purged(app, client):
    signed_in(client, "admin")
    page = "/admin/programmes/new"
    form = {"csrf_token": csrf_token(client, page), "name": "Youth services", "retention_days": ""}

    assert client.post(page, data=form).status_code == 302

    [programme] = db.session.scalars(select(Programme).where(Programme.name == "Youth services"))
    assert programme.retention_days is None
    assert "Responses kept for ever" in client.get("/admin/rounds").get_data(as_text=True)
    _, response = _round_with_a_response(_closed_round(programme, days_ago=9000))
    db.session.commit()
    assert privacy.purge_expired() == 0
    assert db.session.get(Response, response.id) is not None


def test_the_scheduled_purge_runs_nightly_and_commits(app):
    programme = make_programme(retention_days=30)
    _, response = _round_with_a_response(_closed_round(programme, days_ago=31))
    db.session.commit()
    response_id = response.id

    purge = worker.tasks(app)["purge_expired_responses"]
    schedule = purge.task_class()
    assert schedule.validate_datetime(datetime(2026, 5, 4, 2, 30))
    assert not schedule.validate_datetime(datetime(2026, 5, 4, 14, 30))
    purge.call_local()

    db.session.rollback()  # only what the task committed is left
    db.session.expire_all()
    assert db.session.get(Response, response_id) is None


# --- `debrief privacy ...` ---------------------------------------------------------------


def test_command_export_contact_prints_their_data_as_json(app, runner):
    contact = make_priya()
    answered(contact)
    db.session.commit()

    result = runner.invoke(args=["privacy", "export-contact", EMAIL.upper()])

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["contact"]["email"] == EMAIL
    assert data["invitations"][0]["responses"][0]["answers"][0]["answer"] == WENT_WELL
    [event] = events("contact.data_exported")
    assert event.actor_type == "system"


def test_command_erase_contact_asks_first(app, runner):
    contact = make_priya()
    answered(contact)
    db.session.commit()
    contact_id = contact.id

    refused = runner.invoke(args=["privacy", "erase-contact", EMAIL], input="n\n")
    assert refused.exit_code == 1
    db.session.expire_all()
    assert db.session.get(Contact, contact_id).email == EMAIL

    erased = runner.invoke(args=["privacy", "erase-contact", EMAIL, "--yes"])
    assert erased.exit_code == 0, erased.output
    assert "Erased." in erased.output
    assert "Removed: 1 contact details (name, email, phone, Slack id)" in erased.output
    assert "1 personal links" in erased.output and "Redacted: " in erased.output
    db.session.expire_all()
    contact = db.session.get(Contact, contact_id)
    assert contact.email is None and contact.erased_at is not None


@pytest.mark.parametrize(
    "args",
    [["export-contact", "nobody@example.org"], ["erase-contact", "nobody@example.org", "--yes"]],
)
def test_commands_refuse_an_unknown_address(app, runner, args):
    make_priya()
    db.session.commit()

    result = runner.invoke(args=["privacy", *args])

    assert result.exit_code == 1
    assert "no contact has that email address" in result.output
    assert events("contact.erased") == [] and events("contact.data_exported") == []
    assert db.session.scalars(select(Contact.email)).all() == [EMAIL]


def test_command_purge_reports_how_many(app, runner):
    programme = make_programme(retention_days=30)
    _round_with_a_response(_closed_round(programme, days_ago=90))
    _round_with_a_response(_closed_round(programme, days_ago=91))
    db.session.commit()

    first = runner.invoke(args=["privacy", "purge"])
    second = runner.invoke(args=["privacy", "purge"])

    assert first.exit_code == 0, first.output
    assert "Purged 2 responses." in first.output
    assert "Purged 0 responses." in second.output
    assert db.session.scalar(select(func.count(Response.id))) == 0


# --- Admin pages ---------------------------------------------------------------------------


def signed_in(client, role: str):
    officer = make_officer(role=role, password_hash=officers.hash_password(PASSWORD))
    db.session.commit()
    sign_in(client, officer.email)
    return officer


def test_admin_downloads_a_contacts_data_as_json(app, client):
    contact = make_priya()
    answered(contact)
    admin = signed_in(client, "admin")

    download = client.get(f"/admin/contacts/{contact.id}/data.json")

    assert download.status_code == 200
    assert download.mimetype == "application/json"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert f"contact-{contact.id}.json" in download.headers["Content-Disposition"]
    data = json.loads(download.get_data(as_text=True))
    assert data["contact"]["name"] == NAME
    [event] = events("contact.data_exported")
    assert event.actor_id == admin.id
    assert client.get("/admin/contacts/999999/data.json").status_code == 404


def test_admin_erases_a_contact_after_confirming(app, client):
    contact = make_priya()
    token, _ = answered(contact)
    admin = signed_in(client, "admin")
    page = f"/admin/contacts/{contact.id}/erase"

    shown = client.get(page)
    assert shown.status_code == 200 and "cannot be undone" in shown.get_data(as_text=True)
    unconfirmed = client.post(page, data={"csrf_token": csrf_token(client, page)})
    assert unconfirmed.status_code == 422
    assert "Confirm that you want to erase this contact" in unconfirmed.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).erased_at is None

    done = client.post(page, data={"csrf_token": csrf_token(client, page), "confirm": "yes"})

    assert done.status_code == 302 and done.headers["Location"].endswith("/admin/contacts")
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).email is None
    assert client.get(f"/r/{token}").status_code == 404
    [event] = events("contact.erased")
    assert event.actor_id == admin.id


def test_erasure_needs_a_csrf_token(app, client):
    contact = make_priya()
    signed_in(client, "admin")

    response = client.post(f"/admin/contacts/{contact.id}/erase", data={"confirm": "yes"})

    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).erased_at is None


@pytest.mark.parametrize("role", ["viewer", "officer"])
def test_only_admins_may_export_or_erase_a_contact(app, client, role):
    contact = make_priya()
    signed_in(client, role)
    page = f"/admin/contacts/{contact.id}/erase"
    token = csrf_token(client, "/admin/rounds")

    assert client.get(f"/admin/contacts/{contact.id}/data.json").status_code == 403
    assert client.get(page).status_code == 403
    assert client.post(page, data={"csrf_token": token, "confirm": "yes"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).erased_at is None
    assert events("contact.data_exported") == [] and events("contact.erased") == []


def test_anonymous_users_are_sent_to_sign_in_from_the_privacy_pages(app, client):
    contact = make_priya()
    db.session.commit()
    token = csrf_token(client, "/sign-in")

    for response in (
        client.get(f"/admin/contacts/{contact.id}/data.json"),
        client.get(f"/admin/contacts/{contact.id}/erase"),
        client.post(
            f"/admin/contacts/{contact.id}/erase", data={"csrf_token": token, "confirm": "yes"}
        ),
    ):
        assert response.status_code == 302
        assert re.search(r"/sign-in\?next=", response.headers["Location"])
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).erased_at is None
