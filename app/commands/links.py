"""`debrief links ROUND`: fresh personal links for a round's pending invitations."""

from __future__ import annotations

import click
from flask import Flask

from app.extensions import db
from surveys import urls
from surveys.errors import InvalidInput, NotFound
from surveys.models import CONTACT_ROLES
from surveys.services import rounds_admin
from surveys.services.links import describe, issue_round_links


@click.command("links")
@click.argument("round_slug", metavar="ROUND")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice(list(CONTACT_ROLES)),
    help="Only contacts with this role (repeat for several). Default: every role.",
)
@click.option(
    "--survey",
    "surveys",
    multiple=True,
    metavar="SURVEY",
    help="Only this survey, by template name or slug (repeat for several). Default: all.",
)
def links_command(round_slug: str, roles: tuple[str, ...], surveys: tuple[str, ...]) -> None:
    """Issue fresh links for a round's pending invitations and retire the old ones.

    Prints `email<TAB>url` for every invitation not yet answered (all roles and surveys
    unless filtered), for a mail-merge. Each invitation's earlier link, in any email
    already sent, stops working. Addresses start with DEBRIEF_BASE_URL.
    """
    try:
        round_ = rounds_admin.round_by_slug(round_slug)
    except NotFound:
        click.echo(f"Error: there is no round called {round_slug!r}.", err=True)
        raise SystemExit(1) from None
    if urls.base_url_is_default():
        click.echo(
            f"Warning: DEBRIEF_BASE_URL is not set, so these links start {urls.base_url()}, "
            "which works only on this computer. Set it to the address respondents use.",
            err=True,
        )
    try:
        links = issue_round_links(round_, roles, surveys)
    except InvalidInput as error:
        click.echo(f"Error: {error}.", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    for link in links:
        if link.email:
            click.echo(f"{link.email}\t{link.url}")
        else:
            click.echo(
                f"No email address for invitation {link.invitation.id}: {link.url}", err=True
            )
    count = f"{len(links)} fresh link{'' if len(links) == 1 else 's'}"
    click.echo(
        f"{count} issued for pending invitations in {round_.name} ({describe(links)}); "
        "their earlier links no longer work.",
        err=True,
    )


def register(app: Flask) -> None:
    app.cli.add_command(links_command)
