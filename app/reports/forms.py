"""The report pages' forms on WTForms, rendered through govuk-frontend-wtf: lessons and
actions, and theme edits (rename, merge, split).

As with `app.admin.forms`, a form parses and renders and the services decide what is
allowed (a theme name, unique on its side; a theme on the same side; answers of this round).
Merge and split carry a `confirm` field: without it the view shows what would move.
"""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)

from app.admin.forms import DateText, OfficerForm, choices
from surveys.models import ACTION_STATUSES


class ActionForm(OfficerForm):
    """An action: what, who and by when; the lessons service checks them."""

    description = TextAreaField("Action", widget=GovTextArea())
    owner = StringField("Owner", widget=GovTextInput())
    due_on = DateText("Due by", "Due date", description="For example, 2026-03-27")

    def action(self) -> dict:
        """Return the action as the lessons service takes it."""
        return {
            "description": self.description.data or "",
            "owner": self.owner.data or "",
            "due_on": self.due_on.date,
        }


class LessonForm(ActionForm):
    """Record a lesson from a round's theme, with an optional first action."""

    theme_id = SelectField("Theme it comes from", validate_choice=False, widget=GovSelect())
    title = StringField(
        "Lesson",
        description="For example, Give applicants longer to complete the EOI form",
        widget=GovTextInput(),
    )
    what_we_heard = TextAreaField(
        "What we heard", description="In respondents' terms, without names", widget=GovTextArea()
    )

    def has_action(self) -> bool:
        """Whether a first action was described."""
        return bool((self.description.data or "").strip() or (self.owner.data or "").strip())


class LessonUpdateForm(OfficerForm):
    """What was done about a lesson, its status, and whether to ask about it next round."""

    what_we_did = TextAreaField(
        "What we did about this lesson",
        description="Shown to respondents next round: “Last time you told us …; we did ….”",
        widget=GovTextArea(),
    )
    ask_next_round = BooleanField(
        "Ask respondents next round whether this has improved", widget=GovCheckboxInput()
    )
    status = SelectField(
        "Lesson status",
        choices=choices([("open", "Open"), ("closed", "Closed")]),
        validate_choice=False,
        widget=GovSelect(),
    )


class ActionUpdateForm(OfficerForm):
    """Move one action on; its fields carry the action's id so several fit on one page."""

    status = SelectField(
        "Status",
        choices=choices(ACTION_STATUSES.items()),
        validate_choice=False,
        widget=GovSelect(),
    )
    evidence = TextAreaField(
        "Evidence", description="What was done, and where to see it", widget=GovTextArea()
    )

    def for_action(self, action_id: int) -> ActionUpdateForm:
        """Give the fields ids of their own for this action's row."""
        self.action_id = action_id
        for field in (self.status, self.evidence):
            field.id = f"{field.name}-{action_id}"
        return self


class RenameThemeForm(OfficerForm):
    label = StringField("New name", widget=GovTextInput())
    submit = SubmitField("Rename theme", widget=GovSubmitInput())


class MergeThemeForm(OfficerForm):
    target = SelectField(
        "Theme to merge into",
        description="This theme's answers, in every round, and its lessons will be filed "
        "under the chosen theme. You will see what moves before anything changes.",
        validate_choice=False,  # the themes service decides which themes may be merged
        widget=GovSelect(),
    )
    confirm = HiddenField()
    submit = SubmitField("Merge themes", widget=GovSubmitInput())


class SplitThemeForm(OfficerForm):
    answer_ids = SelectMultipleField(
        "Answers to move into the new theme",
        description="Select all that apply. You will see what moves before anything changes.",
        validate_choice=False,
        widget=GovCheckboxesInput(),
    )
    new_label = StringField("Name of the new theme", widget=GovTextInput())
    confirm = HiddenField()
    submit = SubmitField("Split theme", widget=GovSubmitInput())
