"""`debrief token ...`: create, list and revoke API tokens for officers."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from app.commands.params import RECORD_ID
from app.extensions import db
from surveys.errors import DebriefError, InvalidInput
from surveys.models import API_SCOPES
from surveys.services import api_tokens, officers

token_group = AppGroup("token", help="Manage API tokens (create, list, revoke).")


def _officer(email: str):
    officer = officers.officer_by_email(email)
    if officer is None:
        raise click.ClickException("no officer has that email address")
    return officer


@token_group.command("create")
@click.option("--officer", "email", required=True, help="The officer the token acts for.")
@click.option("--scope", type=click.Choice(API_SCOPES), required=True)
@click.option("--expires", "days", type=int, default=None, help="Days until it expires.")
@click.option("--name", default="", help="What the token is for.")
def create_command(email: str, scope: str, days: int | None, name: str) -> None:
    """Create a token and print it (shown once: only its hash is kept)."""
    try:
        new = api_tokens.create_token(_officer(email), scope, name=name, expires_days=days)
    except InvalidInput as error:
        db.session.rollback()
        raise click.ClickException("; ".join(error.errors.values()) or str(error)) from None
    db.session.commit()
    expiry = f", expires {new.record.expires_at:%Y-%m-%d}" if new.record.expires_at else ""
    click.echo(f"Created {scope} token {new.record.id}{expiry}. Shown once; keep it secret:")
    click.echo(new.secret)


@token_group.command("list")
@click.option("--officer", "email", default=None, help="Only this officer's tokens.")
def list_command(email: str | None) -> None:
    """List tokens: id, prefix, scope, officer, state."""
    officer = _officer(email) if email else None
    for token in api_tokens.list_tokens(officer):
        status, when = api_tokens.token_status(token)
        state = f"{status} {when:%Y-%m-%d}" if status in ("expires", "expired") else status
        click.echo(
            f"{token.id}\t{token.prefix}…\t{token.scope}\t{token.officer.email}\t{state}"
            + (f"\t{token.name}" if token.name else "")
        )


@token_group.command("revoke")
@click.argument("token_id", type=RECORD_ID)
def revoke_command(token_id: int) -> None:
    """Revoke a token at once."""
    try:
        api_tokens.revoke_token(api_tokens.get_token(token_id))
    except DebriefError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Revoked token {token_id}.")


def register(app: Flask) -> None:
    app.cli.add_command(token_group)
