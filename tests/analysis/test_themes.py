"""Theme grouping: determinism, codebook stability, pins, placement and labels."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from analysis.theme_build import name_groups
from analysis.theme_types import Group
from analysis.themes import (
    KnownTheme,
    ThemeInput,
    group_themes,
    is_catch_all,
    place_by_content,
    split_by_kind,
)

TIMEFRAME = [
    "The deadline was far too short.",
    "Six weeks was not long enough to complete the EOI form.",
    "We needed a longer timeframe to complete the application.",
    "The application window was too short for a small charity.",
    "Too little time between the briefing and the deadline.",
]
PANEL = [
    "There was no CVS representation on the scoring panel.",
    "The scoring panel had nobody from the voluntary sector.",
    "Include voluntary sector representatives on the scoring panel.",
    "The assessment panel was dominated by council officers.",
]
OFFICERS = [
    "Officers were helpful whenever we phoned.",
    "Support from council officers was excellent.",
    "The officers answered every question quickly.",
    "Friendly, knowledgeable officer support.",
]


def _inputs() -> list[ThemeInput]:
    rows = [("t", t, "improve") for t in TIMEFRAME] + [("p", t, "improve") for t in PANEL]
    rows += [("o", t, "went_well") for t in OFFICERS]
    return [ThemeInput(f"{p}{i}", text, kind) for i, (p, text, kind) in enumerate(rows)]


def _owner(themes, answer_id):
    return next(t for t in themes if answer_id in t.answer_ids)


def test_same_input_same_themes_in_any_order() -> None:
    answers = _inputs()
    shuffled = answers[:]
    random.Random(4).shuffle(shuffled)
    assert group_themes(answers) == group_themes(answers) == group_themes(shuffled)


def test_topics_are_grouped_and_kinds_kept_apart() -> None:
    themes = group_themes(_inputs())
    timeframe = {_owner(themes, a.id).key for a in _inputs() if a.text in TIMEFRAME}
    officers = {_owner(themes, a.id).key for a in _inputs() if a.text in OFFICERS}
    assert len(timeframe) == 1 and len(officers) == 1
    assert timeframe != officers
    by_kind = split_by_kind(themes)
    assert all(t.kind == "went_well" for t in by_kind["went_well"])
    assert sum(t.count for t in themes) == len(_inputs())


def test_theme_fields_are_consistent() -> None:
    for theme in group_themes(_inputs()):
        assert theme.count == len(theme.answer_ids)
        assert 0 < len(theme.quotes) <= 3
        assert sum(theme.sentiment.values()) == theme.count
        assert theme.label and theme.label[0].isupper()
        assert theme.is_new


def test_codebook_answers_join_known_theme_and_new_topic_is_new() -> None:
    book = (
        KnownTheme(
            "timeframe",
            "Longer timeframe",
            "improve",
            ("A longer timeframe to complete the EOI form", "deadline too short"),
        ),
    )
    new = [
        ThemeInput("n1", "The closing date deadline was too short again.", "improve"),
        ThemeInput("n2", "The parking at county hall was impossible.", "improve"),
        ThemeInput("n3", "No parking at county hall for the district events.", "improve"),
    ]
    themes = group_themes(new, book)
    known = _owner(themes, "n1")
    assert known.key == "timeframe" and known.label == "Longer timeframe"
    assert not known.is_new
    parking = _owner(themes, "n2")
    assert parking.is_new and parking.key != "timeframe"
    assert _owner(themes, "n3").key == parking.key


def test_pinned_answers_always_go_to_their_theme() -> None:
    book = (KnownTheme("panel", "CVS on the scoring panel", "improve", tuple(PANEL)),)
    answers = _inputs()
    pinned = {"t0": "panel", "o10": "my-own-key"}
    themes = group_themes(answers, book, pinned)
    assert _owner(themes, "t0").key == "panel"
    assert _owner(themes, "o10").key == "my-own-key"


def test_placement_by_content_when_kind_missing() -> None:
    assert place_by_content("The officers were brilliant.") == "went_well"
    assert place_by_content("The deadline was far too short.") == "improve"
    assert place_by_content("A longer timeframe would help.") == "improve"
    assert place_by_content("We are a school.") == "other"
    themes = group_themes([ThemeInput("a", "The officers were brilliant.")])
    assert themes[0].kind == "went_well"


def test_empty_input_gives_no_themes() -> None:
    assert group_themes([]) == []


def test_labels_are_phrases_from_member_text_without_dangling_stop_words() -> None:
    from analysis import _lexicon as lx

    texts = {a.id: a.text.lower() for a in _inputs()}
    for theme in group_themes(_inputs()):
        if is_catch_all(theme):
            continue  # "Other comments" names the leftovers, not a phrase of theirs
        words = theme.label.split()
        # Up to five words, plus a copula before an evaluative predicate.
        assert 1 <= len(words) <= 6
        assert len(words) <= 5 or {"was", "were", "is", "are"} & set(words)
        assert words[0].lower() not in lx.STOPWORDS
        assert words[-1].lower() not in lx.STOPWORDS
        members = " ".join(texts[i] for i in theme.answer_ids)
        assert all(w.lower() in members for w in words), theme.label
        assert theme.label[0].isupper()
        assert theme.label[1:] == theme.label[1:].lower() or any(w.isupper() for w in words)


def test_label_prefers_a_shared_multi_word_phrase_and_keeps_acronyms() -> None:
    answers = [
        ThemeInput("a1", "The application window was too short.", "improve"),
        ThemeInput("a2", "Application window too short for a small charity.", "improve"),
        ThemeInput("a3", "Honestly the application window was far too short.", "improve"),
        ThemeInput("b1", "Clear guidance on the EOI form.", "went_well"),
        ThemeInput("b2", "We found the guidance on the EOI form clear.", "went_well"),
        ThemeInput("b3", "Guidance on the EOI form was clear and helpful.", "went_well"),
    ]
    labels = {t.label for t in group_themes(answers)}
    assert "Application window" in labels
    assert "Guidance on the EOI form" in labels, labels


def test_label_names_the_topic_not_the_verdict() -> None:
    answers = [
        ThemeInput("f1", "Feedback after the decision was thin.", "improve"),
        ThemeInput("f2", "Feedback after the decision was thin and late.", "improve"),
    ]
    assert [t.label for t in group_themes(answers)] == ["Feedback after the decision"]


def test_praise_of_one_thing_in_other_words_shares_one_theme() -> None:
    answers = [
        ThemeInput("s1", "Nice staff.", "went_well"),
        ThemeInput("s2", "The staff were lovely.", "went_well"),
        ThemeInput("s3", "Caring staff, thank you.", "went_well"),
        ThemeInput("s4", "Staff are lovely and kind.", "went_well"),
        ThemeInput("s5", "Fantastic staff throughout.", "went_well"),
        ThemeInput("c1", "The food was lovely.", "went_well"),
        ThemeInput("c2", "Lovely food every day.", "went_well"),
        ThemeInput("c3", "Food was hot and tasty.", "went_well"),
    ]
    themes = [t for t in group_themes(answers) if not is_catch_all(t)]
    labels = [t.label for t in themes]
    assert len(labels) == len(set(labels))
    staff = _owner(themes, "s1")
    assert staff.label == "Staff" and {"s2", "s3", "s4", "s5"} <= set(staff.answer_ids)
    assert _owner(themes, "c1").label == "Food"


def test_label_is_never_a_name_a_number_or_a_clause_fragment() -> None:
    answers = [
        ThemeInput("z1", "Nobody told me who Zoe was from my letter.", "improve"),
        ThemeInput("z2", "It wasn't clear who Zoe was or why she phoned.", "improve"),
        ThemeInput("z3", "Zoe phoned but the letter never explained her role.", "improve"),
        ThemeInput("n1", "I waited 90 minutes on hold.", "improve"),
        ThemeInput("n2", "90 minutes on hold to rebook.", "improve"),
        ThemeInput("n3", "On hold for 90 minutes, twice.", "improve"),
        ThemeInput("a1", "Twelve weeks to apply made all the difference.", "went_well"),
        ThemeInput("a2", "Having time to apply made all the difference to us.", "went_well"),
    ]
    labels = [t.label for t in group_themes(answers)]
    for label in labels:
        assert "zoe" not in label.lower()
        assert not any(c.isdigit() for c in label)
        assert "made" not in label.lower().split()
    assert len(labels) == len(set(labels)) and all(label[0].isupper() for label in labels)


def test_a_label_keeps_a_name_whole_with_the_capitals_members_write() -> None:
    from analysis.labels import PhraseStats

    texts = [
        "Can I use American Express to add money to my account?",
        "How can I use American Express to add money?",
        "Can I add money with my Apple Pay?",
        "I want to add money from my card.",
    ]
    label = PhraseStats(texts, list("abcd")).label(texts)
    assert label == "Add money"  # not "Express to add money", half of a card's name
    china = [
        "My transfer from China has not arrived.",
        "How long does a transfer from China take?",
        "Still waiting on a transfer from china.",
    ]
    assert PhraseStats(china, list("abc")).label(china) == "Transfer from China"


def test_one_answer_in_title_case_does_not_capitalise_a_label() -> None:
    from analysis.labels import PhraseStats

    texts = [
        "The Staff Training Was Really Poor This Time.",
        "Staff training was poor.",
        "More staff training please.",
    ]
    assert PhraseStats(texts, list("abc")).label(texts) == "Staff training"


def test_label_is_never_a_question_or_a_negated_verb() -> None:
    answers = [
        ThemeInput("q1", "I made this payment days ago so why hasn't it gone through?", "improve"),
        ThemeInput("q2", "My payment from days ago so why hasn't it arrived?", "improve"),
        ThemeInput("q3", "The payment days ago so why hasn't it cleared?", "improve"),
        ThemeInput("q4", "Why has my payment not gone through after days?", "improve"),
    ]
    for label in (t.label.lower() for t in group_themes(answers)):
        assert not {"why", "ago", "hasn't", "gone"} & set(label.split()), label


def test_quotes_that_say_what_the_label_says_come_first() -> None:
    from analysis.labels import check_quotes

    ranked = ["Parking was hard.", "Food was cold.", "Cold food again.", "The food was bland."]
    assert check_quotes("Food", ranked, 3) == (
        "Food was cold.",
        "Cold food again.",
        "The food was bland.",
    )


def test_label_does_not_end_on_a_participle_or_stop_mid_compound() -> None:
    answers = [
        ThemeInput("p1", "The budget figures in the pack changed part way through.", "improve"),
        ThemeInput("p2", "Budget figures changed part way through the round.", "improve"),
        ThemeInput("w1", "The twelve week application window was generous.", "went_well"),
        ThemeInput("w2", "A twelve week window was welcome.", "went_well"),
    ]
    labels = {t.label for t in group_themes(answers)}
    assert "Budget figures" in labels, labels
    assert "Twelve week window" in labels, labels
    assert not any(label.split()[-1].lower() in {"changed", "part", "week"} for label in labels)


def test_other_comments_buckets_come_after_real_themes_of_their_kind() -> None:
    answers = [
        ThemeInput(f"x{i}", f"Unrelated remark number {i} about {w}.", "improve")
        for i, w in enumerate("weather lunch parking trains music coffee".split())
    ]
    answers += [
        ThemeInput("t1", "The deadline was far too short.", "improve"),
        ThemeInput("t2", "The application deadline was too short.", "improve"),
    ]
    pinned = {a.id: "improve-other-comments" for a in answers[:6]}
    themes = group_themes(answers, pinned=pinned)
    kinds = [(t.kind, is_catch_all(t)) for t in themes]
    assert kinds == sorted(kinds, key=lambda k: (k[0] != "improve", k[1]))
    leftover = next(t for t in themes if t.key == "improve-other-comments")
    deadline = next(t for t in themes if "t1" in t.answer_ids)
    assert leftover.count > deadline.count
    assert themes.index(leftover) > themes.index(deadline)


def test_a_loose_large_group_is_split_and_no_answer_is_lost(monkeypatch) -> None:
    from analysis import grouping
    from analysis._textfeatures import content_words, features

    food = ["The food was {} today.", "Meals were {}.", "Dinner tasted {}.", "Lunch was {}."]
    park = ["Parking was {}.", "The car park was {}.", "Finding a space was {}."]
    words = "cold late bland awful poor slow dreadful tiny".split()
    texts = [t.format(w) for t in food + park for w in words]
    ids = [f"{i:03d}" for i in range(len(texts))]
    space = grouping.build_space(
        ids, [features(content_words(t)) for t in texts], texts, [None] * len(texts)
    )
    members = list(range(len(texts)))
    monkeypatch.setattr(grouping, "CLUSTER_DISTANCE", 1.2)  # a loose first cut
    before = grouping.cluster(space, members, ids)
    # Every group large enough now counts as loose, so the split must run.
    monkeypatch.setattr(grouping, "COHERENCE", 1.01)
    after = grouping.cluster(space, members, ids)
    for groups in (before, after):
        assert sorted(i for g in groups for i in g) == members  # each answer exactly once
    assert max(len(g) for g in after[:-1]) < max(len(g) for g in before[:-1])
    assert len(after) > len(before)


# Labels are noun phrases naming a topic, never a verdict; answers written for these tests.
VERDICT_LABELS = {"good", "very good", "better", "well", "looked", "everything was good", "great"}


def test_a_label_is_never_a_bare_verdict_but_a_topic_or_a_generic_noun_phrase() -> None:
    from analysis.labels import CRITICISM_LABEL, OTHER_LABEL, PRAISE_LABEL, names_topic

    went_well = ["Good", "Very good.", "Really good", "Good!", "Went well", "All went well"]
    went_well += ["Looked after very well", "Looked after well, thank you"]
    improve = ["Better", "Could be better", "It could be better", "Should be better"]
    improve += ["More parking spaces please", "The car park was always full"]
    improve += ["Car park is too small", "Parking was a nightmare"]
    answers = [ThemeInput(f"w{i}", t, "went_well") for i, t in enumerate(went_well)]
    answers += [ThemeInput(f"i{i}", t, "improve") for i, t in enumerate(improve)]
    themes = group_themes(answers)
    labels = [t.label for t in themes]
    assert not VERDICT_LABELS & {label.casefold() for label in labels}, labels
    generic = {PRAISE_LABEL, CRITICISM_LABEL, OTHER_LABEL}
    assert all(names_topic(label) or label in generic for label in labels), labels
    assert _owner(themes, "w0").label == PRAISE_LABEL
    assert _owner(themes, "i0").label == CRITICISM_LABEL
    assert "park" in _owner(themes, "i5").label.lower()


def test_names_topic_wants_a_noun_that_is_no_verdict() -> None:
    from analysis.labels import names_topic

    for label in ("Good", "Better", "Well", "Looked", "Everything was good", "Very good"):
        assert not names_topic(label), label
    for label in ("Time allowed to apply", "Information about the lead agency role", "Staff"):
        assert names_topic(label), label


def test_generic_label_follows_sentiment_then_the_question() -> None:
    from analysis.labels import generic_label

    assert generic_label("improve", ["positive", "positive", "neutral"]) == "General praise"
    assert generic_label("went_well", ["negative", "negative"]) == "General criticism"
    assert generic_label("went_well", ["neutral", "neutral"]) == "General praise"
    assert generic_label("improve", ["neutral", "positive"]) == "General criticism"
    assert generic_label("other", ["neutral"]) == "Other comments"


PRAISE_ONLY = ["Everything was good", "Very good.", "Couldn't have been any better"]
PRAISE_ONLY += ["It was all fine thanks", "Keep up the good work"]


def test_praise_only_answers_to_improve_are_counted_not_themed_nor_negative() -> None:
    from analysis.themes import analyse_themes

    answers = [ThemeInput(f"p{i}", t, "improve") for i, t in enumerate(PRAISE_ONLY)]
    mixed = "Couldn't be better, but the car park needs more spaces"
    answers += [ThemeInput("c0", mixed, "improve")]
    answers += [ThemeInput(f"c{i}", t, "improve") for i, t in enumerate(TIMEFRAME, start=1)]
    result = analyse_themes(answers)
    praise = {f"p{i}" for i in range(len(PRAISE_ONLY))}
    assert result.non_answers == {"improve": len(PRAISE_ONLY)}
    assert result.non_answer_ids == praise
    assert not any(praise & set(t.answer_ids) for t in result.themes)
    assert not {q for t in result.themes for q in t.quotes} & set(PRAISE_ONLY)
    assert all(result.labels[i] != "negative" for i in praise)
    assert "c0" in {i for t in result.themes for i in t.answer_ids}


def test_praise_only_answers_to_went_well_stay_content_under_a_generic_label() -> None:
    from analysis.themes import analyse_themes

    texts = ["Very good", "Very good.", "Good", "Everything was good"]
    answers = [ThemeInput(f"g{i}", t, "went_well") for i, t in enumerate(texts)]
    answers += [ThemeInput(f"o{i}", t, "went_well") for i, t in enumerate(OFFICERS)]
    result = analyse_themes(answers)
    assert not result.non_answer_ids and not result.non_answers
    assert _owner(result.themes, "g0").label == "General praise"
    assert "Very good" in _owner(result.themes, "g0").quotes
    assert {_owner(result.themes, f"g{i}").key for i in range(len(texts))} == {
        _owner(result.themes, "g0").key
    }


def test_no_quote_is_said_to_support_a_generic_label() -> None:
    from analysis.labels import PRAISE_LABEL, supports

    assert not supports(PRAISE_LABEL, "Good in general")


def test_a_hyphenated_label_fits_answers_that_write_it_as_two_words() -> None:
    """BANKING77's pending top-ups were "General criticism": "top-up" fitted only the
    answers that wrote the hyphen, under half of them."""
    from analysis.labels import PhraseStats, coverage

    texts = [
        "My top up is still pending.",
        "Why is my top-up still pending?",
        "The top up has not gone through yet.",
        "I topped up by card and nothing happened.",
    ]
    assert coverage("Top-up", texts) == 0.75
    assert coverage("Top-up", ["The top of the form was cut off."]) == 0.0
    assert PhraseStats(texts, ["a", "b", "c", "d"]).label(texts) == "Top-up"


def test_a_non_answer_is_never_negative_whatever_its_stored_tag() -> None:
    from analysis.themes import analyse_themes

    answers = [ThemeInput("d0", "Don't change a thing", "improve", label="negative")]
    answers += [ThemeInput("d1", "Nothing.", "improve", label="negative")]
    answers += [ThemeInput("d2", "Very good", "improve", label="positive")]
    result = analyse_themes(answers)
    assert result.non_answer_ids == {"d0", "d1", "d2"}
    assert dict(result.labels) == {"d0": "neutral", "d1": "neutral", "d2": "positive"}


# A small round's "could improve" side (the demo's phase 2): four topics in many words.
SMALL_ROUND = {
    "time": [
        "The window was far too short for a partnership bid; six weeks was nearly impossible.",
        "Six weeks is not long enough for a small charity with no bid writer.",
        "Would like a longer window to apply; six weeks clashed with their year end.",
        "The time allowed to complete the form was too short, particularly over Easter.",
        "Give us longer. Twelve weeks would be fair.",
        "The deadline came too quickly. A longer application window would help small groups.",
    ],
    "role": [
        "Explain the lead agency responsibilities in more detail: the contract, the monitoring.",
        "Unclear about what being a lead agency involves. Wants more information up front.",
        "More information about the lead agency role please - budgets, staffing, reporting.",
        "Nobody could tell us what a lead agency actually has to do day to day.",
        "We still don't really understand what was expected of a lead agency versus a partner.",
    ],
    "panel": [
        "Future scoring panels should include someone from the CVS.",
        "Panels should include CVS representation so that voluntary sector bids are judged fairly.",
        "Suggested a voluntary sector representative should sit on the scoring panel.",
        "There was no one from the voluntary sector on the scoring panel that looked at our bid.",
    ],
    "updates": [
        "Communication about the commissioning process as a whole could be much clearer.",
        "Communication during the process was patchy; emails came from different officers.",
        "Please keep applicants informed about timescales; a decision date slipped without word.",
        "Better communication about where the process had got to. A simple timeline would do.",
        "Felt out of the loop after submitting - no updates on progress until the decision letter.",
    ],
}


def test_a_small_round_reads_as_its_topics_not_as_pairs_and_a_large_other() -> None:
    """On a side of 20 answers the cut goes where groups are most distinct, and topic words
    ("six weeks", "deadline", "window") weigh more than other words."""
    answers = [
        ThemeInput(f"{topic}{i}", text, "improve")
        for topic, texts in SMALL_ROUND.items()
        for i, text in enumerate(texts)
    ]
    themes = group_themes(answers)
    other = sum(t.count for t in themes if is_catch_all(t))
    content = [t for t in themes if not is_catch_all(t)]
    assert other <= 2, [(t.label, t.answer_ids) for t in themes]
    assert len(content) <= len(SMALL_ROUND) + 1, [(t.label, t.answer_ids) for t in content]
    for topic, texts in SMALL_ROUND.items():
        owners = [_owner(themes, f"{topic}{i}").key for i in range(len(texts))]
        assert max(owners.count(k) for k in owners) >= len(texts) - 1, (topic, owners)


def test_codebook_examples_are_weighted_like_the_answers_they_are_compared_with() -> None:
    from analysis import grouping
    from analysis._textfeatures import content_words, features

    texts = ["Six weeks was far too short.", "The scoring panel needed the CVS."]
    tokens = [features(content_words(t)) for t in texts]
    space = grouping.build_space(["a", "b"], tokens, texts, [None, None])
    _, lexical = space.transform(texts, tokens)
    assert abs(lexical - space.lexical).max() < 1e-6
    row = space.lexical[0].toarray().ravel()
    vocabulary = space.vectoriser.vocabulary_
    # "weeks" is a topic word ("timeframe"): weighted above "short", seen as often.
    assert row[vocabulary["timeframe"]] > 1.5 * row[vocabulary["short"]]


# A small round's "went well" side (the demo's phase 2): publicity praised in many words.
ADVERTISING = [
    "We saw the advert in the local paper and then again in the parish newsletter. Good publicity.",
    "Said the adverts in the local paper were what first got them interested.",
    "Advertising was excellent - local radio, the paper, and a mailing to us directly.",
    "Good, wide publicity. We are a private nursery and were surprised to be invited to bid.",
    "Well advertised. I think every nursery in the district knew about it.",
    "Pleased the opportunity was so widely advertised.",
    "The advertising reached us through three different routes, so well done.",
    "The EOI was well publicised in the local press.",
    "The council made a real effort to reach us. The adverts went where the sector reads.",
]
WENT_WELL_OTHERS = [
    "The documents were easy to find online and the form itself was straightforward.",
    "Found the online forms easy to download and fill in.",
    "The expression of interest pack was on the website and easy to download.",
    "Guidance notes on filling in the form were clear.",
    "The guidance on the form answered most of our questions before we had to ask them.",
    "Thought the guidance on completing the form was good.",
]


def test_a_small_side_keeps_one_topic_in_one_theme_named_by_the_topic() -> None:
    """Groups of a small side that all use one domain topic ("advert", "publicity",
    "advertised") merge, and a phrase fewer than half of them use ("Adverts in the local
    paper", 4 of 9) does not name the whole."""
    answers = [ThemeInput(f"a{i}", text, "went_well") for i, text in enumerate(ADVERTISING)]
    answers += [ThemeInput(f"o{i}", text, "went_well") for i, text in enumerate(WENT_WELL_OTHERS)]
    themes = group_themes(answers)
    owners = {_owner(themes, f"a{i}").key for i in range(len(ADVERTISING))}
    assert len(owners) == 1, [(t.label, t.answer_ids) for t in themes]
    label = _owner(themes, "a0").label.lower()
    assert label.split()[0] in {"advertising", "adverts", "advert", "publicity"}, label
    assert "paper" not in label


DEMO_DATA = Path(__file__).resolve().parents[2] / "surveys" / "demo_data.yaml"


def _demo_answers(kind: str, *sources: str) -> list[str]:
    """Return the demo's answers of one kind from some of its sources, in their order."""
    data = yaml.safe_load(DEMO_DATA.read_text(encoding="utf-8"))
    return [row[kind] for source in sources for row in data[source] if row.get(kind)]


def _demo_phase_2(kind: str) -> list[str]:
    """Return the demo's phase 2 answers of one kind (web and telephone)."""
    return _demo_answers(kind, "phase_2_web", "phase_2_telephone")


def _demo_phase_3(kind: str) -> list[str]:
    """Return the demo's phase 3 answers of one kind (providers, partners and panel)."""
    return _demo_answers(kind, "phase_3_web", "partner_phase_3", "panel_phase_3")


def _theme_of(themes: list, texts: list[str], start: str):
    """Return the theme holding the one answer that starts with some words."""
    (index,) = [i for i, t in enumerate(texts) if t.startswith(start)]
    return _owner(themes, f"{index:03d}")


def test_a_small_side_folds_a_theme_whose_label_another_label_holds() -> None:
    """On the demo's phase 2 "could improve" side, "Lead agency" and "Information about the
    lead agency role" were two themes of one topic; they read as one."""
    texts = _demo_phase_2("improve")
    themes = group_themes([ThemeInput(f"{i:03d}", t, "improve") for i, t in enumerate(texts)])
    agency = {i for i, t in enumerate(texts) if "lead agency" in t.lower()}
    owners = {_owner(themes, f"{i:03d}").key for i in agency}
    assert len(owners) == 1, [(t.label, t.answer_ids) for t in themes]
    labels = [t.label.casefold() for t in themes]
    assert len(labels) == len(set(labels))
    assert not any(a != b and f" {a} " in f" {b} " for a in labels for b in labels), labels


def test_a_small_side_leaves_an_answer_alone_rather_than_under_another_topic() -> None:
    """Phase 3 of the demo has about twelve answers a side on eight or more topics.

    Forcing them into four themes put "Twelve weeks to apply" under "CVS directors" and
    "Parking at the briefing venue" under the presentations; an answer on a topic of its
    own is better left out of the others' counts and quotes.
    """
    went = _demo_phase_3("went_well")
    themes = group_themes([ThemeInput(f"{i:03d}", t, "went_well") for i, t in enumerate(went)])
    weeks = _theme_of(themes, went, "Twelve weeks")
    assert _theme_of(themes, went, "We got a postcard").key != weeks.key
    assert _theme_of(themes, went, "The 12 week window").key == weeks.key
    assert len([t for t in themes if not is_catch_all(t)]) >= 5, [t.label for t in themes]

    improve = _demo_phase_3("improve")
    themes = group_themes([ThemeInput(f"{i:03d}", t, "improve") for i, t in enumerate(improve)])
    slots = _theme_of(themes, improve, "The presentation slots")
    assert _theme_of(themes, improve, "The district presentations").key == slots.key
    assert _theme_of(themes, improve, "Parking at").key != slots.key


def test_a_small_sides_group_is_named_by_its_topic_not_a_word_it_happens_to_share() -> None:
    """Demo phase 3: "knew what stage we were at" and "kept informed at every stage" share
    "stage", but both are about being kept informed."""
    went = _demo_phase_3("went_well")
    themes = group_themes([ThemeInput(f"{i:03d}", t, "went_well") for i, t in enumerate(went)])
    informed = _theme_of(themes, went, "Good communication throughout")
    assert _theme_of(themes, went, "Boundaries were agreed").key == informed.key
    assert informed.label == "Communication"
    assert _theme_of(themes, went, "We got a postcard").label == "CVS directors"


def test_thanks_for_asking_is_named_so_on_the_other_comments_side_only() -> None:
    """The demo's "any other comments" answers were labelled "Views" for "Thank you for
    asking for our views."; a thank-you for something named keeps its topic."""
    thanks = [
        "Thank you for asking for our views.",
        "Many thanks for the opportunity to comment!",
        "Thanks for asking.",
        "Thank you for asking our opinion.",
    ]
    others = [
        "Thank you to the officer who answered my phone call so patiently.",
        "A network where new lead agency managers can share practice.",
        "A network for new lead agency managers to share practice would help.",
    ]
    texts = thanks + others
    inputs = [ThemeInput(f"{i:03d}", t, "other") for i, t in enumerate(texts)]
    themes = group_themes(inputs)
    assert _theme_of(themes, texts, "Many thanks").label == "Thanks for asking"
    assert _theme_of(themes, texts, "Thank you to the officer").label != "Thanks for asking"
    assert _theme_of(themes, texts, "A network where").label != "Thanks for asking"
    went = group_themes([ThemeInput(f"{i:03d}", t, "went_well") for i, t in enumerate(texts)])
    assert "Thanks for asking" not in {t.label for t in went}


class _Named:
    """Stands in for ThemeBuilder where only the labels matter: each group's label is given."""

    def __init__(self, labels: dict[int, str]) -> None:
        self.labels = labels

    def label(self, group: Group) -> str:
        return self.labels[group.members[0]]


def test_new_themes_named_in_other_word_forms_or_order_read_as_one() -> None:
    """BANKING77 showed "Currency exchange" beside "Exchange currencies", and "Exchange
    rates" beside "Exchange rate", as two themes of one side."""
    groups = [Group([n], kind="improve") for n in range(5)]
    labels = {
        0: "Currency exchange",
        1: "Exchange currencies",
        2: "Exchange rates",
        3: "Exchange rate",
        4: "Exchange fee",
    }
    named = name_groups(groups, _Named(labels), [])
    assert sorted((label, g.members) for g, label in named) == [
        ("Currency exchange", [0, 1]),
        ("Exchange fee", [4]),
        ("Exchange rates", [2, 3]),
    ]


def test_a_new_theme_named_like_a_codebook_theme_joins_it_but_named_themes_stay_apart() -> None:
    rates = KnownTheme("rates", "Exchange rates", "improve")
    rate = KnownTheme("rate", "Exchange rate", "improve")  # an officer chose both names
    groups = [
        Group([0], key="rates", known=rates, kind="improve"),
        Group([1], key="rate", known=rate, kind="improve"),
        Group([2], kind="improve"),
        Group([3], kind="went_well"),
    ]
    labels = {0: "Exchange rates", 1: "Exchange rate", 2: "Exchange rate", 3: "Exchange rate"}
    named = name_groups(groups, _Named(labels), [rates, rate])
    assert sorted((g.kind, g.key, g.members) for g, _ in named) == [
        ("improve", "rate", [1, 2]),
        ("improve", "rates", [0]),
        ("went_well", None, [3]),
    ]
