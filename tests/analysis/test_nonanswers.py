"""Non-answers are recognised whole, and answers with content of their own are not."""

import re

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
        # Shapes of "nothing to improve" written for these tests.
        "There was nothing that could have been done better.",
        "There is nothing I would change.",
        "Nothing, perfect.",
        "Nothing - it was all perfect, thank you.",
        "Nothing really needs improving",
        "nothing to improve",
        "Nothing needed to be improved",
        "Honestly nothing, everything was great.",
        "I can't think of anything that could be improved.",
        "Cannot think of any improvements, thanks",
        "couldn't think of anything else to add",
        "Not that I can think of",
        "Nothing I can think of right now",
        "Nothing springs to mind",
        "Nothing else to add. Keep up the good work!",
        "No improvements needed",
        "No complaints at all",
        "I have no complaints",
        "As above",
        "Please see my previous answer",
        "Same as above.",
        "Ditto",
        "N/A thanks",
        "Not applicable",
        "Nothing you could have done better",
        "Nothing they could do better",
        "It couldn't have been better",
        "Can't fault it",
        "I don't think so",
        "There wasn't anything I would change",
    ],
)
def test_says_nothing(text: str) -> None:
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "Nothing was too much trouble",
        "Nothing was too much trouble for the staff",
        "Nothing happened after the deadline",
        "We heard nothing for two months after the deadline",
        "No, the six-week window was far too short",
        "More time to complete the EOI form",
        "All good",
        "Perfect",
        "Everything was great",
        "The team was brilliant",
        "Nothing about the lead agency role was explained",
        "Papers arrived two days before the panel",
        "No one told us the outcome for weeks",
        "Nothing, apart from the parking",
        "Nothing except the food could be better",
        "No, the food was cold",
        "There was nothing to eat after 6pm",
        "Nothing could have been done better by the nurses, they were wonderful",
        "I can't think of anything worse than the waiting room chairs",
        "No one answered the phone",
        "None of the staff introduced themselves",
        "See a doctor sooner",
        "No good",  # a verdict, not "no" and "good"
        "Nothing good",
        "No good, thanks",
    ],
)
def test_has_content(text: str) -> None:
    assert not is_non_answer(text)


@pytest.mark.parametrize("text", ["No, very good", "Nothing, all good", "None, good"])
def test_a_comma_keeps_nothing_and_praise_apart(text: str) -> None:
    assert is_non_answer(text)


def test_nothing_all_right_is_nothing_and_filler_like_nothing_all_good() -> None:
    assert is_non_answer("Nothing all right", "improve")
    assert is_non_answer("Nothing all good", "improve")


def test_long_answers_are_never_non_answers() -> None:
    assert not is_non_answer("nothing " * 30)


def test_line_names_the_side() -> None:
    assert non_answer_line("improve", 12) == "12 said nothing needed improving."
    assert non_answer_line("went_well", 1) == "1 had nothing to add."


# Praise that names nothing to change, written for these tests.
PRAISE_ONLY = [
    "Everything was good",
    "Very good.",
    "Good",
    "Couldn't have been any better",
    "It was all fine thanks",
    "Keep up the good work",
    "Excellent service, thank you",
    "It all went very well",
    "The whole experience was excellent",
    "Could not have asked for more",
    "I was very happy with the service",
    "Great job, well done!",
    "Don't change a thing",
]


@pytest.mark.parametrize("text", PRAISE_ONLY)
def test_praise_only_says_nothing_needed_improving(text: str) -> None:
    assert is_non_answer(text, "improve")


@pytest.mark.parametrize("text", [t for t in PRAISE_ONLY if "better" not in t])
def test_praise_only_is_an_answer_to_what_went_well(text: str) -> None:
    assert not is_non_answer(text, "went_well")
    assert not is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "Couldn't be better, but the car park needs more spaces",
        "Nothing was too much trouble",
        "Everything was good apart from the parking",
        "Very good but the wait was long",
        "The staff were lovely",
        "It could be better",
        "Not good",
        "Good but slow",
        # A nothing-word right before any word of praise negates it, as in "No good".
        "Nothing helpful",
        "No professional",
        "Nothing smooth about it",
    ],
)
def test_praise_beside_content_or_of_a_topic_stays_an_answer_to_improve(text: str) -> None:
    assert not is_non_answer(text, "improve")


def test_a_long_run_of_praise_is_judged_without_backtracking() -> None:
    """Each run of words is tried at most once per saying: the pieces overlap ("very good" is
    filler or praise), so a search that backtracked would try exponentially many splits."""
    from analysis import nonanswers

    tried: list[str] = []

    class Counting:
        def __init__(self, pattern: re.Pattern[str]) -> None:
            self.pattern = pattern

        def fullmatch(self, span: str) -> re.Match[str] | None:
            tried.append(span)
            return self.pattern.fullmatch(span)

    words = ["good"] * 19 + ["parking"]
    sayings = (Counting(nonanswers._STATEMENT_RE), Counting(nonanswers._PRAISE_RE))
    assert not nonanswers._says_only(words, sayings)
    assert not is_non_answer(" ".join(words), "improve")
    runs = len(words) * (len(words) + 1) // 2
    assert len(tried) <= 2 * runs
