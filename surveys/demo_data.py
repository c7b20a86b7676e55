"""The demonstration programme's data, loaded from `demo_data.yaml` into typed values.

The YAML holds who took part and what they said; `surveys.demo` builds the programme
from these values through the real services.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).resolve().parent / "demo_data.yaml"

Pair = tuple["str | None", "str | None"]


@dataclass(frozen=True)
class DemoAction:
    """An action the team took on a lesson before phase 3 opened."""

    description: str
    owner: str
    days_before_phase_3: int
    status: str
    evidence: str


@dataclass(frozen=True)
class DemoLesson:
    """A lesson from one of phase 2's improvement themes and what was done about it."""

    title: str
    # A phase 2 answer in the theme the lesson comes from, and the officer's name for that
    # theme (analysis labels themes with a phrase; officers rename the ones they act on).
    heard_in: str | None
    theme_label: str
    what_we_heard: str
    what_we_did: str
    actions: tuple[DemoAction, ...]


def _load() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506


def _pairs(rows: list[dict[str, str | None]]) -> list[Pair]:
    return [(row["went_well"], row["improve"]) for row in rows]


def _people(rows: list[dict[str, str]]) -> list[tuple[str, str, str, str]]:
    return [(row["name"], row["sector"], row["contact"], row["email"]) for row in rows]


def _lesson(row: dict[str, Any], phase_2_web: list[Pair]) -> DemoLesson:
    heard = row["heard_in"]
    return DemoLesson(
        title=row["title"],
        heard_in=phase_2_web[heard["phase_2_web"]][1] if heard else None,
        theme_label=row["theme_label"],
        what_we_heard=row["what_we_heard"],
        what_we_did=row["what_we_did"],
        actions=tuple(DemoAction(**action) for action in row["actions"]),
    )


_DATA = _load()

# name, sector, contact name, email (and, for partners, their Slack user or None)
PROVIDERS = _people(_DATA["providers"])
PARTNERS: list[tuple[str, str, str, str, str | None]] = [
    (*person, row["slack_user"])
    for person, row in zip(_people(_DATA["partners"]), _DATA["partners"], strict=True)
]
PANEL_MEMBERS = _people(_DATA["panel_members"])
PHASE_2_WEB = _pairs(_DATA["phase_2_web"])
PHASE_2_TELEPHONE = _pairs(_DATA["phase_2_telephone"])
PHASE_3_WEB = _pairs(_DATA["phase_3_web"])
PHASE_3_DRAFT_WENT_WELL: list[str] = list(_DATA["phase_3_draft_went_well"])
PARTNER_PHASE_3 = _pairs(_DATA["partner_phase_3"])
PANEL_PHASE_3 = _pairs(_DATA["panel_phase_3"])
LESSONS: tuple[DemoLesson, ...] = tuple(_lesson(row, PHASE_2_WEB) for row in _DATA["lessons"])
# Contact email -> telephone number (fictional: Ofcom's drama ranges), where there is one.
PHONES: dict[str, str] = {
    row["email"]: row["phone"]
    for section in ("providers", "partners", "panel_members")
    for row in _DATA[section]
    if row.get("phone")
}
# Phase -> question id -> providers' ratings, respondent i taking the i-th (wrapping round).
PROVIDER_RATINGS: dict[int, dict[str, list[int | str]]] = _DATA["provider_ratings"]
# Phase 3's web respondents (in PHASE_3_WEB's order) on whether each lesson (in LESSONS'
# order) improved; None leaves the question unanswered.
PHASE_3_FOLLOWUPS: list[tuple[str | None, ...]] = [tuple(r) for r in _DATA["phase_3_followups"]]
# (respondent, lesson): the comment added to a follow-up answer
PHASE_3_FOLLOWUP_COMMENTS: dict[tuple[int, int], str] = {
    (row["respondent"], row["lesson"]): row["comment"] for row in _DATA["phase_3_followup_comments"]
}
