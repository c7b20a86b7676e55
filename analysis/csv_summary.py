"""Summarise a CSV of free-text answers into themes (for `debrief summarise FILE.csv`).

The result uses the report's vocabulary: sides keyed "went_well", "improve" and "other"
with the report's titles, and each theme in the same JSON form as `debrief report` gives.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from analysis.nonanswers import non_answer_line
from analysis.redact import redact
from analysis.sentiment import KINDS
from analysis.summary_markdown import escape_markdown, markdown_themes
from analysis.summary_model import SIDES, plain_data
from analysis.themes import KnownTheme, Theme, ThemeInput, analyse_themes, split_by_kind


class BadCsv(ValueError):
    """The CSV cannot be summarised; the message names the problem and the row."""


def _inputs(rows: Iterable[Mapping[str, str]]) -> list[ThemeInput]:
    inputs: list[ThemeInput] = []
    for number, row in enumerate(rows, start=1):
        if "text" not in row:
            raise BadCsv("The CSV has no 'text' column.")
        kind = (row.get("kind") or "").strip() or None
        if kind is not None and kind not in KINDS:
            raise BadCsv(f"Row {number}: unknown kind {kind!r}; use went_well, improve or other.")
        text = (row.get("text") or "").strip()
        if not text:
            continue
        row_id = (row.get("id") or "").strip() or str(number)
        sector = (row.get("sector") or "").strip() or None
        inputs.append(ThemeInput(row_id, text, kind, sector))
    return inputs


def read_codebook(rows: Iterable[Mapping[str, str]]) -> list[KnownTheme]:
    """Turn codebook rows (theme, kind, text: example answers) into codebook themes."""
    examples: dict[tuple[str, str], list[str]] = {}
    for number, row in enumerate(rows, start=1):
        missing = [c for c in ("theme", "kind", "text") if c not in row]
        if missing:
            raise BadCsv(f"The codebook has no {', '.join(repr(c) for c in missing)} column.")
        theme = " ".join((row.get("theme") or "").split())
        kind = (row.get("kind") or "").strip()
        text = (row.get("text") or "").strip()
        if not theme:
            raise BadCsv(f"Codebook row {number}: the theme is blank.")
        if kind not in KINDS:
            raise BadCsv(
                f"Codebook row {number}: unknown kind {kind!r}; use went_well, improve or other."
            )
        texts = examples.setdefault((theme, kind), [])
        if text and text not in texts:
            texts.append(text)
    return [
        KnownTheme(_codebook_key(theme, kind), theme, kind, tuple(texts) or (theme,))
        for (theme, kind), texts in examples.items()
    ]


def _codebook_key(theme: str, kind: str) -> str:
    return f"codebook-{kind}-" + (re.sub(r"[^a-z0-9]+", "-", theme.lower()).strip("-") or "theme")


@dataclass(frozen=True)
class CsvSummary:
    """Themes of each side ("went_well", "improve", "other") and non-answers per side."""

    themes: Mapping[str, tuple[Theme, ...]]
    non_answers: Mapping[str, int]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: each side's themes as `debrief report` gives them."""
        out: dict[str, Any] = {
            side.key: [plain_data(t) for t in self.themes[side.key]] for side in SIDES
        }
        out["non_answers"] = {side.key: self.non_answers.get(side.key, 0) for side in SIDES}
        return out


def summarise_rows(
    rows: Iterable[Mapping[str, str]],
    codebook: Iterable[KnownTheme] = (),
    progress: Callable[[int], None] | None = None,
) -> CsvSummary:
    """Group CSV rows into went_well / improve / other themes; a blank kind uses content.

    Answers that mean the same as a codebook theme carry its name (its "label"); the rest
    form new themes. Non-answers (answers that said nothing) are counted by side.
    """
    rows = list(rows)
    if rows and "text" not in rows[0]:
        raise BadCsv("The CSV has no 'text' column.")
    found = analyse_themes(_inputs(rows), list(codebook), progress=progress)
    by_kind = split_by_kind(found.themes)
    return CsvSummary(
        themes={
            side.key: tuple(
                dataclasses.replace(t, quotes=tuple(redact(q) for q in t.quotes))
                for t in by_kind[side.key]
            )
            for side in SIDES
        },
        non_answers={side.key: found.non_answers.get(side.key, 0) for side in SIDES},
    )


def csv_summary_to_markdown(summary: CsvSummary) -> str:
    """Render a CSV summary as Markdown, as the report renders its sides."""
    lines: list[str] = []
    for side in SIDES:
        count = summary.non_answers.get(side.key, 0)
        nothing = non_answer_line(side.key, count) if count else ""
        themes = summary.themes[side.key]
        lines += [f"## {escape_markdown(side.title)}", "", *markdown_themes(themes, nothing), ""]
    return "\n".join(lines).rstrip() + "\n"
