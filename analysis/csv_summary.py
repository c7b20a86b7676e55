"""Summarise a CSV of free-text answers into themes (for `debrief summarise FILE.csv`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from analysis.redact import redact
from analysis.sentiment import KINDS
from analysis.summary import escape_markdown
from analysis.themes import Theme, ThemeInput, group_themes, split_by_kind

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


def summarise_rows(rows: Iterable[Mapping[str, str]]) -> dict[str, list[dict[str, Any]]]:
    """Group CSV rows into went_well / to_improve / other themes; blank kind uses content."""
    rows = list(rows)
    if rows and "text" not in rows[0]:
        raise BadCsv("The CSV has no 'text' column.")
    by_kind = split_by_kind(group_themes(_inputs(rows)))
    return {section: [_theme_dict(t) for t in by_kind[kind]] for section, kind in SECTIONS}


def csv_summary_to_markdown(d: Mapping[str, list[Mapping[str, Any]]]) -> str:
    """Render a summarise_rows result as Markdown."""
    lines: list[str] = []
    for section, _kind in SECTIONS:
        lines += [f"## {TITLES[section]}", ""]
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
