"""Officer forms on WTForms, rendered through govuk-frontend-wtf's GOV.UK widgets.

A form parses and renders; the rules stay in the services. A view hands the form's data
to a service and, on InvalidInput, puts the service's messages back on the fields with
`show_errors`, so the page shows them against each field and in the error summary
(`error_summary` gives the admin layout its `errors` mapping).
"""

from __future__ import annotations

import re
from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from surveys.models import CALL_OUTCOMES, CONTACT_ROLES, SECTORS, WEBHOOK_EVENTS
from surveys.services.contacts import ContactFields


def strip(text: str | None) -> str | None:
    """Filter: drop surrounding spaces from typed text."""
    return text.strip() if isinstance(text, str) else text


def choices(pairs) -> list[SelectChoice]:
    """Return (value, label) pairs as WTForms choices."""
    return [SelectChoice(str(value), label) for value, label in pairs]


class OfficerForm(FlaskForm):
    """Base for officer forms: service errors go onto fields and into the summary."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.other_errors: dict[str, str] = {}

    def show_errors(self, errors: dict[str, str]) -> None:
        """Attach a service's messages (by field name) to the fields; others stay on the form.

        A message for a name the form has no field for (a whole round, say) is kept in
        `other_errors`, which the template shows where it belongs and the summary lists.
        """
        for name, message in errors.items():
            field = self._fields.get(name)
            if field is not None:
                field.errors = [message]
            else:
                self.other_errors[name] = message

    def error_summary(self) -> dict[str, str]:
        """Return the first error of each field by field id, for the error summary."""
        summary = {
            self[name].id: messages[0]
            for name, messages in self.errors.items()
            if messages and name in self._fields
        }
        return summary | self.other_errors


class DateText(StringField):
    """A date typed as YYYY-MM-DD (or left empty); `date` is the parsed value."""

    def __init__(self, label: str, noun: str, **kwargs) -> None:
        kwargs.setdefault("filters", [strip])
        kwargs.setdefault("widget", GovTextInput())
        super().__init__(label, **kwargs)
        self.noun = noun

    @property
    def date(self) -> date | None:
        """The typed date, or None when empty or not a real date."""
        try:
            return date.fromisoformat(self.data) if self.data else None
        except ValueError:
            return None

    def pre_validate(self, form: FlaskForm) -> None:
        if self.data and self.date is None:
            raise ValidationError(f"{self.noun} must be a real date, like 2026-03-27")


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


# ASCII digits, few enough for int(): "²" passes str.isdigit() and 5,000 nines pass too.
_DAYS = re.compile(r"[0-9]{1,9}")


def _whole_number_of_days(form: OfficerForm, field: Field) -> None:
    text = (field.data or "").strip()
    if text and not _DAYS.fullmatch(text):
        raise ValidationError("Enter a number of days, like 2555")


def _days(field: Field) -> int | None:
    text = (field.data or "").strip()
    return int(text) if text else None


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
        return _days(self.retention_days)


class RetentionForm(OfficerForm):
    """Change a programme's retention period (the inline form on the rounds page)."""

    retention_days = StringField("Keep responses for (days)", validators=[_whole_number_of_days])

    @property
    def days(self) -> int | None:
        """The retention period in days, or None to keep responses until erased."""
        return _days(self.retention_days)


REMINDER_HINT = "Separate with commas. Leave empty for no automatic reminders."


class RoundDatesForm(OfficerForm):
    """A round's name, dates and reminder days; the rounds service checks they make sense."""

    name = StringField("Round name", widget=GovTextInput())
    opens_on = DateText("Opening date", "Opening date")
    closes_on = DateText("Closing date", "Closing date")
    reminder_days = StringField(
        "Send reminders this many days before closing",
        description=REMINDER_HINT,
        widget=GovTextInput(),
    )


class RoundForm(RoundDatesForm):
    """Add a round to a programme, optionally following an earlier round."""

    name = StringField("Round name", description="For example, Phase 3", widget=GovTextInput())
    reminder_days = StringField(
        "Send reminders this many days before closing",
        default="7, 2",
        description=REMINDER_HINT,
        widget=GovTextInput(),
    )
    previous_round = SelectField(
        "Previous round (optional)",
        description="You can copy its surveys into this round",
        validate_choice=False,
        widget=GovSelect(),
    )


ATTACH_SOURCES = ("template", "upload", "previous")


class AttachSurveyForm(OfficerForm):
    """Attach a survey to a round: from a template, an uploaded YAML file or the last round."""

    source = HiddenField()
    template = SelectField("From a template", validate_choice=False, widget=GovSelect())
    definition_file = FileField("From a YAML questionnaire file", widget=GovFileInput())
    yaml_text = ""

    def validate_template(self, field: Field) -> None:
        if self.source.data not in ATTACH_SOURCES:
            raise ValidationError("Select a questionnaire template")

    def validate_definition_file(self, field: Field) -> None:
        """An uploaded definition must be a file of UTF-8 text; keep its text."""
        if self.source.data != "upload":
            return
        if field.data is None or not field.data.filename:
            raise ValidationError("Select a YAML file")
        try:
            self.yaml_text = field.data.read().decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError("The selected file must be UTF-8 text") from None


