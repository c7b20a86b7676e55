"""Marshmallow schemas: what the API reads and writes, and so its OpenAPI document."""

from __future__ import annotations

import re
from datetime import UTC

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate

from app.edge import MAX_ID
from surveys.models import ACTION_STATUSES, CHANNELS, CONTACT_ROLES, SECTORS
from surveys.models.statuses import InvitationStatus, ResponseStatus, RoundStatus

TEXT = validate.Length(max=2000)
NAME = validate.Length(min=1, max=200)
ID = validate.Range(min=1, max=MAX_ID)
MAX_ANSWER_FIELDS = 200
API_CHANNELS = tuple(channel for channel in CHANNELS if channel != "slack")


class QueryInteger(fields.Integer):
    """An integer in a query string: ASCII digits only (int() would also take "\x857")."""

    def _validated(self, value):
        if isinstance(value, str) and not re.fullmatch(r"[0-9]{1,12}", value):
            raise self.make_error("invalid")
        return super()._validated(value)


class UtcDateTime(fields.AwareDateTime):
    """A date-time with a zone (UTC without one), given back in UTC; a moment that has no
    UTC date-time (year 1 at +14:00, year 9999 at -14:00) is refused, not left to fail."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE) from None


class StrictBoolean(fields.Boolean):
    """JSON true or false only (marshmallow would also take "yes" or 1)."""

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class Strict(Schema):
    """Input: an unknown field is an error, so a typo is never silently ignored."""

    class Meta:
        unknown = RAISE


class Output(Schema):
    class Meta:
        unknown = EXCLUDE


# ---------------------------------------------------------------------------- problems


class ProblemSchema(Output):
    """An RFC 9457 problem; `errors` maps field names to messages."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.Raw())


# ---------------------------------------------------------------------------- paging


class PageArgs(Strict):
    cursor = fields.String(
        validate=validate.Length(min=1, max=40), metadata={"description": "From next_cursor"}
    )
    limit = QueryInteger(load_default=50, validate=validate.Range(min=1, max=100))


