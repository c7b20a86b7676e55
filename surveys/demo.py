"""The demonstration programme: children's centres commissioning over three phases.

`load_demo()` builds it through the real services (responses are saved page by page
and submitted through the submission service, so they are tagged like any other),
then backdates them into each round's dates. It tells the whole loop: phase 2's
feedback is analysed into themes, the team records lessons from the improvement
themes with the actions that answered them, phase 3's provider questionnaire asks
"Last time you told us ...; we did .... Has this improved?", and phase 3's answers
say whether it did. Loading it again changes nothing.
Who took part and what they said is data: `demo_data.yaml`, loaded by `surveys.demo_data`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from analysis import themes as theme_analysis
from surveys.db import db
from surveys.demo_data import (
    LESSONS,
    PANEL_MEMBERS,
    PARTNERS,
    PHONES,
    PROVIDERS,
)
from surveys.demo_responses import phase_2_responses, phase_3_responses
from surveys.models import (
    Contact,
    Lesson,
    Officer,
    Organisation,
    Programme,
    Round,
    Theme,
    utcnow,
)
from surveys.services import analysis_runs
from surveys.services import lessons as lesson_service
from surveys.services import officers as officer_service
from surveys.services import themes as theme_service

PROGRAMME_SLUG = "childrens-centres"
ADMIN_EMAIL = "admin@debrief.example"
OFFICER_EMAIL = "officer@debrief.example"
OFFICER_SLACK_ID = "U0DEMOOFFICER"
PARTNER_SLACK_ID = "U0DEMOPARTNER"  # the first partner's, in demo_data.yaml


@dataclass
class DemoResult:
    """What the demo created, for the command to report."""

    programme: Programme
    officer_passwords: dict[str, str] = field(default_factory=dict)
    responses: int = 0
    lessons: int = 0


def demo_loaded() -> bool:
    """Return whether the demonstration programme is already in the database."""
    return (
        db.session.scalars(select(Programme).where(Programme.slug == PROGRAMME_SLUG)).first()
        is not None
    )


def database_is_empty() -> bool:
    """Return whether the database holds no programme at all."""
    return not db.session.scalar(select(func.count()).select_from(Programme))


def load_demo() -> DemoResult | None:
    """Load the demonstration programme; return None (changing nothing) if it is there."""
    if demo_loaded():
        return None
    result = DemoResult(
        programme=Programme(
            slug=PROGRAMME_SLUG,
            name="Children's centres commissioning",
            description=(
                "Commissioning lead agencies for Sure Start children's centres across the "
                "county in three phases, through an expression of interest process and "
                "multi-agency panels."
            ),
        )
    )
    db.session.add(result.programme)
    admin, officer = _officers(result)
    phase_1, phase_2, phase_3 = _rounds(result.programme)
    providers = [
        _contact(name, sector, person, email, "provider")
        for name, sector, person, email in PROVIDERS
    ]
    partners = [
        _contact(name, sector, person, email, "partner", slack)
        for name, sector, person, email, slack in PARTNERS
    ]
    panel = [
        _contact(name, sector, person, email, "panel_member")
        for name, sector, person, email in PANEL_MEMBERS
    ]
    result.responses += phase_2_responses(phase_2, providers[:28], officer or admin)
    # Analyse what was heard so far, so the programme's codebook of themes exists.
    for round_ in (phase_1, phase_2):
        if analysis_runs.free_text_answers(round_):
            analysis_runs.analyse_round(round_)
    lessons = _lessons(phase_2, phase_3, officer or admin)
    result.lessons = len(lessons)
    result.responses += phase_3_responses(phase_3, providers[8:], partners, panel, lessons)
    analysis_runs.analyse_round(phase_3)
    db.session.flush()
    return result


def _officers(result: DemoResult) -> tuple[Officer | None, Officer | None]:
    made = []
    for email, role, name, slack in (
        (ADMIN_EMAIL, "admin", "Demo Admin", None),
        (OFFICER_EMAIL, "officer", "Sam Patel", OFFICER_SLACK_ID),
    ):
        officer = officer_service.officer_by_email(email)
        if officer is None:
            officer, password = officer_service.create_officer(email, role, name, slack)
            result.officer_passwords[email] = password
        made.append(officer)
    return made[0], made[1]


def _rounds(programme: Programme) -> tuple[Round, Round, Round]:
    today = utcnow().date()
    phase_1 = Round(
        programme=programme,
        slug="phase-1",
        name="Phase 1",
        status="closed",
        opens_on=date(2006, 1, 9),
        closes_on=date(2006, 2, 3),
    )
    # Phase 2 is built open so responses can be taken, then closed.
    phase_2 = Round(
        programme=programme,
        slug="phase-2",
        name="Phase 2",
        status="open",
        opens_on=date(2008, 2, 4),
        closes_on=date(2008, 3, 14),
        previous_round=phase_1,
    )
    phase_3 = Round(
        programme=programme,
        slug="phase-3",
        name="Phase 3",
        status="open",
        opens_on=today - timedelta(days=21),
        closes_on=today + timedelta(days=35),
        previous_round=phase_2,
    )
    db.session.add_all([phase_1, phase_2, phase_3])
    db.session.flush()
    return phase_1, phase_2, phase_3


def _contact(
    org_name: str, sector: str, person: str, email: str, role: str, slack_user_id: str | None = None
) -> Contact:
    organisation = db.session.scalars(
        select(Organisation).where(Organisation.name == org_name)
    ).first() or Organisation(name=org_name, sector=sector)
    contact = db.session.scalars(select(Contact).where(Contact.email == email)).first()
    if contact is None:
        contact = Contact(
            organisation=organisation,
            name=person,
            email=email,
            phone=PHONES.get(email),
            role=role,
            slack_user_id=slack_user_id,
        )
        db.session.add(contact)
    db.session.flush()
    return contact


def _lessons(phase_2: Round, phase_3: Round, officer: Officer | None) -> list[Lesson]:
    """Record what the team learned from phase 2's improvement themes and did before phase 3."""
    recorded = []
    for demo in LESSONS:
        theme = _theme_of(phase_2, demo.heard_in)
        if theme is not None and not theme.label_edited and officer is not None:
            theme_service.rename_theme(theme, demo.theme_label, officer)
        lesson = lesson_service.record_lesson(
            phase_2,
            theme,
            demo.title,
            demo.what_we_heard,
            officer,
            [
                {
                    "description": action.description,
                    "owner": action.owner,
                    "due_on": phase_3.opens_on - timedelta(days=action.days_before_phase_3),
                }
                for action in demo.actions
            ],
            target_round=phase_3,
        )
        for action, done in zip(lesson.actions, demo.actions, strict=True):
            lesson_service.update_action(action, done.status, done.evidence, officer)
        lesson_service.update_lesson(lesson, officer, what_we_did=demo.what_we_did)
        recorded.append(lesson)
    return recorded


def _theme_of(round_: Round, improve_text: str | None) -> Theme | None:
    """Return the theme analysis put one of the round's "could improve" answers in."""
    theme_id = next(
        (
            answer.theme_id
            for answer, _ in analysis_runs.free_text_answers(round_)
            if answer.question_id == "improve" and answer.value == improve_text
        ),
        None,
    )
    if theme_id is None:
        return None
    themes = analysis_runs.programme_themes(round_.programme_id)
    theme = analysis_runs.resolve_theme(themes.get(theme_id), themes)
    # The catch-all is no topic to name after a lesson: renaming it would pass "Other
    # comments" off as one theme.
    if theme is None or theme.key.endswith(theme_analysis.LEFTOVER_SUFFIX):
        return None
    return theme
