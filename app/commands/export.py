"""`debrief export ROUND`: a round's submitted responses as CSV or XLSX."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask

from app.extensions import db
from surveys.errors import NotFound
from surveys.services import exports
from surveys.services.rounds_admin import round_by_slug


@click.command("export")
@click.argument("round_slug", metavar="ROUND")
@click.option(
    "--format",
    "export_format",
    type=click.Choice(["csv", "xlsx"]),
    default="csv",
    show_default=True,
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="File to write (default: standard output for CSV, ROUND-responses.xlsx for XLSX).",
)
def export_command(round_slug: str, export_format: str, output: str | None) -> None:
    """Export one row per submitted response, one column per question.

    CSV is UTF-8 with a byte-order mark, for Excel; XLSX has one sheet per survey.
    """
    try:
        round_ = round_by_slug(round_slug)
    except NotFound:
        click.echo(f"Error: no round called {round_slug!r}", err=True)
        raise SystemExit(1) from None
    if export_format == "xlsx":
        output = output or _default_xlsx(round_slug)
        with open(output, "wb") as handle:
            exports.write_xlsx(round_, handle)
        click.echo(f"Wrote {Path(output).resolve()}", err=True)
    elif output is None:
        for line in exports.csv_lines(round_):
            sys.stdout.write(line)
    else:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            for line in exports.csv_lines(round_):
                handle.write(line)
    exports.record_export(round_, export_format, via="command")
    db.session.commit()


def _default_xlsx(round_slug: str) -> str:
    """ROUND-responses.xlsx in the current folder, never over an existing file."""
    name = f"{round_slug}-responses.xlsx"
    if Path(name).exists():
        click.echo(f"Error: {name} already exists; give --output FILE to choose where", err=True)
        raise SystemExit(1)
    return name


def register(app: Flask) -> None:
    app.cli.add_command(export_command)