def page_of(item_schema: type[Schema]) -> type[Schema]:
    """Return the schema of a page of items (made once per item schema)."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    return type(
        name,
        (Output,),
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "next_cursor": fields.String(
                required=True, allow_none=True, metadata={"description": "null on the last page"}
            ),
        },
    )


# ---------------------------------------------------------------------------- programmes


class ProgrammeSchema(Output):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)
    retention_days = fields.Integer(required=True, allow_none=True)


class RoundSchema(Output):
    id = fields.Integer(required=True)
    programme_id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(list(RoundStatus)))
    opens_on = fields.Date(required=True, allow_none=True)
    closes_on = fields.Date(required=True, allow_none=True)
    previous_round_id = fields.Integer(required=True, allow_none=True)


class RoundArgs(PageArgs):
    programme_id = QueryInteger(validate=ID)
    status = fields.String(validate=validate.OneOf(list(RoundStatus)))


class RoundInput(Strict):
    programme_id = fields.Integer(strict=True, required=True, validate=ID)
    name = fields.String(required=True, validate=NAME)
    slug = fields.String(validate=validate.Length(max=80))
    opens_on = fields.Date(allow_none=True)
    closes_on = fields.Date(allow_none=True)
    reminder_days = fields.String(load_default="7,2", validate=validate.Length(max=40))


class SurveyVersionSchema(Output):
    version = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    definition = fields.Dict(required=True)


class SurveySchema(Output):
    id = fields.Integer(required=True)
    round_id = fields.Integer(required=True)
    slug = fields.String(required=True)
    title = fields.String(required=True)
    template = fields.String(required=True)
    current_version = fields.Integer(required=True)
    open_link = fields.Boolean(required=True)


class SurveyDetailSchema(SurveySchema):
    versions = fields.List(fields.Nested(SurveyVersionSchema), required=True)


class SurveyArgs(PageArgs):
    round_id = QueryInteger(validate=ID)


# ---------------------------------------------------------------------------- people


class ContactSchema(Output):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True, allow_none=True)
    phone = fields.String(required=True, allow_none=True)
    role = fields.String(required=True)
    organisation = fields.String(required=True, attribute="organisation.name")
    sector = fields.String(required=True, attribute="organisation.sector")
    opted_out = fields.Boolean(required=True)


class ContactArgs(PageArgs):
    sector = fields.String(validate=validate.OneOf(list(SECTORS)))
    role = fields.String(validate=validate.OneOf(list(CONTACT_ROLES)))


class ContactInput(Strict):
    organisation = fields.String(required=True, validate=NAME)
    sector = fields.String(required=True, validate=validate.Length(max=60))
    name = fields.String(required=True, validate=NAME)
    email = fields.String(load_default="", validate=validate.Length(max=254))
    phone = fields.String(load_default="", validate=validate.Length(max=40))
    role = fields.String(load_default="provider", validate=validate.Length(max=40))
    slack_user_id = fields.String(load_default="", validate=validate.Length(max=32))


class ContactImportInput(Strict):
    csv = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200_000),
        metadata={"description": "The CSV file's text, with a header row"},
    )
    dry_run = StrictBoolean(load_default=False)


class ImportRowSchema(Output):
    number = fields.Integer(required=True)
    action = fields.String(required=True)
    problems = fields.List(fields.String(), required=True)


class ContactImportSchema(Output):
    rows = fields.List(fields.Nested(ImportRowSchema), required=True)
    added = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    skipped = fields.Integer(required=True)
    applied = fields.Boolean(required=True)


class InvitationSchema(Output):
    id = fields.Integer(required=True)
    survey_id = fields.Integer(required=True)
    contact_id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(list(InvitationStatus)))
    sent_at = fields.DateTime(required=True, allow_none=True)
    opened_at = fields.DateTime(required=True, allow_none=True)
    completed_at = fields.DateTime(required=True, allow_none=True)


class InvitationArgs(PageArgs):
    survey_id = QueryInteger(validate=ID)
    status = fields.String(validate=validate.OneOf(list(InvitationStatus)))


class InvitationInput(Strict):
    survey_id = fields.Integer(strict=True, required=True, validate=ID)
    contact_ids = fields.List(
        fields.Integer(strict=True, validate=ID),
        required=True,
        validate=validate.Length(min=1, max=500),
    )
    send_email = StrictBoolean(
        load_default=False, metadata={"description": "Email each new invitation its link"}
    )


class InvitationListSchema(Output):
    items = fields.List(fields.Nested(InvitationSchema), required=True)


class LinkSchema(Output):
    url = fields.String(required=True, metadata={"description": "Shown once; older links stop"})


# ---------------------------------------------------------------------------- responses


class AnswerSchema(Output):
    question_id = fields.String(required=True)
    value = fields.Raw(required=True, allow_none=True)
    kind = fields.String(required=True, allow_none=True)
    sentiment = fields.String(required=True, allow_none=True, attribute="effective_label")
    theme_id = fields.Integer(required=True, allow_none=True)


class ResponseSchema(Output):
    id = fields.Integer(required=True)
    reference = fields.String(required=True)
    survey_id = fields.Integer(required=True)
    survey_version = fields.Integer(required=True, attribute="survey_version.version")
    invitation_id = fields.Integer(required=True, allow_none=True)
    channel = fields.String(required=True, validate=validate.OneOf(list(CHANNELS)))
    status = fields.String(required=True, validate=validate.OneOf(list(ResponseStatus)))
    started_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    submitted_at = fields.DateTime(required=True, allow_none=True)
    answers = fields.List(fields.Nested(AnswerSchema), required=True)


class ResponseArgs(PageArgs):
    round_id = QueryInteger(validate=ID)
    survey_id = QueryInteger(validate=ID)
    status = fields.String(validate=validate.OneOf(list(ResponseStatus)))
    channel = fields.String(validate=validate.OneOf(list(CHANNELS)))
    updated_since = UtcDateTime(
        default_timezone=UTC, metadata={"description": "Without a zone, UTC"}
    )


MAX_FORM_TEXT = 10_000
MAX_FORM_ITEMS = 100


class FormValue(fields.Field):
    """One form field's value, as the pages post it: text, or a list of texts."""

    def __init__(self, **kwargs) -> None:
        text = {"type": "string", "maxLength": MAX_FORM_TEXT}
        texts = {"type": "array", "items": text, "maxItems": MAX_FORM_ITEMS}
        super().__init__(metadata={"oneOf": [text, texts]}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str | list[str]:
        if isinstance(value, str) and len(value) <= MAX_FORM_TEXT:
            return value
        if (
            isinstance(value, list)
            and len(value) <= MAX_FORM_ITEMS
            and all(isinstance(item, str) and len(item) <= MAX_FORM_TEXT for item in value)
        ):
            return value
        raise ValidationError(
            f"Give text, or a list of up to {MAX_FORM_ITEMS} texts, each up to "
            f"{MAX_FORM_TEXT:,} characters"
        )


def _at_most_answer_fields(answers: dict) -> None:
    if len(answers) > MAX_ANSWER_FIELDS:
        raise ValidationError(f"Give at most {MAX_ANSWER_FIELDS} answer fields")


class ResponseInput(Strict):
    survey_id = fields.Integer(strict=True, validate=ID)
    invitation_id = fields.Integer(strict=True, validate=ID)
    channel = fields.String(load_default="web", validate=validate.OneOf(API_CHANNELS))
    answers = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=100)),
        values=FormValue(),
        required=True,
        validate=_at_most_answer_fields,
        metadata={
            "description": "Form fields as the questionnaire's pages post them",
            "maxProperties": MAX_ANSWER_FIELDS,
            "propertyNames": {"minLength": 1, "maxLength": 100},
        },
    )


