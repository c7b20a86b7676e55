"""A round's dashboard, chase list, invitations, reminders and telephone entry."""

from __future__ import annotations

from flask import Response, flash, g, redirect, render_template, request, url_for

from app.admin import blueprint
from app.admin.forms import CallForm, InviteForm, choices
from app.admin.helpers import actor, save_form
from app.admin.views_problems import banner_context
from app.auth import role_required
from app.extensions import db
from surveys.errors import InvalidInput, SurveyClosed
from surveys.models import CALL_OUTCOMES, CHANNELS, CONTACT_ROLES, SECTORS
from surveys.services import chase, dashboard, mail, reminders, rounds_admin, telephone
from surveys.services import contacts as contact_service
from surveys.services.invitations import invite
from surveys.services.walk import Walk
from surveys.worker.mail import enqueue_messages


@blueprint.get("/rounds/<int:round_id>/dashboard")
@role_required("viewer")
def round_dashboard(round_id: int):
    """Show each survey's progress over time, by sector and channel, and the days left."""
    round_ = rounds_admin.get_round(round_id)
    return render_template(
        "admin/dashboard.html",
        round=round_,
        dashboard=dashboard.round_dashboard(round_),
        sectors=SECTORS,
        channels=CHANNELS,
        **banner_context(),
    )


@blueprint.get("/rounds/<int:round_id>/chase")
@role_required("viewer")
def chase_list(round_id: int):
    """List who has not answered, a page at a time, to phone them; filter and sort."""
    round_ = rounds_admin.get_round(round_id)
    page = chase.chase_page(round_, request.args)
    return render_template(
        "admin/chase.html",
        round=round_,
        page=page,
        errors=page.errors,
        sectors=SECTORS,
        statuses=chase.CHASE_STATUSES,
        survey_choices=[(survey.id, survey.title) for survey in round_.surveys],
        status_label=chase.status_label,
        outcomes=CALL_OUTCOMES,
    )


@blueprint.get("/rounds/<int:round_id>/chase.csv")
@role_required("viewer")
def chase_export(round_id: int):
    """Download the chase list as shown (filtered and sorted, every page) for a calling session."""
    round_ = rounds_admin.get_round(round_id)
    body = chase.chase_csv(round_, request.args, actor=actor())
    db.session.commit()
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{round_.slug}-chase-list.csv"'},
    )


@blueprint.route("/rounds/<int:round_id>/invite", methods=["GET", "POST"])
@role_required("officer")
def round_invite(round_id: int):
    """Choose contacts (by sector, role or one by one) and email them invitations."""
    round_ = rounds_admin.get_round(round_id)
    form = InviteForm()
    if request.method == "GET":
        form.sector.data, form.role.data = request.args.get("sector"), request.args.get("role")
    sector, role = form.sector.data or "", form.role.data or ""
    candidates = contact_service.list_contacts(sector=sector, role=role)
    form.survey.choices = choices((survey.id, survey.title) for survey in round_.surveys)
    form.contact.choices = choices((contact.id, _invitee_label(contact)) for contact in candidates)
    if form.validate_on_submit():
        sent = _send_invitations(round_, form, candidates)
        if sent is not None:
            return sent
    errors = form.error_summary()
    return render_template(
        "admin/invite.html",
        round=round_,
        form=form,
        contacts=candidates,
        disabled=[{"disabled": not mail.can_email(contact)} for contact in candidates],
        sector=sector,
        role=role,
        sectors=SECTORS,
        roles=CONTACT_ROLES,
        errors=errors,
    ), (422 if errors else 200)


def _invitee_label(contact) -> str:
    label = f"{contact.name}, {contact.organisation.name} ({contact.organisation.sector_label})"
    return label if mail.can_email(contact) else f"{label} – cannot be emailed"


def _send_invitations(round_, form: InviteForm, candidates: list):
    """Invite the chosen contacts and redirect, or put what is wrong on the form."""
    survey = next(
        (s for s in round_.surveys if str(s.id) == form.survey.data),
        round_.surveys[0] if len(round_.surveys) == 1 else None,
    )
    if form.everyone.data == "1":
        chosen = candidates
    else:
        chosen = [contact for contact in candidates if str(contact.id) in (form.contact.data or [])]
    errors: dict[str, str] = {}
    if survey is None:
        errors["survey"] = "Select the survey to invite them to"
    if not chosen:
        errors["contact"] = "Select at least one contact"
    if not errors:
        try:
            invitations = invite(survey, chosen)
        except SurveyClosed as error:
            db.session.rollback()
            errors["survey"] = str(error)
    if errors:
        form.show_errors(errors)
        return None
    messages = mail.queue_invitations(invitations)
    db.session.commit()
    enqueue_messages(messages)
    skipped = len(chosen) - len(messages)
    note = f"; {skipped} already invited, opted out or without email" if skipped else ""
    flash(f"{len(messages)} invitations are being sent{note}", "success")
    return redirect(url_for("admin.round_detail", round_id=round_.id))


