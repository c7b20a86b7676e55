"""Questions in plain words on the demo data: `debrief ask` and `/debrief` in Slack agree."""

from __future__ import annotations

import json

import pytest

from surveys.demo import OFFICER_SLACK_ID, load_demo
from tests.bot.test_commands import OFFICER, add_answer, answer_of
from tests.factories import make_officer, make_round, make_survey

QUESTION = "what did voluntary-sector providers say about the timeframe in phase 2?"
# The demo's phase 2 voluntary-sector answers about the time allowed to apply.
TIME_ALLOWED = (
    "Would like a longer window to apply; six weeks clashed with their year end.",
    "More time to complete the application, and more information about the lead agency role",
    "Asked for more time and clearer communication about the stages of the process.",
    "The window was far too short for a partnership bid.",
)
# Phase 2 voluntary-sector answers about something else.
UNRELATED = (
    "As a voluntary organisation we felt the panel was weighted towards schools.",
    "Advertising was excellent",
    "Feedback after the decision was thin.",
    "More information about the lead agency role please",
)


@pytest.fixture
def demo(app):
    load_demo()


def _texts(texts: list[str], wanted: tuple[str, ...]) -> list[str]:
    return [w for w in wanted if any(w in t for t in texts)]


def test_debrief_ask_finds_the_voluntary_sector_answers_about_the_time_allowed(demo, runner):
    result = runner.invoke(args=["ask", QUESTION, "--format", "json", "--limit", "20"])

    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == ["question", "filters", "summary", "themes", "answers"]
    assert data["filters"] == {
        "round": "phase-2",
        "sector": "voluntary",
        "side": None,
        "sentiment": None,
        "topic": "timeframe",
    }
    texts = [a["text"] for a in data["answers"]]
    assert _texts(texts, TIME_ALLOWED) == list(TIME_ALLOWED)
    assert _texts(texts, UNRELATED) == []
    for answer in data["answers"]:
        assert set(answer) == {"id", "text", "sector", "round", "theme", "sentiment"}
        assert (answer["round"], answer["sector"]) == ("phase-2", "Voluntary/Charity")
        assert answer["theme"] and answer["sentiment"] in ("positive", "neutral", "negative")
    assert data["summary"].startswith(f"{len(texts)} answers from ")
    assert sum(t["count"] for t in data["themes"]) == len(texts)

    plain = runner.invoke(args=["ask", QUESTION])
    assert "Filters: round phase-2, sector Voluntary/Charity, about “timeframe”" in plain.output


def test_slack_answers_the_question_however_it_is_typed(demo, post, slack):
    post.command(QUESTION, user_id=OFFICER_SLACK_ID)
    post.command(f"ask {QUESTION}", user_id=OFFICER_SLACK_ID)
    post.command("search timeframe round:phase-2 sector:voluntary", user_id=OFFICER_SLACK_ID)

    bare, asked, searched = (answer_of(slack, n).text() for n in range(3))
    assert "I don't know" not in bare
    for text in (bare, asked, searched):
        assert _texts([text], TIME_ALLOWED) == list(TIME_ALLOWED)
        assert _texts([text], UNRELATED) == []
    assert bare == asked
    assert "Filters: round phase-2, sector Voluntary/Charity" in bare


def test_ask_escapes_answers_and_hides_groups_smaller_than_k(post, slack):
    make_officer(slack_user_id=OFFICER)
    round_ = make_round(slug="phase-2", name="Phase 2")
    make_survey(round=round_)
    for n in range(3):
        add_answer(round_, f"The timeframe was short <!channel> <@U0BOSS> answer {n}")
    add_answer(round_, "Six weeks was not long enough", sector="health")

    post.command("ask what did charities say about the timeframe in phase 2")
    post.command("what did health say about the timeframe in phase 2")

    charities, health = answer_of(slack, 0).text(), answer_of(slack, 1).text()
    assert "&lt;!channel&gt;" in charities and "<!channel>" not in charities
    assert "<@U0BOSS>" not in charities
    assert "Six weeks" not in health and "Fewer than 3" in health
