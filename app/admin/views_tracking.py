"""A round's dashboard, chase list, invitations, reminders and telephone entry."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from app.admin import blueprint
from app.admin.helpers import actor, or_404
from app.admin.views_problems import banner_context
from app.auth import role_required
from app.extensions import db
from app.tasks_mail import enqueue_messages
from surveys.errors import AlreadySubmitted, InvalidInput, NotFound, SurveyClosed
from surveys.models import CALL_OUTCOMES, CHANNELS, CONTACT_ROLES, SECTORS
from surveys.services import contacts as contact_service
from surveys.services import mail, reminders, rounds_admin, telephone, tracking


@blueprint.get("/rounds/<int:round_id>/dashboard")
@role_required("viewer")
def round_dashboard(round_id: int):
    """Show how many were invited, opened, in progress and submitted."""
    round_ = or_404(rounds_admin.get_round, round_id)
    return render_template(
        "admin/dashboard.html",
        round=round_,
        progress=tracking.round_progress(round_),
        sectors=SECTORS,
        channels=CHANNELS,
        **banner_context(),
    )


@blueprint.get("/rounds/<int:round_id>/chase")
@role_required("viewer")
def chase_list(round_id: int):
    """List who has not answered, with phone numbers for telephone follow-up."""
    round_ = or_404(rounds_admin.get_round, round_id)
    sector = request.args.get("sector", "")
    return render_template(
        "admin/chase.html",
        round=round_,
        sector=sector,
        sectors=SECTORS,
        entries=tracking.chase_list(round_, sector=sector),
        outcomes=CALL_OUTCOMES,
    )


@blueprint.route("/rounds/<int:round_id>/invite", methods=["GET", "POST"])
@role_required("officer")
def round_invite(round_id: int):
    """Choose contacts (by sector, role or one by one) and email them invitations."""
    round_ = or_404(rounds_admin.get_round, round_id)
    source = request.form if request.method == "POST" else request.args
    sector, role = source.get("sector", ""), source.get("role", "")
    candidates = contact_service.list_contacts(sector=sector, role=role)
    errors: dict[str, str] = {}
    if request.method == "POST":
        survey = next(
            (s for s in round_.surveys if str(s.id) == request.form.get("survey")),
            round_.surveys[0] if len(round_.surveys) == 1 else None,
        )
        chosen_ids = set(request.form.getlist("contact"))
        if request.form.get("everyone") == "1":
            chosen = candidates
        else:
            chosen = [contact for contact in candidates if str(contact.id) in chosen_ids]
        if survey is None:
            errors["survey"] = "Select the survey to invite them to"
        if round_.status != "open":
            errors["survey"] = "Open the round before sending invitations"
        if not chosen:
            errors["contact"] = "Select at least one contact"
        if not errors:
            from surveys.services.invitations import invite

            invitations = invite(survey, chosen)
            messages = mail.queue_invitations(invitations)
            db.session.commit()
            enqueue_messages(messages)
            skipped = len(chosen) - len(messages)
            note = f"; {skipped} already invited, opted out or without email" if skipped else ""
            flash(f"{len(messages)} invitations are being sent{note}", "success")
            return redirect(url_for("admin.round_detail", round_id=round_id))
    return render_template(
        "admin/invite.html",
        round=round_,
        contacts=candidates,
        sector=sector,
        role=role,
        sectors=SECTORS,
        roles=CONTACT_ROLES,
        errors=errors,
        can_email=mail.can_email,
    ), (422 if errors else 200)


@blueprint.post("/rounds/<int:round_id>/remind")
@role_required("officer")
def round_remind(round_id: int):
    """Email a reminder to everyone invited who has not answered."""
    round_ = or_404(rounds_admin.get_round, round_id)
    messages = reminders.remind_non_responders(round_, actor=actor())
    db.session.commit()
    enqueue_messages(messages)
    flash(f"{len(messages)} reminders are being sent", "success")
    return redirect(url_for("admin.round_dashboard", round_id=round_id))


@blueprint.route("/invitations/<int:invitation_id>/call", methods=["GET", "POST"])
@role_required("officer")
def record_call(invitation_id: int):
    """Record the outcome of a telephone call; 'completed' goes on to enter the answers."""
    invitation = or_404(telephone.get_invitation, invitation_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        outcome = request.form.get("outcome", "")
        try:
            telephone.record_call(invitation, actor(), outcome, request.form.get("note", ""))
        except InvalidInput as error:
            db.session.rollback()
            errors = error.errors
        else:
            db.session.commit()
            if outcome == "completed":
                return redirect(url_for("admin.telephone_entry", invitation_id=invitation_id))
            flash(f"Call recorded: {CALL_OUTCOMES[outcome]}", "success")
            return redirect(url_for("admin.chase_list", round_id=invitation.survey.round_id))
    return render_template(
        "admin/call.html", invitation=invitation, outcomes=CALL_OUTCOMES, errors=errors
    ), (422 if errors else 200)


def _definition(response):
    from surveys.services.responses import definition_for

    return definition_for(response)


@blueprint.route("/invitations/<int:invitation_id>/telephone", methods=["GET", "POST"])
@blueprint.route("/invitations/<int:invitation_id>/telephone/<page_id>", methods=["GET", "POST"])
@role_required("officer")
def telephone_entry(invitation_id: int, page_id: str | None = None):
    """Enter a respondent's answers over the phone, page by page, through the same journey."""
    from surveys import journey
    from surveys.services.responses import answers_of, save_page

    invitation = or_404(telephone.get_invitation, invitation_id)
    try:
        response = telephone.start_telephone_response(invitation, actor())
    except AlreadySubmitted:
        db.session.rollback()
        flash("This invitation already has a submitted response", "info")
        return redirect(url_for("admin.chase_list", round_id=invitation.survey.round_id))
    except (SurveyClosed, NotFound):
        db.session.rollback()
        flash("This survey is not open for responses", "info")
        return redirect(url_for("admin.chase_list", round_id=invitation.survey.round_id))
    db.session.commit()
    definition = _definition(response)
    answers = answers_of(response)
    if page_id is None:
        page_id = journey.first_unanswered_page_id(definition, answers)
        if page_id is None:
            return redirect(url_for("admin.telephone_check", invitation_id=invitation_id))
        return redirect(
            url_for("admin.telephone_entry", invitation_id=invitation_id, page_id=page_id)
        )
    if not journey.page_is_visible(definition, answers, page_id):
        abort(404)
    page = definition.page(page_id)
    errors: dict[str, str] = {}
    values: dict = {}
    for question in page.questions:
        values |= question.form_values(answers.get(question.id))
    if request.method == "POST":
        try:
            save_page(response, page_id, request.form)
        except InvalidInput as error:
            db.session.rollback()
            errors = error.errors
            values = request.form
        else:
            db.session.commit()
            answers = answers_of(response)
            following = journey.next_page_id(definition, answers, page_id)
            if following is None:
                return redirect(url_for("admin.telephone_check", invitation_id=invitation_id))
            return redirect(
                url_for("admin.telephone_entry", invitation_id=invitation_id, page_id=following)
            )
    previous = journey.previous_page_id(definition, answers, page_id)
    return render_template(
        "admin/telephone_page.html",
        invitation=invitation,
        page=page,
        questions=journey.visible_questions(page, answers),
        values=values,
        errors=errors,
        previous=previous,
        definition=definition,
    ), (422 if errors else 200)


