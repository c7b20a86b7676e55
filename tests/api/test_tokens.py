"""API tokens: 401 for missing, wrong, revoked or expired; 403 for scope; hashed; audited."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from surveys.db import db
from surveys.errors import InvalidInput
from surveys.models import ApiToken, AuditEvent, utcnow
from surveys.services import api_tokens
from tests.api.conftest import ApiClient, make_token
from tests.factories import make_officer


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def test_no_token_is_401_problem(app) -> None:
    response = ApiClient(app, None).get("/rounds")
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_wrong_token_is_401(app) -> None:
    make_token()
    assert_problem(ApiClient(app, "dbt_" + "x" * 43).get("/rounds"), 401)
    assert_problem(ApiClient(app, "not-even-ours").get("/rounds"), 401)


def test_other_scheme_is_401(app) -> None:
    token = make_token()
    response = app.test_client().get("/api/v1/rounds", headers={"Authorization": f"Basic {token}"})
    assert_problem(response, 401)


def test_revoked_token_is_401(app) -> None:
    token = make_token()
    record = db.session.scalars(select(ApiToken)).one()
    assert ApiClient(app, token).get("/rounds").status_code == 200
    api_tokens.revoke_token(record)
    db.session.commit()
    assert_problem(ApiClient(app, token).get("/rounds"), 401)


def test_expired_token_is_401(app) -> None:
    token = make_token(expires_days=1)
    record = db.session.scalars(select(ApiToken)).one()
    record.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    body = assert_problem(ApiClient(app, token).get("/rounds"), 401)
    assert "expired" in body["detail"]


def test_deactivated_officer_token_is_401(app) -> None:
    token = make_token()
    db.session.scalars(select(ApiToken)).one().officer.active = False
    db.session.commit()
    assert_problem(ApiClient(app, token).get("/rounds"), 401)


def test_read_token_cannot_write(reader) -> None:
    assert reader.get("/rounds").status_code == 200
    assert_problem(reader.post("/rounds", json={"programme_id": 1, "name": "x"}), 403)


def test_write_token_of_a_demoted_officer_only_reads(app) -> None:
    token = make_token("write")
    db.session.scalars(select(ApiToken)).one().officer.role = "viewer"
    db.session.commit()
    assert_problem(ApiClient(app, token).post("/rounds/1/open"), 403)


def test_viewer_cannot_have_a_write_token(app) -> None:
    with pytest.raises(InvalidInput) as error:
        api_tokens.create_token(make_officer(role="viewer"), "write")
    assert "scope" in error.value.errors


def test_token_in_query_string_is_refused_even_with_a_header(app) -> None:
    token = make_token()
    client = ApiClient(app, token)
    assert_problem(client.get(f"/rounds?access_token={token}"), 400)
    assert_problem(client.get(f"/rounds?anything={token}"), 400)
    assert_problem(ApiClient(app, None).get(f"/rounds?token={token}"), 400)


def test_token_is_stored_hashed_and_shown_once(app) -> None:
    officer = make_officer()
    new = api_tokens.create_token(officer, "read", name="reporting")
    db.session.commit()
    stored = db.session.scalars(select(ApiToken)).one()
    assert new.secret.startswith("dbt_") and len(new.secret) > 40
    assert stored.token_hash == api_tokens.token_hash(new.secret)
    assert new.secret not in (stored.token_hash, stored.prefix, stored.name)
    assert stored.prefix == new.secret[:10]


def test_create_and_revoke_are_audited_without_the_secret(app) -> None:
    officer = make_officer()
    new = api_tokens.create_token(officer, "write", actor=officer)
    api_tokens.revoke_token(new.record, actor=officer)
    db.session.commit()
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["api_token.created", "api_token.revoked"]
    assert all(e.actor_id == officer.id and e.target_id == new.record.id for e in events)
    assert all(new.secret not in str(e.detail) for e in events)


def test_token_never_reaches_the_log(app, caplog) -> None:
    token = make_token()
    with caplog.at_level(logging.INFO):
        logging.getLogger("test").warning("request /api/v1/rounds?access_token=%s", token)
        logging.getLogger("test").warning("header Authorization: Bearer %s", token)
    assert token not in caplog.text
    assert "[token]" in caplog.text


def test_cli_creates_lists_and_revokes(app, runner) -> None:
    officer = make_officer(email="lead@council.example")
    db.session.commit()
    result = runner.invoke(
        args=[
            "token",
            "create",
            "--officer",
            "lead@council.example",
            "--scope",
            "read",
            "--expires",
            "30",
        ]
    )
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert ApiClient(app, secret).get("/rounds").status_code == 200
    listed = runner.invoke(args=["token", "list"])
    assert "lead@council.example" in listed.output and secret not in listed.output
    token_id = db.session.scalars(select(ApiToken.id)).one()
    assert runner.invoke(args=["token", "revoke", str(token_id)]).exit_code == 0
    assert ApiClient(app, secret).get("/rounds").status_code == 401
    assert officer.id


def test_cli_refuses_unknown_officer_and_bad_expiry(app, runner) -> None:
    make_officer(email="lead@council.example")
    db.session.commit()
    bad = runner.invoke(
        args=["token", "create", "--officer", "nobody@x.example", "--scope", "read"]
    )
    assert bad.exit_code != 0 and "no officer" in bad.output
    bad = runner.invoke(
        args=[
            "token",
            "create",
            "--officer",
            "lead@council.example",
            "--scope",
            "read",
            "--expires",
            "0",
        ]
    )
    assert bad.exit_code != 0 and "Expiry" in bad.output


@pytest.mark.parametrize("token_id", ["99999999999999999999", "2147483648", "0", "-1", "²", "x"])
def test_cli_revoke_refuses_an_id_no_token_can_have(app, runner, token_id) -> None:
    result = runner.invoke(args=["token", "revoke", "--", token_id])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "is not an id" in result.output


def test_cli_revoke_of_an_unknown_id_says_so(app, runner) -> None:
    result = runner.invoke(args=["token", "revoke", "2147483647"])
    assert result.exit_code == 1 and "No such API token" in result.output


def expired_and_expiring_tokens() -> tuple[ApiToken, ApiToken]:
    expiring = api_tokens.create_token(make_officer(), "read", expires_days=30).record
    expired = api_tokens.create_token(make_officer(), "read", expires_days=1).record
    expired.expires_at = utcnow() - timedelta(days=2)
    db.session.commit()
    return expired, expiring


def test_token_status_says_expired_once_a_token_has_expired(app) -> None:
    expired, expiring = expired_and_expiring_tokens()
    live = api_tokens.create_token(make_officer(), "read").record
    revoked = api_tokens.create_token(make_officer(), "read", expires_days=1).record
    api_tokens.revoke_token(revoked)
    revoked.expires_at = utcnow() - timedelta(days=2)
    assert api_tokens.token_status(expired) == ("expired", expired.expires_at)
    assert api_tokens.token_status(expiring) == ("expires", expiring.expires_at)
    assert api_tokens.token_status(live) == ("live", None)
    assert api_tokens.token_status(revoked) == ("revoked", revoked.revoked_at)


def test_cli_lists_an_expired_token_as_expired(app, runner) -> None:
    expired, expiring = expired_and_expiring_tokens()
    lines = runner.invoke(args=["token", "list"]).output.splitlines()
    state = {int(line.split("\t")[0]): line.split("\t")[4] for line in lines}
    assert state[expired.id] == f"expired {expired.expires_at:%Y-%m-%d}"
    assert state[expiring.id] == f"expires {expiring.expires_at:%Y-%m-%d}"


def test_officers_see_and_revoke_their_own_tokens_and_admins_everyones(app) -> None:
    admin, officer, viewer = (make_officer(role=role) for role in ("admin", "officer", "viewer"))
    tokens = {
        holder.role: api_tokens.create_token(holder, "read").record
        for holder in (admin, officer, viewer)
    }
    db.session.commit()
    assert set(api_tokens.tokens_visible_to(admin)) == set(tokens.values())
    assert api_tokens.tokens_visible_to(officer) == [tokens["officer"]]
    assert api_tokens.tokens_visible_to(viewer) == [tokens["viewer"]]
    for holder in (admin, officer, viewer):
        for token in tokens.values():
            expected = holder is admin or token.officer_id == holder.id
            assert api_tokens.may_revoke(holder, token) is expected
    assert api_tokens.scopes_for(officer) == api_tokens.scopes_for(admin) == ("read", "write")
    assert api_tokens.scopes_for(viewer) == ("read",)
