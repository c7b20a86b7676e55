"""Themes of a round: the list, one theme's answers, and the officers' edits to them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from app.admin.helpers import actor
from app.auth import role_required
from app.extensions import db
from app.reports import blueprint
from app.reports.helpers import can_edit, round_or_404
from surveys.errors import InvalidInput, NotFound
from surveys.models import SECTORS, THEME_KINDS, Round, Theme
from surveys.services import analysis_runs, themes


def _theme_or_404(round_: Round, theme_id: int) -> Theme:
    try:
        return themes.get_theme(theme_id, round_.programme_id)
    except NotFound:
        abort(404)


def _answer_or_404(round_: Round, answer_id: int):
    try:
        return themes.answer_in_round(answer_id, round_)
    except NotFound:
        abort(404)


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text) if text not in (None, "") else None
    except ValueError:
        return None


@blueprint.get("/<round_slug>/themes")
@role_required("viewer")
def theme_list(round_slug: str):
    """List the round's themes by kind with their counts."""
    round_ = round_or_404(round_slug)
    found = themes.themes_for_round(round_)
    by_kind = {kind: [rt for rt in found if rt.theme.kind == kind] for kind in THEME_KINDS}
    return render_template(
        "reports/themes.html",
        round=round_,
        by_kind=by_kind,
        kinds=THEME_KINDS,
        total=sum(rt.count for rt in found),
        can_edit=can_edit(),
    )


@blueprint.get("/<round_slug>/analyse")
@role_required("officer")
def analyse_preview(round_slug: str):
    """Show what running the analysis again would change; nothing changes until confirmed."""
    round_ = round_or_404(round_slug)
    preview = analysis_runs.preview_round(round_)
    db.session.rollback()
    return render_template(
        "reports/analyse_preview.html", round=round_, preview=preview, kinds=THEME_KINDS
    )


@blueprint.post("/<round_slug>/analyse")
@role_required("officer")
def analyse(round_slug: str):
    """Re-tag stale answers and regroup the round's themes, keeping officers' edits."""
    round_ = round_or_404(round_slug)
    result = analysis_runs.analyse_round(round_)
    db.session.commit()
    flash(
        f"Analysed {result.answers} answers: {result.retagged} re-tagged, "
        f"{result.themes} themes ({result.new_themes} new)",
        "success",
    )
    return redirect(url_for("reports.theme_list", round_slug=round_.slug))


def _render_theme(round_: Round, theme: Theme, errors: dict[str, str] | None = None, status=200):
    others = [t for t in themes.live_themes(round_.programme_id) if t.id != theme.id]
    return (
        render_template(
            "reports/theme.html",
            round=round_,
            theme=theme,
            answers=themes.theme_answers(theme, round_),
            others=others,
            merge_options=[(t.id, f"{t.label} ({THEME_KINDS[t.kind]})") for t in others],
            sectors=SECTORS,
            kinds=THEME_KINDS,
            errors=errors or {},
            form=request.form,
            can_edit=can_edit(),
        ),
        status,
    )


@blueprint.get("/<round_slug>/themes/<int:theme_id>")
@role_required("viewer")
def theme_detail(round_slug: str, theme_id: int):
    """Show one theme's answers in the round, with the forms to edit it."""
    round_ = round_or_404(round_slug)
    theme = _theme_or_404(round_, theme_id)
    if theme.merged_into_id is not None:
        return redirect(
            url_for("reports.theme_detail", round_slug=round_slug, theme_id=theme.merged_into_id)
        )
    return _render_theme(round_, theme)


def _edit(round_: Round, theme: Theme, change, message: str, go_to: int | None = None):
    """Apply a theme edit; commit and redirect, or roll back and show the errors."""
    try:
        result = change()
    except InvalidInput as error:
        db.session.rollback()
        errors = error.errors or {"form": str(error)}
        return _render_theme(round_, db.session.get(Theme, theme.id), errors, 422)
    db.session.commit()
    flash(message, "success")
    target = go_to if go_to is not None else getattr(result, "id", theme.id)
    return redirect(url_for("reports.theme_detail", round_slug=round_.slug, theme_id=target))


@blueprint.post("/<round_slug>/themes/<int:theme_id>/rename")
@role_required("officer")
def rename_theme(round_slug: str, theme_id: int):
    """Rename a theme."""
    round_ = round_or_404(round_slug)
    theme = _theme_or_404(round_, theme_id)
    label = request.form.get("label", "")
    return _edit(round_, theme, lambda: themes.rename_theme(theme, label, actor()), "Theme renamed")


@blueprint.post("/<round_slug>/themes/<int:theme_id>/merge")
@role_required("officer")
def merge_theme(round_slug: str, theme_id: int):
    """Merge this theme into another."""
    round_ = round_or_404(round_slug)
    theme = _theme_or_404(round_, theme_id)
    target_id = _int_or_none(request.form.get("target"))
    if target_id is None:
        return _render_theme(round_, theme, {"target": "Choose a theme to merge into"}, 422)
    target = _theme_or_404(round_, target_id)
    return _edit(
        round_,
        theme,
        lambda: themes.merge_themes(theme, target, actor()),
        f"Merged into ‘{target.label}’",
    )


@blueprint.post("/<round_slug>/themes/<int:theme_id>/split")
@role_required("officer")
def split_theme(round_slug: str, theme_id: int):
    """Move the chosen answers into a new theme."""
    round_ = round_or_404(round_slug)
    theme = _theme_or_404(round_, theme_id)
    ids = [i for i in (_int_or_none(v) for v in request.form.getlist("answer_ids")) if i]
    label = request.form.get("new_label", "")

    def change():
        try:
            return themes.split_theme(theme, ids, label, actor())
        except InvalidInput as error:
            # The split form names its label field new_label.
            if "label" in error.errors:
                error.errors["new_label"] = error.errors.pop("label")
            raise

    return _edit(round_, theme, change, "New theme made from the chosen answers")


@blueprint.post("/<round_slug>/answers/<int:answer_id>/move")
@role_required("officer")
def move_answer(round_slug: str, answer_id: int):
    """File an answer under another theme and pin it there."""
    round_ = round_or_404(round_slug)
    answer = _answer_or_404(round_, answer_id)
    current = answer.theme_id
    target_id = _int_or_none(request.form.get("theme_id"))
    target = _theme_or_404(round_, target_id) if target_id else None
    back = _theme_or_404(round_, current) if current else target
    if back is None:
        abort(400)
    return _edit(
        round_,
        back,
        lambda: themes.move_answer(answer, target, actor()),
        "Answer moved" if target else "Answer taken out of its theme",
        go_to=back.id,
    )


@blueprint.post("/<round_slug>/answers/<int:answer_id>/tag")
@role_required("officer")
def override_tag(round_slug: str, answer_id: int):
    """Set (or clear) an officer's sentiment label on an answer."""
    round_ = round_or_404(round_slug)
    answer = _answer_or_404(round_, answer_id)
    label = request.form.get("label", "")
    if label == "clear":
        change = lambda: analysis_runs.clear_override(answer, actor())  # noqa: E731
    else:
        change = lambda: analysis_runs.override_tag(answer, label, actor())  # noqa: E731
    next_theme = answer.theme_id
    if next_theme is None:
        try:
            change()
        except InvalidInput:
            db.session.rollback()
            abort(422)
        db.session.commit()
        flash("Sentiment updated", "success")
        return redirect(url_for("reports.summary", round_slug=round_.slug))
    theme = _theme_or_404(round_, next_theme)
    return _edit(round_, theme, change, "Sentiment updated", go_to=theme.id)
