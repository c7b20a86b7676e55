"""The demonstration's responses: each phase's respondents answer through the real journey.

`surveys.demo` sets up the programme, rounds and contacts and calls `phase_2_responses`
and `phase_3_responses`; what people said comes from `surveys.demo_data`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from surveys.db import db
from surveys.demo_data import (
    PANEL_PHASE_3,
    PARTNER_PHASE_3,
    PHASE_2_TELEPHONE,
    PHASE_2_WEB,
    PHASE_3_DRAFT_WENT_WELL,
    PHASE_3_FOLLOWUP_COMMENTS,
    PHASE_3_FOLLOWUPS,
    PHASE_3_WEB,
    PROVIDER_RATINGS,
)
from surveys.models import (
    CallLog,
    Contact,
    Invitation,
    InvitationStatus,
    Lesson,
    Officer,
    Round,
    RoundStatus,
    Survey,
    utcnow,
)
from surveys.services import lessons as lesson_service
from surveys.services import rounds_admin
from surveys.services.invitations import invite
from surveys.services.responses import start_or_resume, submit_response
from surveys.services.walk import Walk


def _provider_answers(phase: int, i: int, went_well: str | None, improve: str | None) -> dict:
    """Return one provider's answers; phase 2 and phase 3 have different strengths."""
    if phase == 2:
        heard = [
            ("press_advert",),
            ("council_website",),
            ("press_advert", "council_email"),
            ("cvs",),
            ("word_of_mouth", "press_advert"),
        ][i % 5]
        long_enough = i % 4 == 3
        weeks = (10, 12, 12, 8)[i % 4]
    else:
        heard = [
            ("postcard",),
            ("briefing", "council_email"),
            ("cvs", "postcard"),
            ("press_advert",),
        ][i % 4]
        long_enough = i % 5 != 2
        weeks = 14
    answers: dict[str, Any] = {"heard_about": list(heard)}
    answers.update(
        {qid: ratings[i % len(ratings)] for qid, ratings in PROVIDER_RATINGS[phase].items()}
    )
    answers.update(
        went_well=went_well,
        improve=improve,
        window_long_enough=long_enough,
        window_weeks=None if long_enough else weeks,
        anything_else=("Thank you for asking for our views." if i % 6 == 1 else None),
        may_contact=i % 3 == 0,
    )
    return answers


def _at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=UTC) + timedelta(minutes=minutes)


