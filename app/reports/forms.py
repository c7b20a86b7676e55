"""Theme edits on WTForms (rename, merge, split), rendered through govuk-frontend-wtf.

As with `app.admin.forms`, a form parses and renders and the themes service decides what
is allowed (a name, unique on its side; a theme on the same side; answers of this round).
Merge and split carry a `confirm` field: without it the view shows what would move.
"""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, SubmitField

from app.admin.forms import OfficerForm


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
