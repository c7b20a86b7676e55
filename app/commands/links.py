"""`debrief links ROUND`: fresh personal links for a round's pending invitations."""

from __future__ import annotations

import click
from flask import Flask

from app.extensions import db
from surveys.errors import NotFound
from surveys.services import rounds_admin
from surveys.services.links import issue_round_links


@click.command("links")
@click.argument("round_slug", metavar="ROUND")
def links_command(round_slug: str) -> None:
    """Issue a new link for each pending invitation and print `email<TAB>url` lines.

    Every earlier link for those invitations stops working.
    """
    try:
        round_ = rounds_admin.round_by_slug(round_slug)
    except NotFound:
        click.echo(f"Error: there is no round called {round_slug!r}.", err=True)
        raise SystemExit(1) from None
    links = issue_round_links(round_)
    db.session.commit()
    for link in links:
        if link.email:
            click.echo(f"{link.email}\t{link.url}")
        else:
            click.echo(
                f"No email address for invitation {link.invitation.id}: {link.url}", err=True
            )
    click.echo(f"{len(links)} links issued for {round_.name}.", err=True)


def register(app: Flask) -> None:
    app.cli.add_command(links_command)
