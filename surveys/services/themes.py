"""The programme codebook: officers' edits to themes, and the codebook the analysis reads.

Every edit here survives re-analysis: a renamed theme keeps its label (`label_edited`), a
merged theme points at its target (`merged_into_id`) and leaves the codebook, a split or a
moved answer is pinned (`theme_pinned`) so the grouping never moves it back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import case, func, select

from analysis import themes as theme_analysis
from surveys.db import db
from surveys.errors import InvalidInput, NotFound
from surveys.models import (
    THEME_KINDS,
    Answer,
    Lesson,
    Officer,
    Programme,
    Response,
    Round,
    Survey,
    Theme,
)
from surveys.services import audit, respondents
from surveys.services.analysis_runs import (
    MAX_EXEMPLARS,
    known_theme,
    programme_themes,
    resolve_theme,
)


@dataclass(frozen=True)
class RoundTheme:
    """A codebook theme as it stands in one round: how many answers it holds there."""

    theme: Theme
    count: int
    pinned: int


def codebook_for(programme: Programme) -> list[theme_analysis.KnownTheme]:
    """Return the programme's live codebook (merged themes left out), oldest first."""
    rows = db.session.scalars(
        select(Theme)
        .where(Theme.programme_id == programme.id, Theme.merged_into_id.is_(None))
        .order_by(Theme.id)
    )
    return [known_theme(theme) for theme in rows]


def get_theme(theme_id: int, programme_id: int | None = None) -> Theme:
    """Return a theme by id, or raise NotFound."""
    theme = db.session.get(Theme, theme_id)
    if theme is None or (programme_id is not None and theme.programme_id != programme_id):
        raise NotFound("No such theme.")
    return theme


def themes_for_round(round_: Round) -> list[RoundTheme]:
    """Return the themes holding the round's answers, largest first."""
    rows = db.session.execute(
        select(
            Answer.theme_id,
            func.count(Answer.id),
            func.sum(case((Answer.theme_pinned.is_(True), 1), else_=0)),
        )
        .join(Response, Response.id == Answer.response_id)
        .join(Survey, Survey.id == Response.survey_id)
        .where(
            Survey.round_id == round_.id,
            Response.status == "submitted",
            Answer.theme_id.is_not(None),
        )
        .group_by(Answer.theme_id)
    ).all()
    by_id = programme_themes(round_.programme_id)
    found = [
        RoundTheme(theme=by_id[theme_id], count=count, pinned=int(pinned or 0))
        for theme_id, count, pinned in rows
        if theme_id in by_id
    ]
    return sorted(found, key=lambda rt: (-rt.count, rt.theme.label.lower(), rt.theme.id))


def theme_answers(theme: Theme, round_: Round | None = None) -> list[tuple[Answer, str | None]]:
    """Return the submitted answers filed under a theme (in one round, if given) with sectors."""
    query = select(Answer, respondents.sector(db.engine.dialect.name)).join(
        Response, Response.id == Answer.response_id
    )
    query = (
        respondents.with_respondent(query)
        .where(Answer.theme_id == theme.id, Response.status == "submitted")
        .order_by(Answer.id)
    )
    if round_ is not None:
        query = query.join(Survey, Survey.id == Response.survey_id).where(
            Survey.round_id == round_.id
        )
    return [(answer, sector) for answer, sector in db.session.execute(query)]


def live_themes(programme_id: int) -> list[Theme]:
    """Return the programme's themes that have not been merged away, by label."""
    return sorted(
        (t for t in programme_themes(programme_id).values() if t.merged_into_id is None),
        key=lambda t: (t.label.lower(), t.id),
    )


def answer_in_round(answer_id: int, round_: Round) -> Answer:
    """Return a submitted answer of this round, or raise NotFound."""
    answer = db.session.scalars(
        select(Answer)
        .join(Response, Response.id == Answer.response_id)
        .join(Survey, Survey.id == Response.survey_id)
        .where(
            Answer.id == answer_id,
            Survey.round_id == round_.id,
            Response.status == "submitted",
        )
    ).first()
    if answer is None:
        raise NotFound("No such answer in this round.")
    return answer


