"""Questionnaire pages: start, one page per step, check answers, submit, confirmation.

Two doors lead to the same journey: a personal link `/r/<token>` (one response per
invitation, resumable on any device) and a survey's open link `/s/<slug>`
(anonymous, with its draft remembered in the session cookie). Every POST redirects
on success; every rule lives in `surveys.services.responses` and `surveys.journey`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup

from app.errors import domain_error_page
from app.public.access import (
    HONEYPOT_FIELD,
    Access,
    access_by_slug,
    access_by_token,
    check_not_spam,
    remember_open_response,
    start_stamp,
)
from surveys.db import db
from surveys.errors import DebriefError, InvalidInput, NotFound, SurveyClosed
from surveys.services import invitations
from surveys.services import responses as service
from surveys.services.walk import Walk

blueprint = Blueprint("public", __name__)


def _render(template: str, access: Access, status: int = 200, **context: Any):
    context.setdefault("errors", {})
    page = render_template(
        f"public/{template}",
        access=access,
        survey=access.survey,
        serviceName=access.survey.title,
        accessibilityUrl=url_for("public.accessibility", slug=access.survey.slug),
        **context,
    )
    return page, status


def _closed(access: Access):
    return _render("closed.html", access)


def _form() -> dict[str, str | list[str]]:
    """The posted form as a plain mapping (lists only for repeated fields)."""
    return {
        key: values if len(values) > 1 else values[0]
        for key, values in request.form.lists()
        if key != "csrf_token"
    }


def _after(access: Access) -> Any:
    """Where a respondent with no draft to work on belongs: the start page."""
    return redirect(access.url("start"), 303)


# -- start ------------------------------------------------------------------------------


def start_page(access: Access):
    response = access.response
    if access.invitation is not None and response is not None and response.is_submitted:
        return _render("submitted.html", access, response=response)
    if not service.is_open(access.survey):
        return _closed(access)
    if access.invitation is not None:
        invitations.mark_opened(access.invitation)
        db.session.commit()
    resuming = response is not None and response.is_draft and bool(response.answers)
    context: dict[str, Any] = {"definition": access.definition, "resuming": resuming}
    if access.invitation is None:
        context["started"] = start_stamp()
        context["honeypot"] = HONEYPOT_FIELD
    return _render("start.html", access, **context)


def begin(access: Access):
    if access.invitation is not None:
        response = service.start_or_resume(access.invitation)
    elif access.response is not None and access.response.is_draft:
        service.ensure_open(access.survey)
        response = access.response
    else:
        retry_stamp = check_not_spam()
        if retry_stamp is not None:
            return _continue_page(access, retry_stamp)
        response = service.start_or_resume(survey=access.survey)
    db.session.commit()
    if access.invitation is None:
        remember_open_response(response)
    access.response = response
    return _resume(access)


def _resume(access: Access):
    page_id = Walk(access.response).first_page_id()
    if page_id is None:
        return redirect(access.url("check"), 303)
    return redirect(access.url("question", page_id=page_id), 303)


def _continue_page(access: Access, stamp: str):
    context = {"definition": access.definition, "started": stamp, "honeypot": HONEYPOT_FIELD}
    return _render("continue.html", access, **context)


# -- question pages ---------------------------------------------------------------------


def _draft_walk(access: Access) -> Walk:
    """Return the walk of the respondent's draft (domain errors send them elsewhere)."""
    response = access.response
    if response is None or not response.is_draft:
        raise NotFound("There is no draft to work on")
    service.ensure_open(access.survey)
    return Walk(response)


def question_page(access: Access, page_id: str):
    walk = _draft_walk(access)
    if not walk.has_page(page_id):
        return _resume(access)
    changing = request.args.get("change") == "1"
    if request.method == "POST":
        try:
            following = walk.save_page(page_id, _form(), changing=changing)
        except InvalidInput as error:
            db.session.rollback()
            return _question(access, walk, page_id, _form(), error.errors, changing, 422)
        db.session.commit()
        if following is None:
            return redirect(access.url("check"), 303)
        return redirect(access.url("question", page_id=following, **_change(changing)), 303)
    return _question(access, walk, page_id, None, {}, changing)


def _change(changing: bool) -> dict[str, str]:
    return {"change": "1"} if changing else {}


