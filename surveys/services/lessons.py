"""Lessons drawn from a round's improvement themes, the actions that answer them, and the
"Last time you told us ...; we did .... Has this improved?" questions they add to the next round.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import selectinload

from surveys.db import db
from surveys.errors import InvalidInput, NotFound
from surveys.models import (
    ACTION_STATUSES,
    Action,
    Lesson,
    LessonStatus,
    Officer,
    Round,
    Survey,
    SurveyVersion,
    Theme,
)
from surveys.services import audit, webhooks

FOLLOWUP_PAGE_ID = "you_said_we_did"
# Pages that stay at the end of a questionnaire, after the follow-up page.
CLOSING_PAGE_IDS = frozenset({"anything_else", "contact"})
FOLLOWUP_OPTIONS = (
    {"value": "yes", "label": "Yes"},
    {"value": "partly", "label": "Partly"},
    {"value": "no", "label": "No"},
)
CLOSED_ACTION_STATUSES = frozenset({"done", "dropped"})
FOLLOWUP_ID = re.compile(r"lesson_(\d+)_(?:improved|comment)")


def next_round_of(round_: Round) -> Round | None:
    """Return the round that follows this one in its programme, if it exists yet."""
    return db.session.scalars(
        select(Round).where(Round.previous_round_id == round_.id).order_by(Round.id).limit(1)
    ).first()


def record_lesson(
    round_: Round,
    theme: Theme | None,
    title: str,
    what_we_heard: str,
    officer: Officer | None,
    actions: Iterable[Mapping[str, Any]] = (),
    *,
    target_round: Round | None = None,
    ask_next_round: bool = True,
) -> Lesson:
    """Record a lesson from a round (usually from an improvement theme) with its actions."""
    title = " ".join((title or "").split())
    errors = {}
    if not title:
        errors["title"] = "Enter a title for the lesson"
    elif len(title) > 200:
        errors["title"] = "Titles must be 200 characters or fewer"
    if theme is not None and theme.programme_id != round_.programme_id:
        errors["theme_id"] = "Choose a theme from this programme"
    if errors:
        raise InvalidInput(next(iter(errors.values())) + ".", errors)
    target = target_round or next_round_of(round_)
    lesson = Lesson(
        programme_id=round_.programme_id,
        round_id=round_.id,
        theme_id=theme.id if theme is not None else None,
        target_round_id=target.id if target is not None else None,
        title=title,
        what_we_heard=(what_we_heard or "").strip(),
        what_we_did="",
        status="open",
        ask_next_round=ask_next_round,
        created_by_id=officer.id if officer is not None else None,
    )
    db.session.add(lesson)
    db.session.flush()
    for action in actions:
        add_action(
            lesson,
            action.get("description", ""),
            action.get("owner", ""),
            action.get("due_on"),
            officer,
        )
    audit.record("lesson.record", actor=officer, target=lesson, round_id=round_.id)
    db.session.flush()
    webhooks.lesson_updated(lesson, "recorded")
    return lesson


def get_lesson(lesson_id: int) -> Lesson:
    """Return a lesson by id, or raise NotFound."""
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None:
        raise NotFound("No such lesson.")
    return lesson


def get_action(action_id: int) -> Action:
    """Return an action by id, or raise NotFound."""
    action = db.session.get(Action, action_id)
    if action is None:
        raise NotFound("No such action.")
    return action


def add_action(
    lesson: Lesson, description: str, owner: str, due_on: date | None, officer: Officer | None
) -> Action:
    """Add an action to a lesson; it must be due before the next round opens."""
    description = (description or "").strip()
    owner = " ".join((owner or "").split())
    errors = {}
    if not description:
        errors["description"] = "Describe the action"
    if not owner:
        errors["owner"] = "Enter who owns the action"
    elif len(owner) > 200:
        errors["owner"] = "Owner must be 200 characters or fewer"
    if due_on is not None and not isinstance(due_on, date):
        errors["due_on"] = "Enter a real date"
    target = db.session.get(Round, lesson.target_round_id) if lesson.target_round_id else None
    if (
        isinstance(due_on, date)
        and target is not None
        and target.opens_on is not None
        and due_on > target.opens_on
    ):
        errors["due_on"] = (
            f"The action must be due by {target.opens_on:%-d %B %Y}, when {target.name} opens"
        )
    if errors:
        raise InvalidInput(next(iter(errors.values())) + ".", errors)
    action = Action(description=description, owner=owner, due_on=due_on, status="planned")
    lesson.actions.append(action)
    db.session.flush()
    audit.record("action.add", actor=officer, target=action, status=action.status)
    webhooks.action_updated(action, "added")
    return action


def update_action(action: Action, status: str, evidence: str, officer: Officer | None) -> Action:
    """Move an action on; marking it done needs evidence of what was done."""
    evidence = (evidence or "").strip()
    if status not in ACTION_STATUSES:
        raise InvalidInput("Choose a status.", {"status": "Choose a status"})
    if status == "done" and not (evidence or action.evidence):
        raise InvalidInput(
            "Say what was done before marking the action done.",
            {"evidence": "Say what was done (the evidence)"},
        )
    action.status = status
    if evidence:
        action.evidence = evidence
    audit.record("action.update", actor=officer, target=action, status=status)
    db.session.flush()
    webhooks.action_updated(action, "updated")
    return action


def update_lesson(
    lesson: Lesson,
    officer: Officer | None,
    *,
    what_we_did: str | None = None,
    status: str | None = None,
    ask_next_round: bool | None = None,
) -> Lesson:
    """Record what the team did about a lesson, close or reopen it, or stop asking about it."""
    if status is not None and status not in ("open", "closed"):
        raise InvalidInput("Choose open or closed.", {"status": "Choose open or closed"})
    if what_we_did is not None:
        lesson.what_we_did = what_we_did.strip()
    if status is not None:
        lesson.status = status
    if ask_next_round is not None:
        lesson.ask_next_round = ask_next_round
    audit.record("lesson.update", actor=officer, target=lesson, status=lesson.status)
    db.session.flush()
    webhooks.lesson_updated(lesson, "updated")
    return lesson


def delete_lesson(lesson: Lesson, officer: Officer | None) -> None:
    """Delete a lesson and its actions, unless a survey already asks about it."""
    if lesson.id in _lessons_asked(Round.programme_id == lesson.programme_id):
        raise InvalidInput(
            "A survey asks about this lesson; close it instead.",
            {"lesson": "A survey asks about this lesson; close it instead"},
        )
    audit.record("lesson.delete", actor=officer, target=lesson, round_id=lesson.round_id)
    db.session.delete(lesson)
    db.session.flush()


def delete_action(action: Action, officer: Officer | None) -> None:
    """Delete an action (one recorded by mistake; drop it to keep its history)."""
    audit.record("action.delete", actor=officer, target=action, status=action.status)
    action.lesson.actions.remove(action)
    db.session.flush()


def lessons_for_round(round_: Round) -> list[Lesson]:
    """Return the lessons recorded from a round, with their actions and themes."""
    return list(
        db.session.scalars(
            select(Lesson)
            .where(Lesson.round_id == round_.id)
            .options(selectinload(Lesson.actions), selectinload(Lesson.theme))
            .order_by(Lesson.id)
        )
    )


def lessons_targeting(round_: Round) -> list[Lesson]:
    """Return the lessons carried into this round (from the previous round or aimed at it)."""
    condition = Lesson.target_round_id == round_.id
    if round_.previous_round_id is not None:
        condition = or_(
            condition,
            (Lesson.round_id == round_.previous_round_id) & Lesson.target_round_id.is_(None),
        )
    return list(
        db.session.scalars(
            select(Lesson)
            .where(condition)
            .options(selectinload(Lesson.actions), selectinload(Lesson.theme))
            .order_by(Lesson.id)
        )
    )


def what_we_did(lesson: Lesson) -> str:
    """Say what was done about a lesson: the officer's words, else the finished actions."""
    if lesson.what_we_did.strip():
        return lesson.what_we_did.strip()
    done = [a for a in lesson.actions if a.status == "done"]
    return "; ".join(
        (a.description.rstrip(".") + (f" ({a.evidence.strip()})" if a.evidence.strip() else ""))
        for a in done
    )


