"""`debrief officer ...`: create officers and reset their passwords from the command line."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from app.extensions import db
from surveys.errors import InvalidInput
from surveys.models import OFFICER_ROLES
from surveys.services import officers

officer_group = AppGroup("officer", help="Manage officer accounts.")


@officer_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(OFFICER_ROLES), default="officer", show_default=True)
@click.option("--name", default="", help="The officer's name.")
@click.option("--slack-user", "slack_user", default=None, help="Their Slack user ID (UXXXX).")
def create_command(email: str, role: str, name: str, slack_user: str | None) -> None:
    """Create an officer and print a one-time password to change at first sign-in."""
    try:
        officer, password = officers.create_officer(email, role, name, slack_user)
    except InvalidInput as error:
        db.session.rollback()
        for message in error.errors.values():
            click.echo(f"Error: {message}", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(f"Created {officer.role} {officer.email}.")
    click.echo(f"One-time password (shown once; must be changed at first sign-in): {password}")


@officer_group.command("reset-password")
@click.argument("email")
def reset_command(email: str) -> None:
    """Give an officer a new one-time password."""
    officer = officers.officer_by_email(email)
    if officer is None:
        click.echo("Error: no officer has that email address", err=True)
        raise SystemExit(1)
    password = officers.reset_to_one_time_password(officer)
    db.session.commit()
    click.echo(f"One-time password for {officer.email}: {password}")


@officer_group.command("list")
def list_command() -> None:
    """List officers and their roles."""
    for officer in officers.list_officers():
        state = "" if officer.active else " (deactivated)"
        click.echo(f"{officer.email}\t{officer.role}{state}")


def register(app: Flask) -> None:
    app.cli.add_command(officer_group)
