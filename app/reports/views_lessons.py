"""Lessons and actions: recorded from a round's themes, tracked into the next round."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from app.admin.forms import OfficerForm, choices
from app.admin.helpers import actor, save_form
from app.auth import role_required
from app.extensions import db
from app.reports import blueprint
from app.reports.forms import ActionForm, ActionUpdateForm, LessonForm, LessonUpdateForm
from app.reports.helpers import can_edit, round_or_404
from surveys.errors import InvalidInput, NotFound
from surveys.models import THEME_KINDS, Lesson, Round
from surveys.services import lessons as lesson_service
from surveys.services import themes


def _lesson_or_404(round_: Round, lesson_id: int) -> Lesson:
    """Return the round's lesson (NotFound, answered 404 by the error handler, otherwise)."""
    lesson = lesson_service.get_lesson(lesson_id)
    if lesson.round_id != round_.id:
        raise NotFound("lesson")
    return lesson


def _render_lessons(round_: Round, form: LessonForm):
    round_themes = themes.themes_for_round(round_)
    # Improvement themes first: lessons usually come from what could improve.
    ordered = sorted(round_themes, key=lambda rt: (rt.theme.kind != "improve", -rt.count))
    form.theme_id.choices = choices(
        [
            ("", "No theme"),
            *(
                (rt.theme.id, f"{rt.theme.label} ({THEME_KINDS[rt.theme.kind]}, {rt.count})")
                for rt in ordered
            ),
        ]
    )
    if request.method == "GET":
        form.theme_id.data = _chosen_theme(round_themes)
    errors = form.error_summary()
    return render_template(
        "reports/lessons.html",
        round=round_,
        lessons=lesson_service.lessons_for_round(round_),
        carried=lesson_service.lessons_targeting(round_),
        next_round=lesson_service.next_round_of(round_),
        what_we_did=lesson_service.what_we_did,
        form=form,
        errors=errors,
        can_edit=can_edit(),
    ), (422 if errors else 200)


def _chosen_theme(round_themes) -> str:
    """Return the theme id preselected by a link from the summary (?theme_key=...)."""
    key = request.args.get("theme_key")
    if not key:
        return request.args.get("theme_id", "")
    for rt in round_themes:
        if rt.theme.key == key:
            return str(rt.theme.id)
    return ""


@blueprint.get("/<round_slug>/lessons")
@role_required("viewer")
def lessons(round_slug: str):
    """List the lessons from a round and those carried into it, with a form for a new one."""
    return _render_lessons(round_or_404(round_slug), LessonForm(formdata=None))


@blueprint.post("/<round_slug>/lessons")
@role_required("officer")
def record_lesson(round_slug: str):
    """Record a lesson, optionally with its first action."""
    round_ = round_or_404(round_slug)
    form = LessonForm()
    valid = form.validate_on_submit()
    theme = None
    if form.theme_id.data:
        try:
            theme = themes.get_theme(int(form.theme_id.data), round_.programme_id)
        except (ValueError, NotFound):
            form.show_errors({"theme_id": "Choose a theme from this round"})
    if not valid or form.theme_id.errors:
        return _render_lessons(round_, form)
    try:
        lesson = lesson_service.record_lesson(
            round_,
            theme,
            form.title.data or "",
            form.what_we_heard.data or "",
            actor(),
            actions=[form.action()] if form.has_action() else [],
        )
    except InvalidInput as error:
        db.session.rollback()
        form.show_errors(error.errors or {"title": str(error)})
        return _render_lessons(round_, form)
    db.session.commit()
    flash(f"Lesson ‘{lesson.title}’ recorded", "success")
    return redirect(url_for("reports.lesson", round_slug=round_.slug, lesson_id=lesson.id))


def _render_lesson(round_: Round, lesson: Lesson, posted: OfficerForm | None = None):
    """Render a lesson with its forms; the one just posted keeps what was typed and its errors."""
    add = posted if isinstance(posted, ActionForm) else ActionForm(formdata=None)
    update = posted if isinstance(posted, LessonUpdateForm) else None
    if update is None:
        update = LessonUpdateForm(formdata=None, obj=lesson)
    action_forms = {
        action.id: posted
        if isinstance(posted, ActionUpdateForm) and posted.action_id == action.id
        else ActionUpdateForm(formdata=None, obj=action).for_action(action.id)
        for action in lesson.actions
    }
    errors = posted.error_summary() if posted else {}
    return render_template(
        "reports/lesson.html",
        round=round_,
        lesson=lesson,
        target=db.session.get(Round, lesson.target_round_id) if lesson.target_round_id else None,
        what_we_did=lesson_service.what_we_did(lesson),
        add_form=add,
        update_form=update,
        action_forms=action_forms,
        errors=errors,
        can_edit=can_edit(),
    ), (422 if errors else 200)


@blueprint.get("/<round_slug>/lessons/<int:lesson_id>")
@role_required("viewer")
def lesson(round_slug: str, lesson_id: int):
    """Show a lesson and its actions."""
    round_ = round_or_404(round_slug)
    return _render_lesson(round_, _lesson_or_404(round_, lesson_id))


def _save(round_: Round, lesson: Lesson, form: OfficerForm, change, message: str):
    saved, _ = save_form(form, change)
    if not saved:
        return _render_lesson(round_, db.session.get(Lesson, lesson.id), form)
    flash(message, "success")
    return redirect(url_for("reports.lesson", round_slug=round_.slug, lesson_id=lesson.id))


@blueprint.post("/<round_slug>/lessons/<int:lesson_id>")
@role_required("officer")
def update_lesson(round_slug: str, lesson_id: int):
    """Record what was done about a lesson, and whether to ask about it next round."""
    round_ = round_or_404(round_slug)
    lesson = _lesson_or_404(round_, lesson_id)
    form = LessonUpdateForm()
    return _save(
        round_,
        lesson,
        form,
        lambda: lesson_service.update_lesson(
            lesson,
            actor(),
            what_we_did=form.what_we_did.data or "",
            status=form.status.data or lesson.status,
            ask_next_round=form.ask_next_round.data,
        ),
        "Lesson updated",
    )


@blueprint.post("/<round_slug>/lessons/<int:lesson_id>/actions")
@role_required("officer")
def add_action(round_slug: str, lesson_id: int):
    """Add an action to a lesson."""
    round_ = round_or_404(round_slug)
    lesson = _lesson_or_404(round_, lesson_id)
    form = ActionForm()
    return _save(
        round_,
        lesson,
        form,
        lambda: lesson_service.add_action(lesson, **form.action(), officer=actor()),
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
    form = ActionUpdateForm().for_action(action.id)
    return _save(
        round_,
        lesson,
        form,
        lambda: lesson_service.update_action(
            action, form.status.data or "", form.evidence.data or "", actor()
        ),
        "Action updated",
    )
