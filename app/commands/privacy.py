"""`debrief privacy ...`: subject-access exports, erasure and the retention purge."""

from __future__ import annotations

import json

import click
from flask import Flask
from flask.cli import AppGroup

from app.extensions import db
from surveys.services import contacts, privacy

privacy_group = AppGroup("privacy", help="Data protection: export, erase, purge.")


def _contact(email: str):
    contact = contacts.contact_by_email(email)
    if contact is None:
        click.echo("Error: no contact has that email address", err=True)
        raise SystemExit(1)
    return contact


@privacy_group.command("export-contact")
@click.argument("email")
def export_contact(email: str) -> None:
    """Print everything held about a contact as JSON."""
    data = privacy.contact_data(_contact(email))
    db.session.commit()
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@privacy_group.command("erase-contact")
@click.argument("email")
@click.confirmation_option(prompt="Erase this contact's personal data? This cannot be undone.")
def erase_contact(email: str) -> None:
    """Erase a contact: personal data deleted, answers anonymised, links dead."""
    erasure = privacy.erase_contact(_contact(email))
    db.session.commit()
    privacy.compact_after_erasure()
    click.echo("Erased.")
    click.echo(erasure.describe())


@privacy_group.command("purge")
def purge() -> None:
    """Delete responses past their programme's retention period now."""
    count = privacy.purge_expired()
    db.session.commit()
    click.echo(f"Purged {count} responses.")


def register(app: Flask) -> None:
    app.cli.add_command(privacy_group)
