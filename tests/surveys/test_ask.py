"""The one-line summary of a plain-words question's answers."""

from __future__ import annotations

from analysis.questions import Question
from surveys.services.ask import ThemeCount, _summary_line


def _line(theme_count: int) -> str:
    themes = tuple(ThemeCount(f"Theme {n}", 1) for n in range(theme_count))
    question = Question(text="what about the timeframe?", topic="timeframe")
    return _summary_line(question, theme_count, theme_count, themes, k=3, suppressed=False)


def test_the_summary_names_four_themes_and_counts_the_rest_in_good_english():
    assert _line(4).endswith("1 in “Theme 3”.")
    assert _line(5).endswith("1 in “Theme 3” and 1 more theme.")
    assert _line(7).endswith("1 in “Theme 3” and 3 more themes.")
