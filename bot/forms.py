"""Turning a modal's submitted state into the form the web journey validates.

The submission service validates a mapping of field names to strings (or lists), the
same shape a browser posts. These pure functions translate Slack's `view.state.values`
into that shape, and stored answers back into initial values.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.blocks import OTHER_SUFFIX, VALUE

Form = dict[str, "str | list[str]"]


def _element_value(state: dict[str, Any]) -> str | list[str] | None:
    if "selected_options" in state:
        return [o["value"] for o in state.get("selected_options") or []]
    if "selected_option" in state:
        option = state.get("selected_option")
        return option["value"] if option else ""
    if "selected_date" in state:
        return state.get("selected_date") or ""
    return state.get("value") or ""


def form_from_state(questions: Iterable[Any], values: dict[str, Any]) -> Form:
    """Return the web-form fields for the questions of a submitted modal page."""
    form: Form = {}
    for question in questions:
        raw = _element_value((values.get(question.id) or {}).get(VALUE) or {})
        if question.type_name == "date":
            year, month, day = ((raw or "") + "--").split("-")[:3] if raw else ("", "", "")
            form[f"{question.id}-day"] = day
            form[f"{question.id}-month"] = month
            form[f"{question.id}-year"] = year
        elif raw is not None:
            form[question.id] = raw
        other = values.get(question.id + OTHER_SUFFIX)
        if other is not None:
            form[question.id + OTHER_SUFFIX] = _element_value(other.get(VALUE) or {}) or ""
    return form


def form_from_answers(questions: Iterable[Any], answers: dict[str, Any]) -> Form:
    """Return form fields showing stored answers again (to resume a draft)."""
    form: Form = {}
    for question in questions:
        if question.id in answers:
            form.update(question.form_values(answers[question.id]))
    return form


def block_errors(errors: dict[str, str], block_ids: Iterable[str]) -> dict[str, str]:
    """Map the service's errors (by question or field id) onto the modal's block ids."""
    known = list(block_ids)
    mapped: dict[str, str] = {}
    for field_id, message in errors.items():
        target = field_id if field_id in known else field_id.rsplit("-", 1)[0]
        if target not in known:
            target = known[0] if known else field_id
        mapped.setdefault(target, message)
    return mapped