@blueprint.route("/invitations/<int:invitation_id>/telephone-check", methods=["GET", "POST"])
@role_required("officer")
def telephone_check(invitation_id: int):
    """Check the answers taken on the phone, then submit them."""
    from surveys import journey
    from surveys.services.responses import answers_of

    invitation = or_404(telephone.get_invitation, invitation_id)
    try:
        response = telephone.start_telephone_response(invitation, actor())
    except (AlreadySubmitted, SurveyClosed, NotFound):
        db.session.rollback()
        flash("This response cannot be changed", "info")
        return redirect(url_for("admin.chase_list", round_id=invitation.survey.round_id))
    definition = _definition(response)
    answers = answers_of(response)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            telephone.submit_telephone_response(response, actor())
        except InvalidInput as error:
            db.session.rollback()
            errors = error.errors
        except (AlreadySubmitted, SurveyClosed):
            db.session.rollback()
            flash("This response cannot be submitted", "info")
            return redirect(url_for("admin.chase_list", round_id=invitation.survey.round_id))
        else:
            db.session.commit()
            flash(f"Telephone response {response.reference} submitted", "success")
            return redirect(url_for("admin.chase_list", round_id=invitation.survey.round_id))
    db.session.commit()
    rows = [
        (page, question, question.display(answers.get(question.id)))
        for page in journey.visible_pages(definition, answers)
        for question in journey.visible_questions(page, answers)
    ]
    return render_template(
        "admin/telephone_check.html",
        invitation=invitation,
        rows=rows,
        errors=errors,
        response=response,
    ), (422 if errors else 200)
