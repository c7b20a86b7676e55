"""The `debrief` console script: Flask's CLI bound to the Debrief app factory.

`debrief --help` lists the commands from `COMMAND_HELP` instead of building the app, which
would import the whole product; running a command builds it as usual, except the
`APP_FREE` ones. A test keeps the table in step with the commands the app registers.
"""

from __future__ import annotations

import importlib

import click
from flask.cli import FlaskGroup

COMMAND_HELP = {
    "analyse": "Re-tag and regroup a round's answers (--dry-run shows what would change).",
    "ask": "Answer a question in plain words about the feedback.",
    "bot": "Run the Slack bot over Socket Mode.",
    "db": "Perform database migrations.",
    "demo": "Load the children's centres demonstration programme.",
    "export": "Export one row per submitted response, one column per question.",
    "import": "Import earlier evaluations' answers into a round from CSV or XLSX.",
    "links": "Issue fresh links for pending invitations and retire the old ones.",
    "officer": "Manage officer accounts.",
    "openapi": "Print or write the JSON API's OpenAPI document.",
    "privacy": "Data protection: export, erase, purge.",
    "report": "Write a round's lessons-learned summary.",
    "routes": "Show the routes for the app.",
    "run": "Run a development server.",
    "serve": "Serve Debrief with its worker beside it.",
    "shell": "Run a shell in the app context.",
    "summarise": "Group the free text in a CSV file into themes.",
    "survey": "Questionnaire definitions and surveys.",
    "tag": "Tag JSON lines of answers on stdin with their sentiment.",
    "token": "Manage API tokens (create, list, revoke).",
    "worker": "Run the background worker (emails, reminders, scheduled tasks).",
}


# Commands that read only standard input or a file, never the database or the web app:
# running them skips building the app (about a second, most of a small `debrief tag` run).
APP_FREE = {
    "summarise": "app.commands.summarise:summarise_command",
    "tag": "app.commands.tag:tag_command",
}


def _create_app():
    from app import create_app

    return create_app()


class DebriefGroup(FlaskGroup):
    """Flask's command group, with a help page and app-free commands that need no app."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *APP_FREE})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in APP_FREE:
            module, _, attribute = APP_FREE[name].partition(":")
            return getattr(importlib.import_module(module), attribute)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl(sorted(COMMAND_HELP.items()))


main = DebriefGroup(create_app=_create_app, help="Debrief: learn from each commissioning round.")


if __name__ == "__main__":
    main()