def _when(round_: Round, index: int, count: int, last: date | None = None) -> datetime:
    """Spread submissions evenly through a round's dates (up to `last`)."""
    first = round_.opens_on + timedelta(days=2)
    end = last or round_.closes_on
    span = max((end - first).days, 1)
    return _at(first + timedelta(days=span * index // max(count, 1)), 37 * index % 420)


def _fill(response, answers: dict[str, Any], pages: int | None = None) -> None:
    """Answer page by page through the journey, as a respondent would."""
    walk = Walk(response)
    page_id: str | None = walk.definition.pages[0].id
    done = 0
    while page_id is not None and (pages is None or done < pages):
        form: dict[str, Any] = {}
        for question in walk.definition.page(page_id).questions:
            form.update(question.form_values(answers.get(question.id)))
        page_id = walk.save_page(page_id, form)
        done += 1


def _respond(
    invitation: Invitation | None,
    answers: dict[str, Any],
    when: datetime,
    *,
    survey: Survey | None = None,
    channel: str = "web",
    entered_by: Officer | None = None,
) -> None:
    response = start_or_resume(invitation, survey=survey, channel=channel, entered_by=entered_by)
    _fill(response, answers)
    submit_response(response, submitted_at=when)
    response.started_at = when - timedelta(minutes=12 + len(answers))
    if invitation is not None:
        invitation.sent_at = invitation.sent_at or _at(response.survey.round.opens_on, 0)
        invitation.opened_at = response.started_at


def phase_2_responses(round_: Round, providers: list[Contact], officer: Officer | None) -> int:
    survey = rounds_admin.attach_template(round_, "provider-post-round")
    invitations = invite(survey, providers)
    web = list(zip(invitations, PHASE_2_WEB, strict=False))
    phone = list(zip(invitations[len(web) :], PHASE_2_TELEPHONE, strict=False))
    total = len(web) + len(phone)
    for i, (invitation, (went_well, improve)) in enumerate(web):
        _respond(invitation, _provider_answers(2, i, went_well, improve), _when(round_, i, total))
    for j, (invitation, (went_well, improve)) in enumerate(phone):
        i = len(web) + j
        when = _when(round_, i, total)
        _respond(
            invitation,
            _provider_answers(2, i, went_well, improve),
            when,
            channel="telephone",
            entered_by=officer,
        )
        if officer is not None:
            db.session.add(
                CallLog(
                    invitation_id=invitation.id,
                    officer_id=officer.id,
                    outcome="completed",
                    note="Answers taken by telephone.",
                    called_at=when - timedelta(minutes=25),
                )
            )
    for invitation in invitations[total:]:
        invitation.status = InvitationStatus.SENT
        invitation.sent_at = _at(round_.opens_on, 0)
        invitation.reminder_count = 1
    round_.status = RoundStatus.CLOSED
    return total


def _followup_answers(i: int, lessons: list[Lesson]) -> dict[str, Any]:
    """Return a phase 3 respondent's answers to "Has this improved?" for each lesson."""
    answers: dict[str, Any] = {}
    choices = PHASE_3_FOLLOWUPS[i % len(PHASE_3_FOLLOWUPS)]
    for n, (lesson, choice) in enumerate(zip(lessons, choices, strict=False)):
        improved_id, comment_id = lesson_service.followup_question_ids(lesson)
        answers[improved_id] = choice
        answers[comment_id] = PHASE_3_FOLLOWUP_COMMENTS.get((i, n))
    return answers


def phase_3_responses(
    round_: Round,
    providers: list[Contact],
    partners: list[Contact],
    panel: list[Contact],
    lessons: list[Lesson],
) -> int:
    today = utcnow().date()
    # Providers told us the lessons in phase 2, so their questionnaire asks whether things
    # improved; partners and panel members were not asked in phase 2.
    provider_survey = rounds_admin.attach_template(round_, "provider-post-round")
    partner_survey = rounds_admin.attach_template(
        round_, "partner-consultation", with_followups=False
    )
    partner_survey.open_link = True
    panel_survey = rounds_admin.attach_template(round_, "panel-member", with_followups=False)
    invitations = invite(provider_survey, providers)
    count = 0
    answered = list(zip(invitations, PHASE_3_WEB, strict=False))
    for i, (invitation, (went_well, improve)) in enumerate(answered):
        _respond(
            invitation,
            _provider_answers(3, i, went_well, improve) | _followup_answers(i, lessons),
            _when(round_, i, len(answered), last=today - timedelta(days=1)),
        )
        count += 1
    drafts = invitations[len(answered) : len(answered) + len(PHASE_3_DRAFT_WENT_WELL)]
    for i, (invitation, went_well) in enumerate(zip(drafts, PHASE_3_DRAFT_WENT_WELL, strict=True)):
        response = start_or_resume(invitation)
        _fill(response, _provider_answers(3, i, went_well, None), pages=4 + i)
        invitation.status = InvitationStatus.OPENED
    for invitation in invitations[len(answered) :]:
        invitation.sent_at = _at(round_.opens_on, 0)
        if invitation.status == InvitationStatus.PENDING:
            invitation.status = InvitationStatus.SENT
    count += _partners(round_, partner_survey, partners)
    count += _panel(round_, panel_survey, panel)
    return count


def _partners(round_: Round, survey: Survey, partners: list[Contact]) -> int:
    invitations = invite(survey, partners)
    roles = ["district_partnership", "health", "steering_group"]
    # The Slack demo partner (first) is left to answer in Slack.
    for i, (invitation, (went_well, improve)) in enumerate(
        zip(invitations[1:], PARTNER_PHASE_3, strict=False)
    ):
        answers = {
            "partner_role": roles[i],
            "rating_consulted": 4 + i % 2,
            "rating_lead_agency_info": 3,
            "rating_vcs_involvement": 4 - i,
            "went_well": went_well,
            "improve": improve,
            "lead_agency_support": "A network where new lead agency managers can share practice.",
        }
        _respond(invitation, answers, _when(round_, i + 3, 8, last=utcnow().date()))
    _respond(
        None,
        {
            "partner_role": "cvs",
            "rating_consulted": 3,
            "rating_lead_agency_info": 4,
            "rating_vcs_involvement": 5,
            "went_well": "The postcards reached groups that never normally hear about "
            "council contracts.",
            "improve": None,
            "lead_agency_support": None,
        },
        _when(round_, 5, 8, last=utcnow().date()),
        survey=survey,
    )
    return len(PARTNER_PHASE_3) + 1


def _panel(round_: Round, survey: Survey, panel: list[Contact]) -> int:
    invitations = invite(survey, panel)
    for invitation, (went_well, improve) in zip(invitations, PANEL_PHASE_3, strict=False):
        answers = {
            "panel_type": "district_presentations",
            "sector": "district_council",
            "papers_in_time": False,
            "days_needed": 5,
            "rating_scoring_guidance": 4,
            "rating_panel_mix": 4,
            "went_well": went_well,
            "improve": improve,
            "debrief_date": None,
        }
        _respond(invitation, answers, _when(round_, 6, 8, last=utcnow().date()))
    return len(PANEL_PHASE_3)
