"""Non-answers are recognised whole, and answers with content of their own are not."""

import pytest

from analysis.nonanswers import is_non_answer, non_answer_line


@pytest.mark.parametrize(
    "text",
    [
        "Nothing",
        "Nothing.",
        "N/A",
        "n/a",
        "No comment",
        "See above",
        "Can't think of anything",
        "Can\u2019t think of anything.",
        "Nothing all good",
        "No further comments",
        "Nothing else.",
        "Nothing in particular",
        "For me nothing.",
        "In the circumstances I cannot think of any improvements",
        "None, thank you",
        "  ",
        "-",
        "No, not really.",
    ],
)
def test_says_nothing(text: str) -> None:
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "Nothing was too much trouble",
        "No, the six-week window was far too short",
        "More time to complete the EOI form",
        "All good",
        "The team was brilliant",
        "Nothing about the lead agency role was explained",
        "Papers arrived two days before the panel",
        "No one told us the outcome for weeks",
    ],
)
def test_has_content(text: str) -> None:
    assert not is_non_answer(text)


def test_long_answers_are_never_non_answers() -> None:
    assert not is_non_answer("nothing " * 20)


def test_line_names_the_side() -> None:
    assert non_answer_line("improve", 12) == "12 said nothing needed improving."
    assert non_answer_line("went_well", 1) == "1 had nothing to add."
