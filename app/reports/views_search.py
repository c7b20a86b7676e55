"""Searching submitted free-text answers across rounds, by a question in plain words."""

from __future__ import annotations

from flask import render_template, request

from app.auth import role_required
from app.extensions import db
from app.reports import blueprint
from surveys.errors import InvalidInput
from surveys.models import SECTORS
from surveys.services.ask import ask, describe_filters
from surveys.services.rounds_admin import list_rounds

PAGE_SIZE = 20


@blueprint.get("/search")
@role_required("viewer")
def search():
    """Answer a question, or find answers about some words, within a round, sector, sentiment."""
    args = request.args
    words = args.get("q", "").strip()
    criteria = {
        "round_slug": args.get("round") or None,
        "sector": args.get("sector") or None,
        "sentiment": args.get("sentiment") or None,
    }
    try:
        offset = max(0, int(args.get("offset", 0)))
    except ValueError:
        offset = 0
    asked, errors = None, {}
    if words or any(criteria.values()):
        try:
            asked = ask(words, offset=offset, limit=PAGE_SIZE, **criteria)
            db.session.commit()  # keeps any summary computed on the way
        except InvalidInput as error:
            db.session.rollback()
            errors = error.errors or {"q": str(error)}
    rounds = list_rounds()
    round_ = next((r for r in rounds if r.slug == criteria["round_slug"]), None)
    next_offset = None
    if asked and offset + len(asked.answers) < asked.matched and not asked.suppressed:
        next_offset = offset + len(asked.answers)
    return render_template(
        "reports/search.html",
        round=round_,
        rounds=rounds,
        sectors=SECTORS,
        words=words,
        criteria=criteria,
        asked=asked,
        filters=describe_filters(asked.question) if asked else "",
        next_offset=next_offset,
        offset=offset,
        errors=errors,
    ), (422 if errors else 200)
