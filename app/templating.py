"""Jinja set-up for the web face: GOV.UK Frontend's macros beside the app's own templates."""

from __future__ import annotations

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader


def init_app(app: Flask) -> None:
    """Let templates import `govuk_frontend_jinja/...` and `govuk_frontend_wtf/...`."""
    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    WTFormsHelpers(app)
