"""`debrief report ROUND`: a round's lessons-learned summary as Markdown, JSON, HTML or Word."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from app.reports.render import FORMATS, render
from surveys.db import db
from surveys.errors import NotFound
from surveys.services.rounds_admin import round_by_slug
from surveys.services.summary_store import stored_summary


@click.command("report")
@click.argument("round_slug")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="markdown", show_default=True)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file instead of standard output (needed for docx).",
)
@click.option("--k", type=click.IntRange(min=1), help="Suppress groups smaller than this.")
def report_command(round_slug: str, fmt: str, output: Path | None, k: int | None) -> None:
    """Write ROUND's lessons-learned report: key findings, themes, lessons, ratings."""
    try:
        round_ = round_by_slug(round_slug)
    except NotFound:
        raise click.ClickException(f"No round with the slug {round_slug!r}.") from None
    if fmt == "docx" and output is None:
        raise click.UsageError("A Word file is binary: give --output FILE.docx.")
    body = render(stored_summary(round_, k=k, wait=False).summary, fmt)  # never one change behind
    db.session.commit()
    if output is None:
        click.echo(body, nl=False)
    else:
        if isinstance(body, bytes):
            output.write_bytes(body)
        else:
            output.write_text(body, encoding="utf-8")
        click.echo(f"Wrote the {fmt} report of {round_.name} to {output}", err=True)


def register(app: Flask) -> None:
    app.cli.add_command(report_command)
