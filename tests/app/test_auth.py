"""Sign-in, sign-out, roles, throttling, expiry, password change and reset."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from surveys.db import db
from surveys.models import AuditEvent, Officer
from surveys.services import officers
from tests.factories import make_officer

PASSWORD = "correct horse battery staple"


def csrf_token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def make_account(role: str = "officer", **overrides) -> Officer:
    officer = make_officer(role=role, password_hash=officers.hash_password(PASSWORD), **overrides)
    db.session.commit()
    return officer


def sign_in(client, email: str, password: str = PASSWORD, follow: bool = False, **request):
    token = csrf_token(client, "/sign-in")
    return client.post(
        "/sign-in",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=follow,
        **request,
    )


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_passwords_are_argon2id_at_owasp_parameters():
    hashed = officers.hash_password("a long password here")
    assert hashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert officers.verify_password(hashed, "a long password here")
    assert not officers.verify_password(hashed, "wrong")
    assert not officers.verify_password(None, "anything")


def test_sign_in_and_out(client, app):
    officer = make_account()
    response = sign_in(client, officer.email.upper())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/rounds")
    assert client.get("/admin/rounds").status_code == 200
    token = csrf_token(client, "/admin/rounds")
    client.post("/sign-out", data={"csrf_token": token})
    assert client.get("/admin/rounds").status_code == 302
    assert actions() == ["signin.succeeded", "signout"]


def test_wrong_email_and_wrong_password_get_the_same_message(client, app):
    officer = make_account()
    wrong_password = sign_in(client, officer.email, "not the password")
    wrong_email = sign_in(client, "nobody@council.example")
    assert wrong_password.status_code == wrong_email.status_code == 422
    message = "Enter a correct email address and password"
    assert message in wrong_password.get_data(as_text=True)
    assert message in wrong_email.get_data(as_text=True)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "signin.failed"))
    for event in events:
        assert PASSWORD not in str(event.detail) and "@" not in str(event.detail)


def test_attempts_are_throttled_per_account(client, app):
    officer = make_account()
    for _ in range(5):
        assert sign_in(client, officer.email, "wrong").status_code == 422
    # Even the right password is refused while the account is throttled.
    response = sign_in(client, officer.email)
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert "signin.throttled" in actions()


def test_attempts_are_throttled_per_address(client, app):
    from surveys.services.auth import ADDRESS_LIMIT

    officer = make_account()
    for n in range(ADDRESS_LIMIT):
        sign_in(client, f"guess{n}@council.example", "wrong")
    assert sign_in(client, officer.email).status_code == 429
    # Another address is not affected.
    elsewhere = app.test_client()
    assert (
        sign_in(elsewhere, officer.email, environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code
        == 302
    )


def test_guessing_an_account_does_not_lock_its_officer_out_elsewhere(client, app):
    officer = make_account()
    for _ in range(10):
        sign_in(client, officer.email, "wrong", environ_base={"REMOTE_ADDR": "10.6.6.6"})
    assert (
        sign_in(
            client, officer.email, "wrong", environ_base={"REMOTE_ADDR": "10.6.6.6"}
        ).status_code
        == 429
    )
    assert (
        sign_in(client, officer.email, environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code == 302
    )


def test_behind_trusted_proxies_throttles_key_on_the_forwarded_client(
    app, migrated_database, tmp_path
):
    from app import create_app
    from tests.conftest import make_config

    email = make_account().email
    db.session.commit()
    db.session.close()  # the test's own session must not hold SQLite's write lock
    proxied = create_app(make_config(migrated_database, tmp_path, TRUSTED_PROXIES=1))
    client = proxied.test_client()
    attacker = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    for _ in range(6):
        sign_in(client, email, "wrong", environ_base=attacker)
    assert sign_in(client, email, environ_base=attacker).status_code == 429
    honest = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert sign_in(client, email, environ_base=honest).status_code == 302
    with proxied.app_context():
        db.engine.dispose()


def test_session_expires(app, client):
    app.permanent_session_lifetime = __import__("datetime").timedelta(seconds=-1)
    officer = make_account()
    sign_in(client, officer.email)
    assert client.get("/admin/rounds").status_code == 302


def test_one_time_password_must_be_changed(runner, client, app):
    result = runner.invoke(
        args=[
            "officer",
            "create",
            "new@council.example",
            "--role",
            "officer",
            "--slack-user",
            "U123ABC",
        ]
    )
    assert result.exit_code == 0, result.output
    password = re.search(r"must be changed at first sign-in\): (\S+)", result.output).group(1)
    officer = officers.officer_by_email("new@council.example")
    assert officer.must_change_password and officer.slack_user_id == "U123ABC"
    assert officers.officer_for_slack_user("U123ABC") == officer
    assert password not in officer.password_hash
    response = sign_in(client, "new@council.example", password)
    assert response.headers["Location"].endswith("/change-password")
    assert client.get("/admin/rounds").status_code == 302
    token = csrf_token(client, "/change-password")
    bad = client.post(
        "/change-password",
        data={
            "csrf_token": token,
            "current_password": password,
            "new_password": "short",
            "confirm_password": "short",
        },
    )
    assert bad.status_code == 422
    client.post(
        "/change-password",
        data={
            "csrf_token": token,
            "current_password": password,
            "new_password": PASSWORD,
            "confirm_password": PASSWORD,
        },
    )
    assert client.get("/admin/rounds").status_code == 200
    db.session.refresh(officer)
    assert not officer.must_change_password


def test_duplicate_officer_is_refused(runner, app):
    make_account(email="taken@council.example")
    result = runner.invoke(args=["officer", "create", "taken@council.example"])
    assert result.exit_code == 1
    assert "already exists" in result.output


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("viewer", "/admin/rounds", 200),
        ("viewer", "/admin/officers", 403),
        ("officer", "/admin/officers", 403),
        ("admin", "/admin/officers", 200),
        ("admin", "/admin/audit", 200),
    ],
)
def test_roles(client, app, role, path, status):
    officer = make_account(role)
    sign_in(client, officer.email)
    assert client.get(path).status_code == status


def test_role_change_signs_the_officer_out_and_is_audited(client, app):
    admin = make_account("admin")
    other = make_account("officer")
    sign_in(client, admin.email)
    token = csrf_token(client, "/admin/officers")
    client.post(f"/admin/officers/{other.id}/role", data={"csrf_token": token, "role": "viewer"})
    db.session.refresh(other)
    assert other.role == "viewer" and other.session_version == 2
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "officer.role_changed")
    ).one()
    assert event.detail == {"role": "viewer", "previous_role": "officer"}


def test_forms_need_a_csrf_token(client, app):
    officer = make_account()
    response = client.post("/sign-in", data={"email": officer.email, "password": PASSWORD})
    assert response.status_code == 400


def test_next_must_stay_on_site(client, app):
    officer = make_account()
    token = csrf_token(client, "/sign-in")
    response = client.post(
        "/sign-in?next=//evil.example/x",
        data={"email": officer.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"].endswith("/admin/rounds")


def test_password_reset_token_works_once(app, client):
    from surveys.services import auth

    officer = make_account()
    with app.test_request_context():
        token = auth.password_reset_token(officer)
    assert client.get(f"/reset-password/{token}").status_code == 200
    form_token = csrf_token(client, f"/reset-password/{token}")
    new = "a brand new long password"
    response = client.post(
        f"/reset-password/{token}",
        data={"csrf_token": form_token, "new_password": new, "confirm_password": new},
    )
    assert response.status_code == 302
    assert client.get(f"/reset-password/{token}").status_code == 404
    assert sign_in(client, officer.email, new).status_code == 302


def test_reset_request_says_the_same_for_unknown_addresses(client, app):
    token = csrf_token(client, "/reset-password")
    response = client.post(
        "/reset-password", data={"csrf_token": token, "email": "nobody@council.example"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/reset-password/sent")
