"""The project's own `debrief` commands, each group in its own module.

`tag` and `summarise` need no app, so `app.cli` runs them without one (`APP_FREE`); the
others are imported only when the app registers them, so importing one of those two stays
cheap.
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Add every command module's commands to the app's CLI."""
    from app.commands import (
        analyse,
        ask,
        bot,
        demo,
        export,
        import_responses,
        links,
        officer,
        privacy,
        report,
        serve,
        survey,
        token,
        worker,
    )

    for module in (
        demo,
        serve,
        worker,
        officer,
        export,
        import_responses,
        privacy,
        analyse,
        report,
        ask,
        survey,
        links,
        bot,
        token,
    ):
        module.register(app)
