"""The API tokens page: officers create their own tokens (shown once) and revoke them."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from surveys.db import db
from surveys.models import ApiToken, utcnow
from surveys.services import api_tokens, officers
from tests.api.conftest import ApiClient
from tests.app.public_helpers import csrf_token
from tests.factories import make_officer

PASSWORD = "correct horse battery staple"


def sign_in(client, role: str):
    officer = make_officer(role=role, password_hash=officers.hash_password(PASSWORD))
    db.session.commit()
    token = csrf_token(client, "/sign-in")
    client.post(
        "/sign-in", data={"email": officer.email, "password": PASSWORD, "csrf_token": token}
    )
    return officer


def create(client, **form):
    return client.post(
        "/admin/tokens", data={"csrf_token": csrf_token(client, "/admin/tokens"), **form}
    )


def test_officer_creates_a_token_shown_once(app, client) -> None:
    officer = sign_in(client, "officer")
    assert 'value="write"' in client.get("/admin/tokens").get_data(as_text=True)
    page = create(client, scope="write", name="Reporting", expires_days="30")
    assert page.status_code == 200
    stored = db.session.scalars(select(ApiToken)).one()
    secret = re.search(r"dbt_[A-Za-z0-9_-]+", page.get_data(as_text=True)).group(0)
    assert stored.officer_id == officer.id and stored.scope == "write" and stored.expires_at
    assert ApiClient(app, secret).get("/rounds").status_code == 200
    listing = client.get("/admin/tokens").get_data(as_text=True)
    assert stored.prefix in listing and secret not in listing


def test_viewer_gets_read_only_and_bad_input_is_422(app, client) -> None:
    sign_in(client, "viewer")
    assert 'value="write"' not in client.get("/admin/tokens").get_data(as_text=True)
    assert create(client, scope="write").status_code == 422
    assert create(client, scope="read", expires_days="soon").status_code == 422
    assert create(client, scope="read").status_code == 200


def test_revoke_own_token_but_not_another_officers(app, client) -> None:
    officer = sign_in(client, "officer")
    mine = api_tokens.create_token(officer, "read")
    theirs = api_tokens.create_token(make_officer(), "read")
    db.session.commit()
    token = csrf_token(client, "/admin/tokens")
    refused = client.post(f"/admin/tokens/{theirs.record.id}/revoke", data={"csrf_token": token})
    assert refused.status_code == 404
    done = client.post(f"/admin/tokens/{mine.record.id}/revoke", data={"csrf_token": token})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, mine.record.id).revoked_at is not None
    assert db.session.get(ApiToken, theirs.record.id).revoked_at is None
    assert ApiClient(app, mine.secret).get("/rounds").status_code == 401


def test_admin_sees_and_revokes_everyones_tokens(app, client) -> None:
    sign_in(client, "admin")
    theirs = api_tokens.create_token(make_officer(email="sam@council.example"), "read")
    db.session.commit()
    assert "sam@council.example" in client.get("/admin/tokens").get_data(as_text=True)
    token = csrf_token(client, "/admin/tokens")
    assert (
        client.post(
            f"/admin/tokens/{theirs.record.id}/revoke", data={"csrf_token": token}
        ).status_code
        == 302
    )


def test_an_expiry_of_other_digits_or_a_huge_number_is_422_not_500(app, client) -> None:
    sign_in(client, "officer")
    for days in ("\u00b2", "\u0663\u0660", "9" * 5000):
        page = create(client, scope="read", expires_days=days)
        assert page.status_code == 422, days[:5]
        assert "whole number of days" in page.get_data(as_text=True)
    assert db.session.scalars(select(ApiToken)).first() is None


def test_the_page_says_an_expired_token_expired(app, client) -> None:
    officer = sign_in(client, "officer")
    expired = api_tokens.create_token(officer, "read", expires_days=1).record
    expired.expires_at = utcnow() - timedelta(days=2)
    api_tokens.create_token(officer, "read", expires_days=30)
    db.session.commit()
    page = " ".join(client.get("/admin/tokens").get_data(as_text=True).split())
    assert f"Expired {expired.expires_at:%-d %B %Y}" in page
    assert f"Expires {expired.expires_at:%-d %B %Y}" not in page
    assert "Expires " in page
