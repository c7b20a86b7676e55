"""Analysis runs over a round: re-tagging free-text answers and regrouping them into themes.

`analyse_round` is what `debrief analyse ROUND` and the officers' "re-analyse" button call
after the tagger changes or new answers arrive. It never touches an officer's override,
never moves a pinned answer, and keeps renamed and merged themes as the officers left them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from analysis import themes as theme_analysis
from surveys.db import db
from surveys.errors import InvalidInput
from surveys.models import (
    Answer,
    Lesson,
    Officer,
    Response,
    Round,
    Survey,
    Theme,
    utcnow,
)
from surveys.models._base import SENTIMENT_LABELS, THEME_KINDS
from surveys.services import audit, respondents, tagging, vectors

# How many exemplar phrases a codebook theme keeps to recognise its answers next round.
MAX_EXEMPLARS = 12


@dataclass(frozen=True)
class AnalysisResult:
    """What one analysis run did to a round."""

    round_slug: str
    tagger_version: str
    answers: int
    retagged: int
    overrides_kept: int
    themes: int
    new_themes: int
    pinned: int


def free_text_answers(round_: Round) -> list[tuple[Answer, str | None]]:
    """Return the round's submitted free-text answers with each respondent's sector
    (`respondents.sector`: invited, imported or open-link alike).

    One query, in answer order, so callers never lazy-load per row.
    """
    query = select(Answer, respondents.sector(db.engine.dialect.name)).join(
        Response, Response.id == Answer.response_id
    )
    rows = db.session.execute(
        respondents.with_respondent(query)
        .join(Survey, Survey.id == Response.survey_id)
        .where(
            Survey.round_id == round_.id,
            Response.status == "submitted",
            Answer.kind.is_not(None),
        )
        .order_by(Answer.id)
    ).all()
    return [(answer, sector) for answer, sector in rows if tagging.is_free_text(answer)]


def resolve_theme(theme: Theme | None, by_id: dict[int, Theme]) -> Theme | None:
    """Follow a theme's merges to the theme that now stands for it."""
    seen: set[int] = set()
    while theme is not None and theme.merged_into_id is not None and theme.id not in seen:
        seen.add(theme.id)
        theme = by_id.get(theme.merged_into_id)
    return theme


def programme_themes(programme_id: int) -> dict[int, Theme]:
    """Return every codebook theme of a programme (merged ones too), by id."""
    rows = db.session.scalars(select(Theme).where(Theme.programme_id == programme_id))
    return {theme.id: theme for theme in rows}


@dataclass
class _Plan:
    """What an analysis would do to a round, worked out without changing anything."""

    round_: Round
    answers: list[Answer]
    by_id: dict[int, Theme]
    by_key: dict[str, Theme]
    pinned: dict[str, str]
    grouped: list[theme_analysis.Theme]


def _curated(by_id: dict[int, Theme]) -> set[int]:
    """Return the themes officers shaped (named, split off or merged into): members stay."""
    merged_into = {resolve_theme(t, by_id) for t in by_id.values() if t.merged_into_id}
    return {t.id for t in by_id.values() if t.label_edited} | {
        t.id for t in merged_into if t is not None
    }


