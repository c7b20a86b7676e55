"""The learned sentiment tagger: labels, reasons from the rules, non-answers, adaptation."""

from __future__ import annotations

import re

import numpy as np
import pytest

from analysis import e5, minilm, sentiment_model, sentiment_rules
from analysis.sentiment import TAGGER_VERSION, UNSURE, Adaptation, Tag, tag, tag_many


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("The officers were brilliant and the guidance was clear.", "positive"),
        ("The portal kept crashing and nobody answered the phone. Awful.", "negative"),
        ("The application window was far too short.", "negative"),
    ],
)
def test_clear_answers_get_the_obvious_label(text: str, label: str) -> None:
    assert tag(text).label == label


def test_negation_raises_polarity() -> None:
    # The classifier still reads "not confusing" as faintly negative; the rules' reason
    # says "not ... 'confusing'" and the score moves the right way.
    negated = tag("The forms were not confusing at all.")
    assert negated.polarity > tag("The forms were confusing.").polarity
    assert any("not ... 'confusing'" in r for r in negated.reasons)


def test_demo_mistakes_come_out_right() -> None:
    postcards = "The postcards reached groups that never normally hear about council contracts."
    assert tag(postcards, "went_well").label == "positive"
    assert not any("something missing" in r for r in tag(postcards).reasons)
    better = "Better communication about where the process had got to would have helped."
    assert tag(better, "improve").label != "positive"
    assert tag("Better communication about where the process had got to…").label != "positive"


@pytest.mark.parametrize(
    "text",
    [
        "Nothing.",
        "Nothing all good",
        "In the circumstances I cannot think of any improvements",
        "N/A",
        "No comment",
    ],
)
@pytest.mark.parametrize("kind", ["improve", "went_well", None])
def test_non_answers_are_never_negative(text: str, kind: str | None) -> None:
    result = tag(text, kind)
    assert result.label == "neutral"
    assert any("non-answer" in r for r in result.reasons)


def test_a_suggestion_is_flagged_and_not_praise() -> None:
    result = tag("It would be good if the CVS had a seat on the scoring panel.")
    assert result.suggestion
    assert result.label != "positive"


def test_reasons_keep_the_rules_and_show_the_classifier() -> None:
    result = tag("The window was far too short, but please keep the briefings.")
    joined = " ".join(result.reasons)
    assert "too short" in joined
    assert "suggestion cue" in joined
    assert re.search(r"(classifier|average with the whole sentence read \(.+\)): negative", joined)
    assert result.reasons[-1] == f"-> {result.label}"


def test_e5_and_minilm_are_read_only_where_the_words_alone_are_unsure() -> None:
    sure = tag("Utterly awful, a shambles.")
    assert not any("e5" in reason or "MiniLM" in reason for reason in sure.reasons)
    unsure = tag("Deadline too short for small charities.")
    words = next(r for r in unsure.reasons if r.startswith("classifier, words alone"))
    assert words.endswith("(unsure)") and max(map(float, re.findall(r"\d\.\d\d", words))) < UNSURE
    averaged = "weighted average with the whole sentence read (e5, MiniLM): negative"
    assert any(r.startswith(averaged) for r in unsure.reasons)
    assert unsure.label == "negative"


def test_where_unsure_the_three_readings_are_weighted_by_how_sure_each_is() -> None:
    text = "Deadline too short for small charities."
    rows = sentiment_model.feature_rows([text], [sentiment_rules.read(text, None)])
    words = sentiment_model.probabilities([text], rows)[0]
    assert words.max() < UNSURE
    with_e5 = sentiment_model.probabilities([text], rows, e5.embed([text]))[0]
    read = minilm.probabilities([text])[0]
    weights = [words.max(), with_e5.max(), read.max()]
    combined = (weights[0] * words + weights[1] * with_e5 + weights[2] * read) / sum(weights)
    labels = sentiment_model.LABELS
    polarity = combined[labels.index("positive")] - combined[labels.index("negative")]
    assert tag(text).polarity == pytest.approx(polarity, abs=1e-4)
    plain_mean = (words + with_e5 + read) / 3
    assert abs(combined - plain_mean).max() > 1e-3  # the weights make a difference here


def test_a_sure_reader_outweighs_an_unsure_one() -> None:
    from analysis.sentiment import weigh_readings

    sure = np.array([[0.9, 0.05, 0.05]])
    unsure = np.array([[0.2, 0.4, 0.4]])
    combined = weigh_readings([sure, unsure])[0]
    assert combined.sum() == pytest.approx(1.0)
    assert combined[0] == pytest.approx((0.9 * 0.9 + 0.4 * 0.2) / 1.3)
    assert combined[0] > ((sure + unsure) / 2)[0, 0]


