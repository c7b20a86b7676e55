"""Paging, ETags and the bodies the API refuses (400/413), always as problem+json."""

from __future__ import annotations

import base64

from surveys.db import db
from tests.factories import make_programme, make_round


def test_cursor_pages_walk_every_record_once(api) -> None:
    programme = make_programme()
    ids = [make_round(programme=programme).id for _ in range(5)]
    db.session.commit()
    seen, cursor = [], None
    for _ in range(5):
        query = f"/rounds?limit=2&programme_id={programme.id}" + (
            f"&cursor={cursor}" if cursor else ""
        )
        page = api.get(query).get_json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(ids)


def test_a_new_record_between_pages_is_not_skipped_or_repeated(api) -> None:
    programme = make_programme()
    ids = [make_round(programme=programme).id for _ in range(3)]
    db.session.commit()
    first = api.get(f"/rounds?limit=2&programme_id={programme.id}").get_json()
    assert [item["id"] for item in first["items"]] == ids[:2] and first["next_cursor"]
    late = make_round(programme=programme).id
    db.session.commit()
    second = api.get(f"/rounds?limit=2&programme_id={programme.id}&cursor={first['next_cursor']}")
    assert [item["id"] for item in second.get_json()["items"]] == [ids[2], late]


def test_bad_cursor_and_limit_are_422(api) -> None:
    for query in ("cursor=bm9wZQ", "cursor=%%%", "limit=0", "limit=101", "limit=x", "unknown=1"):
        response = api.get(f"/rounds?{query}")
        assert response.status_code == 422, query
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["errors"]


def test_etag_and_if_none_match(api) -> None:
    make_round()
    db.session.commit()
    first = api.get("/rounds")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag
    again = api.get("/rounds", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    make_round()
    db.session.commit()
    changed = api.get("/rounds", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def _post_raw(api, data: bytes | str, content_type: str = "application/json"):
    return api.client.post(
        "/api/v1/rounds", data=data, content_type=content_type, headers=api.headers()
    )


def test_malformed_json_is_400(api) -> None:
    response = _post_raw(api, '{"programme_id": 1,')
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert "not valid JSON" in response.get_json()["detail"]


def test_wrong_content_type_is_400(api) -> None:
    response = _post_raw(api, "programme_id=1&name=x", "application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "application/json" in response.get_json()["detail"]


def test_deep_nesting_is_400(api) -> None:
    for depth in (40, 100_000):
        response = _post_raw(api, "[" * depth + "]" * depth)
        assert response.status_code == 400, depth
        assert "nested" in response.get_json()["detail"]


def test_oversize_array_is_413(api) -> None:
    body = '{"survey_id": 1, "contact_ids": [' + ",".join(["1"] * 1001) + "]}"
    response = api.client.post(
        "/api/v1/invitations", data=body, content_type="application/json", headers=api.headers()
    )
    assert response.status_code == 413 and response.mimetype == "application/problem+json"


def test_oversize_body_is_413(api) -> None:
    response = _post_raw(api, '{"name": "' + "x" * (3 * 1024 * 1024) + '"}')
    assert response.status_code == 413 and response.mimetype == "application/problem+json"


def test_nul_and_wrong_types_are_refused(api) -> None:
    assert _post_raw(api, '{"name": "a\\u0000b"}').status_code == 400
    wrong = api.post("/rounds", json={"programme_id": "one", "name": ["x"], "extra": 1})
    assert wrong.status_code == 422
    assert set(wrong.get_json()["errors"]) == {"programme_id", "name", "extra"}
    assert api.post("/rounds", json=[1, 2]).status_code == 422


def test_docs_page_and_openapi_document_need_no_token(app) -> None:
    client = app.test_client()
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "/api/v1/responses" in spec["paths"]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/static/build/swagger-ui/swagger-ui-bundle.js" in html and "http" not in html.split(
        "<body>"
    )[1].replace("api/v1/openapi.json", "")


def test_csrf_is_exempt_only_for_the_api(app) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    assert client.post("/api/v1/rounds", json={}).status_code == 401  # not a CSRF 400
    assert client.post("/admin/tokens", data={"scope": "read"}).status_code in (302, 400)


def test_lone_surrogates_are_400(api) -> None:
    assert _post_raw(api, '{"name": "a\\ud800b", "programme_id": 1}').status_code == 400
    assert _post_raw(api, '{"\\udfff": 1}').status_code == 400


def test_a_cursor_with_other_digits_or_past_32_bits_is_422_not_500(api) -> None:
    # "²" is a digit to str.isdigit() but not to int(); "after:1\n" would slip past $.
    # An id past 32 bits was "integer out of range" on PostgreSQL.
    for text in (
        "after:\u00b2",
        "after:\u0661",
        "after:1\n",
        "after:2147483648",
        "after:9999999999",
    ):
        cursor = base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
        response = api.get(f"/rounds?cursor={cursor}")
        assert response.status_code == 422, text
        assert response.get_json()["errors"] == {
            "cursor": "Use the next_cursor of the previous page"
        }


def test_an_updated_since_outside_utc_is_422_not_500(api) -> None:
    for moment in ("0001-01-01T00:00:00%2B14:00", "9999-12-31T23:59:59-14:00"):
        response = api.get(f"/responses?updated_since={moment}")
        assert response.status_code == 422, moment
        assert "updated_since" in response.get_json()["errors"]
    assert api.get("/responses?updated_since=2026-12-01T09:00:00%2B09:00").status_code == 200
