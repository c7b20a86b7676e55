"""Lists that scale and a dashboard that tracks a round: paging, sorting and filtering
responses, contacts, the audit log and the chase list; names instead of ids; the chase
list's export; each survey's progress kept apart, with days left and open-link answers."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from surveys.db import db
from surveys.models import AuditEvent, CallLog
from surveys.services import audit, chase, dashboard
from surveys.services.contacts import contact_listing
from surveys.services.lists import DESCENDING
from surveys.services.tracking import response_listing
from tests.app.test_admin_workspace import signed_in
from tests.factories import (
    make_contact,
    make_invitation,
    make_officer,
    make_organisation,
    make_response,
    make_round,
    make_survey,
)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def _answered(survey, name: str, sector: str = "voluntary", day: date | None = None, **kw):
    contact = make_contact(organisation=make_organisation(name=name, sector=sector))
    invitation = make_invitation(
        survey=survey, contact=contact, status="completed", sent_at=_at(day or date.today())
    )
    return make_response(
        survey=survey,
        invitation=invitation,
        status="submitted",
        submitted_at=_at(day or date.today()),
        **kw,
    )


# --- The listing helper, through the responses and contacts lists --------------------------


def test_a_listing_pages_sorts_and_clamps_the_page_number(app):
    survey = make_survey()
    for n in range(30):
        _answered(survey, f"Org {n:02d}", day=date.today() - timedelta(days=n))
    listing = response_listing()
    first = listing.page({})
    assert (first.total, first.pages, len(first.items)) == (30, 2, 25)
    assert (first.sort, first.order) == ("submitted", DESCENDING)
    assert first.items[0].invitation.contact.organisation.name == "Org 00"  # newest first
    by_name = listing.page({"sort": "organisation", "order": "ascending", "page": "2"})
    assert [r.invitation.contact.organisation.name for r in by_name.items] == [
        f"Org {n}" for n in range(25, 30)
    ]
    assert (by_name.first_item, by_name.last_item) == (26, 30)
    past_the_end = listing.page({"page": "99"})
    assert past_the_end.number == 2
    nonsense = listing.page({"page": "-1", "sort": "password", "order": "sideways"})
    assert (nonsense.number, nonsense.sort, nonsense.order) == (1, "submitted", "ascending")


def test_listing_filters_refuse_what_they_cannot_read_and_say_why(app):
    round_ = make_round()
    provider = make_survey(round=round_, title="Provider questionnaire")
    partner = make_survey(round=round_, title="Partner consultation")
    _answered(provider, "Acorn Trust", "voluntary", date(2027, 1, 5), channel="telephone")
    _answered(partner, "Beech School", "school_fe", date(2027, 1, 20))
    listing = response_listing()
    assert listing.page({"survey": str(partner.id)}).total == 1
    assert listing.page({"sector": "voluntary", "channel": "telephone"}).total == 1
    officer = make_officer()
    provider_response = listing.page({"survey": str(provider.id)}).items[0]
    provider_response.entered_by_id = officer.id
    entered = listing.page({"entered_by": str(officer.id)})
    assert [r.id for r in entered.items] == [provider_response.id]
    dated = listing.page({"submitted_from": "2027-01-06", "submitted_to": "2027-01-31"})
    assert [r.survey_id for r in dated.items] == [partner.id]
    bad = listing.page({"submitted_from": "5th Jan", "status": "deleted", "round": "x"})
    assert bad.total == 2 and not bad.filters
    assert bad.errors == {
        "submitted_from": "Enter a real date, like 2027-01-05",
        "status": "Choose one of the options",
        "round": "Choose one of the options",
    }


def test_contacts_are_searched_filtered_and_sorted_without_erased_ones(app):
    make_contact(name="Zoe Adams", organisation=make_organisation(name="Alder Trust"))
    make_contact(name="Amy Brown", organisation=make_organisation(name="Birch School"))
    make_contact(name="Erased", erased_at=datetime.now(UTC))
    page = contact_listing().page({"sort": "name"})
    assert [c.name for c in page.items] == ["Amy Brown", "Zoe Adams"]
    assert [c.name for c in contact_listing().page({"q": "birch"}).items] == ["Amy Brown"]


def test_lists_pages_show_names_sort_links_and_pagination(client, app):
    survey = make_survey(title="Provider questionnaire")
    for n in range(27):
        _answered(survey, f"Org {n:02d}")
    db.session.commit()
    signed_in(client, "viewer")
    html = client.get("/admin/responses?sort=organisation&order=ascending").get_data(True)
    assert "Showing 1 to 25 of 27 responses" in html
    assert "Provider questionnaire" in html and "Org 00" in html and "Org 26" not in html
    assert 'aria-sort="ascending"' in html
    assert 'class="govuk-pagination' in html and "page=2" in html
    assert "sort=organisation&amp;order=descending" in html  # clicking again reverses
    second = client.get("/admin/responses?sort=organisation&order=ascending&page=2")
    assert "Org 26" in second.get_data(True)
    bad = client.get("/admin/responses?submitted_from=yesterday")
    assert bad.status_code == 200 and "govuk-error-summary" in bad.get_data(True)
    contacts = client.get("/admin/contacts?sector=voluntary&sort=name").get_data(True)
    assert "Showing 1 to 25 of 27 contacts" in contacts


# --- The audit log ----------------------------------------------------------------------------


def test_the_audit_log_names_officers_and_records_and_filters_by_officer(client, app):
    survey = make_survey(title="Provider questionnaire")
    response = _answered(survey, "Acorn Trust")
    someone = make_officer(name="Priya Shah", email="priya@council.example")
    audit.record("response.withdrawn", actor=someone, target=response, status="submitted")
    audit.record("round.opened", target=survey.round, survey_id=survey.id)
    db.session.commit()
    admin = signed_in(client, "admin")
    html = client.get("/admin/audit").get_data(True)
    assert "Priya Shah (priya@council.example)" in html
    assert f"Acorn Trust: Provider questionnaire ({response.reference})" in html
    assert "officer #" not in html and "response #" not in html
    assert f"Survey: Provider questionnaire ({survey.round.name})" in html
    assert "Debrief" in html  # the system's own events
    mine = client.get(f"/admin/audit?officer={someone.id}").get_data(True)
    mine = mine.split('id="audit-events"')[1]
    assert "response.withdrawn" in mine and "round.opened" not in mine
    assert client.get(f"/admin/audit?officer={admin.id}&record=round").status_code == 200


# --- The chase list ---------------------------------------------------------------------------


def _chase_round():
    round_ = make_round()
    provider = make_survey(round=round_, title="Provider questionnaire")
    partner = make_survey(round=round_, title="Partner consultation")
    today = date.today()
    early = make_invitation(
        survey=provider,
        status="sent",
        sent_at=_at(today - timedelta(days=10)),
        reminded_at=_at(today - timedelta(days=3)),
        reminder_count=1,
        contact=make_contact(
            phone="01632 960001", organisation=make_organisation(name="=cmd|' /C calc'!A0")
        ),
    )
    late = make_invitation(
        survey=partner,
        status="opened",
        sent_at=_at(today - timedelta(days=2)),
        contact=make_contact(organisation=make_organisation(name="Birch Partnership")),
    )
    _answered(provider, "Answered Ltd")
    return round_, provider, early, late


def test_chase_list_shows_survey_phone_reminder_and_days_since_invited(app):
    round_, provider, early, late = _chase_round()
    officer = make_officer()
    db.session.add(CallLog(invitation_id=early.id, officer_id=officer.id, outcome="no_answer"))
    page = chase.chase_page(round_, {"sort": "invited"})
    assert [e.invitation_id for e in page.items] == [early.id, late.id]  # longest waiting first
    first = page.items[0]
    assert (first.survey, first.phone, first.reminders) == (
        "Provider questionnaire",
        "01632 960001",
        1,
    )
    assert first.days_since_invited == 10 and first.last_outcome == "no_answer"
    assert first.last_reminded_at is not None
    only_partner = chase.chase_page(round_, {"survey": str(late.survey_id)})
    assert [e.invitation_id for e in only_partner.items] == [late.id]
    opened = chase.chase_page(round_, {"status": "opened"})
    assert [e.invitation_id for e in opened.items] == [late.id]
    called_last = chase.chase_page(round_, {"sort": "called", "order": "descending"})
    assert called_last.items[0].invitation_id == early.id


def test_chase_list_export_is_excel_ready_neutralised_and_audited(client, app):
    round_, provider, early, late = _chase_round()
    db.session.commit()
    signed_in(client, "viewer")
    page = client.get(f"/admin/rounds/{round_.id}/chase?survey={provider.id}").get_data(True)
    link = re.search(r'href="([^"]*chase\.csv[^"]*)"', page).group(1).replace("&amp;", "&")
    assert f"survey={provider.id}" in link
    download = client.get(link)
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.mimetype == "text/csv"
    body = download.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Survey", "Organisation", "Sector", "Contact", "Phone"]
    assert len(rows) == 2  # the filter holds: only the provider survey's non-responder
    assert rows[1][1] == "'=cmd|' /C calc'!A0" and rows[1][4] == "01632 960001"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export.chase_list")
    ).one()
    assert event.detail == {"format": "csv", "rows": 1}


# --- The dashboard ----------------------------------------------------------------------------


def test_dashboard_keeps_surveys_apart_and_explains_open_link_answers(client, app):
    round_ = make_round(closes_on=date.today() + timedelta(days=12))
    provider = make_survey(round=round_, title="Provider questionnaire")
    partner = make_survey(round=round_, title="Partner consultation", open_link=True)
    _answered(provider, "Acorn Trust", day=date.today() - timedelta(days=3))
    make_invitation(survey=provider, status="sent", sent_at=_at(date.today()))
    make_response(survey=partner, status="submitted", submitted_at=_at(date.today()))
    db.session.commit()
    board = dashboard.round_dashboard(round_)
    assert board.days_left == 12
    tracks = {t.survey.title: t for t in board.surveys}
    assert (
        tracks["Provider questionnaire"].progress.invited,
        tracks["Provider questionnaire"].progress.submitted,
    ) == (2, 1)
    assert tracks["Partner consultation"].progress.invited == 0
    assert tracks["Partner consultation"].open_link_answers == 1
    assert [name for name, _ in tracks["Partner consultation"].series] == [
        "Invited",
        "Answered",
        "Open link",
    ]
    assert [v[-1] for _n, v in tracks["Provider questionnaire"].series] == [2, 1]
    signed_in(client, "viewer")
    html = client.get(f"/admin/rounds/{round_.id}/dashboard").get_data(True)
    assert "12 days left" in html
    assert "1 of 2</strong> invited have answered (50% response rate)" in html
    assert "came through the survey's open link" in html
    assert html.count("<svg") >= 2 and "Invitations and answers over time as a table" in html


def test_days_left_counts_to_the_closing_day(app):
    round_ = make_round(closes_on=date(2027, 1, 5))
    assert dashboard.days_left(round_, date(2027, 1, 5)) == 0
    assert dashboard.days_left(round_, date(2027, 1, 1)) == 4
    assert dashboard.days_left(round_, date(2027, 1, 9)) == -4
    round_.closes_on = None
    assert dashboard.days_left(round_, date(2027, 1, 9)) is None


def test_dashboard_says_when_a_round_closed_or_is_overdue(client, app):
    closed = make_round(status="closed", closes_on=date(2008, 3, 14))
    overdue = make_round(closes_on=date.today() - timedelta(days=2))
    db.session.commit()
    signed_in(client, "viewer")
    closed_page = client.get(f"/admin/rounds/{closed.id}/dashboard").get_data(True)
    overdue_page = client.get(f"/admin/rounds/{overdue.id}/dashboard").get_data(True)
    assert "<strong>Closed</strong> on 14 March 2008." in closed_page
    assert "has passed, but the round is still open" in overdue_page
    assert "This round has no surveys yet." in closed_page
