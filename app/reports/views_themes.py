"""Themes of a round: the list, one theme's answers, and the officers' edits to them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from analysis.charts import shorten
from app.admin.forms import OfficerForm
from app.admin.helpers import actor
from app.auth import role_required
from app.extensions import db
from app.reports import blueprint
from app.reports.forms import MergeThemeForm, RenameThemeForm, SplitThemeForm
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


def _forms(round_: Round, theme: Theme, answers, failed: OfficerForm | None) -> dict:
    """The rename, merge and split forms of a theme page (a refused one as it was sent)."""

    def form(kind: type[OfficerForm]):
        return failed if isinstance(failed, kind) else kind(formdata=None)

    merge, split, rename = form(MergeThemeForm), form(SplitThemeForm), form(RenameThemeForm)
    merge.target.choices = [("", "Choose a theme")] + [
        (str(t.id), t.label)
        for t in themes.live_themes(round_.programme_id)
        if t.kind == theme.kind and t.id != theme.id
    ]
    split.answer_ids.choices = [(str(a.id), shorten(str(a.value), 140)) for a, _ in answers]
    if rename is not failed:
        rename.label.data = theme.label
    return {"rename_form": rename, "merge_form": merge, "split_form": split}


def _render_theme(
    round_: Round,
    theme: Theme,
    failed: OfficerForm | None = None,
    errors: dict[str, str] | None = None,
):
    """Render a theme page; a refused form (or an answer's refused edit) shows its errors."""
    answers = themes.theme_answers(theme, round_)
    if failed is not None:
        errors = failed.error_summary()
    return (
        render_template(
            "reports/theme.html",
            round=round_,
            theme=theme,
            answers=answers,
            move_options=themes.themes_by_side(round_),
            side_of=themes.side_of,
            sectors=SECTORS,
            kinds=THEME_KINDS,
            errors=errors or {},
            can_edit=can_edit(),
            **_forms(round_, theme, answers, failed),
        ),
        422 if errors else 200,
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


def _refused(round_: Round, theme: Theme, form: OfficerForm, error: InvalidInput, field: str):
    """Roll back and show the theme page with the service's reasons on the form's fields
    (a reason about no one field goes against `field`)."""
    db.session.rollback()
    form.show_errors(error.errors or {field: str(error)})
    return _render_theme(round_, db.session.get(Theme, theme.id), form)


def _done(round_: Round, theme_id: int, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("reports.theme_detail", round_slug=round_.slug, theme_id=theme_id))


@blueprint.post("/<round_slug>/themes/<int:theme_id>/rename")
@role_required("officer")
def rename_theme(round_slug: str, theme_id: int):
    """Rename a theme; a blank name or one its side already has is refused."""
    round_ = round_or_404(round_slug)
    theme = _theme_or_404(round_, theme_id)
    form = RenameThemeForm()
    if not form.validate_on_submit():
        return _render_theme(round_, theme, form)
    old = theme.label
    try:
        themes.rename_theme(theme, form.label.data or "", actor())
    except InvalidInput as error:
        return _refused(round_, theme, form, error, "label")
    return _done(round_, theme.id, f"Theme renamed from ‘{old}’ to ‘{theme.label}’")


@blueprint.post("/<round_slug>/themes/<int:theme_id>/merge")
@role_required("officer")
def merge_theme(round_slug: str, theme_id: int):
    """Show what merging this theme into another would move; merge once confirmed."""
    round_ = round_or_404(round_slug)
    theme = _theme_or_404(round_, theme_id)
    form = MergeThemeForm()
    if not form.validate_on_submit():
        return _render_theme(round_, theme, form)
    target_id = _int_or_none(form.target.data)
    if target_id is None:
        form.target.errors = ["Choose a theme to merge into"]
        return _render_theme(round_, theme, form)
    target = _theme_or_404(round_, target_id)
    try:
        preview = themes.merge_preview(theme, target, round_)
    except InvalidInput as error:
        return _refused(round_, theme, form, error, "target")
    if form.confirm.data != "yes":
        return render_template("reports/theme_confirm.html", round=round_, merge=preview)
    old = theme.label
    try:
        merged_into = themes.merge_themes(theme, target, actor())
    except InvalidInput as error:
        return _refused(round_, theme, form, error, "target")
    return _done(round_, merged_into.id, f"‘{old}’ merged into ‘{merged_into.label}’")


@blueprint.post("/<round_slug>/themes/<int:theme_id>/split")
@role_required("officer")
def split_theme(round_slug: str, theme_id: int):
    """Show which answers would make the new theme; split once confirmed."""
    round_ = round_or_404(round_slug)
    theme = _theme_or_404(round_, theme_id)
    form = SplitThemeForm()
    if not form.validate_on_submit():
        return _render_theme(round_, theme, form)
    ids = [i for i in (_int_or_none(v) for v in form.answer_ids.data or []) if i]
    try:
        label, answers = themes.split_preview(theme, ids, form.new_label.data or "", round_)
        if form.confirm.data == "yes":
            new = themes.split_theme(theme, ids, label, actor(), round_=round_)
    except InvalidInput as error:
        # The split form names its label field new_label.
        if "label" in error.errors:
            error.errors["new_label"] = error.errors.pop("label")
        return _refused(round_, theme, form, error, "new_label")
    if form.confirm.data != "yes":
        return render_template(
            "reports/theme_confirm.html",
            round=round_,
            split={"theme": theme, "label": label, "answers": answers},
        )
    return _done(round_, new.id, f"New theme ‘{new.label}’ made from {len(answers)} answers")


@blueprint.post("/<round_slug>/answers/<int:answer_id>/move")
@role_required("officer")
def move_answer(round_slug: str, answer_id: int):
    """File an answer under another of this round's themes on its side, and pin it there."""
    round_ = round_or_404(round_slug)
    answer = _answer_or_404(round_, answer_id)
    current = answer.theme_id
    target_id = _int_or_none(request.form.get("theme_id"))
    target = _theme_or_404(round_, target_id) if target_id else None
    back = _theme_or_404(round_, current) if current else target
    if back is None:
        abort(400)
    if target is not None and target.id == current:
        flash("The answer is already in that theme", "info")
        return redirect(url_for("reports.theme_detail", round_slug=round_.slug, theme_id=back.id))
    return _edit(
        round_,
        back,
        lambda: themes.move_answer(answer, target, actor(), round_=round_),
        f"Answer moved to ‘{target.label}’" if target else "Answer taken out of its theme",
        field_id=f"move-{answer.id}",
    )


def _edit(round_: Round, theme: Theme, change, message: str, field_id: str):
    """Apply one answer's edit (move, sentiment); a refusal shows against its control."""
    try:
        change()
    except InvalidInput as error:
        db.session.rollback()
        return _render_theme(round_, db.session.get(Theme, theme.id), errors={field_id: str(error)})
    return _done(round_, theme.id, message)


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
    return _edit(round_, theme, change, "Sentiment updated", field_id=f"label-{answer.id}")
