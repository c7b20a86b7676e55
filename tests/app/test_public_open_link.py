"""Open links (/s/<slug>): anonymous responses with spam protection and save-and-return."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from surveys.db import db
from surveys.definitions import load_template
from surveys.models import Response
from tests.app.public_helpers import CSRF
from tests.factories import make_round, make_survey

STARTED = re.compile(r'name="started" value="([^"]+)"')


@pytest.fixture
def survey(app):
    app.config["OPEN_LINK_MIN_SECONDS"] = 0
    survey = make_survey(
        load_template("partner-consultation").to_dict(),
        round=make_round(),
        slug="phase-3-partners",
        open_link=True,
        title="Partner consultation",
    )
    db.session.commit()
    return survey


def _start_form(client, slug="phase-3-partners") -> dict[str, str]:
    html = client.get(f"/s/{slug}").get_data(as_text=True)
    return {
        "csrf_token": CSRF.search(html).group(1),
        "started": STARTED.search(html).group(1),
        "website": "",
    }


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Response))


def _answer_all(client):
    form = _start_form(client)
    token = form["csrf_token"]
    pages = [
        ("role", {"partner_role": "cvs"}),
        (
            "consultation",
            {
                "rating_consulted": "4",
                "rating_lead_agency_info": "2",
                "rating_vcs_involvement": "na",
            },
        ),
        ("went_well", {"went_well": "Boundaries were agreed with us early."}),
        ("improve", {"improve": ""}),
        ("support", {"lead_agency_support": "A network for new managers."}),
    ]
    for page_id, data in pages:
        reply = client.post(f"/s/phase-3-partners/{page_id}", data={"csrf_token": token, **data})
        assert reply.status_code == 303, page_id
    return token


def test_open_link_journey_stores_an_anonymous_response(client, survey):
    start = client.post("/s/phase-3-partners", data=_start_form(client))
    assert start.headers["Location"] == "/s/phase-3-partners/role"
    token = _answer_all(client)

    sent = client.post("/s/phase-3-partners/check", data={"csrf_token": token})
    again = client.post("/s/phase-3-partners/check", data={"csrf_token": token})
    confirmation = client.get("/s/phase-3-partners/confirmation").get_data(as_text=True)

    assert sent.headers["Location"] == "/s/phase-3-partners/confirmation"
    assert again.status_code == 303
    response = db.session.scalars(select(Response)).one()
    assert response.invitation is None
    assert response.status == "submitted"
    assert response.reference in confirmation


def test_the_session_remembers_the_draft(client, survey):
    client.post("/s/phase-3-partners", data=_start_form(client))
    form = _start_form(client)
    client.post(
        "/s/phase-3-partners/role",
        data={"csrf_token": form["csrf_token"], "partner_role": "health"},
    )

    page = client.get("/s/phase-3-partners").get_data(as_text=True)
    resumed = client.post("/s/phase-3-partners", data=_start_form(client))

    assert "Continue where you left off" in page
    assert resumed.headers["Location"] == "/s/phase-3-partners/consultation"
    assert _count() == 1


def test_honeypot_refuses_robots(client, survey):
    form = _start_form(client) | {"website": "http://spam.example"}

    assert client.post("/s/phase-3-partners", data=form).status_code == 400
    assert _count() == 0


def _continue_form(page: str, form: dict[str, str]) -> dict[str, str]:
    assert "Continue to the questions" in page and "Nothing has gone wrong" in page
    assert 'name="website"' in page  # the honeypot stays on the page
    return form | {"started": STARTED.search(page).group(1)}


def test_a_forged_or_missing_stamp_gets_a_continue_page_with_a_fresh_one(app, client, survey):
    form = _start_form(client)

    forged = client.post("/s/phase-3-partners", data=form | {"started": "forged"})
    missing = client.post("/s/phase-3-partners", data=form | {"started": ""})

    assert (forged.status_code, missing.status_code) == (200, 200)
    assert _count() == 0
    fresh = _continue_form(forged.get_data(as_text=True), form)
    assert fresh["started"] not in ("forged", form["started"])
    assert client.post("/s/phase-3-partners", data=fresh).status_code == 303
    assert _count() == 1


def test_a_fast_human_is_asked_to_continue_and_then_gets_through(app, client, survey):
    app.config["OPEN_LINK_MIN_SECONDS"] = 60
    form = _start_form(client)

    too_quick = client.post("/s/phase-3-partners", data=form)
    again = _continue_form(too_quick.get_data(as_text=True), form)
    assert too_quick.status_code == 200 and _count() == 0
    assert again["started"] == form["started"]  # the clock runs from the start page
    app.config["OPEN_LINK_MIN_SECONDS"] = 0  # as if the seconds had passed
    through = client.post("/s/phase-3-partners", data=again)

    assert through.headers["Location"] == "/s/phase-3-partners/role"
    assert _count() == 1


def test_a_start_stamp_cannot_be_replayed(app, survey):
    from app.public.access import OPEN_STAMP_USES

    first = app.test_client()
    form = _start_form(first)
    for _ in range(OPEN_STAMP_USES):
        replay = app.test_client()
        replay.get("/s/phase-3-partners")  # a session and a CSRF token of its own
        fresh = _start_form(replay) | {"started": form["started"]}
        assert replay.post("/s/phase-3-partners", data=fresh).status_code == 303
    replay = app.test_client()
    fresh = _start_form(replay) | {"started": form["started"]}
    used_up = replay.post("/s/phase-3-partners", data=fresh)
    assert _continue_form(used_up.get_data(as_text=True), fresh)["started"] != form["started"]
    assert _count() == OPEN_STAMP_USES


def test_new_responses_are_throttled_per_address(app, client, survey):
    for _ in range(30):
        fresh = app.test_client()
        assert fresh.post("/s/phase-3-partners", data=_start_form(fresh)).status_code == 303
    last = app.test_client()

    assert last.post("/s/phase-3-partners", data=_start_form(last)).status_code == 429
    assert _count() == 30


def test_surveys_without_an_open_link_are_not_found(client, survey):
    survey.open_link = False
    db.session.commit()
    assert client.get("/s/phase-3-partners").status_code == 404
    assert client.get("/s/no-such-survey").status_code == 404


def test_journey_pages_without_a_draft_go_to_the_start(client, survey):
    reply = client.get("/s/phase-3-partners/role")
    assert reply.status_code == 303
    assert reply.headers["Location"] == "/s/phase-3-partners"
