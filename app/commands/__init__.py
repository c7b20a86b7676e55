"""The project's own `debrief` commands, each group in its own module.

`tag` and `summarise` need no app, so `app.cli` runs them without one (`APP_FREE`).
"""

from __future__ import annotations

from flask import Flask

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


def register(app: Flask) -> None:
    """Add every command module's commands to the app's CLI."""
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
