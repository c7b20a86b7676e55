"""Issue 13's acceptance: a CLI token lists the demo rounds; none is 401; one key, one row."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from surveys.db import db
from surveys.demo import load_demo
from surveys.models import Officer, Response, Survey
from tests.api.conftest import ApiClient


def test_cli_token_lists_the_demo_rounds_and_one_key_stores_one_response(app, runner) -> None:
    load_demo()
    db.session.commit()
    officer = db.session.scalars(select(Officer).where(Officer.role == "officer")).first()
    created = runner.invoke(
        args=["token", "create", "--officer", officer.email, "--scope", "write"]
    )
    assert created.exit_code == 0, created.output
    client = ApiClient(app, created.output.strip().splitlines()[-1])

    listed = client.get("/rounds")
    assert listed.status_code == 200
    slugs = {item["slug"] for item in listed.get_json()["items"]}
    assert {"phase-1", "phase-2", "phase-3"} <= slugs
    assert ApiClient(app, None).get("/rounds").status_code == 401

    open_round = next(item for item in listed.get_json()["items"] if item["status"] == "open")
    survey = db.session.scalars(select(Survey).where(Survey.round_id == open_round["id"])).first()
    body = {"survey_id": survey.id, "channel": "telephone", "answers": demo_answers(survey)}
    key = {"Idempotency-Key": str(uuid.uuid4())}
    before = db.session.scalar(select(func.count(Response.id)))
    first = client.post("/responses", json=body, headers=key)
    second = client.post("/responses", json=body, headers=key)
    assert first.status_code == 201, first.get_json()
    assert second.status_code == 201 and second.get_json() == first.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert db.session.scalar(select(func.count(Response.id))) == before + 1


def demo_answers(survey: Survey) -> dict[str, object]:
    """Answer every question of the survey's current definition with a valid form value."""
    from surveys.services.responses import current_definition

    form: dict[str, object] = {}
    for page in current_definition(survey).pages:
        for question in page.questions:
            form |= valid_form_value(question)
    return form


def valid_form_value(question) -> dict[str, object]:
    kind = question.type_name
    if kind in ("single_choice", "multiple_choice"):
        value = question.options[0].value
        return {question.id: [value] if kind == "multiple_choice" else value}
    if kind == "rating":
        return {question.id: str(question.points[0].value)}
    if kind == "yes_no":
        return {question.id: "yes"}
    if kind == "number":
        return {question.id: str(int(question.min or 1))}
    if kind == "date":
        return {
            f"{question.id}-day": "1",
            f"{question.id}-month": "2",
            f"{question.id}-year": "2024",
        }
    if kind == "email":
        return {question.id: "someone@example.org"}
    return {question.id: "The briefing sessions were clear and well run."}