def test_polarity_follows_the_label() -> None:
    assert tag("Utterly awful, a shambles.").polarity < 0 < tag("Absolutely brilliant!").polarity
    for text in ("", "n/a", "Fine."):
        assert -1.0 <= tag(text).polarity <= 1.0


def test_kind_decides_only_when_nothing_else_does() -> None:
    assert tag("The briefing sessions.", "went_well").label == "positive"
    assert tag("The briefing sessions.", "improve").label == "negative"
    assert tag("The deadline was far too short.", "went_well").label == "negative"


def test_reasons_never_give_the_rules_a_verdict_they_took_from_the_question_kind() -> None:
    """Officers read the reasons: "score +0.00 -> negative" for "Nothing." would mislead."""
    nothing = tag("Nothing.", "improve")
    assert "rules: score +0.00, no evaluative words" in nothing.reasons
    assert not any(r.endswith("-> negative") for r in nothing.reasons)
    briefing = tag("The briefing sessions.", "went_well")
    assert briefing.reasons[0] == "rules: score +0.00, no evaluative words"
    assert "no evaluative words; question kind 'went_well' decides" in briefing.reasons
    assert "rules: score -0.45 -> negative" in tag("Six weeks was too short", "improve").reasons


@pytest.mark.parametrize(
    "text",
    [
        "The officer support was second to none.",
        "Information sharing was much improved; the process and timescales were set out at the "
        "start and stuck to.",
        "The guidance on the form answered most of our questions before we had to ask them.",
    ],
)
def test_praise_answering_went_well_is_not_read_as_a_complaint(text: str) -> None:
    assert tag(text).label == "negative"  # unsure readers, left alone, call it a complaint
    answered = tag(text, "went_well")
    assert answered.label == "positive"
    assert any("question kind 'went_well': negative needs P >= 0.75" in r for r in answered.reasons)


def test_a_plain_complaint_answering_went_well_stays_negative() -> None:
    text = "Nothing went well: the deadline was far too short and the portal crashed."
    assert tag(text, "went_well").label == "negative"


def test_a_suggestion_answering_improve_is_never_praise() -> None:
    text = "Small charities need help once they win. Please build a support network for them."
    assert tag(text).label == "positive"  # "win" is praise to the rules
    answered = tag(text, "improve")
    assert answered.label == "neutral"
    assert "a suggestion answering 'improve' is not praise -> neutral" in answered.reasons


def test_tag_many_matches_tag_and_is_deterministic() -> None:
    items = [("Great support.", None), ("Too short.", "improve"), ("Great support.", None)]
    many = tag_many(items, batch=2)
    assert many == [tag(t, k) for t, k in items]
    assert many == tag_many(items)
    assert isinstance(many[0], Tag)
    assert tag_many([]) == []


def test_an_officers_correction_adapts_answers_that_mean_the_same() -> None:
    text = "The panel asked about our safeguarding policy."
    before = tag(text)
    flipped = "negative" if before.label != "negative" else "positive"
    adaptation = Adaptation.build([(text, flipped)])
    assert tag(text, adaptation=adaptation).label == flipped
    assert tag(text.upper(), adaptation=adaptation).label == flipped
    assert any("an officer labelled" in r for r in tag(text, adaptation=adaptation).reasons)
    unrelated = "The officers were brilliant and the guidance was clear."
    assert tag(unrelated, adaptation=adaptation) == tag(unrelated)


def test_adaptation_version_changes_with_the_corrections() -> None:
    empty = Adaptation.build([])
    one = Adaptation.build([("Too slow.", "negative")])
    same = Adaptation.build([("Too slow.", "negative"), ("Too slow.", "negative")])
    other = Adaptation.build([("Too slow.", "neutral")])
    assert empty.version() == TAGGER_VERSION
    assert one.version() == same.version() != other.version()
    assert one.version().startswith(TAGGER_VERSION)
    assert len(one.version()) <= 32


