"""A round's dashboard: days left, and each survey's progress over time, kept apart.

A round has several surveys (providers, partners, panel members) with different people
and response rates, so every figure here is per survey; the chart is drawn by
`analysis.progress_chart` from the dates read here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from sqlalchemy import select

from analysis import progress_chart
from surveys.db import db
from surveys.models import (
    Invitation,
    InvitationStatus,
    Response,
    ResponseStatus,
    Round,
    Survey,
    utcnow,
)
from surveys.services.tracking import RoundProgress, round_progress

INVITED, ANSWERED, OPEN_LINK = "Invited", "Answered", "Open link"


@dataclass(frozen=True)
class SurveyTrack:
    """One survey's progress: its counts, and cumulative invitations and answers by day."""

    survey: Survey
    progress: RoundProgress
    days: list[date]
    series: list[tuple[str, list[int]]]

    @cached_property
    def chart(self) -> str:
        """The survey's progress chart as SVG, or "" before anything has happened."""
        if not self.days or not any(values[-1] for _name, values in self.series):
            return ""
        return progress_chart.line_chart(
            f"{self.survey.title}: invitations and answers over time", self.days, self.series
        )

    @property
    def table_headers(self) -> tuple[str, ...]:
        """The headings of the chart's data table: the date, then each line's name."""
        return ("Date", *(name for name, _values in self.series))

    @property
    def table_rows(self) -> list[tuple[str | int, ...]]:
        """The chart's data: the days on which a count changed, and the last day."""
        changed = progress_chart.changed_rows(self.days, self.series)
        return [(progress_chart.short_date(day), *counts) for day, counts in changed]

    @property
    def open_link_answers(self) -> int:
        return self.progress.uninvited_submitted


@dataclass(frozen=True)
class RoundDashboard:
    round: Round
    today: date
    days_left: int | None
    surveys: list[SurveyTrack]


def days_left(round_: Round, today: date) -> int | None:
    """Days until the round closes (0 on its closing day), negative once past; None if unset."""
    return None if round_.closes_on is None else (round_.closes_on - today).days


def round_dashboard(round_: Round, today: date | None = None) -> RoundDashboard:
    """Gather what the dashboard shows: days left and each survey's progress."""
    today = today or utcnow().date()
    return RoundDashboard(
        round=round_,
        today=today,
        days_left=days_left(round_, today),
        surveys=[_track(round_, survey, today) for survey in round_.surveys],
    )


def _track(round_: Round, survey: Survey, today: date) -> SurveyTrack:
    invited = [
        (sent_at or created_at).date()
        for sent_at, created_at in db.session.execute(
            select(Invitation.sent_at, Invitation.created_at).where(
                Invitation.survey_id == survey.id, Invitation.status != InvitationStatus.REVOKED
            )
        )
    ]
    answered: list[date] = []
    open_link: list[date] = []
    for invitation_id, submitted_at in db.session.execute(
        select(Response.invitation_id, Response.submitted_at).where(
            Response.survey_id == survey.id,
            Response.status == ResponseStatus.SUBMITTED,
            Response.submitted_at.is_not(None),
        )
    ):
        (answered if invitation_id is not None else open_link).append(submitted_at.date())
    events = invited + answered + open_link
    progress = round_progress(round_, survey)
    if not events:
        return SurveyTrack(survey, progress, [], [])
    start = min([*events, *([round_.opens_on] if round_.opens_on else [])])
    end = max([*events, _chart_end(round_, today, start)])
    days = progress_chart.chart_days(start, end)
    series = [
        (INVITED, progress_chart.cumulative(days, invited)),
        (ANSWERED, progress_chart.cumulative(days, answered)),
    ]
    if open_link or survey.open_link:
        series.append((OPEN_LINK, progress_chart.cumulative(days, open_link)))
    return SurveyTrack(survey, progress, days, series)


def _chart_end(round_: Round, today: date, start: date) -> date:
    """Plot up to today while the round runs, to its closing date once it is over."""
    if round_.closes_on is None:
        return max(start, today) if round_.is_open else start
    return min(today, round_.closes_on) if round_.is_open else round_.closes_on
