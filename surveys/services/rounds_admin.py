"""Setting up programmes and rounds: dates, surveys from templates or YAML, open and close."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import yaml
from sqlalchemy import func, select

from surveys.db import db
from surveys.errors import InvalidInput, NotFound
from surveys.models import (
    Invitation,
    InvitationStatus,
    Officer,
    Programme,
    Response,
    ResponseStatus,
    Round,
    RoundStatus,
    Survey,
    SurveyVersion,
)
from surveys.services import audit, lessons, webhooks

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """Turn a name into a URL slug."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "round"


def list_programmes() -> list[Programme]:
    """Return every programme by name."""
    return list(db.session.scalars(select(Programme).order_by(Programme.name)))


def get_programme(programme_id: int) -> Programme:
    """Return a programme or raise NotFound."""
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        raise NotFound("programme")
    return programme


def create_programme(name: str, slug: str = "", retention_days: int | None = 2555) -> Programme:
    """Create a programme."""
    name = name.strip()
    slug = slug.strip() or slugify(name)
    errors = {}
    if not name:
        errors["name"] = "Enter the programme's name"
    if db.session.scalars(select(Programme).where(Programme.slug == slug)).first():
        errors["name"] = "A programme with this name already exists"
    if retention_days is not None and retention_days < 30:
        errors["retention_days"] = "Keep responses for at least 30 days"
    if errors:
        raise InvalidInput("The programme could not be created", errors)
    # None keeps responses until they are erased.
    programme = Programme(name=name, slug=slug, retention_days=retention_days)
    db.session.add(programme)
    db.session.flush()
    return programme


def set_retention(programme: Programme, retention_days: int | None, *, actor=None) -> None:
    """Set how many days after a round closes its responses are kept."""
    if retention_days is not None and retention_days < 30:
        raise InvalidInput("Too short", {"retention_days": "Keep responses for at least 30 days"})
    programme.retention_days = retention_days
    audit.record("programme.retention_changed", actor=actor, target=programme, count=retention_days)


def list_rounds() -> list[Round]:
    """Return every round, newest first."""
    return list(db.session.scalars(select(Round).order_by(Round.created_at.desc(), Round.id)))


def round_counts() -> dict[int, tuple[int, int]]:
    """Return (invited, submitted) for every round with either, keyed by round id."""
    invited = db.session.execute(
        select(Survey.round_id, func.count(Invitation.id))
        .join(Invitation, Invitation.survey_id == Survey.id)
        .where(Invitation.status != InvitationStatus.REVOKED)
        .group_by(Survey.round_id)
    )
    submitted = db.session.execute(
        select(Survey.round_id, func.count(Response.id))
        .join(Response, Response.survey_id == Survey.id)
        .where(Response.status == ResponseStatus.SUBMITTED)
        .group_by(Survey.round_id)
    )
    counts: dict[int, tuple[int, int]] = {}
    for round_id, count in invited:
        counts[round_id] = (count, 0)
    for round_id, count in submitted:
        counts[round_id] = (counts.get(round_id, (0, 0))[0], count)
    return counts


def get_round(round_id: int) -> Round:
    """Return a round or raise NotFound."""
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise NotFound("round")
    return round_


def round_by_slug(slug: str) -> Round:
    """Return a round by slug or raise NotFound."""
    round_ = db.session.scalars(select(Round).where(Round.slug == slug)).first()
    if round_ is None:
        raise NotFound("round")
    return round_


def parse_reminder_days(text: str) -> str:
    """Normalise a reminder schedule like '7, 2' (days before closing) or raise InvalidInput."""
    text = (text or "").strip()
    if not text:
        return ""
    try:
        days = sorted({int(part) for part in text.split(",") if part.strip()}, reverse=True)
    except ValueError:
        raise InvalidInput(
            "Bad reminder days",
            {"reminder_days": "Enter numbers of days separated by commas, like 7, 2"},
        ) from None
    if any(day < 0 or day > 90 for day in days):
        raise InvalidInput(
            "Bad reminder days", {"reminder_days": "Reminder days must be between 0 and 90"}
        )
    return ",".join(str(day) for day in days)


