"""`debrief demo`: load the demonstration programme."""

from __future__ import annotations

import click
from flask import Flask

from app.extensions import db


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Load only when the database holds no programme.")
def demo_command(if_empty: bool) -> None:
    """Load the children's centres demonstration programme (running it twice changes nothing)."""
    from surveys.demo import database_is_empty, load_demo

    if if_empty and not database_is_empty():
        click.echo("The database already holds a programme; demo data not loaded.")
        return
    result = load_demo()
    if result is None:
        click.echo("The demonstration programme is already loaded; nothing changed.")
        return
    db.session.commit()
    click.echo(
        f"Loaded ‘{result.programme.name}’: phases 1 to 3 with {result.responses} responses "
        f"and {result.lessons} lessons from phase 2 followed up in phase 3."
    )
    for email, password in result.officer_passwords.items():
        click.echo(f"Officer {email}  one-time password: {password}")
    click.echo("Try: debrief links phase-3, or debrief report phase-3 for “You said, we did”.")


def register(app: Flask) -> None:
    app.cli.add_command(demo_command)