def _plan(round_: Round) -> _Plan:
    """Group the round's answers as the analysis would, keeping every officer edit.

    Answers an officer pinned stay pinned; answers filed under a theme an officer named
    (renamed, merged into or split off) stay there too, so a curated theme never loses an
    answer. Themes this round's own earlier run invented are made again from scratch;
    themes from other rounds and themes an officer named are the codebook answers join first.
    """
    rows = free_text_answers(round_)
    by_id = programme_themes(round_.programme_id)
    codebook = [
        known_theme(t)
        for t in sorted(by_id.values(), key=lambda t: t.id)
        if t.merged_into_id is None and (t.first_round_id != round_.id or t.label_edited)
    ]
    curated = _curated(by_id)
    pinned: dict[str, str] = {}
    inputs: list[theme_analysis.ThemeInput] = []
    for answer, sector in rows:
        if answer.theme_pinned and answer.theme_id is None:
            continue  # an officer took it out of every theme
        target = resolve_theme(by_id.get(answer.theme_id), by_id)
        if target is not None and (answer.theme_pinned or target.id in curated):
            pinned[str(answer.id)] = target.key
        inputs.append(
            theme_analysis.ThemeInput(
                id=str(answer.id),
                text=answer.value,
                kind=answer.kind,
                sector=sector,
                label=answer.effective_label,
                vector=vectors.stored_vector(answer),
            )
        )
    grouped = theme_analysis.group_themes(inputs, codebook=codebook, pinned=pinned)
    by_key = {t.key: t for t in by_id.values()}
    return _Plan(round_, [a for a, _ in rows], by_id, by_key, pinned, grouped)


def _shown_label(plan: _Plan, found: theme_analysis.Theme) -> str:
    """Return the label a found theme will carry: a curated or older theme keeps its own."""
    theme = resolve_theme(plan.by_key.get(found.key), plan.by_id)
    if theme is not None and (theme.label_edited or theme.first_round_id != plan.round_.id):
        return theme.label
    return found.label[:200]


@dataclass(frozen=True)
class ThemeChange:
    """One theme in a preview: its label and side, answers now and after the analysis."""

    label: str
    kind: str
    before: int
    after: int


@dataclass(frozen=True)
class AnalysisPreview:
    """What `analyse_round` would change, shown before an officer confirms it."""

    round_slug: str
    answers: int
    to_retag: int
    moved: int
    kept: int
    themes: tuple[ThemeChange, ...]

    @property
    def changed(self) -> tuple[ThemeChange, ...]:
        """Return the themes that would gain, lose, appear or disappear."""
        return tuple(t for t in self.themes if t.before != t.after)


def preview_round(round_: Round) -> AnalysisPreview:
    """Say what re-analysing a round would change, without changing anything."""
    plan = _plan(round_)
    before: dict[tuple[str, str], int] = {}
    label_before: dict[int, tuple[str, str]] = {}
    for answer in plan.answers:
        theme = resolve_theme(plan.by_id.get(answer.theme_id), plan.by_id)
        if theme is not None:
            key = (theme.label, theme.kind)
            before[key] = before.get(key, 0) + 1
            label_before[answer.id] = key
    after: dict[tuple[str, str], int] = {}
    moved = 0
    for found in plan.grouped:
        key = (_shown_label(plan, found), found.kind)
        after[key] = after.get(key, 0) + len(found.answer_ids)
        moved += sum(1 for i in found.answer_ids if label_before.get(int(i)) != key)
    names = sorted(set(before) | set(after), key=lambda k: (k[1], -after.get(k, 0), k[0]))
    return AnalysisPreview(
        round_slug=round_.slug,
        answers=len(plan.answers),
        to_retag=len(tagging.stale_answers(plan.answers, round_.programme_id)),
        moved=moved,
        kept=len(plan.pinned),
        themes=tuple(
            ThemeChange(label, kind, before.get((label, kind), 0), after.get((label, kind), 0))
            for label, kind in names
        ),
    )


