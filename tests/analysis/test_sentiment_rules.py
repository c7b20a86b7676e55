"""The sentiment rules (the reasons and suggestion flag behind every tag), on their own."""

from __future__ import annotations

import pytest

from analysis.sentiment_rules import TAGGER_VERSION, Tag, tag, tag_many


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("The forms were not confusing at all.", "positive"),
        ("The guidance was confusing.", "negative"),
        ("The guidance was not helpful.", "negative"),
        ("The application window was too short.", "negative"),
        ("Six weeks was not long enough to write a partnership bid.", "negative"),
        ("Not enough information about the lead agency role.", "negative"),
        ("Good process overall, but the deadline was rushed.", "negative"),
        ("Although the deadline was tight, the officers were brilliant.", "positive"),
        ("Nobody rang us back.", "negative"),
        ("No problems at all with the online submission.", "positive"),
        ("We are a registered charity with four staff.", "neutral"),
    ],
)
def test_context_rules_decide_the_label(text: str, label: str) -> None:
    assert tag(text).label == label


def test_negation_flips_polarity_sign() -> None:
    assert tag("The form was confusing.").polarity < 0 < tag("The form was not confusing.").polarity


def test_contrast_weights_the_clause_after_but() -> None:
    before = tag("The deadline was rushed, but the officers were brilliant.")
    after = tag("The officers were brilliant, but the deadline was rushed.")
    assert before.label == "positive"
    assert after.label == "negative"


def test_pure_suggestion_is_neutral_and_flagged() -> None:
    result = tag("A longer timeframe would help.")
    assert result.suggestion
    assert result.label == "neutral"


def test_praise_inside_a_suggestion_is_not_praise() -> None:
    assert tag("It would be good if the CVS had a seat on the scoring panel.").label == "neutral"


def test_complaint_with_suggestion_keeps_both() -> None:
    result = tag("The portal kept crashing. It should be tested before launch.")
    assert result.label == "negative"
    assert result.suggestion


def test_plain_praise_is_not_a_suggestion() -> None:
    assert not tag("Officers were helpful whenever we rang.").suggestion


def test_reasons_name_the_deciding_words_and_rules() -> None:
    result = tag("The window was far too short, but please keep the briefings.")
    joined = " ".join(result.reasons)
    assert "too short" in joined
    assert "suggestion cue" in joined
    assert "contrast 'but'" in joined
    assert result.reasons[-1].endswith(result.label)


def test_kind_is_only_a_hint() -> None:
    assert tag("The briefing sessions.", "went_well").label == "positive"
    assert tag("The briefing sessions.", "improve").label == "negative"
    assert tag("The briefing sessions.").label == "neutral"
    assert tag("The deadline was far too short.", "went_well").label == "negative"


def test_tag_is_deterministic_and_frozen() -> None:
    first = tag("Clear guidance but the form was too long.")
    assert first == tag("Clear guidance but the form was too long.")
    assert isinstance(first, Tag)
    with pytest.raises(AttributeError):
        first.label = "positive"  # type: ignore[misc]


def test_tag_many_matches_tag() -> None:
    items = [("Great support.", None), ("Too short.", "improve"), ("Great support.", None)]
    assert tag_many(items) == [tag(t, k) for t, k in items]


def test_polarity_and_subjectivity_ranges() -> None:
    for text in ("Absolutely brilliant!!", "Utterly awful, a shambles.", "", "n/a"):
        result = tag(text)
        assert -1.0 <= result.polarity <= 1.0
        assert 0.0 <= result.subjectivity <= 1.0


def test_version_is_set() -> None:
    assert TAGGER_VERSION


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("It was fine.", "neutral"),
        ("Adequate.", "neutral"),
        ("Not bad.", "positive"),
        ("Nothing to add.", "neutral"),
        ("Nothing to complain about.", "positive"),
        ("I wish the deadline had been later.", "negative"),
        ("It would have been helpful if the pack had a checklist.", "negative"),
        ("We had to chase the officers.", "negative"),
        ("I do not think the panel was fair.", "negative"),
        ("We got no reminders and nearly missed the deadline.", "negative"),
        ("Nowhere near enough time.", "negative"),
        ("Hardly anyone came.", "negative"),
        ("Would not apply again.", "negative"),
        ("We will definitely be back!", "positive"),
        ("We received 54 applications for 32 communities.", "neutral"),
    ],
)
def test_general_rules_decide_the_label(text: str, label: str) -> None:
    assert tag(text).label == label


def test_vader_lexicon_covers_words_textblob_lacks() -> None:
    result = tag("The whole thing was a fiasco that hurt our staff.")
    assert result.label == "negative"
    assert any("(VADER)" in r for r in result.reasons)


def test_topic_nouns_rated_by_vader_stay_neutral() -> None:
    assert tag("We are a charity offering support to parents.").label == "neutral"


def test_typos_and_inflections_are_read_with_a_reason() -> None:
    result = tag("Very dissapointed.")
    assert result.label == "negative"
    assert any("read as 'disappointed'" in r for r in result.reasons)
    assert tag("Not the most user-friendly form.").label == "negative"


def test_capitals_and_exclamation_strengthen() -> None:
    plain = tag("The guidance was good.").polarity
    assert tag("The guidance was GOOD.").polarity > plain
    assert tag("The guidance was good!").polarity > plain
    assert tag("THE GUIDANCE WAS GOOD.").polarity == plain


def test_a_verbless_comparative_asks_for_something() -> None:
    result = tag("Better communication about where the process had got to…")
    assert result.suggestion
    assert result.label == "neutral"
    assert tag("Better than last time.").label == "positive"


def test_never_in_a_relative_clause_describes_rather_than_complains() -> None:
    described = tag("The postcards reached groups that never normally hear about contracts.")
    assert described.label == "neutral"
    assert tag("They never rang us back.").label == "negative"
    assert tag("Staff who were never rude.").label == "positive"


def test_a_bare_contraction_is_read_as_not() -> None:
    # "could~~n’t~~" once left an empty token that crashed the sentence splitter.
    from analysis.sentiment_cues import tokenise

    assert "" not in tokenise("I just, could~~n’t~~ see it.")
    assert tag("I just, could~~n’t~~ see it.").label in ("negative", "neutral", "positive")


def test_pattern_lexicon_is_textblobs_read_without_importing_it() -> None:
    """The rules read TextBlob's data files directly and score words exactly as it does."""
    import subprocess
    import sys

    from textblob.en import sentiment as pattern

    from analysis.sentiment_lexicon import pattern_lexicon

    if not dict.__len__(pattern):
        pattern.load()
    theirs = {w: tuple(senses[None][:2]) for w, senses in dict.items(pattern)}
    ours = pattern_lexicon()
    assert ours.keys() == theirs.keys()
    assert all(ours[w] == pytest.approx(theirs[w]) for w in ours)
    code = (
        "import sys; from analysis.sentiment_rules import tag; tag('Not great, rather slow.');"
        "assert 'textblob' not in sys.modules and 'nltk' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
