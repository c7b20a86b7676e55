"""A round's lessons-learned summary, built from the database by the pure analysis package.

`round_summary` reads the round in bulk (`summary_load`), keeps the officers' theme
assignments by pinning every themed answer to its stored theme, redacts quotes with the
programme's contact and officer names, suppresses groups under k respondents, compares with
the previous round and reports "You said, we did" from the lessons carried into the round.
Every output renders the result; `summary_store` keeps it so pages and Slack read a copy.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from flask import current_app, has_app_context
from sqlalchemy import select

from analysis import summary as analysis_summary
from analysis.summary_model import (
    Comparison,
    Lesson,
    LessonAction,
    MethodologyCounts,
    RoundInfo,
    RoundSummary,
)
from surveys.db import db
from surveys.errors import InvalidInput
from surveys.models import (
    ACTION_STATUSES,
    SECTORS,
    Contact,
    Invitation,
    Officer,
    Organisation,
    Round,
    Survey,
    utcnow,
)
from surveys.models import Lesson as LessonRow
from surveys.services import lessons as lesson_service
from surveys.services.analysis_runs import known_theme, programme_themes
from surveys.services.summary_load import Followups, Loaded, load_round, quotable_texts

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
__all__ = ["Comparison", "RoundSummary", "compare_rounds", "round_summary"]


def suppression_k(k: int | None = None) -> int:
    """Return the smallest group size shown: the argument, else SUPPRESSION_K, else 3."""
    if k is not None:
        return max(1, int(k))
    if has_app_context():
        return max(1, int(current_app.config.get("SUPPRESSION_K", 3)))
    return 3


def round_summary(round_: Round, *, k: int | None = None, compare: bool = True) -> RoundSummary:
    """Build a round's lessons-learned summary (with the previous round's for comparison)."""
    k = suppression_k(k)
    previous = None
    if compare and round_.previous_round_id is not None:
        previous_round = db.session.get(Round, round_.previous_round_id)
        if previous_round is not None:
            previous = round_summary(previous_round, k=k, compare=False)
            if previous.methodology.completed == 0:
                previous = None  # nothing was gathered then, so there is nothing to compare
    return _build(round_, k, previous, with_lessons=True)


def compare_rounds(round_a: Round, round_b: Round, *, k: int | None = None) -> Comparison:
    """Compare a later round (b) with an earlier one (a): themes, ratings, response rate."""
    if round_a.programme_id != round_b.programme_id:
        raise InvalidInput("Only rounds of the same programme can be compared.")
    k = suppression_k(k)
    earlier = _build(round_a, k, None, with_lessons=False)
    later = _build(round_b, k, earlier, with_lessons=False)
    assert later.comparison is not None  # noqa: S101 - built with a previous summary
    return later.comparison


def _build(
    round_: Round, k: int, previous: RoundSummary | None, *, with_lessons: bool
) -> RoundSummary:
    loaded = load_round(round_)
    by_id = programme_themes(round_.programme_id)
    codebook = [
        known_theme(t) for t in sorted(by_id.values(), key=lambda t: t.id) if not t.merged_into_id
    ]
    lessons = _lessons(round_, loaded.followups) if with_lessons else ()
    recorded = _recorded_lessons(round_) if with_lessons else ()
    return analysis_summary.build_summary(
        _round_info(round_),
        _methodology(round_, loaded),
        loaded.free_text,
        loaded.ratings,
        codebook=codebook,
        pinned=loaded.pinned,
        names=redaction_names(round_.programme_id, quotable_texts(loaded)),
        k=k,
        previous=previous,
        lessons=lessons,
        recorded_lessons=recorded,
    )


def _round_info(round_: Round) -> RoundInfo:
    """Name the round and, while it is open, say how many days ago it opened."""
    days = None
    if round_.is_open and round_.opens_on is not None:
        days = max(0, (utcnow().date() - round_.opens_on).days)
    return RoundInfo(slug=round_.slug, name=round_.name, is_open=round_.is_open, days_open=days)


def _methodology(round_: Round, loaded: Loaded) -> MethodologyCounts:
    """Count organisations contacted and responding by sector, and questionnaires by channel."""
    contacted = db.session.execute(
        select(Contact.organisation_id, Contact.role, Organisation.sector)
        .join(Invitation, Invitation.contact_id == Contact.id)
        .join(Survey, Survey.id == Invitation.survey_id)
        .join(Organisation, Organisation.id == Contact.organisation_id)
        .where(Survey.round_id == round_.id, Invitation.status != "revoked")
    ).all()
    organisations: dict[int, str] = {}
    partners: set[int] = set()
    for organisation_id, role, sector in contacted:
        organisations[organisation_id] = SECTORS.get(sector, "Other")
        if role == "partner":
            partners.add(organisation_id)
    invited_by_sector = Counter(organisations.values())
    return MethodologyCounts(
        invited_by_sector=dict(invited_by_sector),
        # Everyone invited gets the web link, whoever else phoned them or reached them in Slack.
        invited_by_channel={"web": len(organisations)} if organisations else {},
        responded_by_sector=dict(loaded.responded_by_sector),
        responded_by_channel=dict(loaded.responded_by_channel),
        imported_by_sector=dict(loaded.imported_by_sector),
        completed=loaded.completed,
        response_days=loaded.response_days,
        telephone=loaded.telephone,
        partners_consulted=len(partners),
    )


def _lessons(round_: Round, followups: dict[int, Followups]) -> tuple[Lesson, ...]:
    """Turn the lessons carried into this round into "You said, we did" entries."""
    labels = {option["value"]: option["label"] for option in lesson_service.FOLLOWUP_OPTIONS}
    asked = lesson_service.lessons_asked_in(round_)
    entries = []
    for lesson in lesson_service.lessons_targeting(round_):
        answered = followups.get(lesson.id, Followups())
        comments = sorted(answered.comments, reverse=True)  # most recent first
        entries.append(
            Lesson(
                theme_label=lesson.theme.label if lesson.theme else lesson.title,
                lesson=lesson.what_we_heard or lesson.title,
                actions=_actions(lesson),
                improved={labels[v]: answered.improved[v] for v in labels if answered.improved[v]},
                what_we_did=lesson.what_we_did.strip(),
                respondents=len(answered.respondents),
                comments=tuple(text for _, _, text in comments),
                asked=lesson.id in asked,
            )
        )
    return tuple(entries)


def _actions(lesson: LessonRow) -> tuple[LessonAction, ...]:
    return tuple(
        LessonAction(
            description=a.description,
            status=a.status,
            status_label=ACTION_STATUSES.get(a.status, a.status),
            evidence=a.evidence or "",
        )
        for a in sorted(lesson.actions, key=lambda a: a.id)
    )


def _recorded_lessons(round_: Round) -> tuple[Lesson, ...]:
    """Turn the lessons recorded from this round's themes into entries for its key findings."""
    following = lesson_service.next_round_of(round_)
    entries = []
    for lesson in lesson_service.lessons_for_round(round_):
        target = db.session.get(Round, lesson.target_round_id) if lesson.target_round_id else None
        target = target or following
        entries.append(
            Lesson(
                theme_label=lesson.theme.label if lesson.theme else lesson.title,
                lesson=lesson.what_we_heard or lesson.title,
                actions=_actions(lesson),
                status=lesson.status,
                followed_up_in=target.name if target is not None else "",
            )
        )
    return tuple(entries)


def redaction_names(programme_id: int, texts: Iterable[str] | None = None) -> list[str]:
    """Return the names to redact from quotes: the programme's contacts and all officers.

    Given the texts to be quoted, only names with a part (first name, surname) that occurs
    in them are returned, so redaction does not build one pattern from thousands of names.
    """
    contacts = db.session.scalars(
        select(Contact.name)
        .join(Invitation, Invitation.contact_id == Contact.id)
        .join(Survey, Survey.id == Invitation.survey_id)
        .join(Round, Round.id == Survey.round_id)
        .where(Round.programme_id == programme_id, Contact.erased_at.is_(None))
        .distinct()
    )
    officers = db.session.scalars(select(Officer.name).where(Officer.name != ""))
    names = {name.strip() for name in (*contacts, *officers) if name and name.strip()}
    if texts is not None:
        words = {word for text in texts for word in _WORD.findall(text.lower())}
        names = {n for n in names if any(p in words for p in _WORD.findall(n.lower()))}
    return sorted(names)
