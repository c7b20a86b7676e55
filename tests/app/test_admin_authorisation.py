"""Issue #4: every officer route refuses anonymous users and roles that may not act, and
every form needs its CSRF token. Also the banner that reports Slack and mail failures.

ACCESS lists every rule under /admin (the officers' workspace and the reports) with the
lowest role allowed for each method. A route added without an entry fails
`test_every_officer_route_is_listed`, so it cannot slip through untested.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import func, select

from surveys.db import db
from surveys.models import Action, AuditEvent, IntegrationProblem, Lesson, Theme, Webhook
from surveys.services import integration_problems, officers, responses, webhooks
from tests.app.public_helpers import csrf_token
from tests.factories import make_contact, make_invitation, make_officer, make_round, make_survey

PASSWORD = "correct horse battery staple"
ROLES = ("viewer", "officer", "admin")
RANK = {role: n for n, role in enumerate(ROLES)}

# rule -> {method: the lowest role that may use it}
ACCESS: dict[str, dict[str, str]] = {
    "/admin": {"GET": "viewer"},
    "/admin/rounds": {"GET": "viewer"},
    "/admin/programmes/new": {"GET": "admin", "POST": "admin"},
    "/admin/programmes/<int:programme_id>/retention": {"POST": "admin"},
    "/admin/programmes/<int:programme_id>/rounds/new": {"GET": "officer", "POST": "officer"},
    "/admin/rounds/<int:round_id>": {"GET": "viewer"},
    "/admin/rounds/<int:round_id>/dates": {"POST": "officer"},
    "/admin/rounds/<int:round_id>/surveys": {"POST": "officer"},
    "/admin/rounds/<int:round_id>/status": {"POST": "officer"},
    "/admin/rounds/<int:round_id>/dashboard": {"GET": "viewer"},
    "/admin/rounds/<int:round_id>/chase": {"GET": "viewer"},
    "/admin/rounds/<int:round_id>/chase.csv": {"GET": "viewer"},
    "/admin/rounds/<int:round_id>/invite": {"GET": "officer", "POST": "officer"},
    "/admin/rounds/<int:round_id>/remind": {"POST": "officer"},
    "/admin/rounds/<int:round_id>/export.<format>": {"GET": "viewer"},
    "/admin/invitations/<int:invitation_id>/call": {"GET": "officer", "POST": "officer"},
    "/admin/invitations/<int:invitation_id>/telephone": {"GET": "officer", "POST": "officer"},
    "/admin/invitations/<int:invitation_id>/telephone/<page_id>": {
        "GET": "officer",
        "POST": "officer",
    },
    "/admin/invitations/<int:invitation_id>/telephone-check": {
        "GET": "officer",
        "POST": "officer",
    },
    "/admin/contacts": {"GET": "viewer"},
    "/admin/contacts/new": {"GET": "officer", "POST": "officer"},
    "/admin/contacts/<int:contact_id>": {"GET": "viewer", "POST": "officer"},
    "/admin/contacts/import": {"GET": "officer", "POST": "officer"},
    "/admin/contacts/import/confirm": {"POST": "officer"},
    "/admin/contacts/<int:contact_id>/data.json": {"GET": "admin"},
    "/admin/contacts/<int:contact_id>/erase": {"GET": "admin", "POST": "admin"},
    "/admin/responses": {"GET": "viewer"},
    "/admin/responses/<int:response_id>": {"GET": "viewer"},
    "/admin/responses/<int:response_id>/withdraw": {"POST": "officer"},
    "/admin/officers": {"GET": "admin", "POST": "admin"},
    "/admin/officers/<int:officer_id>/role": {"POST": "admin"},
    "/admin/officers/<int:officer_id>/active": {"POST": "admin"},
    "/admin/audit": {"GET": "admin"},
    "/admin/integration-problems/<int:problem_id>/resolve": {"POST": "officer"},
    "/admin/webhooks": {"GET": "admin", "POST": "admin"},
    "/admin/webhooks/<int:webhook_id>": {"GET": "admin"},
    "/admin/webhooks/<int:webhook_id>/secret": {"POST": "admin"},
    "/admin/webhooks/<int:webhook_id>/active": {"POST": "admin"},
    "/admin/webhooks/<int:webhook_id>/delete": {"POST": "admin"},
    "/admin/rounds/<int:round_id>/import": {"GET": "officer", "POST": "officer"},
    "/admin/rounds/<int:round_id>/import/confirm": {"POST": "officer"},
    "/admin/reports/": {"GET": "viewer"},
    "/admin/reports/search": {"GET": "viewer"},
    "/admin/reports/<round_slug>": {"GET": "viewer"},
    "/admin/reports/<round_slug>/report.<extension>": {"GET": "viewer"},
    "/admin/reports/<round_slug>/analyse": {"GET": "officer", "POST": "officer"},
    "/admin/reports/<round_slug>/themes": {"GET": "viewer"},
    "/admin/reports/<round_slug>/themes/<int:theme_id>": {"GET": "viewer"},
    "/admin/reports/<round_slug>/themes/<int:theme_id>/rename": {"POST": "officer"},
    "/admin/reports/<round_slug>/themes/<int:theme_id>/merge": {"POST": "officer"},
    "/admin/reports/<round_slug>/themes/<int:theme_id>/split": {"POST": "officer"},
    "/admin/reports/<round_slug>/answers/<int:answer_id>/move": {"POST": "officer"},
    "/admin/reports/<round_slug>/answers/<int:answer_id>/tag": {"POST": "officer"},
    "/admin/reports/<round_slug>/lessons": {"GET": "viewer", "POST": "officer"},
    "/admin/reports/<round_slug>/lessons/<int:lesson_id>": {"GET": "viewer", "POST": "officer"},
    "/admin/reports/<round_slug>/lessons/<int:lesson_id>/actions": {"POST": "officer"},
    "/admin/reports/<round_slug>/lessons/<int:lesson_id>/actions/<int:action_id>": {
        "POST": "officer"
    },
}
REQUESTS = [
    (rule, method, role) for rule, methods in ACCESS.items() for method, role in methods.items()
]
POSTS = [(rule, role) for rule, method, role in REQUESTS if method == "POST"]


def officer_rules(app: Flask) -> dict[str, set[str]]:
    """Return every rule under /admin with the methods it answers (HEAD and OPTIONS aside)."""
    rules: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule == "/admin" or rule.rule.startswith("/admin/"):
            # A GET and a POST view may share one path as two rules.
            rules.setdefault(rule.rule, set()).update(set(rule.methods or ()) - {"HEAD", "OPTIONS"})
    return rules


@dataclass(frozen=True)
class Seed:
    """Real records for every URL argument, so no route 404s by accident."""

    values: dict[str, object]

    def url(self, rule: str) -> str:
        return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(self.values[m.group(1)]), rule)


@pytest.fixture
def seed(app) -> Seed:
    round_ = make_round(slug="phase-7")
    survey = make_survey(round=round_)
    answered = make_invitation(survey=survey, status="sent")
    response = responses.start_or_resume(answered)
    responses.save_page(response, "feedback", {"went_well": "The briefings were clear"})
    responses.submit_response(response)
    waiting = make_invitation(survey=survey, status="sent")  # for the telephone pages
    theme = Theme(
        programme_id=round_.programme_id, key="briefings", label="Briefings", kind="went_well"
    )
    db.session.add(theme)
    db.session.flush()
    [answer] = response.answers
    answer.theme_id = theme.id
    lesson = Lesson(
        programme_id=round_.programme_id, round_id=round_.id, theme_id=theme.id, title="Brief"
    )
    lesson.actions.append(Action(description="Hold briefings again"))
    db.session.add(lesson)
    problem = integration_problems.record("slack", "Slack said invalid_auth")
    other = make_officer(role="officer")
    webhook = Webhook(url="https://hooks.example.org/debrief", events=["round.opened"])
    webhook.secret = webhooks.new_secret()
    db.session.add(webhook)
    contact = make_contact(phone="01632 960123")
    db.session.commit()
    return Seed(
        {
            "programme_id": round_.programme_id,
            "round_id": round_.id,
            "round_slug": round_.slug,
            "format": "csv",
            "extension": "md",
            "invitation_id": waiting.id,
            "page_id": "feedback",
            "contact_id": contact.id,
            "response_id": response.id,
            "officer_id": other.id,
            "problem_id": problem.id,
            "theme_id": theme.id,
            "answer_id": answer.id,
            "lesson_id": lesson.id,
            "action_id": lesson.actions[0].id,
            "webhook_id": webhook.id,
        }
    )


def sign_in(client, role: str):
    officer = make_officer(role=role, password_hash=officers.hash_password(PASSWORD))
    db.session.commit()
    token = csrf_token(client, "/sign-in")
    client.post(
        "/sign-in", data={"email": officer.email, "password": PASSWORD, "csrf_token": token}
    )
    return officer


def audit_count() -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)))


def test_every_officer_route_is_listed(app):
    rules = officer_rules(app)
    listed = {rule: set(methods) for rule, methods in ACCESS.items()}

    assert set(rules) - set(listed) == set(), "new officer routes need an ACCESS entry"
    assert set(listed) - set(rules) == set(), "ACCESS lists routes that no longer exist"
    assert rules == listed


def test_anonymous_users_are_sent_to_sign_in_from_every_route(app, client, seed):
    token = csrf_token(client, "/sign-in")  # a valid token, so only the sign-in check is left
    before = audit_count()
    wrong = []
    for rule, method, _ in REQUESTS:
        url = seed.url(rule)
        data = {"csrf_token": token} if method == "POST" else None
        reply = client.open(url, method=method, data=data, follow_redirects=True)
        first = reply.history[0].status_code if reply.history else reply.status_code
        if first not in (302, 303) or reply.request.path != "/sign-in":
            wrong.append((method, url, first, reply.request.path))
    assert wrong == []
    assert audit_count() == before


@pytest.mark.parametrize("role", ["viewer", "officer"])
def test_roles_below_a_routes_role_are_refused(app, client, seed, role):
    sign_in(client, role)
    token = csrf_token(client, "/admin/rounds")
    before = audit_count()
    wrong = []
    for rule, method, lowest in REQUESTS:
        if RANK[role] >= RANK[lowest]:
            continue
        url = seed.url(rule)
        data = {"csrf_token": token} if method == "POST" else None
        status = client.open(url, method=method, data=data).status_code
        if status != 403:
            wrong.append((method, url, status))
    assert wrong == []
    assert audit_count() == before  # nothing was done, so nothing was logged


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_may_read_opens_for_it(app, client, seed, role):
    """The seeded records make every URL real: a 404 here is a broken test, not a pass."""
    sign_in(client, role)
    wrong = []
    for rule, method, lowest in REQUESTS:
        if method != "GET" or RANK[role] < RANK[lowest]:
            continue
        url = seed.url(rule)
        reply = client.get(url)
        location = reply.headers.get("Location", "")
        if reply.status_code not in (200, 302) or "sign-in" in location:
            wrong.append((url, reply.status_code, location))
        reply.close()
    assert wrong == []


def test_every_form_needs_its_csrf_token(app, client, seed):
    sign_in(client, "admin")  # allowed everywhere, so only the token can refuse
    before = audit_count()
    wrong = []
    for rule, _ in POSTS:
        url = seed.url(rule)
        for data in ({}, {"csrf_token": "not-the-token"}):
            status = client.post(url, data=data).status_code
            if status != 400:
                wrong.append((url, data, status))
    assert wrong == []
    assert audit_count() == before
    assert db.session.get(IntegrationProblem, seed.values["problem_id"]).resolved_at is None


# --- Slack and mail failures are reported to officers in the web app ------------------------


def test_open_problems_show_on_the_round_pages_escaped(app, client):
    round_ = make_round()
    integration_problems.record("slack", "Slack said <script>alert('x')</script> invalid_auth")
    integration_problems.record("mail", "An email could not be sent: SMTP refused")
    resolved = integration_problems.record("mail", "An old problem already dealt with")
    integration_problems.resolve(resolved)
    sign_in(client, "viewer")

    for path in ("/admin/rounds", f"/admin/rounds/{round_.id}/dashboard"):
        page = client.get(path).get_data(as_text=True)
        assert 'id="integration-problems"' in page, path
        assert "govuk-notification-banner" in page
        assert "2 problems sending messages through Slack, email or webhooks" in page
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; invalid_auth" in page
        assert "<script>alert" not in page
        assert "SMTP refused" in page and "<strong>Email</strong>" in page
        assert "An old problem already dealt with" not in page
        assert "Mark as resolved" not in page  # viewers may not resolve them


def test_no_banner_without_open_problems(app, client):
    sign_in(client, "viewer")

    assert 'id="integration-problems"' not in client.get("/admin/rounds").get_data(as_text=True)


def test_an_officer_marks_a_problem_resolved_and_the_banner_goes(app, client):
    round_ = make_round()
    problem = integration_problems.record("slack", "Slack is down")
    db.session.commit()
    sign_in(client, "officer")
    dashboard = f"/admin/rounds/{round_.id}/dashboard"
    page = client.get(dashboard).get_data(as_text=True)
    assert f'action="/admin/integration-problems/{problem.id}/resolve"' in page
    assert 'name="next" value="' + dashboard + '"' in page

    reply = client.post(
        f"/admin/integration-problems/{problem.id}/resolve",
        data={"csrf_token": csrf_token(client, dashboard), "next": dashboard},
    )

    assert reply.status_code == 302 and reply.headers["Location"] == dashboard
    db.session.expire_all()
    assert db.session.get(IntegrationProblem, problem.id).resolved_at is not None
    assert integration_problems.open_problems() == []
    after = client.get(dashboard).get_data(as_text=True)
    assert "Slack is down" not in after and "Problem marked as resolved" in after
    again = client.post(
        f"/admin/integration-problems/{problem.id}/resolve",
        data={"csrf_token": csrf_token(client, dashboard)},
    )
    assert again.status_code == 404


@pytest.mark.parametrize("target", ["//evil.example/admin/", "https://evil.example/", "/r/x"])
def test_resolving_only_returns_to_an_officer_page(app, client, target):
    problem = integration_problems.record("mail", "SMTP refused")
    db.session.commit()
    sign_in(client, "officer")

    reply = client.post(
        f"/admin/integration-problems/{problem.id}/resolve",
        data={"csrf_token": csrf_token(client, "/admin/rounds"), "next": target},
    )

    assert reply.headers["Location"] == "/admin/rounds"


def test_viewers_may_not_resolve_a_problem(app, client):
    problem = integration_problems.record("slack", "Slack is down")
    db.session.commit()
    sign_in(client, "viewer")

    reply = client.post(
        f"/admin/integration-problems/{problem.id}/resolve",
        data={"csrf_token": csrf_token(client, "/admin/rounds")},
    )

    assert reply.status_code == 403
    db.session.expire_all()
    assert [p.id for p in integration_problems.open_problems()] == [problem.id]
