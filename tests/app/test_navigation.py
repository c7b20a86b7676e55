"""Finding the way round the officer pages: `/`, the Summaries item, the rounds list's
dates, counts and links to each round's summary, themes, lessons and dashboard."""

from __future__ import annotations

import re
from datetime import date

from surveys.db import db
from tests.app.test_admin_workspace import signed_in
from tests.factories import make_invitation, make_response, make_round, make_survey


def test_the_home_page_sends_visitors_to_sign_in_and_officers_to_the_rounds(client):
    anonymous = client.get("/")
    signed_in(client, "viewer")
    officer = client.get("/")

    assert anonymous.status_code == 302 and anonymous.headers["Location"] == "/sign-in"
    assert officer.status_code == 302 and officer.headers["Location"] == "/admin/rounds"


def _navigation(page: str) -> list[tuple[str, str, bool]]:
    items = re.findall(
        r'<li class="govuk-service-navigation__item( govuk-service-navigation__item--active)?">'
        r'\s*<a class="govuk-service-navigation__link" href="([^"]+)"[^>]*>\s*(?:<strong[^>]*>)?'
        r"\s*([^<]+?)\s*<",
        page,
    )
    return [(text, href, bool(active)) for active, href, text in items]


def test_summaries_is_in_the_navigation_and_marked_on_the_report_pages(client, app):
    round_ = make_round(slug="phase-2", name="Phase 2")
    signed_in(client, "viewer")

    rounds_page = client.get("/admin/rounds").get_data(as_text=True)
    summaries = client.get("/admin/reports/").get_data(as_text=True)
    summary = client.get(f"/admin/reports/{round_.slug}").get_data(as_text=True)

    assert [text for text, _, _ in _navigation(rounds_page)][:2] == ["Rounds", "Summaries"]
    assert ("Summaries", "/admin/reports/", True) in _navigation(summaries)
    assert ("Summaries", "/admin/reports/", True) in _navigation(summary)
    assert ("Rounds", "/admin/rounds", False) in _navigation(summary)


def test_the_rounds_list_has_long_dates_counts_and_each_rounds_links(client, app):
    round_ = make_round(
        slug="phase-2", name="Phase 2", opens_on=date(2027, 1, 5), closes_on=date(2027, 2, 26)
    )
    survey = make_survey(round=round_)
    invitations = [make_invitation(survey=survey, status="sent") for _ in range(4)]
    make_invitation(survey=survey, status="revoked")
    for invitation in invitations[:3]:
        make_response(invitation=invitation, status="submitted")
    make_response(survey=survey, status="submitted", channel="telephone")  # no invitation
    make_response(invitation=invitations[3], status="draft")
    empty = make_round(slug="phase-3", name="Phase 3", opens_on=None, closes_on=None)
    db.session.commit()
    signed_in(client, "viewer")

    page = client.get("/admin/rounds").get_data(as_text=True)

    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Phase 2(?:(?!</tr>).)*</tr>", page, re.S).group(0)
    cells = [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]
    # 4 invited (the revoked one is not), 4 submitted (one by telephone without an invitation)
    assert cells[1:6] == ["5 January 2027", "26 February 2027", "1", "4", "4"]
    for path in (
        "/admin/reports/phase-2",
        "/admin/reports/phase-2/themes",
        "/admin/reports/phase-2/lessons",
        f"/admin/rounds/{round_.id}/dashboard",
    ):
        assert f'href="{path}"' in row
        assert client.get(path).status_code == 200
    assert 'Summary<span class="govuk-visually-hidden"> of Phase 2</span>' in row
    assert "2027-01-05" not in page
    empty_row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Phase 3(?:(?!</tr>).)*</tr>", page, re.S)
    assert "Not set" in empty_row.group(0) and f"/admin/reports/{empty.slug}" in empty_row.group(0)


def test_the_round_page_links_to_its_summary_themes_lessons_and_dashboard(client, app):
    round_ = make_round(slug="phase-2", name="Phase 2", opens_on=date(2027, 1, 5))
    db.session.commit()
    signed_in(client, "viewer")

    page = client.get(f"/admin/rounds/{round_.id}").get_data(as_text=True)

    for text, path in (
        ("Summary", "/admin/reports/phase-2"),
        ("Themes", "/admin/reports/phase-2/themes"),
        ("Lessons", "/admin/reports/phase-2/lessons"),
        ("Dashboard", f"/admin/rounds/{round_.id}/dashboard"),
    ):
        assert f'href="{path}">{text}<span class="govuk-visually-hidden"> of Phase 2</span>' in page
    assert "5 January 2027" in page