@blueprint.post("/rounds/<int:round_id>/remind")
@role_required("officer")
def round_remind(round_id: int):
    """Email a reminder to everyone invited who has not answered."""
    round_ = rounds_admin.get_round(round_id)
    messages = reminders.remind_non_responders(round_, actor=actor())
    db.session.commit()
    enqueue_messages(messages)
    flash(f"{len(messages)} reminders are being sent", "success")
    return redirect(url_for("admin.round_dashboard", round_id=round_id))


@blueprint.route("/invitations/<int:invitation_id>/call", methods=["GET", "POST"])
@role_required("officer")
def record_call(invitation_id: int):
    """Record the outcome of a telephone call; 'completed' goes on to enter the answers."""
    invitation = telephone.get_invitation(invitation_id)
    form = CallForm()
    saved, _ = save_form(
        form,
        lambda: telephone.record_call(
            invitation, actor(), form.outcome.data or "", form.note.data or ""
        ),
    )
    if saved:
        outcome = form.outcome.data
        if outcome == "completed":
            return redirect(url_for("admin.telephone_entry", invitation_id=invitation_id))
        flash(f"Call recorded: {CALL_OUTCOMES[outcome]}", "success")
        return redirect(url_for("admin.chase_list", round_id=invitation.survey.round_id))
    errors = form.error_summary()
    return render_template("admin/call.html", invitation=invitation, form=form, errors=errors), (
        422 if errors else 200
    )


def _telephone_walk(invitation) -> Walk:
    """Start or take over the invitee's draft; conflicts go back to the chase list."""
    g.back_to = url_for("admin.chase_list", round_id=invitation.survey.round_id)
    return Walk(telephone.start_telephone_response(invitation, actor()))


@blueprint.route("/invitations/<int:invitation_id>/telephone", methods=["GET", "POST"])
@blueprint.route("/invitations/<int:invitation_id>/telephone/<page_id>", methods=["GET", "POST"])
@role_required("officer")
def telephone_entry(invitation_id: int, page_id: str | None = None):
    """Enter a respondent's answers over the phone, page by page, through the same journey."""
    invitation = telephone.get_invitation(invitation_id)
    walk = _telephone_walk(invitation)
    db.session.commit()
    if page_id is None:
        return _telephone_step(invitation_id, walk.first_page_id())
    shown = walk.open_page(page_id)
    errors: dict[str, str] = {}
    values = shown.values
    if request.method == "POST":
        try:
            following = walk.save_page(page_id, request.form)
        except InvalidInput as error:
            db.session.rollback()
            errors, values = error.errors, request.form
        else:
            db.session.commit()
            return _telephone_step(invitation_id, following)
    return render_template(
        "admin/telephone_page.html",
        invitation=invitation,
        page=shown.page,
        questions=shown.questions,
        values=values,
        errors=errors,
        previous=shown.previous_id,
        definition=walk.definition,
    ), (422 if errors else 200)


def _telephone_step(invitation_id: int, page_id: str | None):
    if page_id is None:
        return redirect(url_for("admin.telephone_check", invitation_id=invitation_id))
    return redirect(url_for("admin.telephone_entry", invitation_id=invitation_id, page_id=page_id))


@blueprint.route("/invitations/<int:invitation_id>/telephone-check", methods=["GET", "POST"])
@role_required("officer")
def telephone_check(invitation_id: int):
    """Check the answers taken on the phone, then submit them."""
    invitation = telephone.get_invitation(invitation_id)
    walk = _telephone_walk(invitation)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            telephone.submit_telephone_response(walk.response, actor())
        except InvalidInput as error:
            db.session.rollback()
            errors = error.errors
        else:
            db.session.commit()
            flash(f"Telephone response {walk.response.reference} submitted", "success")
            return redirect(g.back_to)
    db.session.commit()
    return render_template(
        "admin/telephone_check.html",
        invitation=invitation,
        rows=walk.check_rows(),
        errors=errors,
        response=walk.response,
    ), (422 if errors else 200)
