"""`debrief report ROUND`: a round's lessons-learned summary as Markdown, JSON or HTML."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from surveys.db import db
from surveys.errors import NotFound
from surveys.services.rounds_admin import round_by_slug
from surveys.services.summaries import FORMATS
from surveys.services.summary_store import render_stored


@click.command("report")
@click.argument("round_slug")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="markdown", show_default=True)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.option("--k", type=click.IntRange(min=1), help="Suppress groups smaller than this.")
def report_command(round_slug: str, fmt: str, output: Path | None, k: int | None) -> None:
    """Write ROUND's lessons-learned summary: methodology, themes, ratings, comparison."""
    try:
        round_ = round_by_slug(round_slug)
    except NotFound:
        raise click.ClickException(f"No round with the slug {round_slug!r}.") from None
    text = render_stored(round_, fmt, k=k, wait=False)  # never one change behind
    db.session.commit()
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote the {fmt} summary of {round_.name} to {output}", err=True)


def register(app: Flask) -> None:
    app.cli.add_command(report_command)
