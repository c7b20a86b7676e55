"""Re-tagging and regrouping a round, keeping every officer edit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from analysis import embeddings, sentiment
from surveys.db import db
from surveys.models import THEME_KINDS, Answer, Theme
from surveys.services import analysis_runs, themes, vectors
from tests.factories import (
    ANALYSIS_DEFINITION,
    make_officer,
    make_round,
    make_submitted_response,
    make_survey,
)

PHASE_2 = [
    ("The EOI was well advertised in the local paper.", "The timeframe was far too short."),
    ("Good publicity, the advert reached everyone.", "Six weeks was not long enough to apply."),
    ("The advert went out widely across the county.", "We needed a longer timeframe for the form."),
    ("Online EOI documents were easy to find.", "More information about the lead agency role."),
    ("The documents online were easily accessible.", "The lead agency role was not explained."),
    ("Guidance on completing the form was clear.", "Explain the lead agency role and its duties."),
]
PHASE_3 = [
    ("The postcards and adverts were well publicised.", "The timeframe was still too short."),
    ("Briefing sessions explained the lead agency role.", "Please put CVS on the scoring panel."),
]


def _survey_with(round_, pairs, sector="voluntary"):
    survey = make_survey(ANALYSIS_DEFINITION, round=round_)
    for went_well, improve in pairs:
        make_submitted_response(
            survey, {"went_well": went_well, "improve": improve, "overall": 4}, sector=sector
        )
    return survey


@pytest.fixture
def phase_2(app):
    round_ = make_round(slug="phase-2", name="Phase 2", status="closed")
    _survey_with(round_, PHASE_2)
    return round_


def _answers(round_):
    return [answer for answer, _ in analysis_runs.free_text_answers(round_)]


def test_analyse_tags_every_free_text_answer_and_files_it_under_a_theme(phase_2):
    result = analysis_runs.analyse_round(phase_2)

    answers = _answers(phase_2)
    assert result.answers == len(answers) == 12  # the rating answers are not free text
    assert result.retagged == 12
    assert all(a.tagger_version == sentiment.TAGGER_VERSION for a in answers)
    assert all(a.theme_id is not None for a in answers)
    kinds = {db.session.get(Theme, a.theme_id).kind for a in answers if a.kind == "improve"}
    assert kinds == {"improve"}
    assert result.new_themes == result.themes >= 2


def test_analyse_is_repeatable_and_only_retags_stale_answers(phase_2):
    analysis_runs.analyse_round(phase_2)
    first = {a.id: (a.theme.key, a.sentiment_label) for a in _answers(phase_2)}
    theme_ids = set(db.session.scalars(select(Theme.id)))

    again = analysis_runs.analyse_round(phase_2)

    assert again.retagged == 0
    assert {a.id: (a.theme.key, a.sentiment_label) for a in _answers(phase_2)} == first
    assert set(db.session.scalars(select(Theme.id))) == theme_ids


def test_reanalysis_never_undoes_an_officer_override(phase_2):
    officer = make_officer()
    analysis_runs.analyse_round(phase_2)
    answer = next(a for a in _answers(phase_2) if a.kind == "improve")
    analysis_runs.override_tag(answer, "positive", officer)
    answer.tagger_version = "old-tagger"
    db.session.flush()

    result = analysis_runs.analyse_round(phase_2)

    # The correction adapts the programme's tagger, so every answer is tagged again with it.
    assert result.retagged == 12 and result.overrides_kept == 1
    assert answer.tagger_version.startswith(f"{sentiment.TAGGER_VERSION}+")
    assert analysis_runs.analyse_round(phase_2).retagged == 0
    assert (answer.override_label, answer.override_by_id) == ("positive", officer.id)
    assert answer.override_at is not None
    assert answer.effective_label == "positive"


def test_override_refuses_an_unknown_label(phase_2):
    from surveys.errors import InvalidInput

    analysis_runs.analyse_round(phase_2)
    with pytest.raises(InvalidInput):
        analysis_runs.override_tag(_answers(phase_2)[0], "furious", make_officer())


def test_reanalysis_respects_renamed_merged_split_and_moved_themes(phase_2):
    officer = make_officer()
    analysis_runs.analyse_round(phase_2)
    improve = [rt.theme for rt in themes.themes_for_round(phase_2) if rt.theme.kind == "improve"]
    went_well = [
        rt.theme for rt in themes.themes_for_round(phase_2) if rt.theme.kind == "went_well"
    ]
    renamed = themes.rename_theme(improve[0], "Time to complete the EOI form", officer)
    moved = next(a for a, _ in themes.theme_answers(improve[-1], phase_2))
    themes.move_answer(moved, renamed, officer, round_=phase_2)
    source, target = went_well[0], went_well[-1]
    merged_answer_ids = {a.id for a, _ in themes.theme_answers(source, phase_2)}
    if source.id != target.id:
        themes.merge_themes(source, target, officer)
    splittable = [a for a, _ in themes.theme_answers(renamed, phase_2) if a.id != moved.id]
    new = themes.split_theme(
        renamed, [splittable[0].id], "Deadline pressure", officer, round_=phase_2
    )

    analysis_runs.analyse_round(phase_2)

    assert db.session.get(Theme, renamed.id).label == "Time to complete the EOI form"
    assert moved.theme_id == renamed.id and moved.theme_pinned
    assert splittable[0].theme_id == new.id and splittable[0].theme_pinned
    assert db.session.get(Theme, new.id).label == "Deadline pressure"
    if source.id != target.id:
        assert source.merged_into_id == target.id
        live_keys = {kt.key for kt in themes.codebook_for(phase_2.programme)}
        assert source.key not in live_keys
        assert not any(db.session.get(Answer, i).theme_id == source.id for i in merged_answer_ids)


def test_the_next_round_joins_the_codebook_before_making_new_themes(phase_2):
    analysis_runs.analyse_round(phase_2)
    codebook_keys = {kt.key for kt in themes.codebook_for(phase_2.programme)}
    phase_3 = make_round(
        slug="phase-3", name="Phase 3", programme=phase_2.programme, previous_round=phase_2
    )
    _survey_with(phase_3, PHASE_3)

    analysis_runs.analyse_round(phase_3)

    keys = {a.theme.key for a in _answers(phase_3)}
    assert keys & codebook_keys, "phase 3 answers should join phase 2 themes"
    timeframe = next(a for a in _answers(phase_3) if "timeframe" in a.value)
    earlier = next(a for a in _answers(phase_2) if "timeframe was far too short" in a.value)
    assert timeframe.theme_id == earlier.theme_id


def _labels_by_side(round_):
    found = themes.themes_for_round(round_)
    return {kind: [rt.theme.label for rt in found if rt.theme.kind == kind] for kind in THEME_KINDS}


def test_rename_and_merge_then_reanalysis_keeps_every_answer_and_no_label_twice(phase_2):
    officer = make_officer()
    analysis_runs.analyse_round(phase_2)
    improve = [rt.theme for rt in themes.themes_for_round(phase_2) if rt.theme.kind == "improve"]
    assert len(improve) >= 2
    renamed = themes.rename_theme(improve[0], "Communication about the process", officer)
    kept = {a.id for a, _ in themes.theme_answers(renamed, phase_2)}
    themes.merge_themes(improve[1], renamed, officer)
    merged = {a.id for a, _ in themes.theme_answers(renamed, phase_2)}

    analysis_runs.analyse_round(phase_2)
    analysis_runs.analyse_round(phase_2)

    after = {a.id for a, _ in themes.theme_answers(renamed, phase_2)}
    assert kept <= merged <= after  # a curated theme never loses an answer
    for labels in _labels_by_side(phase_2).values():
        assert len(labels) == len({label.casefold() for label in labels}), labels


def test_renaming_to_a_codebook_themes_name_is_refused_in_favour_of_merging(phase_2):
    officer = make_officer()
    analysis_runs.analyse_round(phase_2)
    improve = [rt.theme for rt in themes.themes_for_round(phase_2) if rt.theme.kind == "improve"]
    label = improve[1].label
    from surveys.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        themes.rename_theme(improve[0], label.upper(), officer)

    assert "merge into it" in refused.value.errors["label"]
    analysis_runs.analyse_round(phase_2)
    assert _labels_by_side(phase_2)["improve"].count(label) == 1


def test_preview_changes_nothing_and_says_what_would_move(phase_2):
    analysis_runs.analyse_round(phase_2)
    before = {a.id: a.theme_id for a in _answers(phase_2)}
    improve = [rt.theme for rt in themes.themes_for_round(phase_2) if rt.theme.kind == "improve"]
    answer = next(a for a in _answers(phase_2) if a.theme_id == improve[0].id)
    answer.theme_id = None  # as if a new answer had arrived since the last analysis
    db.session.flush()

    preview = analysis_runs.preview_round(phase_2)

    assert preview.answers == 12 and preview.moved >= 1
    assert any(t.after == t.before + 1 for t in preview.changed)
    assert answer.theme_id is None
    assert {a.id: a.theme_id for a in _answers(phase_2) if a.id != answer.id} == {
        k: v for k, v in before.items() if k != answer.id
    }


def test_non_answers_are_left_out_of_themes_and_tagged_neutral(app):
    round_ = make_round(slug="phase-9", name="Phase 9", status="closed")
    _survey_with(round_, [*PHASE_2, ("Nothing else.", "Nothing."), ("N/A", "No further comments")])

    analysis_runs.analyse_round(round_)

    empty = [a for a in _answers(round_) if a.value in ("Nothing.", "No further comments")]
    assert len(empty) == 2
    assert all(a.theme_id is None and a.sentiment_label == "neutral" for a in empty)


def test_vectors_are_stored_once_and_reused(phase_2):
    analysis_runs.analyse_round(phase_2)
    answers = _answers(phase_2)
    assert all(vectors.stored_vector(a) is not None for a in answers)
    first = answers[0].vector
    assert vectors.store_vectors(answers) == 0
    analysis_runs.analyse_round(phase_2)
    assert answers[0].vector == first
    assert vectors.stored_vector(answers[0]).shape == (embeddings.DIMENSIONS,)


def test_stored_vectors_name_the_model_that_makes_them():
    assert vectors.MODEL == embeddings.MODEL_NAME
