"""Debrief's data model; import models from here."""

from surveys.models._base import (
    ACTION_STATUSES,
    CALL_OUTCOMES,
    CHANNELS,
    CONTACT_ROLES,
    OFFICER_ROLES,
    SECTORS,
    THEME_KINDS,
    utcnow,
)
from surveys.models.api import API_SCOPES, ApiToken, IdempotencyKey
from surveys.models.integrations import (
    WEBHOOK_EVENTS,
    ImportedRow,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
)
from surveys.models.learning import Action, Lesson, Theme
from surveys.models.operations import (
    AuditEvent,
    IntegrationProblem,
    OutboundMessage,
    SlackDelivery,
    Throttle,
)
from surveys.models.people import Contact, Officer, Organisation
from surveys.models.programmes import Programme, Round
from surveys.models.questionnaires import (
    Answer,
    CallLog,
    Invitation,
    Response,
    Survey,
    SurveyVersion,
)
from surveys.models.statuses import (
    ActionStatus,
    InvitationStatus,
    LessonStatus,
    MessageStatus,
    ResponseStatus,
    RoundStatus,
)
from surveys.models.stored import StoredSummary

__all__ = [
    "API_SCOPES",
    "ApiToken",
    "IdempotencyKey",
    "ActionStatus",
    "InvitationStatus",
    "LessonStatus",
    "MessageStatus",
    "ResponseStatus",
    "RoundStatus",
    "ACTION_STATUSES",
    "CALL_OUTCOMES",
    "CHANNELS",
    "CONTACT_ROLES",
    "OFFICER_ROLES",
    "SECTORS",
    "THEME_KINDS",
    "WEBHOOK_EVENTS",
    "Action",
    "Answer",
    "AuditEvent",
    "CallLog",
    "ImportedRow",
    "Contact",
    "IntegrationProblem",
    "Invitation",
    "Lesson",
    "Officer",
    "Organisation",
    "OutboundMessage",
    "Programme",
    "Response",
    "Round",
    "SlackDelivery",
    "StoredSummary",
    "Survey",
    "SurveyVersion",
    "Theme",
    "Throttle",
    "Webhook",
    "WebhookDelivery",
    "WebhookEvent",
    "utcnow",
]