def _check_dates(opens_on: date | None, closes_on: date | None, errors: dict) -> None:
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = "The closing date must be on or after the opening date"


def create_round(
    programme: Programme,
    name: str,
    *,
    slug: str = "",
    opens_on: date | None = None,
    closes_on: date | None = None,
    reminder_days: str = "7,2",
    previous_round: Round | None = None,
    actor: Officer | None = None,
) -> Round:
    """Create a draft round in a programme."""
    name = name.strip()
    slug = (slug or slugify(name)).strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter the round's name"
    elif not SLUG_PATTERN.match(slug):
        errors["slug"] = "Use lowercase letters, numbers and hyphens only"
    elif db.session.scalars(select(Round).where(Round.slug == slug)).first():
        errors["name"] = "A round with this name already exists"
    _check_dates(opens_on, closes_on, errors)
    try:
        reminders = parse_reminder_days(reminder_days)
    except InvalidInput as error:
        errors |= error.errors
        reminders = ""
    if previous_round is not None and previous_round.programme_id != programme.id:
        errors["previous_round"] = "The previous round must be in the same programme"
    if errors:
        raise InvalidInput("The round could not be created", errors)
    round_ = Round(
        programme=programme,
        name=name,
        slug=slug,
        opens_on=opens_on,
        closes_on=closes_on,
        reminder_days=reminders,
        previous_round=previous_round,
        status="draft",
    )
    db.session.add(round_)
    db.session.flush()
    audit.record("round.created", actor=actor, target=round_, programme_id=programme.id)
    return round_


def update_round(
    round_: Round,
    *,
    name: str,
    opens_on: date | None,
    closes_on: date | None,
    reminder_days: str,
    actor: Officer | None = None,
) -> None:
    """Change a round's name, dates and reminder schedule."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Enter the round's name"
    _check_dates(opens_on, closes_on, errors)
    try:
        reminders = parse_reminder_days(reminder_days)
    except InvalidInput as error:
        errors |= error.errors
        reminders = ""
    if errors:
        raise InvalidInput("The round could not be saved", errors)
    round_.name = name.strip()
    round_.opens_on = opens_on
    round_.closes_on = closes_on
    round_.reminder_days = reminders
    audit.record("round.updated", actor=actor, target=round_)


def open_round(round_: Round, *, actor: Officer | None = None) -> None:
    """Open a round for responses."""
    if not round_.surveys:
        raise InvalidInput("No survey", {"round": "Add a survey before opening the round"})
    if round_.is_open:
        return
    round_.status = RoundStatus.OPEN
    audit.record("round.opened", actor=actor, target=round_)
    webhooks.round_changed(round_)


def close_round(round_: Round, *, actor: Officer | None = None) -> None:
    """Close a round: no more responses are accepted."""
    if round_.status == RoundStatus.CLOSED:
        return
    round_.status = RoundStatus.CLOSED
    audit.record("round.closed", actor=actor, target=round_)
    webhooks.round_changed(round_)


def _definition_dict(definition: Any) -> dict[str, Any]:
    """Return a loaded definition as the plain dict stored on a survey version."""
    if isinstance(definition, dict):
        return definition
    for attribute in ("to_dict", "as_dict", "dump"):
        method = getattr(definition, attribute, None)
        if callable(method):
            return method()
    raw = getattr(definition, "raw", None)
    if isinstance(raw, dict):
        return raw
    raise TypeError("the questionnaire definition cannot be stored")


def _unique_survey_slug(base: str) -> str:
    slug, n = base[:110], 1
    while db.session.scalars(select(Survey).where(Survey.slug == slug)).first():
        n += 1
        slug = f"{base[:105]}-{n}"
    return slug


def _attach(
    round_: Round,
    template: str,
    definition: dict[str, Any],
    title: str,
    actor: Officer | None,
    *,
    with_followups: bool = True,
) -> Survey:
    """Attach a survey with this definition to a round.

    With `with_followups`, the open lessons carried into the round add their
    "Last time you told us ...; we did .... Has this improved?" page to the definition.
    """
    if with_followups:
        definition = _with_followups(definition, round_)
    survey = Survey(
        round=round_,
        slug=_unique_survey_slug(f"{round_.slug}-{slugify(template)}"),
        template=template,
        title=title,
        current_version=1,
    )
    db.session.add(survey)
    db.session.add(SurveyVersion(survey=survey, version=1, definition=definition))
    db.session.flush()
    audit.record(
        "survey.attached", actor=actor, target=survey, round_id=round_.id, template=template[:80]
    )
    return survey


def _with_followups(definition: dict[str, Any], round_: Round) -> dict[str, Any]:
    """Add the round's follow-up questions and check the result is still a valid questionnaire."""
    from surveys.definitions import validate_definition

    augmented = lessons.add_followups_to_definition(definition, round_)
    if augmented != definition:
        # The questions are generated, so a failure here is a bug (say, a clashing question id
        # in an uploaded file); raise DefinitionError rather than store a broken survey.
        validate_definition(augmented, f"the questionnaire with {round_.name}'s follow-ups")
    return augmented


