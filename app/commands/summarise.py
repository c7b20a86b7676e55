"""`debrief summarise FILE.csv`: themes from feedback gathered outside Debrief."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from analysis.csv_summary import BadCsv, csv_summary_to_markdown, read_codebook, summarise_rows

COLUMNS = ("id", "text", "kind", "sector", "round")
CODEBOOK_COLUMNS = ("theme", "kind", "text")


def read_rows(
    path: Path, columns: tuple[str, ...] = COLUMNS, required: str = "text"
) -> list[dict[str, str]]:
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
        missing = [c for c in required.split(",") if c not in headers]
        if missing:
            found = ", ".join(h for h in headers if h) or "none"
            names = ", ".join(f"'{c}'" for c in missing)
            raise click.ClickException(
                f"{path.name} has no {names} column (columns found: {found}). "
                + (
                    "Add a column headed 'text' holding the feedback."
                    if missing == ["text"]
                    else f"A codebook needs the columns {', '.join(columns)}."
                )
            )
        reader.fieldnames = headers
        return [
            {key: (value or "").strip() for key, value in row.items() if key in columns}
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
@click.option(
    "--codebook",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV of known themes (columns theme, kind, text: example answers) to file answers under.",
)
def summarise_command(file: Path, fmt: str, codebook: Path | None) -> None:
    """Group the free text in FILE.csv into themes (went well, to improve, other).

    The CSV needs a 'text' column; 'id', 'kind' (went_well, improve, other), 'sector' and
    'round' columns are used when present. With --codebook, answers that mean the same as
    a codebook theme are filed under it by name; the rest form new themes. Progress goes to
    standard error.
    """
    rows = read_rows(file)
    known = read_rows(codebook, CODEBOOK_COLUMNS, "theme,kind,text") if codebook else []
    try:
        themes = read_codebook(known)
    except BadCsv as error:
        raise click.ClickException(f"{codebook.name if codebook else ''}: {error}") from None
    try:
        with click.progressbar(
            length=max(1, 2 * len(rows) + 1), label="Grouping answers", file=sys.stderr
        ) as bar:
            result = summarise_rows(rows, themes, progress=bar.update)
    except BadCsv as error:
        raise click.ClickException(f"{file.name}: {error}") from None
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(csv_summary_to_markdown(result), nl=False)