def test_weights_for_other_features_are_refused(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(sentiment_model, "MODEL_DIR", tmp_path)
    sentiment_model.weights.cache_clear()
    try:
        with pytest.raises(sentiment_model.SentimentModelError, match="missing"):
            sentiment_model.weights()
    finally:
        monkeypatch.undo()
        sentiment_model.weights.cache_clear()


def test_shipped_weights_record_the_data_and_features_they_were_trained_on() -> None:
    """A small reproducibility check: the committed weights match the vendored data and code."""
    import json
    import runpy

    manifest = json.loads((sentiment_model.MODEL_DIR / "manifest.json").read_text())
    trainer = runpy.run_path(
        str(sentiment_model.MODEL_DIR.parent / "train_sentiment.py"), run_name="trainer"
    )
    assert manifest["training_files_sha256"] == trainer["training_files_sha256"]()
    assert tuple(sentiment_model.weights()["feature_names"]) == sentiment_model.features.NAMES
    assert set(manifest["cross_validated_macro_f1"]["words alone"]) >= {"tweets", "movies"}
    assert manifest["e5"]["weights"] == sentiment_model.E5_WEIGHTS
    e5_weights = sentiment_model.weights(sentiment_model.E5_WEIGHTS)
    assert e5_weights["w_e5"].shape == (e5.DIMENSIONS, len(sentiment_model.LABELS))


def test_the_trainer_explains_its_options_without_touching_the_weights(capsys) -> None:
    """--help must not start a run that overwrites the committed weights."""
    import runpy

    trainer = sentiment_model.MODEL_DIR.parent / "train_sentiment.py"
    before = {p.name: p.read_bytes() for p in sentiment_model.MODEL_DIR.iterdir()}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.argv", [str(trainer), "--help"])
        with pytest.raises(SystemExit) as stopped:
            runpy.run_path(str(trainer), run_name="__main__")
    assert stopped.value.code == 0
    assert "--combinations" in capsys.readouterr().out
    assert {p.name: p.read_bytes() for p in sentiment_model.MODEL_DIR.iterdir()} == before


@pytest.mark.parametrize("text", ["Don't change a thing", "Keep up the good work", "Very good."])
def test_praise_naming_nothing_to_change_is_a_neutral_non_answer_to_an_improve_question(
    text: str,
) -> None:
    tagged = tag(text, "improve")
    assert tagged.label == "neutral"
    assert "says nothing (a non-answer) -> neutral" in tagged.reasons
    assert tag(text, "went_well").label != "negative"


def test_news_test_sentences_take_their_targets_shared_rating(tmp_path) -> None:
    """NewsMTSC rates each person a sentence names; only sentences whose ratings agree count."""
    import json

    from analysis.models import sentiment_data

    def line(sentence: str, *polarities: float) -> str:
        targets = [{"mention": f"person {i}", "polarity": p} for i, p in enumerate(polarities)]
        return json.dumps({"sentence_normalized": sentence, "targets": targets})

    path = tmp_path / "news.jsonl"
    path.write_text(
        "\n".join(
            [
                line("The mayor praised the volunteers.", 6.0, 6.0),
                line("The senator attacked the governor.", 2.0, 6.0),
                line("The minister spoke on Tuesday.", 4.0),
                line("The minister spoke on Tuesday.", 2.0),
                line("Critics called the plan a disaster.", 2.0),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    found = {e.text: e.label for e in sentiment_data.newsmtsc(path)}
    assert found == {
        "The mayor praised the volunteers.": "positive",
        "Critics called the plan a disaster.": "negative",
    }


def test_the_news_test_set_is_never_trained_on() -> None:
    from analysis.models import sentiment_data

    news = {e.text for e in sentiment_data.newsmtsc()}
    every_set = {**sentiment_data.training_sets(), **sentiment_data.e5_only_sets()}
    trained = {e.text for rows in every_set.values() for e in rows}
    assert len(news) > 1000
    assert not news & trained


def test_news_training_sentences_reach_the_e5_weights_only() -> None:
    """In the words-alone weights news sentences cost the project's own sets (2026.12-12)."""
    import json

    from analysis.models import sentiment_data

    [news] = sentiment_data.e5_only_sets().values()
    assert len(news) > 7000
    assert {e.source for e in news} == {"news"}
    assert {e.label for e in news} == set(sentiment_model.LABELS)
    sources = {e.source for rows in sentiment_data.training_sets().values() for e in rows}
    assert "news" not in sources
    manifest = json.loads((sentiment_model.MODEL_DIR / "manifest.json").read_text())
    assert manifest["e5"]["extra_training_sets"] == {"NewsMTSC train": len(news)}
    assert "newsmtsc_train.jsonl" in manifest["training_files_sha256"]
