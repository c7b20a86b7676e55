"""`debrief ask "QUESTION"`: answer a question in plain words from the submitted answers."""

from __future__ import annotations

import json

import click
from flask import Flask

from surveys.db import db
from surveys.errors import InvalidInput


@click.command("ask")
@click.argument("question", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text")
@click.option("--limit", type=click.IntRange(1, 50), default=5, show_default=True)
def ask_command(question: tuple[str, ...], fmt: str, limit: int) -> None:
    """Answer QUESTION, e.g. "what did charities say about the timeframe in phase 2?"."""
    from surveys.services.ask import ask, describe_filters  # loads the embedding model

    try:
        asked = ask(" ".join(question), limit=limit)
        db.session.commit()  # keeps any summary computed on the way
    except InvalidInput as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    if fmt == "json":
        click.echo(json.dumps(asked.to_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(asked.summary)
    click.echo(f"Filters: {describe_filters(asked.question)}")
    for theme in asked.themes:
        click.echo(f"  {theme.label}: {theme.count}")
    for answer in asked.answers:
        where = ", ".join(
            p
            for p in (answer.round_slug, answer.sector_label, answer.theme_label, answer.label)
            if p
        )
        click.echo(f"\n“{' '.join(answer.text.split())}”\n  ({where})")


def register(app: Flask) -> None:
    app.cli.add_command(ask_command)