def followup_question_ids(lesson: Lesson) -> tuple[str, str]:
    """Return the ids of a lesson's "Has this improved?" question and its comment question."""
    return f"lesson_{lesson.id}_improved", f"lesson_{lesson.id}_comment"


def lesson_id_of(question_id: str) -> int | None:
    """Return the lesson a follow-up question asks about, or None for any other question."""
    match = FOLLOWUP_ID.fullmatch(question_id or "")
    return int(match.group(1)) if match else None


def followup_questions(round_: Round) -> list[dict[str, Any]]:
    """Return the questions that open lessons add to this round's survey, two per lesson.

    Each question's id names its lesson (`lesson_12_improved`, `lesson_12_comment`; see
    `lesson_id_of`), so answers can be traced back without extra definition fields.
    """
    questions: list[dict[str, Any]] = []
    for lesson in lessons_targeting(round_):
        if lesson.status != LessonStatus.OPEN or not lesson.ask_next_round:
            continue
        improved_id, comment_id = followup_question_ids(lesson)
        heard = (lesson.what_we_heard or lesson.title).strip().rstrip(".")
        did = what_we_did(lesson).rstrip(".")
        text = f"Last time you told us {_lower_first(heard)}"
        if did:
            text += f"; we {_we_did_phrase(did)}"
        text += ". Has this improved?"
        questions.append(
            {
                "id": improved_id,
                "type": "single_choice",
                "text": text,
                "options": [dict(option) for option in FOLLOWUP_OPTIONS],
                "required": False,
            }
        )
        questions.append(
            {
                "id": comment_id,
                "type": "long_text",
                # Named, because every lesson's comment box shares the one page.
                "text": f"Tell us more about ‘{lesson.title}’ (optional)",
                "kind": "other",
                "required": False,
            }
        )
    return questions


