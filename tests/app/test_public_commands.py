"""The `debrief survey`, `debrief links` and `debrief demo` commands, and the acceptance path."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from surveys.db import db
from surveys.models import Invitation, Officer, Programme, Response, Round, Survey
from surveys.services import lessons
from surveys.services.invitations import invitation_for_token
from surveys.services.responses import live_response
from tests.app.public_helpers import PROVIDER_PAGES, csrf_token, post
from tests.factories import make_invitation, make_round, make_survey


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_survey_validate_accepts_a_template_and_names_problems(runner, tmp_path: Path):
    good = runner.invoke(args=["survey", "validate", "surveys/templates/panel-member.yaml"])
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text(
        "id: bad\ntitle: Bad\npages:\n  - id: p\n    questions:\n"
        "      - {id: q, type: long_text, text: Tell us, kind: moans}\n"
    )
    bad = runner.invoke(args=["survey", "validate", str(bad_file)])

    assert good.exit_code == 0
    assert "valid" in good.output
    assert bad.exit_code == 1
    assert f"{bad_file}: question 'q', field 'kind': must be one of" in bad.output


def test_survey_add_attaches_a_template_or_a_file(runner, tmp_path: Path):
    make_round(slug="phase-9")
    db.session.commit()
    path = tmp_path / "mine.yaml"
    path.write_text(
        "id: mine\ntitle: My questions\npages:\n  - id: p\n    questions:\n"
        "      - {id: q, type: short_text, text: Anything}\n"
    )

    by_name = runner.invoke(
        args=["survey", "add", "phase-9", "partner-consultation", "--open-link"]
    )
    by_file = runner.invoke(args=["survey", "add", "phase-9", str(path)])
    missing = runner.invoke(args=["survey", "add", "no-such-round", "panel-member"])

    assert by_name.exit_code == 0, by_name.output
    assert "Open link: http://localhost/s/phase-9-partner-consultation" in by_name.output
    assert by_file.exit_code == 0, by_file.output
    surveys = db.session.scalars(select(Survey).order_by(Survey.id)).all()
    assert [(s.template, s.open_link) for s in surveys] == [
        ("partner-consultation", True),
        ("mine", False),
    ]
    assert surveys[1].versions[0].definition["title"] == "My questions"
    assert missing.exit_code == 1


def test_survey_add_asks_about_open_lessons_unless_told_not_to(runner):
    earlier = make_round(slug="phase-6", status="closed")
    make_round(slug="phase-7", programme=earlier.programme, previous_round=earlier)
    lesson = lessons.record_lesson(
        earlier, None, "Longer window", "The window was too short.", None
    )
    db.session.commit()

    asked = runner.invoke(args=["survey", "add", "phase-7", "provider-post-round"])
    not_asked = runner.invoke(args=["survey", "add", "phase-7", "panel-member", "--no-followups"])

    assert asked.exit_code == 0, asked.output
    assert "It asks whether the lesson carried into the round improved." in asked.output
    assert not_asked.exit_code == 0, not_asked.output
    assert "improved" not in not_asked.output
    with_followups, without = db.session.scalars(select(Survey).order_by(Survey.id)).all()
    assert lessons.lessons_asked_about(with_followups.versions[0].definition) == [lesson.id]
    assert lessons.lessons_asked_about(without.versions[0].definition) == []


def test_links_prints_email_tab_url_and_rotates_tokens(runner):
    round_ = make_round(slug="phase-8")
    survey = make_survey(round=round_)
    invitation = make_invitation(survey=survey)
    make_invitation(survey=survey, status="completed")
    db.session.commit()

    first = runner.invoke(args=["links", "phase-8"])
    second = runner.invoke(args=["links", "phase-8"])

    lines = [line for line in first.stdout.splitlines() if "\t" in line]
    assert len(lines) == 1
    email, url = lines[0].split("\t")
    assert email == invitation.contact.email
    assert url.startswith("http://localhost/r/")
    newer = next(line for line in second.stdout.splitlines() if "\t" in line).split("\t")[1]
    db.session.expire_all()
    assert invitation_for_token(newer.rsplit("/", 1)[1]).id == invitation.id
    assert newer != url


def test_demo_loads_once_and_acceptance_journey_stores_one_response(runner, client):
    loaded = runner.invoke(args=["demo"])
    assert loaded.exit_code == 0, loaded.output
    assert "admin@debrief.example" in loaded.output
    assert "one-time password" in loaded.output
    assert "4 lessons from phase 2 followed up in phase 3" in loaded.output
    counts = (_count(Programme), _count(Response), _count(Invitation), _count(Officer))
    again = runner.invoke(args=["demo"])
    empty_only = runner.invoke(args=["demo", "--if-empty"])
    assert "nothing changed" in again.output
    assert "not loaded" in empty_only.output
    assert (_count(Programme), _count(Response), _count(Invitation), _count(Officer)) == counts

    links = runner.invoke(args=["links", "phase-3"])
    email, url = next(line for line in links.stdout.splitlines() if "\t" in line).split("\t")
    token = url.rsplit("/", 1)[1]
    invitation = invitation_for_token(token)
    assert invitation.survey.template == "provider-post-round"
    had_draft = live_response(invitation) is not None  # the demo leaves a few half done

    assert client.get(f"/r/{token}").status_code == 200
    post(client, f"/r/{token}", {})
    # Phase 3's questionnaire also asks whether the lessons from phase 2 improved.
    asked = lessons.lessons_asked_about(invitation.survey.versions[0].definition)
    assert asked
    followups = {f"lesson_{lesson_id}_improved": "partly" for lesson_id in asked}
    for page_id, data in [*PROVIDER_PAGES, ("you_said_we_did", followups)]:
        reply = client.get(f"/r/{token}/{page_id}")
        if reply.status_code == 200:
            post(client, f"/r/{token}/{page_id}", data)
    form = {"csrf_token": csrf_token(client, f"/r/{token}/check")}
    for _ in range(3):
        assert client.post(f"/r/{token}/check", data=form).status_code == 303
    confirmation = client.get(f"/r/{token}/confirmation").get_data(as_text=True)

    assert "Answers sent" in confirmation
    responses = db.session.scalars(
        select(Response).where(Response.invitation_id == invitation.id)
    ).all()
    assert [r.status for r in responses] == ["submitted"]
    stored = {a.question_id: a.value for a in responses[0].answers}
    assert {stored.get(question_id) for question_id in followups} == {"partly"}
    assert _count(Response) == counts[1] + (0 if had_draft else 1)


def test_demo_data_matches_the_story(runner):
    runner.invoke(args=["demo"])

    phase_2 = db.session.scalars(select(Round).where(Round.slug == "phase-2")).one()
    phase_3 = db.session.scalars(select(Round).where(Round.slug == "phase-3")).one()
    assert (phase_2.status, phase_3.status) == ("closed", "open")
    assert phase_3.previous_round is phase_2
    submitted = db.session.scalars(
        select(Response).join(Survey).where(Survey.round_id == phase_2.id)
    ).all()
    channels = [r.channel for r in submitted]
    assert channels.count("web") >= 20 and channels.count("telephone") >= 5
    assert all(r.status == "submitted" for r in submitted)
    assert all(phase_2.opens_on <= r.submitted_at.date() <= phase_2.closes_on for r in submitted)
    tagged = [a for r in submitted for a in r.answers if a.kind == "improve"]
    assert tagged and all(a.tagger_version for a in tagged)
    sectors = {
        c.organisation.sector
        for c in db.session.scalars(select(Invitation)).all()
        for c in [c.contact]
    }
    assert sectors >= {"school_fe", "health", "district_council", "voluntary", "private"}
    assert db.session.scalars(select(Officer).where(Officer.slack_user_id == "U0DEMOOFFICER")).one()
    partner = db.session.scalars(
        select(Invitation)
        .join(Invitation.contact)
        .join(Invitation.survey)
        .where(Survey.template == "partner-consultation")
    ).all()
    assert "U0DEMOPARTNER" in {i.contact.slack_user_id for i in partner}
    pending = [i for i in partner if i.contact.slack_user_id == "U0DEMOPARTNER"][0]
    assert pending.status in ("pending", "sent") and pending.survey.round is phase_3
    drafts = db.session.scalars(select(Response).where(Response.status == "draft")).all()
    assert drafts and all(r.survey.round is phase_3 for r in drafts)
