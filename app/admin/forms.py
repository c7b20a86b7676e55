"""Officer forms on WTForms, rendered through govuk-frontend-wtf's GOV.UK widgets.

A form parses and renders; the rules stay in the services. A view hands the form's data
to a service and, on InvalidInput, puts the service's messages back on the fields with
`show_errors`, so the page shows them against each field and in the error summary
(`error_summary` gives the admin layout its `errors` mapping).
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    Field,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice

from surveys.models import CALL_OUTCOMES, WEBHOOK_EVENTS


class OfficerForm(FlaskForm):
    """Base for officer forms: service errors go onto fields and into the summary."""

    def show_errors(self, errors: dict[str, str]) -> None:
        """Attach a service's error messages (by field name) to the form's fields."""
        for name, message in errors.items():
            field = self._fields.get(name)
            if field is not None:
                field.errors = [message]

    def error_summary(self) -> dict[str, str]:
        """Return the first error of each field by field id, for the error summary."""
        return {self[name].id: messages[0] for name, messages in self.errors.items() if messages}


class CallForm(OfficerForm):
    """Record the outcome of a telephone call to an invitee."""

    outcome = RadioField(
        "Outcome",
        choices=[
            SelectChoice(
                value, f"{label} – enter their answers now" if value == "completed" else label
            )
            for value, label in CALL_OUTCOMES.items()
        ],
        validate_choice=False,  # the telephone service decides what a valid outcome is
        widget=GovRadioInput(),
    )
    note = TextAreaField(
        "Note (optional)",
        description="For example, a good time to call back. Do not record their answers here.",
        widget=GovTextArea(),
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


def _whole_number_of_days(form: OfficerForm, field: Field) -> None:
    text = (field.data or "").strip()
    if text and not text.isdigit():
        raise ValidationError("Enter a number of days, like 2555")


class ProgrammeForm(OfficerForm):
    """Add a programme; the rounds service decides what a valid name and retention are."""

    name = StringField(
        "Programme name",
        description="For example, Children's centres commissioning",
        widget=GovTextInput(),
    )
    retention_days = StringField(
        "Keep responses for (days after a round closes)",
        default="2555",
        description="Leave empty to keep them until you erase them",
        validators=[_whole_number_of_days],
        widget=GovTextInput(),
    )
    submit = SubmitField("Add programme", widget=GovSubmitInput())

    @property
    def days(self) -> int | None:
        """The retention period in days, or None to keep responses until erased."""
        text = (self.retention_days.data or "").strip()
        return int(text) if text else None


class WebhookForm(OfficerForm):
    """Subscribe an address to events; the webhooks service decides what is allowed."""

    url = StringField(
        "Address to send events to",
        description="A public https:// address, for example https://example.org/debrief-events",
        widget=GovTextInput(),
    )
    description = StringField(
        "Description (optional)",
        description="For example, the team or system it serves",
        widget=GovTextInput(),
    )
    events = SelectMultipleField(
        "Events",
        choices=[SelectChoice(name, f"{label} ({name})") for name, label in WEBHOOK_EVENTS.items()],
        validate_choice=False,  # the webhooks service names the events it knows
        widget=GovCheckboxesInput(),
    )
    submit = SubmitField("Add webhook", widget=GovSubmitInput())
