"""Programmes, rounds (open and close them) and surveys with their definition versions."""

from __future__ import annotations

from typing import Any

from app.api import blueprint as blp
from app.api.auth import current_officer
from app.api.paging import paged
from app.api.schemas import (
    PageArgs,
    ProgrammeSchema,
    RoundArgs,
    RoundInput,
    RoundSchema,
    SurveyArgs,
    SurveyDetailSchema,
    SurveySchema,
    page_of,
)
from app.extensions import db
from surveys.services import cursor_pages, responses, rounds_admin


@blp.get("/programmes")
@blp.etag
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(ProgrammeSchema))
def list_programmes(args: dict[str, Any]):
    """List programmes."""
    return paged(cursor_pages.programmes(), args)


@blp.get("/programmes/<int:programme_id>")
@blp.etag
@blp.response(200, ProgrammeSchema)
def get_programme(programme_id: int):
    """Show one programme."""
    return rounds_admin.get_programme(programme_id)


@blp.get("/rounds")
@blp.etag
@blp.arguments(RoundArgs, location="query")
@blp.response(200, page_of(RoundSchema))
def list_rounds(args: dict[str, Any]):
    """List rounds, optionally of one programme or in one status."""
    query = cursor_pages.rounds(args.get("programme_id"), args.get("status", ""))
    return paged(query, args)


@blp.post("/rounds")
@blp.arguments(RoundInput)
@blp.response(201, RoundSchema)
def create_round(data: dict[str, Any]):
    """Create a draft round in a programme."""
    programme = rounds_admin.get_programme(data["programme_id"])
    round_ = rounds_admin.create_round(
        programme,
        data["name"],
        slug=data.get("slug", ""),
        opens_on=data.get("opens_on"),
        closes_on=data.get("closes_on"),
        reminder_days=data["reminder_days"],
        actor=current_officer(),
    )
    db.session.commit()
    return round_


@blp.get("/rounds/<int:round_id>")
@blp.etag
@blp.response(200, RoundSchema)
def get_round(round_id: int):
    """Show one round."""
    return rounds_admin.get_round(round_id)


@blp.post("/rounds/<int:round_id>/open")
@blp.response(200, RoundSchema)
def open_round(round_id: int):
    """Open a round for responses (it needs a survey)."""
    round_ = rounds_admin.get_round(round_id)
    rounds_admin.open_round(round_, actor=current_officer())
    db.session.commit()
    return round_


@blp.post("/rounds/<int:round_id>/close")
@blp.response(200, RoundSchema)
def close_round(round_id: int):
    """Close a round: no more responses are taken."""
    round_ = rounds_admin.get_round(round_id)
    rounds_admin.close_round(round_, actor=current_officer())
    db.session.commit()
    return round_


@blp.get("/surveys")
@blp.etag
@blp.arguments(SurveyArgs, location="query")
@blp.response(200, page_of(SurveySchema))
def list_surveys(args: dict[str, Any]):
    """List surveys, optionally of one round."""
    return paged(cursor_pages.surveys(args.get("round_id")), args)


@blp.get("/surveys/<int:survey_id>")
@blp.etag
@blp.response(200, SurveyDetailSchema)
def get_survey(survey_id: int):
    """Show a survey with every version of its questionnaire definition."""
    return responses.get_survey(survey_id)
