"""Slack, mail and webhook failures: officers see the open ones and resolve them."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for

from app.admin import blueprint
from app.admin.forms import ResolveProblemForm
from app.auth import role_required
from app.extensions import db
from surveys.services import integration_problems

SERVICE_LABELS = {"slack": "Slack", "mail": "Email", "webhooks": "Webhooks"}


def banner_context() -> dict:
    """Return what the integration-problems banner needs, for a view's template."""
    return {"problems": integration_problems.open_problems(), "service_labels": SERVICE_LABELS}


def _back_to(target: str | None) -> str:
    if target and target.startswith("/admin/") and not target.startswith("//"):
        return target
    return url_for("admin.home")


@blueprint.post("/integration-problems/<int:problem_id>/resolve")
@role_required("officer")
def resolve_problem(problem_id: int):
    """Mark an open Slack or mail problem as dealt with."""
    problem = next((p for p in integration_problems.open_problems() if p.id == problem_id), None)
    if problem is None:
        abort(404)
    integration_problems.resolve(problem)
    db.session.commit()
    flash("Problem marked as resolved", "success")
    return redirect(_back_to(ResolveProblemForm().next.data))
