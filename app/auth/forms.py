"""Sign-in and password forms, on the officer forms' base (GOV.UK widgets, error summary)."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import Field, PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired

from app.admin.forms import OfficerForm, strip

LENGTH_HINT = "Use 12 characters or more."


class PasswordText(GovTextInput):
    """A password box that never sends the password back to the browser."""

    input_type = "password"

    def __call__(self, field: Field, **kwargs) -> str:
        kwargs["value"] = ""
        return super().__call__(field, **kwargs)


class SignInForm(OfficerForm):
    """An email address and a password; the auth service decides whether they match."""

    email = StringField(
        "Email address",
        filters=[strip],
        validators=[DataRequired("Enter your email address")],
        widget=GovTextInput(),
    )
    password = PasswordField(
        "Password", validators=[InputRequired("Enter your password")], widget=PasswordText()
    )


class NewPasswordForm(OfficerForm):
    """A new password typed twice; the officers service decides whether it is good enough."""

    new_password = PasswordField("New password", description=LENGTH_HINT, widget=PasswordText())
    confirm_password = PasswordField("Confirm new password", widget=PasswordText())


class ChangePasswordForm(NewPasswordForm):
    """The current password, then a new one typed twice."""

    current_password = PasswordField("Current password", widget=PasswordText())
    new_password = PasswordField(
        "New password",
        description=f"{LENGTH_HINT} A few unrelated words make a good password.",
        widget=PasswordText(),
    )


class RequestResetForm(OfficerForm):
    """The email address to send a password reset link to."""

    email = StringField(
        "Email address",
        filters=[strip],
        validators=[DataRequired("Enter your email address")],
        widget=GovTextInput(),
    )
