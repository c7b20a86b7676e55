"""Issue #6 acceptance, on the demonstration data: summary, refusal and answering."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import select

from analysis.summary_text import change_text
from surveys.demo import OFFICER_SLACK_ID, PARTNER_SLACK_ID, load_demo
from surveys.models import Response
from surveys.services import rounds_admin, summaries


@pytest.fixture
def demo(app):
    load_demo()


def test_summary_from_an_officer_is_quick_and_names_the_top_themes(demo, post, slack):
    started = time.perf_counter()
    response = post.command("summary phase-2", user_id=OFFICER_SLACK_ID, wait=False)
    acknowledged = time.perf_counter() - started
    assert response.status_code == 200
    assert acknowledged < 3.0
    post.wait()

    [answer] = slack.calls_to("/respond/commands")
    text = answer.text()
    summary = summaries.round_summary(rounds_admin.round_by_slug("phase-2"))
    assert summary.went_well and summary.improve
    for theme in (*summary.went_well[:3], *summary.improve[:3]):
        assert theme.label in text
    assert "http://localhost/admin/reports/phase-2" in text
    assert answer.body["response_type"] == "ephemeral"


def test_summary_from_an_unknown_user_is_refused(demo, post, slack):
    post.command("summary phase-2", user_id="U0SOMEONEELSE")
    [answer] = slack.calls_to("/respond/commands")
    assert "only for council officers" in answer.text()


def test_give_phase_3_for_the_invited_partner_stores_exactly_one_response(demo, post, slack):
    before = len(post_responses())
    post.command("give phase-3", user_id=PARTNER_SLACK_ID)
    view = slack.wait_for("views.open")[-1].body["view"]
    for _ in range(20):
        if view["callback_id"] == "answer_check":
            break
        values = {}
        for block in view["blocks"]:
            if block["type"] != "input" or block["block_id"].endswith("-other"):
                continue
            element = block["element"]
            if "options" in element:
                choice = element["options"][0]
                values[block["block_id"]] = {"value": {"selected_option": choice}}
            else:
                values[block["block_id"]] = {"value": {"value": "Clear and timely briefings"}}
        answer = post.view_submission(view, values, user_id=PARTNER_SLACK_ID).get_json()
        assert answer["response_action"] == "update", answer
        view = answer["view"]
    answer = post.view_submission(view, {}, user_id=PARTNER_SLACK_ID).get_json()
    assert "Thank you" in json.dumps(answer)
    # A second, retried submission has no second effect.
    again = post.view_submission(view, {}, user_id=PARTNER_SLACK_ID).get_json()
    assert "already submitted" in json.dumps(again)

    after = post_responses()
    assert len(after) == before + 1
    new = [r for r in after if r.channel == "slack"]
    assert len(new) == 1 and new[0].status == "submitted"


def post_responses() -> list[Response]:
    from surveys.db import db

    return list(db.session.scalars(select(Response)))


def test_help_lists_every_subcommand(demo, post, slack):
    post.command("help", user_id=OFFICER_SLACK_ID)
    [answer] = slack.calls_to("/respond/commands")
    usages = [
        "rounds",
        "summary ROUND",
        "well ROUND",
        "improve ROUND",
        "search WORDS",
        "compare ROUND_A ROUND_B",
        "rate ROUND",
        "actions ROUND",
        "give ROUND",
    ]
    for usage in usages:
        assert usage in answer.text()


@pytest.mark.parametrize(("subcommand", "side"), [("well", "went_well"), ("improve", "improve")])
def test_well_and_improve_list_every_theme_of_their_side(demo, post, slack, subcommand, side):
    post.command(f"{subcommand} phase-2", user_id=OFFICER_SLACK_ID)
    [answer] = slack.calls_to("/respond/commands")
    summary = summaries.round_summary(rounds_admin.round_by_slug("phase-2"))
    other_side = summary.improve if side == "went_well" else summary.went_well
    text = answer.text()
    for theme in getattr(summary, side):
        assert theme.label in text
    only_on_other_side = {t.label for t in other_side} - {t.label for t in getattr(summary, side)}
    assert not any(label in text for label in only_on_other_side)


def test_compare_groups_theme_changes_by_side_with_ratings_and_response_rate(demo, post, slack):
    post.command("compare phase-2 phase-3", user_id=OFFICER_SLACK_ID)
    [answer] = slack.calls_to("/respond/commands")
    comparison = summaries.compare_rounds(
        rounds_admin.round_by_slug("phase-2"), rounds_admin.round_by_slug("phase-3")
    )
    sections = [b["text"]["text"] for b in answer.blocks() if b["type"] == "section"]
    went_well, to_improve = sections[0], sections[1]
    assert went_well.startswith("*What went well*")
    assert to_improve.startswith("*What could improve*") and "_Resolved_" in to_improve
    assert "_Resolved_" not in went_well
    # Phase 3 is still open in the demo: themes are compared by share, rates not at all.
    assert comparison.open_rounds == ("Phase 3",) and "still open" in answer.text()
    for change in comparison.improve.resolved:
        assert change_text(change, by_share=True) in to_improve
    for change in comparison.went_well.new:
        assert change_text(change, by_share=True) in went_well
    # The response rate so far is set against phase 2's on the same day, not its final rate.
    unfair = comparison.response_rate - comparison.previous_response_rate
    assert f"{unfair * 100:+.0f} percentage points" not in answer.text()
    assert "at the same point" in answer.text()