class RoundStatusForm(OfficerForm):
    """Open or close a round (the button pressed is the `action`)."""

    action = HiddenField()


class InviteForm(OfficerForm):
    """Choose which contacts to invite, and to which of the round's surveys."""

    sector = HiddenField()
    role = HiddenField()
    survey = SelectField("Survey", validate_choice=False, widget=GovSelect())
    contact = SelectMultipleField(
        "Who to invite", validate_choice=False, widget=GovCheckboxesInput()
    )
    everyone = HiddenField()


class ContactForm(OfficerForm):
    """A contact's details; the contacts service checks them."""

    organisation = StringField("Organisation", widget=GovTextInput())
    sector = SelectField(
        "Sector",
        choices=choices([("", "Select a sector"), *SECTORS.items()]),
        validate_choice=False,
        widget=GovSelect(),
    )
    name = StringField("Contact's name", widget=GovTextInput())
    email = StringField("Email address", widget=GovTextInput())
    phone = StringField("Phone number", widget=GovTextInput())
    role = SelectField(
        "Role",
        choices=choices(CONTACT_ROLES.items()),
        default="provider",
        validate_choice=False,
        widget=GovSelect(),
    )
    slack_user_id = StringField("Slack user ID (optional)", widget=GovTextInput())

    def contact_fields(self) -> ContactFields:
        """Return what was typed, for the contacts service."""
        return ContactFields(
            **{name: self[name].data or "" for name in ContactFields.__dataclass_fields__}
        )


class ContactImportForm(OfficerForm):
    """Upload a CSV or XLSX file of contacts to preview."""

    file = FileField(
        "Upload a file",
        validators=[InputRequired("Select a CSV or XLSX file")],
        widget=GovFileInput(),
    )


class ImportConfirmForm(OfficerForm):
    """Confirm a previewed upload, named by the key it was stored under."""

    key = HiddenField()


class EraseContactForm(OfficerForm):
    """Confirm that a contact's personal data is to be erased."""

    confirm = BooleanField(
        "I understand that this cannot be undone",
        validators=[InputRequired("Confirm that you want to erase this contact")],
        widget=GovCheckboxInput(),
    )


class NewOfficerForm(OfficerForm):
    """Add an officer; the officers service checks the address and role."""

    email = StringField("Email address", filters=[strip], widget=GovTextInput())
    name = StringField("Name", widget=GovTextInput())
    role = SelectField(
        "Role",
        choices=choices(
            [
                ("officer", "Officer – runs rounds"),
                ("viewer", "Viewer – reads only"),
                ("admin", "Admin – manages officers and settings"),
            ]
        ),
        default="officer",
        validate_choice=False,
        widget=GovSelect(),
    )
    slack_user_id = StringField(
        "Slack user ID (optional)",
        description="Like U012AB3CD",
        filters=[strip],
        widget=GovTextInput(),
    )


class RoleForm(OfficerForm):
    """Change an officer's role (the inline form on the officers page)."""

    role = StringField()


class ActiveForm(OfficerForm):
    """Deactivate or reactivate an officer (the inline button on the officers page)."""

    active = HiddenField()


class ResolveProblemForm(OfficerForm):
    """Mark an integration problem resolved, then go back to the page it was shown on."""

    next = HiddenField()


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


TOKEN_SCOPES = {
    "read": "Read – see rounds, responses and summaries",
    "write": "Write – also open rounds, submit responses, edit themes and lessons",
}


class TokenForm(OfficerForm):
    """Create an API token; the tokens service decides which scopes and expiries are allowed."""

    name = StringField("What is it for? (optional)", widget=GovTextInput())
    scope = SelectField(
        "Scope",
        default="read",
        validate_choice=False,  # the tokens service names the scopes an officer may have
        widget=GovSelect(),
    )
    expires_days = StringField(
        "Expires after (days, optional)", filters=[strip], widget=GovTextInput()
    )
    submit = SubmitField("Create token", widget=GovSubmitInput())

    def set_scopes(self, scopes: tuple[str, ...]) -> None:
        """Offer these scopes (the ones the tokens service allows the officer)."""
        self.scope.choices = choices((scope, TOKEN_SCOPES.get(scope, scope)) for scope in scopes)

    def validate_expires_days(self, field: Field) -> None:
        if field.data and not _DAYS.fullmatch(field.data):
            raise ValidationError("Enter a whole number of days")

    @property
    def days(self) -> int | None:
        """The typed expiry in days, or None for a token that does not expire."""
        return int(self.expires_days.data) if self.expires_days.data else None
