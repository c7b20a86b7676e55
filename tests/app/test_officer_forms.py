"""Every officer form answers an invalid submission with 422, the field's error and the
GOV.UK error summary linking to that field (the forms are WTForms through govuk-frontend-wtf)."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from surveys.db import db
from surveys.models import ApiToken
from surveys.services import lessons as lesson_service
from tests.app.test_admin_workspace import PASSWORD, csrf, post, signed_in
from tests.factories import make_contact, make_round, make_survey


def assert_error_shown(reply, field_id: str, message: str, status: int = 422) -> None:
    """The page is refused with `status`, shows `message` by the field and in the summary."""
    page = reply.get_data(as_text=True)
    assert reply.status_code == status, page[:2000]
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S)
    assert summary is not None, "no error summary"
    assert f'href="#{field_id}"' in summary.group(0)
    assert message in summary.group(0)
    assert re.search(rf'id="{re.escape(field_id)}-error"[^>]*>.*?{re.escape(message)}', page, re.S)


@pytest.fixture
def officer(client, app):
    return signed_in(client, role="admin")


def test_add_contact_without_a_name(client, officer):
    reply = post(
        client,
        "/admin/contacts/new",
        {"organisation": "Riverside Trust", "sector": "health", "name": " ", "role": "provider"},
        page="/admin/contacts/new",
    )
    assert_error_shown(reply, "name", "Enter")
    assert 'value="Riverside Trust"' in reply.get_data(as_text=True)


def test_edit_contact_with_a_bad_email(client, officer):
    contact = make_contact()
    db.session.commit()
    page = f"/admin/contacts/{contact.id}"
    fields = {"organisation": "Org", "sector": "health", "name": "Sam", "role": "provider"}
    reply = post(client, page, fields | {"email": "not an address"}, page=page)
    assert_error_shown(reply, "email", "email address")


def test_import_without_a_file(client, officer):
    reply = post(client, "/admin/contacts/import", {}, page="/admin/contacts/import")
    assert_error_shown(reply, "file", "Select a CSV or XLSX file")


def test_erase_without_confirming(client, officer):
    contact = make_contact()
    db.session.commit()
    page = f"/admin/contacts/{contact.id}/erase"
    reply = post(client, page, {}, page=page)
    assert_error_shown(reply, "confirm", "Confirm that you want to erase this contact")
    assert db.session.get(type(contact), contact.id).name == contact.name


def test_add_officer_with_a_bad_email(client, officer):
    reply = post(
        client, "/admin/officers", {"email": "nobody", "role": "officer"}, page="/admin/officers"
    )
    assert_error_shown(reply, "email", "email address")
    assert 'value="nobody"' in reply.get_data(as_text=True)


def test_new_round_with_an_impossible_date(client, officer):
    round_ = make_round()
    db.session.commit()
    page = f"/admin/programmes/{round_.programme_id}/rounds/new"
    reply = post(client, page, {"name": "Phase 9", "opens_on": "2026-02-30"}, page=page)
    assert_error_shown(reply, "opens_on", "Opening date must be a real date, like 2026-03-27")
    assert 'value="Phase 9"' in reply.get_data(as_text=True)


def test_round_dates_with_an_impossible_date(client, officer):
    round_ = make_round()
    db.session.commit()
    reply = post(
        client,
        f"/admin/rounds/{round_.id}/dates",
        {"name": round_.name, "closes_on": "soon"},
        page=f"/admin/rounds/{round_.id}",
    )
    assert_error_shown(reply, "closes_on", "Closing date must be a real date")


@pytest.mark.parametrize(
    ("upload", "message"),
    [(None, "Select a YAML file"), (b"\xff\xfe title", "The selected file must be UTF-8 text")],
)
def test_attach_survey_upload_problems(client, officer, upload, message):
    round_ = make_round()
    db.session.commit()
    data = {"source": "upload"}
    if upload is not None:
        data["definition_file"] = (io.BytesIO(upload), "survey.yaml")
    reply = post(
        client,
        f"/admin/rounds/{round_.id}/surveys",
        data,
        page=f"/admin/rounds/{round_.id}",
        content_type="multipart/form-data",
    )
    assert_error_shown(reply, "definition_file", message)


def test_invite_with_nobody_chosen(client, officer):
    round_ = make_round()
    make_survey(round=round_)
    make_contact()
    db.session.commit()
    page = f"/admin/rounds/{round_.id}/invite"
    reply = post(client, page, {}, page=page)
    assert_error_shown(reply, "contact", "Select at least one contact")


def test_sign_in_with_nothing_typed(client, app):
    reply = client.post("/sign-in", data={"csrf_token": csrf(client, "/sign-in")})
    assert_error_shown(reply, "email", "Enter your email address")
    assert_error_shown(reply, "password", "Enter your password")


def test_change_password_with_the_wrong_current_password(client, officer):
    page = "/change-password"
    reply = post(
        client,
        page,
        {
            "current_password": "wrong",
            "new_password": "a brand new long passphrase",
            "confirm_password": "a brand new long passphrase",
        },
        page=page,
    )
    assert_error_shown(reply, "current_password", "Your current password is not correct")
    assert "wrong" not in re.sub(r"<[^>]+>", "", reply.get_data(as_text=True)).split()


def test_request_reset_without_an_email(client, app):
    page = "/reset-password"
    reply = client.post(page, data={"csrf_token": csrf(client, page), "email": "  "})
    assert_error_shown(reply, "email", "Enter your email address")


def test_new_password_that_does_not_match(client, app):
    from surveys.services import auth as auth_service
    from tests.factories import make_officer

    someone = make_officer()
    db.session.commit()
    token = auth_service.password_reset_token(someone)
    page = f"/reset-password/{token}"
    reply = client.post(
        page,
        data={
            "csrf_token": csrf(client, page),
            "new_password": PASSWORD,
            "confirm_password": PASSWORD + "x",
        },
    )
    assert_error_shown(reply, "confirm_password", "match")


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({"scope": "admin"}, "scope", "Choose read or write"),
        ({"scope": "read", "expires_days": "soon"}, "expires_days", "Enter a whole number of days"),
        ({"scope": "read", "expires_days": "0"}, "expires_days", "Expiry must be between 1 and"),
    ],
)
def test_create_token_with_a_bad_scope_or_expiry(client, officer, fields, field_id, message):
    page = "/admin/tokens"
    reply = post(client, page, {"name": "Reporting", **fields}, page=page)
    assert_error_shown(reply, field_id, message)
    assert 'value="Reporting"' in reply.get_data(as_text=True)
    assert db.session.scalars(select(ApiToken)).first() is None


@pytest.fixture
def lesson(app, officer):
    round_ = make_round()
    db.session.flush()
    recorded = lesson_service.record_lesson(
        round_,
        None,
        "Give longer",
        "Too short",
        officer,
        actions=[{"description": "Extend", "owner": "Sam", "due_on": None}],
    )
    db.session.commit()
    return f"/admin/reports/{round_.slug}/lessons/{recorded.id}", recorded.actions[0]


def test_record_lesson_with_a_bad_due_date(client, officer):
    round_ = make_round()
    db.session.commit()
    page = f"/admin/reports/{round_.slug}/lessons"
    reply = post(
        client, page, {"title": "Longer", "description": "Do it", "due_on": "31/01"}, page=page
    )
    assert_error_shown(reply, "due_on", "Due date must be a real date")
    assert 'value="Longer"' in reply.get_data(as_text=True)


def test_add_action_without_a_description(client, lesson):
    page, _ = lesson
    reply = post(client, f"{page}/actions", {"owner": "Sam"}, page=page)
    assert_error_shown(reply, "description", "Describe the action")


def test_action_done_without_evidence(client, lesson):
    page, action = lesson
    reply = post(client, f"{page}/actions/{action.id}", {"status": "done"}, page=page)
    assert_error_shown(reply, f"evidence-{action.id}", "Say what was done (the evidence)")


def test_update_lesson_with_an_unknown_status(client, lesson):
    page, _ = lesson
    reply = post(client, page, {"status": "maybe", "what_we_did": "Tried"}, page=page)
    assert_error_shown(reply, "status", "Choose open or closed")
    assert "Tried" in reply.get_data(as_text=True)
