"""The `debrief` help page lists exactly the commands the app registers."""

from __future__ import annotations

import click
import click.testing
from flask import Flask
from flask.cli import ScriptInfo

from app.cli import COMMAND_HELP, main


def test_help_table_matches_the_registered_commands(app: Flask) -> None:
    ctx = click.Context(main, obj=ScriptInfo(create_app=lambda: app))
    assert set(main.list_commands(ctx)) == set(COMMAND_HELP)


def test_help_page_lists_every_command_without_building_the_app() -> None:
    result = click.testing.CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name, help_text in COMMAND_HELP.items():
        assert f"{name}  " in result.output
        assert help_text[:30] in result.output
