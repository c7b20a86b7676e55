"""Small helpers shared by the officer views."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask_login import current_user

from app.extensions import db
from surveys.errors import InvalidInput

if TYPE_CHECKING:
    from app.admin.forms import OfficerForm


def actor():
    """Return the signed-in officer as a plain model object."""
    return current_user._get_current_object()


def save_form(form: OfficerForm, change: Callable[[], Any]) -> tuple[bool, Any]:
    """Validate a posted form, make the service change and commit: (True, its result).

    On a GET, an invalid form or the service's InvalidInput it is (False, None); the
    change is rolled back and the service's messages are put on the form's fields.
    """
    if not form.validate_on_submit():
        return False, None
    try:
        result = change()
    except InvalidInput as error:
        db.session.rollback()
        form.show_errors(error.errors)
        return False, None
    db.session.commit()
    return True, result
