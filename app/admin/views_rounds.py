"""Programmes and rounds: create, set dates, attach surveys, open and close."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from app.admin import blueprint
from app.admin.forms import ProgrammeForm
from app.admin.helpers import actor, parse_date
from app.admin.views_problems import banner_context
from app.auth import role_required
from app.extensions import db
from surveys.errors import InvalidInput
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
    if form.validate_on_submit():
        try:
            programme = rounds_admin.create_programme(
                form.name.data or "", retention_days=form.days
            )
        except InvalidInput as error:
            db.session.rollback()
            form.show_errors(error.errors)
        else:
            db.session.commit()
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
    text = request.form.get("retention_days", "").strip()
    try:
        rounds_admin.set_retention(programme, int(text) if text else None, actor=actor())
    except (ValueError, InvalidInput):
        db.session.rollback()
        flash("Enter a number of days of 30 or more", "info")
    else:
        db.session.commit()
        flash("Retention period saved", "success")
    return redirect(url_for("admin.home"))


@blueprint.route("/programmes/<int:programme_id>/rounds/new", methods=["GET", "POST"])
@role_required("officer")
def new_round(programme_id: int):
    """Create a round in a programme."""
    programme = rounds_admin.get_programme(programme_id)
    errors: dict[str, str] = {}
    form = request.form
    if request.method == "POST":
        opens_on = parse_date(form.get("opens_on"), "opens_on", errors, "Opening date")
        closes_on = parse_date(form.get("closes_on"), "closes_on", errors, "Closing date")
        previous = None
        if form.get("previous_round"):
            previous = next(
                (r for r in programme.rounds if str(r.id) == form.get("previous_round")), None
            )
        if not errors:
            try:
                round_ = rounds_admin.create_round(
                    programme,
                    form.get("name", ""),
                    opens_on=opens_on,
                    closes_on=closes_on,
                    reminder_days=form.get("reminder_days", "7,2"),
                    previous_round=previous,
                    actor=actor(),
                )
            except InvalidInput as error:
                db.session.rollback()
                errors = error.errors
            else:
                db.session.commit()
                flash(f"Round ‘{round_.name}’ created", "success")
                return redirect(url_for("admin.round_detail", round_id=round_.id))
        return render_template(
            "admin/round_new.html", programme=programme, errors=errors, form=form
        ), 422
    return render_template("admin/round_new.html", programme=programme, errors=errors, form=form)


def _round_page(round_, errors=None, form=None, status=200):
    try:
        templates = rounds_admin.template_choices()
    except ImportError:
        templates = []
    return render_template(
        "admin/round.html", round=round_, templates=templates, errors=errors or {}, form=form or {}
    ), status


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
    form = request.form
    errors: dict[str, str] = {}
    opens_on = parse_date(form.get("opens_on"), "opens_on", errors, "Opening date")
    closes_on = parse_date(form.get("closes_on"), "closes_on", errors, "Closing date")
    if not errors:
        try:
            rounds_admin.update_round(
                round_,
                name=form.get("name", ""),
                opens_on=opens_on,
                closes_on=closes_on,
                reminder_days=form.get("reminder_days", ""),
                actor=actor(),
            )
        except InvalidInput as error:
            errors = error.errors
    if errors:
        db.session.rollback()
        return _round_page(round_, errors, form, 422)
    db.session.commit()
    flash("Round details saved", "success")
    return redirect(url_for("admin.round_detail", round_id=round_id))


@blueprint.post("/rounds/<int:round_id>/surveys")
@role_required("officer")
def round_add_survey(round_id: int):
    """Attach a survey from a template, an uploaded YAML file, or the previous round."""
    round_ = rounds_admin.get_round(round_id)
    source = request.form.get("source")
    try:
        if source == "template":
            surveys = [
                rounds_admin.attach_template(
                    round_, request.form.get("template", ""), actor=actor()
                )
            ]
        elif source == "upload":
            upload = request.files.get("definition_file")
            if upload is None or not upload.filename:
                raise InvalidInput("No file", {"definition_file": "Select a YAML file"})
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise InvalidInput(
                    "Bad file", {"definition_file": "The selected file must be UTF-8 text"}
                ) from None
            surveys = [rounds_admin.attach_uploaded_yaml(round_, text, actor=actor())]
        elif source == "previous":
            surveys = rounds_admin.copy_previous_surveys(round_, actor=actor())
        else:
            raise InvalidInput("No source", {"template": "Select a questionnaire template"})
    except InvalidInput as error:
        db.session.rollback()
        return _round_page(round_, error.errors, request.form, 422)
    db.session.commit()
    titles = ", ".join(f"‘{survey.title}’" for survey in surveys)
    flash(f"Added {titles}", "success")
    return redirect(url_for("admin.round_detail", round_id=round_id))


@blueprint.post("/rounds/<int:round_id>/status")
@role_required("officer")
def round_status(round_id: int):
    """Open or close a round."""
    round_ = rounds_admin.get_round(round_id)
    try:
        if request.form.get("action") == "open":
            rounds_admin.open_round(round_, actor=actor())
        else:
            rounds_admin.close_round(round_, actor=actor())
    except InvalidInput as error:
        db.session.rollback()
        return _round_page(round_, error.errors, None, 422)
    db.session.commit()
    flash(f"Round {round_.status}", "success")
    return redirect(url_for("admin.round_detail", round_id=round_id))