def analyse_round(round_: Round, *, force_retag: bool = False) -> AnalysisResult:
    """Re-tag a round's free-text answers where the tagger changed and regroup its themes."""
    answers = [a for a, _ in free_text_answers(round_)]
    retagged = tagging.retag(answers, round_.programme_id, force=force_retag)
    vectors.store_vectors(answers)
    plan = _plan(round_)
    texts = {str(answer.id): answer.value for answer in plan.answers}
    theme_of: dict[int, int] = {}
    new_themes = 0
    for found in plan.grouped:
        theme = resolve_theme(plan.by_key.get(found.key), plan.by_id)
        if theme is None:
            theme = Theme(
                programme_id=round_.programme_id,
                key=found.key,
                label=found.label[:200],
                kind=found.kind if found.kind in THEME_KINDS else "other",
                exemplars=[],
                first_round_id=round_.id,
            )
            db.session.add(theme)
            db.session.flush()
            plan.by_key[found.key] = plan.by_id[theme.id] = theme
            new_themes += 1
        else:
            theme.label = _shown_label(plan, found)
        theme.exemplars = _merged_exemplars(
            theme.exemplars, [texts[i] for i in found.answer_ids if i in texts], found.quotes
        )
        db.session.flush()
        for answer_id in found.answer_ids:
            theme_of[int(answer_id)] = theme.id

    for answer in plan.answers:
        if not (answer.theme_pinned and answer.theme_id is None):
            answer.theme_id = theme_of.get(answer.id)
    db.session.flush()
    _drop_unused_themes(round_, set(theme_of.values()))
    answers = plan.answers
    return AnalysisResult(
        round_slug=round_.slug,
        tagger_version=tagging.programme_adaptation(round_.programme_id).version(),
        answers=len(answers),
        retagged=retagged,
        overrides_kept=sum(1 for a in answers if a.override_label),
        themes=len({theme_of[a.id] for a in answers if a.id in theme_of}),
        new_themes=new_themes,
        pinned=len(plan.pinned),
    )


def _drop_unused_themes(round_: Round, used: set[int]) -> None:
    """Delete themes this round invented that no answer, lesson or merge refers to any more."""
    candidates = db.session.scalars(
        select(Theme).where(
            Theme.first_round_id == round_.id,
            Theme.label_edited.is_(False),
            Theme.merged_into_id.is_(None),
            Theme.id.not_in(used or {0}),
        )
    ).all()
    for theme in candidates:
        referenced = db.session.scalar(
            select(Answer.id).where(Answer.theme_id == theme.id).limit(1)
        ) or db.session.scalar(select(Lesson.id).where(Lesson.theme_id == theme.id).limit(1))
        merged = db.session.scalar(select(Theme.id).where(Theme.merged_into_id == theme.id))
        if not referenced and not merged:
            db.session.delete(theme)
    db.session.flush()


def _merged_exemplars(existing: list[str] | None, texts: list[str], quotes: Iterable) -> list[str]:
    """Keep a theme's exemplars, adding this round's most representative phrases up to the cap."""
    kept = list(existing or [])
    for candidate in [_quote_text(q) for q in quotes] + texts:
        if len(kept) >= MAX_EXEMPLARS:
            break
        if candidate and candidate not in kept:
            kept.append(candidate)
    return kept


def _quote_text(quote: Any) -> str:
    return quote if isinstance(quote, str) else str(getattr(quote, "text", "") or "")


def known_theme(theme: Theme) -> theme_analysis.KnownTheme:
    """Describe a codebook theme to the pure analysis."""
    return theme_analysis.KnownTheme(
        key=theme.key,
        label=theme.label,
        kind=theme.kind,
        exemplars=tuple(theme.exemplars or ()),
    )


def override_tag(answer: Answer, label: str, officer: Officer) -> Answer:
    """Record an officer's sentiment label for an answer; re-analysis never undoes it."""
    if label not in SENTIMENT_LABELS:
        raise InvalidInput(
            "Choose positive, neutral or negative.", {"label": "Choose a sentiment label"}
        )
    answer.override_label = label
    answer.override_by_id = officer.id
    answer.override_at = utcnow()
    audit.record("answer.override_tag", actor=officer, target=answer, status=label)
    db.session.flush()
    return answer


def clear_override(answer: Answer, officer: Officer) -> Answer:
    """Remove an officer's override so the tagger's label shows again."""
    answer.override_label = None
    answer.override_by_id = officer.id
    answer.override_at = utcnow()
    audit.record("answer.clear_override", actor=officer, target=answer)
    db.session.flush()
    return answer
