"""`debrief analyse ROUND`: re-tag a round's answers and regroup its themes."""

from __future__ import annotations

import click
from flask import Flask

from surveys.db import db
from surveys.errors import NotFound
from surveys.services.analysis_runs import AnalysisPreview, analyse_round, preview_round
from surveys.services.rounds_admin import round_by_slug


@click.command("analyse")
@click.argument("round_slug")
@click.option("--retag-all", is_flag=True, help="Re-tag every answer, not only stale ones.")
@click.option("--dry-run", is_flag=True, help="Show what would change and change nothing.")
def analyse_command(round_slug: str, retag_all: bool, dry_run: bool) -> None:
    """Re-tag ROUND's free-text answers after a tagger change and regroup its themes.

    Officers' sentiment overrides, pinned answers and renamed or merged themes are kept.
    """
    try:
        round_ = round_by_slug(round_slug)
    except NotFound:
        raise click.ClickException(f"No round with the slug {round_slug!r}.") from None
    if dry_run:
        preview = preview_round(round_)
        db.session.rollback()
        click.echo(preview_text(preview), nl=False)
        return
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


KINDS = {"went_well": "went well", "improve": "could improve", "other": "other"}


def preview_text(preview: AnalysisPreview) -> str:
    """Describe an analysis preview in plain lines: what would move, appear and go."""
    lines = [
        f"{preview.round_slug}: dry run, nothing changed. {preview.answers} free-text answers; "
        f"{preview.to_retag} would be re-tagged, {preview.moved} would change theme, "
        f"{preview.kept} stay where officers put them."
    ]
    changed = preview.changed
    if not changed:
        lines.append("No theme would change.")
    for t in changed:
        what = "new" if not t.before else "gone" if not t.after else f"{t.before} -> {t.after}"
        lines.append(f"  [{KINDS.get(t.kind, t.kind)}] {t.label}: {what} ({t.after} answers)")
    return "\n".join(lines) + "\n"


def register(app: Flask) -> None:
    app.cli.add_command(analyse_command)