def rename_theme(theme: Theme, label: str, officer: Officer) -> Theme:
    """Give a theme an officer's label, kept by every later analysis."""
    label = _clean_label(label, "label", "Enter a name for the theme")
    _refuse_taken(theme.programme_id, theme.kind, label, "label", but=theme)
    old = theme.label
    theme.label = label
    theme.label_edited = True
    audit.record(
        "theme.rename", actor=officer, target=theme, old_name=_named(old), new_name=_named(label)
    )
    db.session.flush()
    return theme


@dataclass(frozen=True)
class MergePreview:
    """What merging one theme into another would move, before the officer confirms."""

    source: Theme
    target: Theme
    answers_here: int
    answers_elsewhere: int
    lessons: int


def merge_preview(source: Theme, target: Theme, round_: Round) -> MergePreview:
    """Check a merge and count what it would move (this round, other rounds, lessons)."""
    target = _merge_target(source, target)
    in_round = len(theme_answers(source, round_))
    return MergePreview(
        source=source,
        target=target,
        answers_here=in_round,
        answers_elsewhere=len(theme_answers(source)) - in_round,
        lessons=len(
            list(db.session.scalars(select(Lesson.id).where(Lesson.theme_id == source.id)))
        ),
    )


def _merge_target(source: Theme, target: Theme) -> Theme:
    if source.programme_id != target.programme_id:
        raise InvalidInput("Themes from different programmes cannot be merged.")
    target = resolve_theme(target, programme_themes(source.programme_id)) or target
    if source.id == target.id:
        raise InvalidInput(
            "Choose a different theme to merge into.", {"target": "Choose a different theme"}
        )
    if source.merged_into_id is not None:
        raise InvalidInput("That theme has already been merged.")
    if source.kind != target.kind:
        raise InvalidInput(
            "Merge into a theme on the same side.",
            {"target": f"Choose a theme in ‘{THEME_KINDS[source.kind]}’"},
        )
    return target


def merge_themes(source: Theme, target: Theme, officer: Officer) -> Theme:
    """Fold one theme into another: its answers, exemplars and lessons move to the target."""
    target = _merge_target(source, target)
    by_id = programme_themes(source.programme_id)
    source.merged_into_id = target.id
    target.exemplars = _capped(list(target.exemplars or []) + list(source.exemplars or []))
    moved = 0
    for answer in db.session.scalars(select(Answer).where(Answer.theme_id == source.id)):
        answer.theme_id = target.id
        moved += 1
    # Themes merged earlier into the source now stand for the target directly.
    for earlier in by_id.values():
        if earlier.merged_into_id == source.id:
            earlier.merged_into_id = target.id
    for lesson in db.session.scalars(select(Lesson).where(Lesson.theme_id == source.id)):
        lesson.theme_id = target.id
    audit.record(
        "theme.merge",
        actor=officer,
        target=source,
        old_name=_named(source.label),
        into_name=_named(target.label),
        count=moved,
    )
    db.session.flush()
    return target


def split_preview(theme: Theme, answer_ids: Iterable[int], new_label: str, round_: Round):
    """Check a split and return (the new theme's label, the answers it would take)."""
    ids = {int(i) for i in answer_ids}
    errors: dict[str, str] = {}
    try:
        label = _clean_label(new_label, "label", "Enter a name for the new theme")
        _refuse_taken(theme.programme_id, theme.kind, label, "label")
    except InvalidInput as error:
        errors.update(error.errors)
    if not ids:
        errors["answer_ids"] = "Choose at least one answer to move"
    if errors:
        raise InvalidInput("The theme could not be split.", errors)
    answers = [answer for answer, _sector in theme_answers(theme, round_) if answer.id in ids]
    if len(answers) != len(ids):
        raise InvalidInput(
            "Some of those answers are not in this theme in this round.",
            {"answer_ids": "Choose answers from this theme"},
        )
    return label, answers


def split_theme(
    theme: Theme, answer_ids: Iterable[int], new_label: str, officer: Officer, *, round_: Round
) -> Theme:
    """Move some of a round's answers in a theme into a new theme of the same kind, pinned."""
    label, answers = split_preview(theme, answer_ids, new_label, round_)
    new = Theme(
        programme_id=theme.programme_id,
        key=unique_key(theme.programme_id, label),
        label=label,
        kind=theme.kind,
        exemplars=_capped([a.value for a in answers if isinstance(a.value, str)]),
        label_edited=True,
        first_round_id=round_.id,
    )
    db.session.add(new)
    db.session.flush()
    moved = {a.value for a in answers}
    theme.exemplars = [text for text in (theme.exemplars or []) if text not in moved]
    for answer in answers:
        answer.theme_id = new.id
        answer.theme_pinned = True
    audit.record(
        "theme.split",
        actor=officer,
        target=theme,
        count=len(answers),
        old_name=_named(theme.label),
        new_name=_named(label),
    )
    db.session.flush()
    return new


