"""The interactive API docs (Swagger UI, served from our own static files, never a CDN)."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for

from app.security import content_security_policy, csp_nonce

blueprint = Blueprint("api_docs", __name__, url_prefix="/api/v1")


@blueprint.get("/docs")
def docs():
    """Show the OpenAPI document in Swagger UI, to read and try out with a token."""
    page = render_template("api/docs.html", spec_url=url_for("api-docs.openapi_json"))
    # Swagger UI sets inline styles as it renders; its scripts stay our own or nonced.
    policy = content_security_policy(csp_nonce()).replace(
        "style-src 'self'", "style-src 'self' 'unsafe-inline'"
    )
    return page, 200, {"Content-Security-Policy": policy}
