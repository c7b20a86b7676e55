"""`debrief summarise FILE.csv`: themes from feedback gathered outside Debrief."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
from flask import Flask

from analysis.csv_summary import BadCsv, csv_summary_to_markdown, summarise_rows

COLUMNS = ("id", "text", "kind", "sector", "round")


def read_rows(path: Path) -> list[dict[str, str]]:
    """Read a UTF-8 CSV (with or without a byte order mark) into rows with lower-case headers."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise click.ClickException(
            f"{path.name} is not UTF-8 text (bad byte 0x{raw[error.start]:02x} on line {line}). "
            "Save it as 'CSV UTF-8' and try again."
        ) from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        headers = [(h or "").strip().lower() for h in reader.fieldnames or []]
        if "text" not in headers:
            found = ", ".join(h for h in headers if h) or "none"
            raise click.ClickException(
                f"{path.name} has no 'text' column (columns found: {found}). "
                "Add a column headed 'text' holding the feedback."
            )
        reader.fieldnames = headers
        return [
            {key: (value or "").strip() for key, value in row.items() if key in COLUMNS}
            for row in reader
        ]
    except csv.Error as error:
        raise click.ClickException(f"{path.name} is not a readable CSV file: {error}") from None


@click.command("summarise")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("json", "markdown")),
    default="markdown",
    show_default=True,
)
def summarise_command(file: Path, fmt: str) -> None:
    """Group the free text in FILE.csv into themes (went well, to improve, other).

    The CSV needs a 'text' column; 'id', 'kind' (went_well, improve, other), 'sector' and
    'round' columns are used when present.
    """
    rows = read_rows(file)
    try:
        result = summarise_rows(rows)
    except BadCsv as error:
        raise click.ClickException(f"{file.name}: {error}") from None
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        click.echo(csv_summary_to_markdown(result), nl=False)


def register(app: Flask) -> None:
    app.cli.add_command(summarise_command)