def add_followups_to_definition(definition: dict[str, Any], round_: Round) -> dict[str, Any]:
    """Return a copy of a survey definition with the round's follow-up questions added once.

    The follow-up page goes before the closing "anything else" and contact pages when the
    questionnaire has them, so those stay last; otherwise it is the last page.
    """
    result = copy.deepcopy(definition)
    existing = {q.get("id") for q in iter_questions(result)}
    new = [q for q in followup_questions(round_) if q["id"] not in existing]
    if not new:
        return result
    pages = result.setdefault("pages", [])
    page = next((p for p in pages if p.get("id") == FOLLOWUP_PAGE_ID), None)
    if page is None:
        page = {"id": FOLLOWUP_PAGE_ID, "title": "Since last time", "questions": []}
        closing = next(
            (i for i, p in enumerate(pages) if p.get("id") in CLOSING_PAGE_IDS), len(pages)
        )
        pages.insert(closing, page)
    page.setdefault("questions", []).extend(new)
    return result


def remove_followups(definition: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of a survey definition without any lesson's follow-up questions.

    A survey copied from the previous round would otherwise ask again about the lessons
    carried into that round, which this round's respondents never told us.
    """
    result = copy.deepcopy(definition)
    if "pages" not in result:
        return result
    pages = []
    for page in result["pages"] or ():
        questions = page.get("questions") or []
        kept = [q for q in questions if lesson_id_of(q.get("id")) is None]
        if kept or not questions:  # drop only the pages that held nothing but follow-ups
            pages.append({**page, "questions": kept} if questions else page)
    result["pages"] = pages
    return result


def lessons_asked_about(definition: dict[str, Any]) -> list[int]:
    """Return the ids of the lessons whose "Has this improved?" question a definition asks."""
    return [
        lesson_id
        for question in iter_questions(definition)
        if str(question.get("id", "")).endswith("_improved")
        and (lesson_id := lesson_id_of(str(question.get("id", "")))) is not None
    ]


def lessons_asked_in(round_: Round) -> set[int]:
    """Return the ids of the lessons whose "Has this improved?" a survey of the round asks."""
    return _lessons_asked(Survey.round_id == round_.id)


def _lessons_asked(*where: ColumnElement[bool]) -> set[int]:
    """Return the ids of the lessons asked about by any version of the surveys matching where."""
    definitions = db.session.scalars(
        select(SurveyVersion.definition)
        .join(Survey, Survey.id == SurveyVersion.survey_id)
        .join(Round, Round.id == Survey.round_id)
        .where(*where)
    )
    return {lesson_id for d in definitions for lesson_id in lessons_asked_about(d or {})}


def iter_questions(definition: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """Yield every question of a survey definition, page by page."""
    for page in definition.get("pages") or ():
        yield from page.get("questions") or ()


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _we_did_phrase(did: str) -> str:
    """Turn "We extended ..." or "Extended ..." into "extended ..." to follow "we"."""
    did = did.strip()
    if did.lower().startswith("we "):
        did = did[3:]
    return _lower_first(did)
