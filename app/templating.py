"""Jinja set-up for the web face: GOV.UK Frontend's macros beside the app's own templates."""

from __future__ import annotations

from datetime import date

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
    app.add_template_filter(long_date)


def long_date(day: date | None, missing: str = "Not set") -> str:
    """Write a date the GOV.UK way, "5 January 2027"; `missing` when there is none."""
    return f"{day.day} {day:%B %Y}" if day else missing