def _question(access, walk, page_id, values, errors, changing, status=200):
    shown = walk.open_page(page_id)
    if changing:
        back = access.url("check")
    elif shown.previous_id is None:
        back = access.url("start")
    else:
        back = access.url("question", page_id=shown.previous_id)
    return _render(
        "question.html",
        access,
        status,
        page=shown.page,
        questions=shown.questions,
        values=shown.values if values is None else values,
        errors=errors,
        error_list=[
            {"text": errors[question.id], "href": f"#{question.field_id}"}
            for question in shown.page.questions
            if question.id in errors
        ],
        back_url=back,
        action=access.url("question", page_id=page_id, **_change(changing)),
    )


# -- check answers, submit, confirmation ------------------------------------------------


def _summary(access: Access, walk: Walk, *, with_changes: bool) -> list[dict[str, Any]]:
    rows = []
    for check_row in walk.check_rows():
        text = check_row.answer or "Not answered"
        row = {
            "question": check_row.question,
            "answer": text,
            # Submitted text is escaped line by line; only our <br> is markup.
            "answer_html": Markup("<br>").join(text.splitlines() or [""]),
        }
        if with_changes:
            row["change_url"] = access.url("question", page_id=check_row.page_id, change="1")
        rows.append(row)
    return rows


def check_page(access: Access):
    walk = _draft_walk(access)
    if not walk.is_ready_to_check():
        return _resume(access)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            walk.submit()
        except InvalidInput as error:
            db.session.rollback()
            errors = error.errors
        else:
            db.session.commit()
            return redirect(access.url("confirmation"), 303)
    return _render(
        "check.html",
        access,
        422 if errors else 200,
        rows=_summary(access, walk, with_changes=True),
        errors=errors,
        error_list=[
            {
                "text": message,
                "href": access.url("question", page_id=walk.page_of(qid), change="1"),
            }
            for qid, message in errors.items()
        ],
    )


def _submitted_or_redirect(access: Access):
    if access.response is None or not access.response.is_submitted:
        return _after(access)
    return None


def confirmation_page(access: Access):
    elsewhere = _submitted_or_redirect(access)
    if elsewhere is not None:
        return elsewhere
    return _render("confirmation.html", access, response=access.response)


def answers_page(access: Access):
    elsewhere = _submitted_or_redirect(access)
    if elsewhere is not None:
        return elsewhere
    return _render(
        "answers.html",
        access,
        response=access.response,
        rows=_summary(access, Walk(access.response), with_changes=False),
    )


# -- domain errors ----------------------------------------------------------------------


@blueprint.errorhandler(DebriefError)
def _journey_error(error: DebriefError):
    """Answer what the journey's services refused, on the respondent's own pages.

    A closed round says so; with no draft to work on (submitted, withdrawn, or a page no
    longer asked) the respondent goes back to the start page, which says where they are.
    """
    db.session.rollback()
    access = g.get("access")
    if access is None or isinstance(error, InvalidInput):
        return domain_error_page(error)
    if isinstance(error, SurveyClosed):
        return _render("closed.html", access, 409 if request.method == "POST" else 200)
    return _after(access)


# -- routes -----------------------------------------------------------------------------


def _token_route(view: Callable) -> Callable:
    def by_token(token: str, **kwargs: Any):
        g.access = access_by_token(token)
        return view(g.access, **kwargs)

    return by_token


def _slug_route(view: Callable) -> Callable:
    def by_slug(slug: str, **kwargs: Any):
        g.access = access_by_slug(slug)
        return view(g.access, **kwargs)

    return by_slug


def _start(access: Access):
    return begin(access) if request.method == "POST" else start_page(access)


STEPS: list[tuple[str, str, Callable, tuple[str, ...]]] = [
    ("start", "", _start, ("GET", "POST")),
    ("check", "/check", check_page, ("GET", "POST")),
    ("confirmation", "/confirmation", confirmation_page, ("GET",)),
    ("answers", "/answers", answers_page, ("GET",)),
    ("question", "/<page_id>", question_page, ("GET", "POST")),
]

for _step, _path, _view, _methods in STEPS:
    blueprint.add_url_rule(f"/r/<token>{_path}", _step, _token_route(_view), methods=list(_methods))
    blueprint.add_url_rule(
        f"/s/<slug>{_path}", f"open_{_step}", _slug_route(_view), methods=list(_methods)
    )


@blueprint.get("/s/<slug>/accessibility")
def accessibility(slug: str):
    """The accessibility statement for a survey's pages."""
    return _render("accessibility.html", Access(survey=service.survey_by_slug(slug)))
