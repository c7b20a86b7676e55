"""Programmes and rounds: create, set dates, attach surveys, open and close."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from app.admin import blueprint
from app.admin.forms import (
    AttachSurveyForm,
    OfficerForm,
    ProgrammeForm,
    RetentionForm,
    RoundDatesForm,
    RoundForm,
    RoundStatusForm,
    choices,
)
from app.admin.helpers import actor, save_form
from app.admin.views_problems import banner_context
from app.auth import role_required
from surveys.services import rounds_admin


@blueprint.get("/rounds", endpoint="home")
@role_required("viewer")
def rounds():
    """List programmes and their rounds."""
    return render_template(
        "admin/rounds.html",
        programmes=rounds_admin.list_programmes(),
        counts=rounds_admin.round_counts(),
        **banner_context(),
    )


@blueprint.route("/programmes/new", methods=["GET", "POST"])
@role_required("admin")
def new_programme():
    """Create a programme."""
    form = ProgrammeForm()
    saved, programme = save_form(
        form,
        lambda: rounds_admin.create_programme(form.name.data or "", retention_days=form.days),
    )
    if saved:
        flash(f"Programme ‘{programme.name}’ created", "success")
        return redirect(url_for("admin.home"))
    errors = form.error_summary()
    return render_template("admin/programme_new.html", errors=errors, form=form), (
        422 if errors else 200
    )


@blueprint.post("/programmes/<int:programme_id>/retention")
@role_required("admin")
def programme_retention(programme_id: int):
    """Set a programme's retention period."""
    programme = rounds_admin.get_programme(programme_id)
    form = RetentionForm()
    saved, _ = save_form(
        form, lambda: rounds_admin.set_retention(programme, form.days, actor=actor())
    )
    if saved:
        flash("Retention period saved", "success")
    else:
        flash("Enter a number of days of 30 or more", "info")
    return redirect(url_for("admin.home"))


@blueprint.route("/programmes/<int:programme_id>/rounds/new", methods=["GET", "POST"])
@role_required("officer")
def new_round(programme_id: int):
    """Create a round in a programme."""
    programme = rounds_admin.get_programme(programme_id)
    form = RoundForm()
    form.previous_round.choices = choices(
        [("", "None"), *((r.id, r.name) for r in programme.rounds)]
    )
    if request.method == "GET" and programme.rounds:
        form.previous_round.data = str(programme.rounds[-1].id)
    saved, round_ = save_form(
        form,
        lambda: rounds_admin.create_round(
            programme,
            form.name.data or "",
            opens_on=form.opens_on.date,
            closes_on=form.closes_on.date,
            reminder_days=form.reminder_days.data or "",
            previous_round=next(
                (r for r in programme.rounds if str(r.id) == form.previous_round.data), None
            ),
            actor=actor(),
        ),
    )
    if saved:
        flash(f"Round ‘{round_.name}’ created", "success")
        return redirect(url_for("admin.round_detail", round_id=round_.id))
    errors = form.error_summary()
    return render_template("admin/round_new.html", programme=programme, errors=errors, form=form), (
        422 if errors else 200
    )


def _round_page(round_, posted: OfficerForm | None = None):
    """Render a round with its forms; the one just posted keeps what was typed and its errors."""
    attach = posted if isinstance(posted, AttachSurveyForm) else AttachSurveyForm(formdata=None)
    try:
        templates = rounds_admin.template_choices()
    except ImportError:
        templates = []
    attach.template.choices = choices([("", "Select a template"), *templates])
    dates = posted if isinstance(posted, RoundDatesForm) else RoundDatesForm(formdata=None)
    if dates is not posted:
        dates.name.data = round_.name
        dates.opens_on.data = round_.opens_on.isoformat() if round_.opens_on else ""
        dates.closes_on.data = round_.closes_on.isoformat() if round_.closes_on else ""
        dates.reminder_days.data = (round_.reminder_days or "").replace(",", ", ")
    errors = posted.error_summary() if posted else {}
    return render_template(
        "admin/round.html", round=round_, attach_form=attach, dates_form=dates, errors=errors
    ), (422 if errors else 200)


@blueprint.get("/rounds/<int:round_id>")
@role_required("viewer")
def round_detail(round_id: int):
    """Show a round: dates, surveys and what can be done next."""
    return _round_page(rounds_admin.get_round(round_id))


@blueprint.post("/rounds/<int:round_id>/dates")
@role_required("officer")
def round_dates(round_id: int):
    """Change a round's name, dates and reminder schedule."""
    round_ = rounds_admin.get_round(round_id)
    form = RoundDatesForm()
    saved, _ = save_form(
        form,
        lambda: rounds_admin.update_round(
            round_,
            name=form.name.data or "",
            opens_on=form.opens_on.date,
            closes_on=form.closes_on.date,
            reminder_days=form.reminder_days.data or "",
            actor=actor(),
        ),
    )
    if not saved:
        return _round_page(round_, form)
    flash("Round details saved", "success")
    return redirect(url_for("admin.round_detail", round_id=round_id))


@blueprint.post("/rounds/<int:round_id>/surveys")
@role_required("officer")
def round_add_survey(round_id: int):
    """Attach a survey from a template, an uploaded YAML file, or the previous round."""
    round_ = rounds_admin.get_round(round_id)
    form = AttachSurveyForm()
    saved, surveys = save_form(form, lambda: _attach(round_, form))
    if not saved:
        return _round_page(round_, form)
    titles = ", ".join(f"‘{survey.title}’" for survey in surveys)
    flash(f"Added {titles}", "success")
    return redirect(url_for("admin.round_detail", round_id=round_id))


def _attach(round_, form: AttachSurveyForm) -> list:
    """Attach the survey(s) the form's source names."""
    if form.source.data == "template":
        return [rounds_admin.attach_template(round_, form.template.data or "", actor=actor())]
    if form.source.data == "upload":
        return [rounds_admin.attach_uploaded_yaml(round_, form.yaml_text, actor=actor())]
    return rounds_admin.copy_previous_surveys(round_, actor=actor())


@blueprint.post("/rounds/<int:round_id>/status")
@role_required("officer")
def round_status(round_id: int):
    """Open or close a round."""
    round_ = rounds_admin.get_round(round_id)
    form = RoundStatusForm()
    open_it = form.action.data == "open"
    saved, _ = save_form(
        form,
        lambda: (rounds_admin.open_round if open_it else rounds_admin.close_round)(
            round_, actor=actor()
        ),
    )
    if not saved:
        return _round_page(round_, form)
    flash(f"Round {round_.status}", "success")
    return redirect(url_for("admin.round_detail", round_id=round_id))
