"""`debrief import ROUND FILE`: bring an earlier evaluation's answers into a round."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from app.extensions import db
from surveys.errors import InvalidInput, NotFound
from surveys.services import officers, response_import
from surveys.services.rounds_admin import round_by_slug


def _fail(message: str) -> None:
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(1)


@click.command("import")
@click.argument("round_slug", metavar="ROUND")
@click.argument("path", metavar="FILE.csv|xlsx", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--map",
    "map_options",
    multiple=True,
    metavar="COLUMN=TARGET",
    help="Map a column to a question id or to id, sector, organisation, date, kind or text "
    "(COLUMN= leaves it out). Columns named like those are mapped already; a column with "
    "answers that is mapped to nothing stops the import.",
)
@click.option("--survey", "survey_slug", default=None, help="The survey, if the round has several.")
@click.option("--officer", "officer_email", default=None, help="The importing officer's email.")
@click.option("--dry-run", is_flag=True, help="Check every row and save nothing.")
def import_command(
    round_slug: str,
    path: str,
    map_options: tuple[str, ...],
    survey_slug: str | None,
    officer_email: str | None,
    dry_run: bool,
) -> None:
    """Import earlier answers as responses (channel import); rows already imported are skipped."""
    try:
        round_ = round_by_slug(round_slug)
    except NotFound:
        _fail(f"no round called {round_slug!r}")
    officer = officers.officer_by_email(officer_email) if officer_email else None
    if officer_email and officer is None:
        _fail(f"no officer with the email {officer_email!r}")
    file = Path(path)
    try:
        preview = response_import.preview(
            round_,
            file.name,
            file.read_bytes(),
            map_options=list(map_options),
            survey_slug=survey_slug,
        )
        _report_mapping(preview)
        if preview.problem:
            hint = " (--map 'COLUMN=' leaves a column out)" if preview.unmapped else ""
            _fail(preview.problem + hint)
        for row in preview.rows:
            if not row.ok:
                click.echo(f"Row {row.number}: " + "; ".join(row.problems))
        if not dry_run:
            response_import.apply(preview, officer=officer, via="command")
    except InvalidInput as error:
        _fail("; ".join(error.errors.values()) or str(error))
    db.session.commit()
    verb = "would be imported" if dry_run else "imported"
    click.echo(
        f"{preview.count('new')} rows {verb}, {preview.count('already')} already imported, "
        f"{preview.count('problems')} with problems (not imported)."
    )
    if preview.count("problems"):
        raise SystemExit(1)


def _report_mapping(preview: response_import.ImportPreview) -> None:
    for column, target in zip(preview.header, preview.mapping, strict=True):
        shown = "(left out)" if target == response_import.LEAVE_OUT else target
        click.echo(f"  {column} -> {shown or '(not mapped)'}")


def register(app: Flask) -> None:
    app.cli.add_command(import_command)
