"""`debrief links ROUND`: says that it retires the old links, filters by role and survey,
and builds addresses from DEBRIEF_BASE_URL, warning when that is unset."""

from __future__ import annotations

from pathlib import Path

from app.config import from_environment
from surveys.db import db
from surveys.models import Invitation
from tests.factories import make_contact, make_invitation, make_round, make_survey


def _round_with_everyone():
    round_ = make_round(slug="phase-5", name="Phase 5")
    providers = make_survey(round=round_, template="provider-post-round", slug="p5-providers")
    partners = make_survey(round=round_, template="partner-consultation", slug="p5-partners")
    invitations = {
        "provider": make_invitation(survey=providers, contact=make_contact(role="provider")),
        "partner": make_invitation(survey=partners, contact=make_contact(role="partner")),
        "panel_member": make_invitation(survey=partners, contact=make_contact(role="panel_member")),
    }
    for invitation in invitations.values():
        invitation.token_hash = f"old-{invitation.id}"
    db.session.commit()
    return invitations


def _printed(result) -> list[str]:
    return [line.split("\t")[0] for line in result.stdout.splitlines()]


def _rotated(invitations) -> set[str]:
    db.session.expire_all()
    return {
        role
        for role, invitation in invitations.items()
        if db.session.get(Invitation, invitation.id).token_hash != f"old-{invitation.id}"
    }


def test_by_default_every_pending_invitation_and_it_says_who_and_what_it_retired(runner):
    invitations = _round_with_everyone()

    result = runner.invoke(args=["links", "phase-5"])

    assert result.exit_code == 0, result.output
    assert sorted(_printed(result)) == sorted(i.contact.email for i in invitations.values())
    assert _rotated(invitations) == {"provider", "partner", "panel_member"}
    assert (
        "3 fresh links issued for pending invitations in Phase 5 "
        "(1 provider, 1 partner, 1 panel member); their earlier links no longer work."
    ) in result.stderr
    help_text = runner.invoke(args=["links", "--help"]).output
    assert "retire the old ones" in help_text and "--role" in help_text


def test_role_and_survey_filters_leave_the_other_links_working(runner):
    invitations = _round_with_everyone()

    by_role = runner.invoke(args=["links", "phase-5", "--role", "provider"])
    assert _printed(by_role) == [invitations["provider"].contact.email]
    assert _rotated(invitations) == {"provider"}
    assert "1 fresh link issued" in by_role.stderr and "(1 provider)" in by_role.stderr

    by_survey = runner.invoke(
        args=["links", "phase-5", "--survey", "partner-consultation", "--role", "panel_member"]
    )
    assert _printed(by_survey) == [invitations["panel_member"].contact.email]
    assert _rotated(invitations) == {"provider", "panel_member"}


def test_an_unknown_survey_or_role_is_refused_and_nothing_is_retired(runner):
    invitations = _round_with_everyone()

    survey = runner.invoke(args=["links", "phase-5", "--survey", "panel-member"])
    role = runner.invoke(args=["links", "phase-5", "--role", "officer"])

    assert survey.exit_code == 1
    assert "Phase 5 has no survey called panel-member" in survey.stderr
    assert "partner-consultation, provider-post-round" in survey.stderr
    assert role.exit_code == 2 and "'officer' is not one of" in role.stderr
    assert _rotated(invitations) == set()


def test_links_use_debrief_base_url_and_warn_when_it_is_unset(app, runner):
    _round_with_everyone()
    app.config.update(BASE_URL="http://127.0.0.1:5000", BASE_URL_SET=False)

    unset = runner.invoke(args=["links", "phase-5", "--role", "provider"])
    app.config.update(BASE_URL="https://feedback.council.example", BASE_URL_SET=True)
    configured = runner.invoke(args=["links", "phase-5", "--role", "provider"])

    assert "Warning: DEBRIEF_BASE_URL is not set" in unset.stderr
    assert unset.stdout.split("\t")[1].startswith("http://127.0.0.1:5000/r/")
    assert "Warning" not in configured.stderr
    assert configured.stdout.split("\t")[1].startswith("https://feedback.council.example/r/")


def test_the_environment_says_whether_the_base_url_was_given(tmp_path: Path):
    given = from_environment(tmp_path, {"DEBRIEF_BASE_URL": "https://x.example/"}, has_secret=True)
    unset = from_environment(tmp_path, {}, has_secret=True)

    assert (given["BASE_URL"], given["BASE_URL_SET"]) == ("https://x.example", True)
    assert (unset["BASE_URL"], unset["BASE_URL_SET"]) == ("http://127.0.0.1:5000", False)