def themes_by_side(round_: Round) -> dict[str, list[Theme]]:
    """Return this round's themes grouped by kind, by name: where its answers may move."""
    found: dict[str, list[Theme]] = {kind: [] for kind in THEME_KINDS}
    for item in themes_for_round(round_):
        found.setdefault(item.theme.kind, []).append(item.theme)
    for kind in found:
        found[kind].sort(key=lambda theme: (theme.label.casefold(), theme.id))
    return found


def move_choices(answer: Answer, round_: Round) -> list[Theme]:
    """Return the themes an answer may move to: this round's, on the answer's side."""
    return themes_by_side(round_).get(side_of(answer), [])


def side_of(answer: Answer) -> str:
    """Return the theme kind an answer belongs with (what went well, to improve, other)."""
    return answer.kind if answer.kind in THEME_KINDS else "other"


def move_answer(answer: Answer, theme: Theme | None, officer: Officer, *, round_: Round) -> Answer:
    """File a round's answer under another of the round's themes (or none), pinned there."""
    if theme is not None:
        theme = resolve_theme(theme, programme_themes(theme.programme_id))
        if _programme_of(answer) != theme.programme_id:
            raise InvalidInput("That theme belongs to another programme.")
        if theme.id not in {choice.id for choice in move_choices(answer, round_)}:
            raise InvalidInput(
                "Choose one of this round's themes on the same side as the answer.",
                {"theme_id": "Choose one of this round's themes on the same side"},
            )
    old = answer.theme.label if answer.theme is not None else "No theme"
    answer.theme_id = theme.id if theme is not None else None
    answer.theme_pinned = True
    audit.record(
        "answer.move_theme",
        actor=officer,
        target=answer,
        old_name=_named(old),
        new_name=_named(theme.label if theme is not None else "No theme"),
    )
    db.session.flush()
    return answer


def _clean_label(label: str, field: str, blank_message: str) -> str:
    """Return a theme name with its spaces tidied, or refuse a blank or over-long one."""
    label = " ".join((label or "").split())
    if not label:
        raise InvalidInput(f"{blank_message}.", {field: blank_message})
    if len(label) > 200:
        raise InvalidInput(
            "Theme names must be 200 characters or fewer.",
            {field: "Theme names must be 200 characters or fewer"},
        )
    return label


def _refuse_taken(
    programme_id: int, kind: str, label: str, field: str, but: Theme | None = None
) -> None:
    """Refuse a name another live theme on the same side of the programme already has."""
    wanted = label.casefold()
    for other in live_themes(programme_id):
        if other.kind == kind and other.label.casefold() == wanted and other is not but:
            message = (
                f"There is already a theme called ‘{other.label}’ in "
                f"‘{THEME_KINDS[kind]}’: choose another name, or merge into it"
            )
            raise InvalidInput(message, {field: message})


def _named(label: str) -> str:
    """A theme name short enough for the audit log."""
    return (
        label
        if len(label) <= audit.MAX_DETAIL_LENGTH
        else label[: audit.MAX_DETAIL_LENGTH - 1] + "…"
    )


def unpin_answer(answer: Answer, officer: Officer) -> Answer:
    """Let the next analysis place an answer again."""
    answer.theme_pinned = False
    audit.record("answer.unpin_theme", actor=officer, target=answer)
    db.session.flush()
    return answer


def unique_key(programme_id: int, label: str) -> str:
    """Return a codebook key made from a label, unique within the programme."""
    base = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:60] or "theme"
    taken = set(
        db.session.scalars(
            select(Theme.key).where(Theme.programme_id == programme_id, Theme.key.like(f"{base}%"))
        )
    )
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _capped(texts: list[str]) -> list[str]:
    kept: list[str] = []
    for text in texts:
        if text and text not in kept:
            kept.append(text)
    return kept[:MAX_EXEMPLARS]


def _programme_of(answer: Answer) -> int:
    return answer.response.survey.round.programme_id
