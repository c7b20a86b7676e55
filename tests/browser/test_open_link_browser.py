"""A person who clicks *Start now* on an open link straight away, in a real browser: never a
400, but a page that lets them continue (accessible), and then the first question."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from surveys.db import db
from surveys.definitions import load_template
from surveys.models import Response
from tests.browser.conftest import NARROW, assert_accessible
from tests.factories import make_round, make_survey

pytestmark = pytest.mark.browser


def test_a_fast_human_on_an_open_link_is_asked_to_continue_and_gets_through(seed, new_context):
    with seed():  # the live app keeps the real 3-second rule
        survey = make_survey(
            load_template("partner-consultation").to_dict(),
            round=make_round(),
            open_link=True,
            title="Partner consultation",
        )
    page = new_context(viewport=NARROW).new_page()

    page.goto(f"/s/{survey.slug}")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Start now").click()  # well inside 3 seconds
    assert navigation.value.status == 200
    assert page.get_by_role("heading", name="Continue to the questions").is_visible()
    assert_accessible(page)

    page.wait_for_timeout(3_000)  # a person reading the page
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(f"**/s/{survey.slug}/role")
    with seed():
        started = db.session.scalars(select(Response).where(Response.survey_id == survey.id))
        assert len(started.all()) == 1
