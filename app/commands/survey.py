"""`debrief survey ...`: validate questionnaire files and attach questionnaires to rounds."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from app.extensions import db
from surveys.definitions import TEMPLATE_NAMES, load_template
from surveys.errors import DefinitionError, InvalidInput, NotFound
from surveys.services import lessons, rounds_admin

survey_group = AppGroup("survey", help="Questionnaire definitions and surveys.")


def _fail(message: str) -> None:
    click.echo(message, err=True)
    raise SystemExit(1)


@survey_group.command("validate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def validate_command(file: Path) -> None:
    """Check a questionnaire YAML file; errors name the file, question and field."""
    try:
        definition = load_template(file)
    except DefinitionError as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        raise SystemExit(1) from None
    click.echo(
        f"{file}: valid – ‘{definition.title}’, {len(definition.pages)} pages, "
        f"{len(definition.questions)} questions."
    )


@survey_group.command("add")
@click.argument("round_slug", metavar="ROUND")
@click.argument("template", metavar="TEMPLATE_OR_FILE")
@click.option("--open-link", is_flag=True, help="Also accept anonymous answers at /s/<slug>.")
@click.option(
    "--no-followups",
    is_flag=True,
    help="Leave out the 'Has this improved?' questions that open lessons add.",
)
def add_command(round_slug: str, template: str, open_link: bool, no_followups: bool) -> None:
    """Attach a questionnaire to a round: a built-in template or a YAML file.

    Built-in templates: provider-post-round, partner-consultation, panel-member.
    Open lessons carried into the round add a "Last time you told us ...; we did ....
    Has this improved?" page unless --no-followups is given.
    """
    try:
        round_ = rounds_admin.round_by_slug(round_slug)
    except NotFound:
        _fail(f"Error: there is no round called {round_slug!r}.")
    try:
        if template in TEMPLATE_NAMES:
            survey = rounds_admin.attach_template(round_, template, with_followups=not no_followups)
        else:
            # Validate the file itself first, so errors name it rather than a copy.
            load_template(Path(template))
            survey = rounds_admin.attach_uploaded_yaml(
                round_,
                Path(template).read_text(encoding="utf-8"),
                with_followups=not no_followups,
            )
    except DefinitionError as error:
        db.session.rollback()
        _fail("\n".join(error.problems))
    except InvalidInput as error:
        db.session.rollback()
        _fail("\n".join(f"Error: {message}" for message in error.errors.values()))
    survey.open_link = open_link
    db.session.commit()
    click.echo(f"Added ‘{survey.title}’ to {round_.name} as survey {survey.slug}.")
    asked = lessons.lessons_asked_about(survey.versions[0].definition)
    if asked:
        click.echo(f"It asks whether {_lessons(len(asked))} carried into the round improved.")
    if open_link:
        from surveys.services.invitations import open_link_url

        click.echo(f"Open link: {open_link_url(survey)}")


def _lessons(count: int) -> str:
    return "the lesson" if count == 1 else f"the {count} lessons"


def register(app: Flask) -> None:
    app.cli.add_command(survey_group)
