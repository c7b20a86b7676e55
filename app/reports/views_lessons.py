"""Lessons and actions: recorded from a round's themes, tracked into the next round."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from app.admin.helpers import actor, parse_date
from app.auth import role_required
from app.extensions import db
from app.reports import blueprint
from app.reports.helpers import can_edit, round_or_404
from surveys.errors import InvalidInput, NotFound
from surveys.models import ACTION_STATUSES, THEME_KINDS, Lesson, Round
from surveys.services import lessons as lesson_service
from surveys.services import themes


def _lesson_or_404(round_: Round, lesson_id: int) -> Lesson:
    """Return the round's lesson (NotFound, answered 404 by the error handler, otherwise)."""
    lesson = lesson_service.get_lesson(lesson_id)
    if lesson.round_id != round_.id:
        raise NotFound("lesson")
    return lesson


def _render_lessons(round_: Round, errors: dict[str, str] | None = None, status: int = 200):
    round_themes = themes.themes_for_round(round_)
    # Improvement themes first: lessons usually come from what could improve.
    ordered = sorted(round_themes, key=lambda rt: (rt.theme.kind != "improve", -rt.count))
    return (
        render_template(
            "reports/lessons.html",
            round=round_,
            lessons=lesson_service.lessons_for_round(round_),
            carried=lesson_service.lessons_targeting(round_),
            next_round=lesson_service.next_round_of(round_),
            theme_options=[
                (rt.theme.id, f"{rt.theme.label} ({THEME_KINDS[rt.theme.kind]}, {rt.count})")
                for rt in ordered
            ],
            what_we_did=lesson_service.what_we_did,
            statuses=ACTION_STATUSES,
            errors=errors or {},
            form=request.form,
            chosen_theme=_chosen_theme(round_),
            can_edit=can_edit(),
        ),
        status,
    )


def _chosen_theme(round_: Round) -> str:
    """Return the theme id preselected by a link from the summary (?theme_key=...)."""
    key = request.args.get("theme_key")
    if not key:
        return request.values.get("theme_id", "")
    for rt in themes.themes_for_round(round_):
        if rt.theme.key == key:
            return str(rt.theme.id)
    return ""


@blueprint.get("/<round_slug>/lessons")
@role_required("viewer")
def lessons(round_slug: str):
    """List the lessons from a round and those carried into it, with a form for a new one."""
    return _render_lessons(round_or_404(round_slug))


@blueprint.post("/<round_slug>/lessons")
@role_required("officer")
def record_lesson(round_slug: str):
    """Record a lesson, optionally with its first action."""
    round_ = round_or_404(round_slug)
    form = request.form
    errors: dict[str, str] = {}
    theme = None
    if form.get("theme_id"):
        try:
            theme = themes.get_theme(int(form["theme_id"]), round_.programme_id)
        except (ValueError, NotFound):
            errors["theme_id"] = "Choose a theme from this round"
    due_on = parse_date(form.get("due_on"), "due_on", errors, "Due date")
    actions = []
    if form.get("description", "").strip() or form.get("owner", "").strip():
        actions.append(
            {
                "description": form.get("description", ""),
                "owner": form.get("owner", ""),
                "due_on": due_on,
            }
        )
    if errors:
        return _render_lessons(round_, errors, 422)
    try:
        lesson = lesson_service.record_lesson(
            round_,
            theme,
            form.get("title", ""),
            form.get("what_we_heard", ""),
            actor(),
            actions=actions,
        )
    except InvalidInput as error:
        db.session.rollback()
        return _render_lessons(round_, error.errors or {"title": str(error)}, 422)
    db.session.commit()
    flash(f"Lesson ‘{lesson.title}’ recorded", "success")
    return redirect(url_for("reports.lesson", round_slug=round_.slug, lesson_id=lesson.id))


def _render_lesson(round_: Round, lesson: Lesson, errors=None, status: int = 200):
    return (
        render_template(
            "reports/lesson.html",
            round=round_,
            lesson=lesson,
            target=db.session.get(Round, lesson.target_round_id)
            if lesson.target_round_id
            else None,
            what_we_did=lesson_service.what_we_did(lesson),
            statuses=ACTION_STATUSES,
            errors=errors or {},
            form=request.form,
            can_edit=can_edit(),
        ),
        status,
    )


@blueprint.get("/<round_slug>/lessons/<int:lesson_id>")
@role_required("viewer")
def lesson(round_slug: str, lesson_id: int):
    """Show a lesson and its actions."""
    round_ = round_or_404(round_slug)
    return _render_lesson(round_, _lesson_or_404(round_, lesson_id))


def _save(round_: Round, lesson: Lesson, change, message: str, field_suffix: str = ""):
    try:
        change()
    except InvalidInput as error:
        db.session.rollback()
        errors = {f"{field}{field_suffix}": text for field, text in error.errors.items()}
        return _render_lesson(round_, db.session.get(Lesson, lesson.id), errors, 422)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("reports.lesson", round_slug=round_.slug, lesson_id=lesson.id))


@blueprint.post("/<round_slug>/lessons/<int:lesson_id>")
@role_required("officer")
def update_lesson(round_slug: str, lesson_id: int):
    """Record what was done about a lesson, and whether to ask about it next round."""
    round_ = round_or_404(round_slug)
    lesson = _lesson_or_404(round_, lesson_id)
    form = request.form
    return _save(
        round_,
        lesson,
        lambda: lesson_service.update_lesson(
            lesson,
            actor(),
            what_we_did=form.get("what_we_did", ""),
            status=form.get("status") or lesson.status,
            ask_next_round=form.get("ask_next_round") == "yes",
        ),
        "Lesson updated",
    )


@blueprint.post("/<round_slug>/lessons/<int:lesson_id>/actions")
@role_required("officer")
def add_action(round_slug: str, lesson_id: int):
    """Add an action to a lesson."""
    round_ = round_or_404(round_slug)
    lesson = _lesson_or_404(round_, lesson_id)
    errors: dict[str, str] = {}
    due_on = parse_date(request.form.get("due_on"), "due_on", errors, "Due date")
    if errors:
        return _render_lesson(round_, lesson, errors, 422)
    return _save(
        round_,
        lesson,
        lambda: lesson_service.add_action(
            lesson, request.form.get("description", ""), request.form.get("owner", ""), due_on
        ),
        "Action added",
    )


@blueprint.post("/<round_slug>/lessons/<int:lesson_id>/actions/<int:action_id>")
@role_required("officer")
def update_action(round_slug: str, lesson_id: int, action_id: int):
    """Move an action on and record its evidence."""
    round_ = round_or_404(round_slug)
    lesson = _lesson_or_404(round_, lesson_id)
    action = next((a for a in lesson.actions if a.id == action_id), None)
    if action is None:
        abort(404)
    return _save(
        round_,
        lesson,
        lambda: lesson_service.update_action(
            action,
            request.form.get("status", ""),
            request.form.get("evidence", ""),
            actor(),
        ),
        "Action updated",
        field_suffix=f"-{action.id}",
    )
