"""Summarise a CSV of free-text answers into themes (for `debrief summarise FILE.csv`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from analysis.nonanswers import non_answer_line
from analysis.redact import redact
from analysis.sentiment import KINDS
from analysis.summary import escape_markdown
from analysis.themes import KnownTheme, Theme, ThemeInput, analyse_themes, split_by_kind

SECTIONS = (("went_well", "went_well"), ("to_improve", "improve"), ("other", "other"))
TITLES = {"went_well": "What went well", "to_improve": "What could improve", "other": "Other"}


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


def _theme_dict(theme: Theme) -> dict[str, Any]:
    return {
        "theme": theme.label,
        "count": theme.count,
        "ids": list(theme.answer_ids),
        "quotes": [redact(q) for q in theme.quotes],
        "sentiment": {
            lab: theme.sentiment.get(lab, 0) for lab in ("positive", "neutral", "negative")
        },
    }


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


def summarise_rows(
    rows: Iterable[Mapping[str, str]],
    codebook: Iterable[KnownTheme] = (),
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Group CSV rows into went_well / to_improve / other themes; blank kind uses content.

    Answers that mean the same as a codebook theme carry its name; the rest form new themes.
    "non_answers" counts the answers that said nothing, by section.
    """
    rows = list(rows)
    if rows and "text" not in rows[0]:
        raise BadCsv("The CSV has no 'text' column.")
    found = analyse_themes(_inputs(rows), list(codebook), progress=progress)
    by_kind = split_by_kind(found.themes)
    out: dict[str, Any] = {
        section: [_theme_dict(t) for t in by_kind[kind]] for section, kind in SECTIONS
    }
    out["non_answers"] = {section: found.non_answers.get(kind, 0) for section, kind in SECTIONS}
    return out


def csv_summary_to_markdown(d: Mapping[str, list[Mapping[str, Any]]]) -> str:
    """Render a summarise_rows result as Markdown."""
    lines: list[str] = []
    for section, kind in SECTIONS:
        lines += [f"## {TITLES[section]}", ""]
        if count := d.get("non_answers", {}).get(section, 0):
            lines += [non_answer_line(kind, count), ""]
        themes = d.get(section, [])
        if not themes:
            lines += ["None.", ""]
        for t in themes:
            s = t["sentiment"]
            lines += [
                f"### {escape_markdown(t['theme'])} ({t['count']})",
                "",
                f"Positive {s['positive']}, neutral {s['neutral']}, negative {s['negative']}.",
                "",
            ]
            lines += [f"> {escape_markdown(q)}\n" for q in t["quotes"]]
    return "\n".join(lines).rstrip() + "\n"