def template_choices() -> list[tuple[str, str]]:
    """Return (name, title) for each built-in questionnaire template."""
    from surveys.definitions import TEMPLATE_NAMES, load_template

    choices = []
    for name in TEMPLATE_NAMES:
        definition = _definition_dict(load_template(name))
        choices.append((name, definition.get("title", name)))
    return choices


def attach_template(
    round_: Round,
    template_name: str,
    *,
    actor: Officer | None = None,
    with_followups: bool = True,
) -> Survey:
    """Attach a survey to a round from a built-in template (with open lessons' follow-ups)."""
    from surveys.definitions import TEMPLATE_NAMES, load_template

    if template_name not in TEMPLATE_NAMES:
        raise InvalidInput("Unknown template", {"template": "Select a questionnaire template"})
    definition = _definition_dict(load_template(template_name))
    return _attach(
        round_,
        template_name,
        definition,
        definition.get("title", template_name),
        actor,
        with_followups=with_followups,
    )


def attach_uploaded_yaml(
    round_: Round, text: str, *, actor: Officer | None = None, with_followups: bool = True
) -> Survey:
    """Validate an uploaded YAML questionnaire and attach it to a round (with follow-ups)."""
    from surveys.definitions import validate_definition
    from surveys.errors import DefinitionError

    if not text.strip():
        raise InvalidInput("Empty file", {"definition_file": "The selected file is empty"})
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise InvalidInput(
            "Invalid YAML",
            {"definition_file": f"The selected file is not valid YAML{where}"},
        ) from None
    try:
        definition = _definition_dict(validate_definition(data, "the uploaded file"))
    except DefinitionError as error:
        raise InvalidInput(
            "Invalid questionnaire",
            {"definition_file": "The questionnaire is not valid: " + "; ".join(error.problems)},
        ) from None
    name = str(definition.get("id") or "uploaded")
    title = definition.get("title", name)
    return _attach(round_, name, definition, title, actor, with_followups=with_followups)


def copy_previous_surveys(
    round_: Round, *, actor: Officer | None = None, with_followups: bool = True
) -> list[Survey]:
    """Copy the previous round's surveys (their current definitions) into this round.

    The previous round's own follow-up questions are left behind; this round's open
    lessons add theirs.
    """
    previous = round_.previous_round
    if previous is None:
        raise InvalidInput(
            "No previous round", {"previous_round": "This round has no previous round to copy from"}
        )
    if not previous.surveys:
        raise InvalidInput(
            "Nothing to copy", {"previous_round": "The previous round has no surveys"}
        )
    copies = []
    for survey in previous.surveys:
        current = next(
            (v for v in survey.versions if v.version == survey.current_version),
            survey.versions[-1],
        )
        copies.append(
            _attach(
                round_,
                survey.template,
                lessons.remove_followups(current.definition),
                survey.title,
                actor,
                with_followups=with_followups,
            )
        )
    return copies
