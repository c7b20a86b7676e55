"""Themes (list, rename, merge), a round's stored summary, and lessons with their actions."""

from __future__ import annotations

from typing import Any

from analysis.summary_codec import summary_to_dict
from app.api import blueprint as blp
from app.api.auth import current_officer
from app.api.paging import paged
from app.api.schemas import (
    ActionInput,
    ActionSchema,
    ActionUpdate,
    LessonArgs,
    LessonInput,
    LessonSchema,
    LessonUpdate,
    MergeInput,
    RenameInput,
    SummarySchema,
    ThemeArgs,
    ThemeSchema,
    page_of,
)
from app.extensions import db
from surveys.models import Round
from surveys.services import cursor_pages, lessons, rounds_admin, summary_store, themes


@blp.get("/themes")
@blp.etag
@blp.arguments(ThemeArgs, location="query")
@blp.response(200, page_of(ThemeSchema))
def list_themes(args: dict[str, Any]):
    """List a programme's codebook themes (merged ones point at the theme they joined)."""
    programme = rounds_admin.get_programme(args["programme_id"])
    return paged(cursor_pages.themes(programme.id), args)


@blp.get("/themes/<int:theme_id>")
@blp.etag
@blp.response(200, ThemeSchema)
def get_theme(theme_id: int):
    """Show one theme."""
    return themes.get_theme(theme_id)


@blp.post("/themes/<int:theme_id>/rename")
@blp.arguments(RenameInput)
@blp.response(200, ThemeSchema)
def rename_theme(data: dict[str, Any], theme_id: int):
    """Give a theme a label that every later analysis keeps."""
    theme = themes.rename_theme(themes.get_theme(theme_id), data["label"], current_officer())
    db.session.commit()
    return theme


@blp.post("/themes/<int:theme_id>/merge")
@blp.arguments(MergeInput)
@blp.response(200, ThemeSchema)
def merge_theme(data: dict[str, Any], theme_id: int):
    """Fold this theme into another of the same programme; returns the theme kept."""
    source = themes.get_theme(theme_id)
    target = themes.get_theme(data["into_id"])
    kept = themes.merge_themes(source, target, current_officer())
    db.session.commit()
    return kept


@blp.get("/rounds/<int:round_id>/summary")
@blp.etag
@blp.response(200, SummarySchema)
def round_summary(round_id: int):
    """The round's lessons-learned summary, as stored for the pages."""
    round_ = rounds_admin.get_round(round_id)
    result = stored_summary_json(round_)
    db.session.commit()  # a summary computed on first read is stored for the next
    return result


def stored_summary_json(round_: Round) -> dict[str, Any]:
    """Read the stored summary the pages read and serialise it (the one place to rewire)."""
    stored = summary_store.stored_summary(round_)
    return {
        "round_id": round_.id,
        "computed_at": stored.computed_at,
        "updating": stored.updating,
        "summary": summary_to_dict(stored.summary),
    }


@blp.get("/lessons")
@blp.etag
@blp.arguments(LessonArgs, location="query")
@blp.response(200, page_of(LessonSchema))
def list_lessons(args: dict[str, Any]):
    """List lessons with their actions, optionally from one round."""
    return paged(cursor_pages.lessons(args.get("round_id")), args)


@blp.post("/lessons")
@blp.arguments(LessonInput)
@blp.response(201, LessonSchema)
def create_lesson(data: dict[str, Any]):
    """Record a lesson from a round, usually from one of its improvement themes."""
    round_ = rounds_admin.get_round(data["round_id"])
    theme_id = data.get("theme_id")
    theme = themes.get_theme(theme_id) if theme_id is not None else None
    lesson = lessons.record_lesson(
        round_,
        theme,
        data["title"],
        data["what_we_heard"],
        current_officer(),
        ask_next_round=data["ask_next_round"],
    )
    db.session.commit()
    return lesson


@blp.get("/lessons/<int:lesson_id>")
@blp.etag
@blp.response(200, LessonSchema)
def get_lesson(lesson_id: int):
    """Show a lesson with its actions."""
    return lessons.get_lesson(lesson_id)


@blp.patch("/lessons/<int:lesson_id>")
@blp.arguments(LessonUpdate)
@blp.response(200, LessonSchema)
def update_lesson(data: dict[str, Any], lesson_id: int):
    """Record what was done about a lesson, close or reopen it, or stop asking about it."""
    lesson = lessons.update_lesson(lessons.get_lesson(lesson_id), current_officer(), **data)
    db.session.commit()
    return lesson


@blp.delete("/lessons/<int:lesson_id>")
@blp.response(204)
def delete_lesson(lesson_id: int):
    """Delete a lesson and its actions."""
    lessons.delete_lesson(lessons.get_lesson(lesson_id), current_officer())
    db.session.commit()


@blp.post("/lessons/<int:lesson_id>/actions")
@blp.arguments(ActionInput)
@blp.response(201, ActionSchema)
def add_action(data: dict[str, Any], lesson_id: int):
    """Add an action to a lesson; it must be due before the next round opens."""
    lesson = lessons.get_lesson(lesson_id)
    action = lessons.add_action(
        lesson, data["description"], data["owner"], data.get("due_on"), current_officer()
    )
    db.session.commit()
    return action


@blp.get("/actions/<int:action_id>")
@blp.etag
@blp.response(200, ActionSchema)
def get_action(action_id: int):
    """Show one action."""
    return lessons.get_action(action_id)


@blp.patch("/actions/<int:action_id>")
@blp.arguments(ActionUpdate)
@blp.response(200, ActionSchema)
def update_action(data: dict[str, Any], action_id: int):
    """Move an action on; marking it done needs evidence."""
    action = lessons.get_action(action_id)
    lessons.update_action(action, data["status"], data["evidence"], current_officer())
    db.session.commit()
    return action


@blp.delete("/actions/<int:action_id>")
@blp.response(204)
def delete_action(action_id: int):
    """Delete an action."""
    lessons.delete_action(lessons.get_action(action_id), current_officer())
    db.session.commit()
