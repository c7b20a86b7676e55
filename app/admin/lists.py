"""Links for paged, sorted lists: the page's own query string with one thing changed.

Lists are GET forms with plain query strings, so a filtered, sorted page can be
bookmarked and shared; these template globals build the links from `request.args`.
"""

from __future__ import annotations

from typing import Any

from flask import request, url_for

from app.admin import blueprint
from surveys.services.lists import ASCENDING, DESCENDING, Page


@blueprint.app_template_global()
def list_url(**changes: Any) -> str:
    """Return this page's URL with some query-string values changed (None removes one)."""
    args = request.args.to_dict()
    args.update(changes)
    kept = {key: value for key, value in args.items() if value not in (None, "")}
    return url_for(request.endpoint, **(request.view_args or {}), **kept)


@blueprint.app_template_global()
def sort_url(page: Page, key: str) -> str:
    """Link a column heading: sort on it, or reverse the order if it is already sorted on."""
    if page.sort == key:
        order = DESCENDING if page.order == ASCENDING else ASCENDING
    else:
        order = page.first_orders.get(key, ASCENDING)
    return list_url(sort=key, order=order, page=None)


@blueprint.app_template_global()
def pagination(page: Page) -> dict[str, Any]:
    """Return govukPagination's parameters for a page: neighbours, ends and ellipses."""
    numbers = sorted(
        {1, page.pages, page.number - 1, page.number, page.number + 1}
        & set(range(1, page.pages + 1))
    )
    items: list[dict[str, Any]] = []
    for number in numbers:
        if items and number - items[-1].get("number", 0) > 1:
            items.append({"ellipsis": True, "number": number - 1})
        items.append(
            {"number": number, "href": list_url(page=number), "current": number == page.number}
        )
    params: dict[str, Any] = {"items": items}
    if page.number > 1:
        params["previous"] = {"href": list_url(page=page.number - 1)}
    if page.number < page.pages:
        params["next"] = {"href": list_url(page=page.number + 1)}
    return params
