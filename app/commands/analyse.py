"""`debrief analyse ROUND`: re-tag a round's answers and regroup its themes."""

from __future__ import annotations

import click
from flask import Flask

from surveys.db import db
from surveys.errors import NotFound
from surveys.services.analysis_runs import analyse_round
from surveys.services.rounds_admin import round_by_slug


@click.command("analyse")
@click.argument("round_slug")
@click.option("--retag-all", is_flag=True, help="Re-tag every answer, not only stale ones.")
def analyse_command(round_slug: str, retag_all: bool) -> None:
    """Re-tag ROUND's free-text answers after a tagger change and regroup its themes.

    Officers' sentiment overrides, pinned answers and renamed or merged themes are kept.
    """
    try:
        round_ = round_by_slug(round_slug)
    except NotFound:
        raise click.ClickException(f"No round with the slug {round_slug!r}.") from None
    try:
        result = analyse_round(round_, force_retag=retag_all)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(
        f"{result.round_slug}: {result.answers} free-text answers, "
        f"{result.retagged} re-tagged with tagger {result.tagger_version}, "
        f"{result.overrides_kept} officer overrides kept; "
        f"{result.themes} themes ({result.new_themes} new), {result.pinned} pinned answers kept."
    )


def register(app: Flask) -> None:
    app.cli.add_command(analyse_command)
