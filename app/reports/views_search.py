"""Searching submitted free-text answers across rounds."""

from __future__ import annotations

from flask import render_template, request

from app.auth import role_required
from app.reports import blueprint
from surveys.errors import InvalidInput
from surveys.models import SECTORS
from surveys.services.rounds_admin import list_rounds
from surveys.services.search import search_answers

PAGE_SIZE = 20


@blueprint.get("/search")
@role_required("viewer")
def search():
    """Search answers by words, round, sector and sentiment."""
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
    page, errors = None, {}
    if words or any(criteria.values()):
        try:
            page = search_answers(words, offset=offset, limit=PAGE_SIZE, **criteria)
        except InvalidInput as error:
            errors = error.errors
    rounds = list_rounds()
    round_ = next((r for r in rounds if r.slug == criteria["round_slug"]), None)
    return render_template(
        "reports/search.html",
        round=round_,
        rounds=rounds,
        sectors=SECTORS,
        words=words,
        criteria=criteria,
        page=page,
        offset=offset,
        errors=errors,
    ), (422 if errors else 200)
