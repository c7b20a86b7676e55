"""Small factory helpers: each makes a valid record, with overrides for what a test cares about."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from surveys.db import db
from surveys.models import (
    Answer,
    Contact,
    Invitation,
    Officer,
    Organisation,
    Programme,
    Response,
    Round,
    Survey,
    SurveyVersion,
    utcnow,
)

_numbers = itertools.count(1)

MINIMAL_DEFINITION: dict[str, Any] = {
    "id": "minimal",
    "title": "Minimal questionnaire",
    "pages": [
        {
            "id": "feedback",
            "questions": [
                {
                    "id": "went_well",
                    "type": "long_text",
                    "text": "What went well?",
                    "kind": "went_well",
                    "required": False,
                },
            ],
        }
    ],
}


# Three pages; the second is asked only when the first is answered "no".
BRANCHING_DEFINITION: dict[str, Any] = {
    "id": "branching",
    "title": "Feedback",
    "pages": [
        {
            "id": "applied",
            "questions": [{"id": "applied", "type": "yes_no", "text": "Did you apply?"}],
        },
        {
            "id": "why_not",
            "questions": [
                {
                    "id": "why_not",
                    "type": "long_text",
                    "text": "Why not?",
                    "kind": "improve",
                    "show_if": {"question": "applied", "equals": False},
                }
            ],
        },
        {
            "id": "rating",
            "questions": [
                {
                    "id": "clarity",
                    "type": "rating",
                    "text": "How clear?",
                    "points": [{"value": n, "label": f"{n} of 5"} for n in range(1, 6)],
                },
            ],
        },
    ],
}


def _n() -> int:
    return next(_numbers)


def _save(record: Any) -> Any:
    db.session.add(record)
    db.session.flush()
    return record


def make_programme(**overrides: Any) -> Programme:
    n = _n()
    fields = {"slug": f"programme-{n}", "name": f"Programme {n}"}
    return _save(Programme(**(fields | overrides)))


def make_round(**overrides: Any) -> Round:
    n = _n()
    if "programme" not in overrides and "programme_id" not in overrides:
        overrides["programme"] = make_programme()
    fields = {
        "slug": f"round-{n}",
        "name": f"Round {n}",
        "status": "open",
        "opens_on": date.today() - timedelta(days=7),
        "closes_on": date.today() + timedelta(days=21),
    }
    return _save(Round(**(fields | overrides)))


def make_organisation(**overrides: Any) -> Organisation:
    n = _n()
    fields = {"name": f"Organisation {n}", "sector": "voluntary"}
    return _save(Organisation(**(fields | overrides)))


def make_contact(**overrides: Any) -> Contact:
    n = _n()
    if "organisation" not in overrides and "organisation_id" not in overrides:
        overrides["organisation"] = make_organisation()
    fields = {"name": f"Contact {n}", "email": f"contact{n}@example.org", "role": "provider"}
    return _save(Contact(**(fields | overrides)))


def make_survey(definition: dict[str, Any] | None = None, **overrides: Any) -> Survey:
    n = _n()
    if "round" not in overrides and "round_id" not in overrides:
        overrides["round"] = make_round()
    fields = {"slug": f"survey-{n}", "template": "minimal", "title": f"Survey {n}"}
    survey = _save(Survey(**(fields | overrides)))
    _save(SurveyVersion(survey=survey, version=1, definition=definition or MINIMAL_DEFINITION))
    return survey


def make_invitation(**overrides: Any) -> Invitation:
    if "survey" not in overrides and "survey_id" not in overrides:
        overrides["survey"] = make_survey()
    if "contact" not in overrides and "contact_id" not in overrides:
        overrides["contact"] = make_contact()
    return _save(Invitation(**overrides))


def make_response(**overrides: Any) -> Response:
    invitation = overrides.get("invitation")
    survey = overrides.get("survey") or (invitation.survey if invitation else make_survey())
    fields = {
        "survey": survey,
        "survey_version": survey.versions[-1],
        "reference": f"TEST-{_n():06d}",
        "channel": "web",
        "status": "draft",
    }
    return _save(Response(**(fields | overrides)))


def make_officer(**overrides: Any) -> Officer:
    n = _n()
    fields = {
        "email": f"officer{n}@council.example",
        "name": f"Officer {n}",
        "password_hash": "not-a-real-hash",
        "role": "officer",
        "must_change_password": False,
    }
    return _save(Officer(**(fields | overrides)))


# --- Answers and submitted responses (used by the analysis, summary and search tests) ---

ANALYSIS_DEFINITION: dict[str, Any] = {
    "id": "analysis",
    "title": "Feedback on the round",
    "pages": [
        {
            "id": "feedback",
            "questions": [
                {
                    "id": "went_well",
                    "type": "long_text",
                    "text": "What went well?",
                    "kind": "went_well",
                    "required": False,
                },
                {
                    "id": "improve",
                    "type": "long_text",
                    "text": "What could we improve?",
                    "kind": "improve",
                    "required": False,
                },
                {
                    "id": "overall",
                    "type": "rating",
                    "text": "How clear was the process?",
                    "scale": 5,
                    "required": False,
                },
            ],
        }
    ],
}


def make_answer(response: Response, question_id: str, value: Any, **overrides: Any) -> Answer:
    """Add an answer to a response; free-text kinds default from the question id."""
    kinds = {"went_well": "went_well", "improve": "improve"}
    fields = {
        "response": response,
        "question_id": question_id,
        "value": value,
        "kind": kinds.get(question_id),
    }
    return _save(Answer(**(fields | overrides)))


def make_submitted_response(
    survey: Survey, answers: dict[str, Any], *, sector: str = "voluntary", **overrides: Any
) -> Response:
    """Make an invited contact's submitted response holding the given answers."""
    contact = make_contact(organisation=make_organisation(sector=sector))
    invitation = make_invitation(survey=survey, contact=contact, status="completed")
    response = make_response(
        survey=survey,
        invitation=invitation,
        status="submitted",
        submitted_at=utcnow(),
        **overrides,
    )
    for question_id, value in answers.items():
        make_answer(response, question_id, value)
    return response