# ---------------------------------------------------------------------------- learning


class ThemeSchema(Output):
    id = fields.Integer(required=True)
    programme_id = fields.Integer(required=True)
    key = fields.String(required=True)
    label = fields.String(required=True)
    kind = fields.String(required=True)
    merged_into_id = fields.Integer(required=True, allow_none=True)
    exemplars = fields.List(fields.String(), required=True)


class ThemeArgs(PageArgs):
    programme_id = QueryInteger(required=True, validate=ID)


class RenameInput(Strict):
    label = fields.String(required=True, validate=NAME)


class MergeInput(Strict):
    into_id = fields.Integer(strict=True, required=True, validate=ID)


class SummarySchema(Output):
    round_id = fields.Integer(required=True)
    computed_at = fields.DateTime(required=True)
    updating = fields.Boolean(required=True)
    summary = fields.Dict(required=True)


class ActionSchema(Output):
    id = fields.Integer(required=True)
    lesson_id = fields.Integer(required=True)
    description = fields.String(required=True)
    owner = fields.String(required=True)
    due_on = fields.Date(required=True, allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(list(ACTION_STATUSES)))
    evidence = fields.String(required=True)


class LessonSchema(Output):
    id = fields.Integer(required=True)
    round_id = fields.Integer(required=True)
    theme_id = fields.Integer(required=True, allow_none=True)
    target_round_id = fields.Integer(required=True, allow_none=True)
    title = fields.String(required=True)
    what_we_heard = fields.String(required=True)
    what_we_did = fields.String(required=True)
    status = fields.String(required=True)
    ask_next_round = fields.Boolean(required=True)
    actions = fields.List(fields.Nested(ActionSchema), required=True)


class LessonArgs(PageArgs):
    round_id = QueryInteger(validate=ID)


class LessonInput(Strict):
    round_id = fields.Integer(strict=True, required=True, validate=ID)
    theme_id = fields.Integer(strict=True, allow_none=True, validate=ID)
    title = fields.String(required=True, validate=NAME)
    what_we_heard = fields.String(load_default="", validate=TEXT)
    ask_next_round = StrictBoolean(load_default=True)


class LessonUpdate(Strict):
    what_we_did = fields.String(validate=TEXT)
    status = fields.String(validate=validate.OneOf(["open", "closed"]))
    ask_next_round = StrictBoolean()


class ActionInput(Strict):
    description = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    owner = fields.String(required=True, validate=NAME)
    due_on = fields.Date(allow_none=True)


class ActionUpdate(Strict):
    status = fields.String(required=True, validate=validate.OneOf(list(ACTION_STATUSES)))
    evidence = fields.String(load_default="", validate=TEXT)
