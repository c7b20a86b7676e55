"""The officer workspace end to end through the test client: rounds, contacts, invitations,
dashboard, chase list, telephone entry, responses, exports and data protection."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from surveys.db import db
from surveys.models import AuditEvent, CallLog, Contact, Response, Round
from surveys.services import officers
from tests.factories import make_contact, make_invitation, make_officer, make_round, make_survey

PASSWORD = "correct horse battery staple"


def csrf(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def signed_in(client, role: str = "officer"):
    officer = make_officer(role=role, password_hash=officers.hash_password(PASSWORD))
    db.session.commit()
    token = csrf(client, "/sign-in")
    client.post(
        "/sign-in", data={"email": officer.email, "password": PASSWORD, "csrf_token": token}
    )
    return officer


def post(client, path: str, data: dict, page: str | None = None, **kwargs):
    data = {"csrf_token": csrf(client, page or "/admin/rounds"), **data}
    return client.post(path, data=data, **kwargs)


OFFICER_PAGES = [
    "/admin/rounds",
    "/admin/contacts",
    "/admin/responses",
    "/admin/contacts/import",
]


@pytest.mark.parametrize("path", OFFICER_PAGES + ["/admin/officers", "/admin/audit"])
def test_anonymous_users_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_viewers_may_read_but_not_act(client, app):
    round_ = make_round()
    survey = make_survey(round=round_)
    contact = make_contact()
    invitation = make_invitation(survey=survey, contact=contact)
    signed_in(client, "viewer")
    for path in [
        f"/admin/rounds/{round_.id}",
        f"/admin/rounds/{round_.id}/dashboard",
        f"/admin/rounds/{round_.id}/chase",
        "/admin/contacts",
        "/admin/responses",
    ]:
        assert client.get(path).status_code == 200, path
    for path in [
        f"/admin/rounds/{round_.id}/invite",
        "/admin/contacts/new",
        f"/admin/invitations/{invitation.id}/call",
        "/admin/contacts/import",
    ]:
        assert client.get(path).status_code == 403, path
    for path in [
        f"/admin/rounds/{round_.id}/status",
        f"/admin/rounds/{round_.id}/remind",
        f"/admin/contacts/{contact.id}",
        f"/admin/contacts/{contact.id}/erase",
    ]:
        assert post(client, path, {}).status_code == 403, path


def test_create_a_round_attach_a_template_and_open_it(client, app):
    from surveys.services.rounds_admin import create_programme

    programme = create_programme("Children's centres")
    db.session.commit()
    signed_in(client)
    page = f"/admin/programmes/{programme.id}/rounds/new"
    bad = post(client, page, {"name": "Phase 3", "opens_on": "2026-13-01"}, page)
    assert bad.status_code == 422 and "must be a real date" in bad.get_data(as_text=True)
    response = post(
        client,
        page,
        {
            "name": "Phase 3",
            "opens_on": "2026-01-05",
            "closes_on": "2026-03-27",
            "reminder_days": "2, 7",
        },
        page,
    )
    round_ = db.session.scalars(select(Round)).one()
    assert response.headers["Location"].endswith(f"/admin/rounds/{round_.id}")
    assert round_.reminder_days == "7,2" and round_.status == "draft"
    post(
        client,
        f"/admin/rounds/{round_.id}/surveys",
        {"source": "template", "template": "provider-post-round"},
    )
    db.session.refresh(round_)
    assert [s.template for s in round_.surveys] == ["provider-post-round"]
    post(client, f"/admin/rounds/{round_.id}/status", {"action": "open"})
    db.session.refresh(round_)
    assert round_.status == "open"


def test_an_uploaded_yaml_is_validated_with_readable_errors(client, app):
    round_ = make_round(status="draft")
    db.session.commit()
    signed_in(client)
    broken = "id: broken\ntitle: Broken\npages:\n  - id: one\n    questions:\n      - id: q\n"
    response = post(
        client,
        f"/admin/rounds/{round_.id}/surveys",
        {"source": "upload", "definition_file": (io.BytesIO(broken.encode()), "broken.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "The questionnaire is not valid" in text
    not_yaml = post(
        client,
        f"/admin/rounds/{round_.id}/surveys",
        {"source": "upload", "definition_file": (io.BytesIO(b"a: [unclosed"), "x.yaml")},
        content_type="multipart/form-data",
    )
    assert "not valid YAML" in not_yaml.get_data(as_text=True)


def test_copy_the_previous_rounds_surveys(client, app):
    previous = make_round()
    make_survey(round=previous, title="Provider feedback")
    round_ = make_round(programme=previous.programme, previous_round=previous, status="draft")
    db.session.commit()
    signed_in(client)
    post(client, f"/admin/rounds/{round_.id}/surveys", {"source": "previous"})
    db.session.refresh(round_)
    assert [s.title for s in round_.surveys] == ["Provider feedback"]
    assert round_.surveys[0].versions[0].definition == previous.surveys[0].versions[0].definition


CSV_TEXT = """Organisation,Sector,Name,Email,Phone,Role
Sure Start Trust,Voluntary/Charity,Ann Lee,ann@example.org,01234 567890,provider
Hill School,school_fe,Bob Ray,not-an-email,,provider
Acme Ltd,Cheese,Cat Dee,cat@example.org,,provider
Sure Start Trust,voluntary,Ann Again,ANN@example.org,,provider
"""


def test_import_previews_each_rows_problem_before_saving(client, app):
    existing = make_contact(email="cat2@example.org", name="Old Name")
    db.session.commit()
    signed_in(client)
    data = CSV_TEXT + "Acme Ltd,private,Cat Two,cat2@example.org,,partner\n"
    response = post(
        client,
        "/admin/contacts/import",
        {"file": (io.BytesIO(data.encode()), "contacts.csv")},
        "/admin/contacts/import",
        content_type="multipart/form-data",
    )
    text = response.get_data(as_text=True)
    assert "Bad email address" in text
    assert "Unknown sector" in text
    assert "Duplicate of row 2" in text
    assert db.session.scalars(select(Contact)).all() == [existing]  # nothing saved yet
    key = re.search(r'name="key" value="([^"]+)"', text).group(1)
    post(client, "/admin/contacts/import/confirm", {"key": key})
    names = sorted(c.name for c in db.session.scalars(select(Contact)))
    assert names == ["Ann Lee", "Cat Two"]
    db.session.refresh(existing)
    assert existing.role == "partner"  # merged by email


def test_xlsx_import(app):
    from openpyxl import Workbook

    from surveys.services import contact_import

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["organisation", "sector", "name", "email"])
    sheet.append(["Health Trust", "HEALTH", "Dee Eff", "dee@example.org"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = contact_import.preview("c.xlsx", buffer.getvalue())
    assert [row.ok for row in preview.rows] == [True]
    contact_import.apply(preview)
    assert db.session.scalars(select(Contact)).one().organisation.sector == "health"


def test_contacts_search_add_edit(client, app):
    signed_in(client)
    response = post(
        client,
        "/admin/contacts/new",
        {
            "organisation": "Riverside CVS",
            "sector": "voluntary",
            "name": "Eve <b>Smith</b>",
            "email": "eve@example.org",
            "role": "provider",
        },
        "/admin/contacts/new",
    )
    assert response.status_code == 302
    page = client.get("/admin/contacts?q=riverside").get_data(as_text=True)
    assert "Eve &lt;b&gt;Smith&lt;/b&gt;" in page and "<b>Smith" not in page
    contact = db.session.scalars(select(Contact)).one()
    duplicate = post(
        client,
        "/admin/contacts/new",
        {
            "organisation": "X",
            "sector": "private",
            "name": "Y",
            "email": "EVE@example.org",
            "role": "provider",
        },
        "/admin/contacts/new",
    )
    assert duplicate.status_code == 422
    post(
        client,
        f"/admin/contacts/{contact.id}",
        {
            "organisation": "Riverside CVS",
            "sector": "voluntary",
            "name": "Eve Smith",
            "email": "eve@example.org",
            "phone": "0100",
            "role": "partner",
        },
    )
    db.session.refresh(contact)
    assert contact.phone == "0100" and contact.role == "partner"


def _submitted(survey, invitation=None, channel="web", answer="It went well"):
    from surveys.services import responses

    response = responses.start_or_resume(invitation, survey=survey, channel=channel)
    responses.save_page(response, "feedback", {"went_well": answer})
    responses.submit_response(response)
    return response


def test_dashboard_and_chase_list(client, app):
    survey = make_survey()
    round_ = survey.round
    answered = make_invitation(survey=survey, status="sent")
    waiting = make_invitation(
        survey=survey, status="sent", contact=make_contact(phone="01632 960001")
    )
    _submitted(survey, answered)
    db.session.commit()
    signed_in(client, "viewer")
    page = client.get(f"/admin/rounds/{round_.id}/dashboard").get_data(as_text=True)
    assert "1 of 2" in page and "50% response rate" in page
    chase = client.get(f"/admin/rounds/{round_.id}/chase").get_data(as_text=True)
    assert waiting.contact.name in chase and "01632 960001" in chase
    assert answered.contact.name not in chase


def test_telephone_entry_uses_the_same_journey_and_submission(client, app):
    survey = make_survey()
    invitation = make_invitation(survey=survey, status="sent")
    db.session.commit()
    officer = signed_in(client)
    call_page = f"/admin/invitations/{invitation.id}/call"
    post(client, call_page, {"outcome": "call_back", "note": "After 3pm"}, call_page)
    response = post(client, call_page, {"outcome": "completed"}, call_page)
    assert response.headers["Location"].endswith(f"/admin/invitations/{invitation.id}/telephone")
    first = client.get(response.headers["Location"])
    page_url = first.headers["Location"]
    assert page_url.endswith("/telephone/feedback")
    post(client, page_url, {"went_well": "The <script>briefings</script>"}, page_url)
    check = f"/admin/invitations/{invitation.id}/telephone-check"
    text = client.get(check).get_data(as_text=True)
    assert "&lt;script&gt;briefings&lt;/script&gt;" in text
    post(client, check, {}, check)
    submitted = db.session.scalars(select(Response)).one()
    assert submitted.status == "submitted" and submitted.channel == "telephone"
    assert submitted.entered_by_id == officer.id
    assert [c.outcome for c in db.session.scalars(select(CallLog).order_by(CallLog.id))] == [
        "call_back",
        "completed",
    ]


def test_responses_list_detail_and_withdrawal(client, app):
    survey = make_survey()
    invitation = make_invitation(survey=survey, status="sent")
    response = _submitted(survey, invitation, answer="<img src=x onerror=alert(1)>")
    db.session.commit()
    signed_in(client)
    listing = client.get(f"/admin/responses?round={survey.round_id}&status=submitted")
    assert response.reference in listing.get_data(as_text=True)
    detail = client.get(f"/admin/responses/{response.id}").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in detail and "<img src=x" not in detail
    post(client, f"/admin/responses/{response.id}/withdraw", {})
    db.session.refresh(response)
    assert response.status == "withdrawn"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "response.withdrawn")
    ).one()
    assert event.target_id == response.id


def test_export_csv_from_the_dashboard_neutralises_formulas(client, app):
    survey = make_survey()
    invitation = make_invitation(survey=survey, status="sent")
    _submitted(survey, invitation, answer='=HYPERLINK("http://evil")')
    draft_invitation = make_invitation(survey=survey, status="sent")
    from surveys.services import responses

    responses.start_or_resume(draft_invitation)
    db.session.commit()
    signed_in(client, "viewer")
    download = client.get(f"/admin/rounds/{survey.round_id}/export.csv")
    assert download.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True).removeprefix("\ufeff"))))
    assert rows[0][:6] == [
        "Reference",
        "Survey",
        "Organisation",
        "Sector",
        "Channel",
        "Submitted (UTC)",
    ]
    assert len(rows) == 2
    assert rows[1][-1] == '\'=HYPERLINK("http://evil")'
    assert rows[1][2] == invitation.contact.organisation.name
    xlsx = client.get(f"/admin/rounds/{survey.round_id}/export.xlsx")
    assert xlsx.data[:2] == b"PK"
    xlsx.close()
    assert db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "export.responses")
    ).all() == [{"format": "csv", "via": "web"}, {"format": "xlsx", "via": "web"}]
